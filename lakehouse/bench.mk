# `make bench`: pipeline performance at a TPC-H scale factor, against a hand-written PySpark
# floor (docs/performance.md). Included by the Makefile.
#
# Its scale factor is BENCH_SF (default 1), not the SF of `make run` (0.01): `make bench` runs
# SF=1; `make bench SF=0.1` (SF given on the command line) or `make bench BENCH_SF=0.1` runs
# another. BENCH_SMALL_HISTORY: share of the order history in the small-history lakehouse.

BENCH_SF ?= 1
BENCH_SMALL_HISTORY ?= 0.1
BENCH_RUN_SF = $(if $(filter command line,$(origin SF)),$(SF),$(BENCH_SF))

.PHONY: bench
bench: setup ## Benchmark the pipeline against the engine's floor (SF=1; report in bench/results/)
	$(PYTHON) -m lakehouse.bench --sf $(BENCH_RUN_SF) --small-history $(BENCH_SMALL_HISTORY)

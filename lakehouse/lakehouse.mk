# The local lakehouse's targets (lakehouse/), included by the Makefile, which defines PYTHON,
# DBT, VENV, SF, the setup targets and `debian`.

.PHONY: run
run: setup ## Run the whole pipeline locally (SF=0.01): sample data, ingestion, dbt build, docs
	$(PYTHON) -m lakehouse.local.pipeline --sf $(SF)

.PHONY: docs new-project
docs: setup ## Generate the dbt docs and serve them on 127.0.0.1 (PORT=0: a free port; TARGET=local)
	$(PYTHON) -m lakehouse.docs.site serve --target $(or $(TARGET),local) --port $(or $(PORT),0)

new-project: setup ## Scaffold a project: models, ingestion job and contract, seeds, snapshots, Terraform (NAME=inventory)
	$(PYTHON) -m lakehouse.scaffold.new_project "$(NAME)" $(if $(SOURCE),--source "$(SOURCE)")

.PHONY: dbt-bundle
dbt-bundle: $(RUNTIME_STAMP) ## Zip the dbt project the scheduled pipeline runs on AWS (dist/dbt-project.zip; see make wheel)
	$(PYTHON) -m lakehouse.release.dbt_bundle --out dist/dbt-project.zip

.PHONY: contract-check
contract-check: $(RUNTIME_STAMP) ## Fail on a breaking change to a data product's contract, against BASE=origin/main or STATE=<dir of a deployed manifest.json>
	$(PYTHON) -m lakehouse.release.contract_check $(if $(STATE),--state $(STATE),--base $(or $(BASE),origin/main))

.PHONY: sql
sql: setup ## The SQL shell on the local lakehouse; or one query: Q="select ..." or FILE=queries.sql OUT=dir (FORMAT=aligned|csv|json|psv)
	@$(PYTHON) -m lakehouse.local.sql $(if $(Q),--query "$(Q)") $(if $(FILE),--file "$(FILE)") $(if $(OUT),--out "$(OUT)") $(if $(FORMAT),--format "$(FORMAT)")

.PHONY: dbt
dbt: setup ## dbt on the local lakehouse, with its metastore served and the build lock held: ARGS="build -s orders"
	@$(PYTHON) -m lakehouse.local.dbt $(ARGS)

.PHONY: gate
gate: setup ## The quality gate on the local lakehouse (build, test on audit branches, publish on pass): ARGS="--project sales"
	@$(PYTHON) -m lakehouse.local.gate $(ARGS)

.PHONY: domain-sync
domain-sync: setup ## Copy domain.yml's values into dbt_project.yml's vars (dbt cannot read files)
	$(PYTHON) -m lakehouse.scaffold.domain_sync --write

.PHONY: lint format hooks
lint: $(DEV_STAMP) ## Lint everything: SQL (sqlfluff), Python (ruff), YAML, Terraform, workflows
	@command -v shellcheck >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; }
	$(PYTHON) -m lakehouse.checks.lint

format: $(DEV_STAMP) ## Fix what the linters can fix (ruff, sqlfluff, terraform fmt), then lint
	$(PYTHON) -m lakehouse.checks.lint --fix

hooks: $(DEV_STAMP) ## Install the pre-commit hooks into this checkout's .git
	$(VENV)/bin/pre-commit install

.PHONY: stop clean
stop: ## Stop the local lakehouse's metastore server (it also stops by itself when idle)
	@$(PYTHON) -m lakehouse.local.metastore stop

clean: stop ## Delete the local lakehouse (tables, metastore, sample data) and dbt's target/
	rm -rf $(LAKEHOUSE_DIR)/warehouse $(LAKEHOUSE_DIR)/metastore_db $(LAKEHOUSE_DIR)/landing $(LAKEHOUSE_DIR)/archive target logs

# glue-local, the offline AWS Glue endpoint, and the dbt-glue parity gate (docs/glue-local.md).
GLUE_LOCAL_PORT ?= 4599
GLUE_LOCAL_URL := http://127.0.0.1:$(GLUE_LOCAL_PORT)
GLUE_LOCAL_HOME := $(LAKEHOUSE_DIR)/glue-local

.PHONY: glue-local-server glue-local-dbt parity
glue-local-server: setup ## Serve glue-local (offline Glue endpoint) on 127.0.0.1:$GLUE_LOCAL_PORT
	$(PYTHON) -m lakehouse.glue_local --port $(GLUE_LOCAL_PORT) --lakehouse-dir $(GLUE_LOCAL_HOME)

glue-local-dbt: setup ## dbt-glue against a running glue-local (shared schemas): ARGS="build -s orders"
	$(PYTHON) -m lakehouse.glue_local.client --url $(GLUE_LOCAL_URL) --home $(GLUE_LOCAL_HOME) $(ARGS)

parity: setup-dev ## The domain via the unmodified dbt-glue on glue-local, IAM enforced; every table must equal local's
	$(PYTHON) -m lakehouse.parity --sf $(SF)

# `make bench`: pipeline performance at a TPC-H scale factor, against a hand-written PySpark
# floor (docs/performance.md).
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

BENCH_SCALING ?= 0.1,1,3

.PHONY: bench-scaling
bench-scaling: setup ## How the full pipeline's cost grows with the data: BENCH_SCALING=0.1,1,3 (report in bench/results/)
	$(PYTHON) -m lakehouse.bench --scaling $(BENCH_SCALING)

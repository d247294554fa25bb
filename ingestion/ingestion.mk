# Ingestion: the job library's wheel and the PostgreSQL JDBC driver (included by the Makefile).

PG_JDBC_JAR := /usr/share/java/postgresql.jar

.PHONY: wheel
wheel: $(RUNTIME_STAMP) ## Build the job library wheel and its lineage client for Glue (dist/lakehouse_jobs-*.whl, dist/lineage-client.zip)
	$(PYTHON) ingestion/build_wheel.py --out dist

# `make setup` (hence `make run`) installs the JDBC driver the CRM ingestion job reads with.
setup: $(PG_JDBC_JAR)

$(PG_JDBC_JAR):
	$(call debian,$(PG_JDBC_JAR),libpostgresql-jdbc-java)

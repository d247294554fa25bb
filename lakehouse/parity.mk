# glue-local, the offline AWS Glue endpoint, and the dbt-glue parity gate (docs/glue-local.md).
GLUE_LOCAL_PORT ?= 4599
GLUE_LOCAL_URL := http://127.0.0.1:$(GLUE_LOCAL_PORT)
GLUE_LOCAL_HOME := $(LAKEHOUSE_DIR)/glue-local

.PHONY: glue-local-server glue-local-dbt parity
glue-local-server: setup ## Serve glue-local (offline Glue endpoint) on 127.0.0.1:$GLUE_LOCAL_PORT
	$(PYTHON) -m lakehouse.glue_emulator --port $(GLUE_LOCAL_PORT) --lakehouse-dir $(GLUE_LOCAL_HOME)

glue-local-dbt: setup ## dbt-glue against a running glue-local: ARGS="build -s orders"
	AWS_ENDPOINT_URL=$(GLUE_LOCAL_URL) AWS_ACCESS_KEY_ID=glue-local AWS_SECRET_ACCESS_KEY=glue-local \
	AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 \
	DBT_GLUE_LOCATION=$(GLUE_LOCAL_HOME)/warehouse DBT_GLUE_STORAGE_ROOT=$(GLUE_LOCAL_HOME)/warehouse \
	DBT_TARGET_PATH=$(GLUE_LOCAL_HOME)/dbt-target DBT_LOG_PATH=$(GLUE_LOCAL_HOME)/dbt-logs \
	$(DBT) $(ARGS) --target glue_local

parity: setup ## Build via the unmodified dbt-glue on glue-local; every table must equal local's
	$(PYTHON) -m lakehouse.parity --sf $(SF)

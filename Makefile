# The commerce domain's lakehouse. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SF ?= 0.01
PYTHON_BOOT ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
PYTEST := $(PYTHON) -m pytest
DBT := $(VENV)/bin/dbt

# Everything local runs against the embedded lakehouse in this checkout, never against AWS.
export LAKEHOUSE_DIR ?= $(CURDIR)/.lakehouse
export DBT_PROFILES_DIR ?= $(CURDIR)/profiles
export AWS_EC2_METADATA_DISABLED := true

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
JARS_STAMP := $(LAKEHOUSE_DIR)/jars/.installed

# $(call debian,<file that must exist>,<package>): installs it as root, else says what to run.
define debian
	@test -e $(1) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian package $(2)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "missing $(1): run  sudo apt-get install -y $(2)  and try again"; exit 1; \
	  fi; }
endef

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON_BOOT) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed (AWS Glue 5 runs 3.11)"'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PYTHON) -m pip install -q --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PYTHON) -m pip install -q -e .
	@touch $@

$(DEV_STAMP): pyproject.toml $(RUNTIME_STAMP)
	$(PYTHON) -m pip install -q -e '.[dev]'
	@touch $@

$(JARS_STAMP): $(RUNTIME_STAMP)
	@command -v java >/dev/null || { echo "missing java: run  sudo apt-get install -y openjdk-17-jre-headless"; exit 1; }
	$(call debian,/usr/share/java/jarjar.jar,libjarjar-java)
	$(PYTHON) -m lakehouse.local.jars
	@touch $@

.PHONY: setup setup-dev
setup: $(RUNTIME_STAMP) $(JARS_STAMP) ## Install what `make run` needs (venv, pinned packages, Iceberg jars)

setup-dev: setup $(DEV_STAMP) ## Install the test and lint tools as well
	$(call debian,/usr/share/java/postgresql.jar,libpostgresql-jdbc-java)
	$(call debian,/usr/bin/chromium,chromium)
	$(call debian,/usr/bin/chromedriver,chromium-driver)
	$(call debian,/usr/bin/jq,jq)

.PHONY: test
test: setup-dev ## Run the whole test suite (unit + integration on a temporary lakehouse)
	$(PYTEST)

include $(wildcard */*.mk)

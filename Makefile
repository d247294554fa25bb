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

# Spark (and the JVMs it starts) must not need the machine's host name to resolve: containers
# and CI runners often have no /etc/hosts entry for it. The lakehouse binds to 127.0.0.1 anyway.
export SPARK_LOCAL_HOSTNAME ?= localhost  # also for what imports no lakehouse module (a job run alone)

# The Debian packages the targets need, each as <package>:<file that proves it is installed>
# (a glob). `make run` (setup) needs DEBIAN_RUN, `make test` (setup-dev) DEBIAN_RUN and
# DEBIAN_TEST. As root the missing ones are installed (one apt-get update); otherwise one
# `sudo apt-get install` line lists them all and make stops.
DEBIAN_RUN := \
  postgresql:/usr/lib/postgresql/*/bin/initdb \
  libpostgresql-jdbc-java:/usr/share/java/postgresql.jar \
  libjarjar-java:/usr/share/java/jarjar.jar \
  libderby-java:/usr/share/java/derbynet.jar \
  libderbyclient-java:/usr/share/java/derbyclient.jar \
  derby-tools:/usr/share/java/derbytools.jar \
  util-linux:/usr/bin/setpriv
DEBIAN_TEST := \
  libatomic1:/usr/lib/*/libatomic.so.1 \
  chromium:/usr/bin/chromium \
  chromium-driver:/usr/bin/chromedriver \
  jq:/usr/bin/jq \
  git:/usr/bin/git \
  shellcheck:/usr/bin/shellcheck \
  nodejs:/usr/bin/node
DEBIAN_GOALS_TEST := setup-dev test parity
DEBIAN_NEEDED := $(DEBIAN_RUN) $(if $(filter $(DEBIAN_GOALS_TEST),$(MAKECMDGOALS)),$(DEBIAN_TEST))

# $(call debian,<package>:<proof> ...): installs the missing packages as root (one apt-get
# update), else prints the one apt-get line that installs them all and fails.
define debian
	@set -f; missing=""; for entry in $(1); do \
	  compgen -G "$${entry#*:}" >/dev/null || missing="$$missing $${entry%%:*}"; done; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages: run  sudo apt-get install -y$$missing  and try again"; exit 1; \
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

$(JARS_STAMP): $(RUNTIME_STAMP) | debian-packages
	@command -v java >/dev/null || { echo "missing java: run  sudo apt-get install -y openjdk-17-jre-headless"; exit 1; }
	$(PYTHON) -m lakehouse.local.jars
	@touch $@

.PHONY: debian-packages setup setup-dev
debian-packages: ## Install the Debian packages the goals need (as root; else print the apt-get line)
	$(call debian,$(DEBIAN_NEEDED))

setup: debian-packages $(RUNTIME_STAMP) $(JARS_STAMP) ## Install what `make run` needs (Debian packages, venv, pinned packages, Iceberg jars)

setup-dev: setup $(DEV_STAMP) ## Install the test and lint tools as well

.PHONY: test
test: setup-dev ## Run the whole test suite (unit + integration on a temporary lakehouse)
	$(PYTEST)

include $(wildcard */*.mk)

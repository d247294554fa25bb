import pytest
from lakehouse_jobs.domain import load_domain, parse_domain

from lakehouse.scaffold import domain_sync

VALID = """
name: commerce
abbreviation: cmr
description: d
owner: o
region: eu-west-1
country_code: ie
environments: [dev, int, prod]
layers: [raw, refined, curated]
"""


def test_naming_rules_follow_the_domain_file():
    domain = parse_domain(VALID)
    assert domain.database("refined") == "cmr_refined"
    assert domain.database("refined", developer="jdoe") == "cmr_refined_jdoe"
    assert domain.raw_table("sales", "orders") == "cmr_raw.sales__orders"
    assert domain.quarantine_table("sales", "orders") == "cmr_raw.sales__orders__quarantine"
    assert domain.bucket("raw", "dev", "123456789012") == "ie-cmr-dev-raw-123456789012"
    assert domain.metric_namespace == "cmr/lakehouse"


def test_unknown_layer_and_environment_are_named_in_the_error():
    domain = parse_domain(VALID)
    with pytest.raises(ValueError, match="unknown layer 'gold'"):
        domain.database("gold")
    with pytest.raises(ValueError, match="unknown environment 'qa'"):
        domain.bucket("raw", "qa", "123456789012")


def test_a_broken_domain_file_names_the_missing_and_unknown_keys():
    broken = VALID.replace("region: eu-west-1\n", "regoin: eu-west-1\n")
    with pytest.raises(ValueError, match=r"missing keys \['region'\], unknown keys \['regoin'\]"):
        parse_domain(broken, "domain.yml")


def test_abbreviation_must_be_usable_in_every_name():
    with pytest.raises(ValueError, match="abbreviation='C-M'"):
        parse_domain(VALID.replace("abbreviation: cmr", "abbreviation: C-M"))


def test_repository_domain_file_loads():
    domain = load_domain()
    assert domain.layers[0] == "raw"
    assert set(domain.environments) >= {"dev", "prod"}


def test_dbt_project_vars_are_in_sync_with_the_domain_file():
    assert domain_sync.differences(domain_sync.repo_root() / "dbt_project.yml") == []

import pytest
from lakehouse_jobs.contracts import LINEAGE_COLUMNS, load_contracts, parse_sources

SOURCES = """
version: 2
sources:
  - name: erp
    schema: "{{ var('domain')['abbreviation'] }}_raw"
    tables:
      - name: orders
        identifier: sales__orders
        meta: {landing: {file: orders.csv, format: csv}}
        columns:
          - name: o_orderkey
            data_type: BIGINT
            data_tests: [not_null]
          - name: o_orderstatus
            data_type: string
            data_tests:
              - accepted_values:
                  arguments: {values: [F, O, P]}
          - name: o_comment
            data_type: string
          - name: _batch_id
            data_type: string
"""


def test_source_yaml_is_the_contract():
    (contract,) = parse_sources(SOURCES, "x/_erp__sources.yml", "sales")
    assert (contract.project, contract.source, contract.table) == ("sales", "erp", "orders")
    assert contract.identifier == "sales__orders"
    assert contract.landing == {"file": "orders.csv", "format": "csv"}
    key, status, comment = contract.landing_columns
    assert (key.data_type, key.required) == ("bigint", True)
    assert status.accepted_values == ("F", "O", "P") and not status.required
    assert comment.accepted_values is None and not comment.required


def test_a_column_without_type_is_rejected_with_its_place():
    broken = SOURCES.replace("            data_type: BIGINT\n", "")
    with pytest.raises(
        ValueError, match=r"x.yml: source erp.orders: column 'o_orderkey' has no data_type"
    ):
        parse_sources(broken, "x.yml", "sales")


def test_every_repository_contract_documents_the_lineage_columns():
    contracts = load_contracts()
    assert contracts, "no contracts found under models/*/staging/*/"
    for contract in contracts.values():
        names = [c.name for c in contract.columns]
        assert set(LINEAGE_COLUMNS) <= set(names), contract.origin
        assert contract.landing_columns, contract.origin

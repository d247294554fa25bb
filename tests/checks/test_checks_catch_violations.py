"""Each convention check, proven on small synthetic manifests: a clean project passes, and every
kind of violation is reported with its rule and the offending node."""

import copy

import pytest

from lakehouse.checks.conventions import Violation, check_catalog_columns, check_manifest

SOURCE = "source.lakehouse.erp.orders"
STG = "model.lakehouse.stg_erp__orders"
REFINED = "model.lakehouse.orders"
CURATED = "model.lakehouse.order_volume"
SEED = "seed.lakehouse.ship_modes"
MACRO = "macro.lakehouse.latest_version"


def model(name, path, depends_on, materialized="view", file_format=None, columns=("id",)):
    project, layer = path.split("/")[:2]
    return {
        "resource_type": "model",
        "name": name,
        "path": path,
        "group": project,
        "access": "private" if layer == "staging" else "public",
        "original_file_path": f"models/{path}",
        "description": f"The {name} model.",
        "columns": {c: {"name": c, "description": f"The {c}."} for c in columns},
        "depends_on": {"nodes": list(depends_on), "macros": []},
        "config": {"materialized": materialized, "file_format": file_format},
    }


def data_test(name, attached, column=None, **kwargs):
    return {
        "resource_type": "test",
        "name": name,
        "attached_node": attached,
        "column_name": column,
        "test_metadata": {"name": name, "kwargs": {"column_name": column, **kwargs}},
        "depends_on": {"nodes": [attached], "macros": []},
        "config": {},
    }


def argument(name, type="list[string]"):
    return {"name": name, "type": type, "description": f"The {name}."}


def macro(name, signature, arguments, folder="modeling"):
    return {
        "resource_type": "macro",
        "package_name": "lakehouse",
        "name": name,
        "original_file_path": f"macros/{folder}/{name}.sql",
        "patch_path": f"lakehouse://macros/{folder}/_{folder}__macros.yml",
        "macro_sql": f"{{% macro {name}({signature}) %}} select 1 {{% endmacro %}}",
        "description": f"The {name} macro.",
        "arguments": list(arguments),
    }


def primary_key(attached, column="id"):
    return {
        f"test.lakehouse.unique_{attached}": data_test("unique", attached, column),
        f"test.lakehouse.not_null_{attached}": data_test("not_null", attached, column),
    }


@pytest.fixture
def manifest():
    nodes = {
        STG: model("stg_erp__orders", "sales/staging/erp/stg_erp__orders.sql", [SOURCE]),
        REFINED: model("orders", "sales/refined/orders.sql", [STG], "incremental", "iceberg"),
        CURATED: model(
            "order_volume", "sales/curated/order_volume.sql", [REFINED], "table", "iceberg"
        ),
        SEED: {
            "resource_type": "seed",
            "name": "ship_modes",
            "path": "sales/ship_modes.csv",
            "original_file_path": "seeds/sales/ship_modes.csv",
            "description": "Shipping modes.",
            "columns": {"id": {"name": "id", "description": "Mode."}},
            "depends_on": {"nodes": [], "macros": []},
            "config": {"materialized": "seed", "file_format": "iceberg"},
        },
    }
    for uid in (STG, REFINED, CURATED, SEED):
        nodes.update(primary_key(uid))
    sources = {
        SOURCE: {
            "resource_type": "source",
            "source_name": "erp",
            "name": "orders",
            "description": "ERP orders.",
            "source_description": "The ERP.",
            "columns": {"o_orderkey": {"name": "o_orderkey", "description": "Order number."}},
        }
    }
    exposures = {
        "exposure.lakehouse.dashboard": {
            "resource_type": "exposure",
            "name": "dashboard",
            "description": "The sales dashboard.",
            "depends_on": {"nodes": [CURATED], "macros": []},
        }
    }
    macros = {
        MACRO: macro(
            "latest_version",
            "relation, key, versioned_by=['ingested_at', 'batch_id']",
            [argument("relation", "any"), argument("key"), argument("versioned_by")],
        ),
        "macro.lakehouse.test_unique_combination": macro(
            "test_unique_combination",
            "model, columns",
            [argument("model", "relation"), argument("columns")],
            folder="tests",
        ),
        "macro.lakehouse.materialization_unit_glue": {
            **macro("materialization_unit_glue", "", [], folder="adapters"),
            "macro_sql": "{% materialization unit, adapter='glue' %} x {% endmaterialization %}",
        },
        # dbt's own and the adapters' macros are theirs to document
        "macro.dbt.run_query": {**macro("run_query", "sql", []), "package_name": "dbt"},
    }
    return {"nodes": nodes, "sources": sources, "exposures": exposures, "macros": macros}


def violations(manifest, root=None):
    return [(v.rule, v.node) for v in check_manifest(manifest, root)]


def test_a_clean_project_passes(manifest):
    assert violations(manifest) == []


def test_staging_name_must_match_its_source_folder(manifest):
    manifest["nodes"][STG]["name"] = "stg_orders"
    assert violations(manifest) == [("naming", STG)]


@pytest.mark.parametrize("bad_name", ["stg_orders", "Orders", "orders__by_month", "2orders"])
def test_refined_names_are_snake_case_entities(manifest, bad_name):
    manifest["nodes"][REFINED]["name"] = bad_name
    assert violations(manifest) == [("naming", REFINED)]


def test_models_outside_a_layer_folder_are_reported(manifest):
    manifest["nodes"][REFINED]["path"] = "sales/marts/orders.sql"
    assert ("layout", REFINED) in violations(manifest)


def test_staging_model_outside_a_source_folder_is_reported(manifest):
    manifest["nodes"][STG]["path"] = "sales/staging/stg_erp__orders.sql"
    assert ("layout", STG) in violations(manifest)


def test_every_source_table_needs_exactly_one_staging_model(manifest):
    second = copy.deepcopy(manifest["nodes"][STG])
    second["name"] = "stg_erp__orders_again"
    manifest["nodes"]["model.lakehouse.stg_erp__orders_again"] = second
    manifest["nodes"].update(primary_key("model.lakehouse.stg_erp__orders_again"))
    assert violations(manifest) == [("one-staging", SOURCE)]

    del manifest["nodes"]["model.lakehouse.stg_erp__orders_again"]
    manifest["sources"]["source.lakehouse.erp.lineitem"] = {
        **manifest["sources"][SOURCE],
        "name": "lineitem",
    }
    assert violations(manifest) == [("one-staging", "source.lakehouse.erp.lineitem")]


def test_staging_reads_one_source_and_no_model(manifest):
    manifest["nodes"][STG]["depends_on"]["nodes"].append(REFINED)
    assert violations(manifest) == [("layer-order", STG)]


def test_staging_to_staging_is_reported(manifest):
    other = "model.lakehouse.stg_erp__customers"
    path = "sales/staging/erp/stg_erp__customers.sql"
    manifest["nodes"][other] = model("stg_erp__customers", path, [STG])
    manifest["nodes"].update(primary_key(other))
    found = violations(manifest)
    assert ("layer-order", other) in found
    assert ("one-staging", other) in found  # it reads no source either


def test_curated_reading_a_source_is_reported(manifest):
    manifest["nodes"][CURATED]["depends_on"]["nodes"].append(SOURCE)
    assert violations(manifest) == [("source-access", CURATED)]


def test_refined_reading_curated_is_reported(manifest):
    manifest["nodes"][REFINED]["depends_on"]["nodes"].append(CURATED)
    assert violations(manifest) == [("layer-order", REFINED)]


def test_a_model_without_a_primary_key_test_is_reported(manifest):
    del manifest["nodes"][f"test.lakehouse.not_null_{CURATED}"]
    assert violations(manifest) == [("primary-key", CURATED)]


def test_unique_and_not_null_must_be_on_the_same_column(manifest):
    manifest["nodes"][f"test.lakehouse.not_null_{REFINED}"]["test_metadata"]["kwargs"][
        "column_name"
    ] = "other"
    manifest["nodes"][f"test.lakehouse.not_null_{REFINED}"]["column_name"] = "other"
    assert violations(manifest) == [("primary-key", REFINED)]


def test_unique_combination_is_a_primary_key(manifest):
    del manifest["nodes"][f"test.lakehouse.unique_{CURATED}"]
    manifest["nodes"]["test.lakehouse.pk_curated"] = data_test(
        "unique_combination", CURATED, columns=["month", "status"]
    )
    assert violations(manifest) == []


def test_seeds_need_a_primary_key_too(manifest):
    del manifest["nodes"][f"test.lakehouse.unique_{SEED}"]
    assert violations(manifest) == [("primary-key", SEED)]


@pytest.mark.parametrize(
    "where", ["model", "column", "source", "source_column", "seed", "source_name"]
)
def test_every_description_is_required(manifest, where):
    if where == "model":
        manifest["nodes"][REFINED]["description"] = ""
        expected = REFINED
    elif where == "column":
        manifest["nodes"][CURATED]["columns"]["id"]["description"] = "  "
        expected = CURATED
    elif where == "source":
        manifest["sources"][SOURCE]["description"] = ""
        expected = SOURCE
    elif where == "source_column":
        manifest["sources"][SOURCE]["columns"]["o_orderkey"]["description"] = ""
        expected = SOURCE
    elif where == "source_name":
        manifest["sources"][SOURCE]["source_description"] = ""
        expected = SOURCE
    else:
        manifest["nodes"][SEED]["description"] = ""
        expected = SEED
    assert violations(manifest) == [("documentation", expected)]


def test_undeclared_seed_columns_are_reported(manifest, tmp_path):
    (tmp_path / "seeds" / "sales").mkdir(parents=True)
    (tmp_path / "seeds" / "sales" / "ship_modes.csv").write_text("id,label\n1,AIR\n")
    found = check_manifest(manifest, tmp_path)
    assert [(v.rule, v.node) for v in found] == [("documentation", SEED)]
    assert "label" in found[0].detail


def test_built_columns_missing_from_the_yaml_are_reported(manifest):
    catalog = {"nodes": {REFINED: {"columns": {"ID": {}, "extra": {}, "dbt_updated_at": {}}}}}
    assert [(v.rule, v.node, v.detail) for v in check_catalog_columns(manifest, catalog)] == [
        ("documentation", REFINED, "built column extra is not documented in the model's YAML")
    ]


@pytest.mark.parametrize(
    ("uid", "materialized", "file_format"),
    [
        (STG, "table", "iceberg"),
        (REFINED, "view", None),
        (CURATED, "table", "parquet"),
        (CURATED, "ephemeral", "iceberg"),
    ],
)
def test_materialization_per_layer(manifest, uid, materialized, file_format):
    manifest["nodes"][uid]["config"].update(materialized=materialized, file_format=file_format)
    assert violations(manifest) == [("materialization", uid)]


def test_messages_name_the_rule_and_the_offending_node(manifest):
    manifest["nodes"][STG]["name"] = "orders_raw"
    (found,) = check_manifest(manifest)
    assert str(found) == (
        f"[naming] {STG}: staging model in folder 'erp' must be named stg_erp__<entity>, "
        "not 'orders_raw'"
    )
    assert isinstance(found, Violation)


def test_a_curated_model_without_an_exposure_is_reported(manifest):
    manifest["exposures"]["exposure.lakehouse.dashboard"]["depends_on"]["nodes"] = [REFINED]
    assert violations(manifest) == [("exposure", CURATED)]


def test_an_exposure_needs_a_description(manifest):
    manifest["exposures"]["exposure.lakehouse.dashboard"]["description"] = ""
    assert violations(manifest) == [("documentation", "exposure.lakehouse.dashboard")]


def test_an_undocumented_macro_is_reported(manifest):
    manifest["macros"][MACRO].update(description="", arguments=[], patch_path=None)
    found = check_manifest(manifest)
    assert {(v.rule, v.node) for v in found} == {("documentation", MACRO)}
    assert {v.detail for v in found} == {
        "macro has no description (document it in macros/modeling/_modeling__macros.yml)",
        "argument relation is not documented",
        "argument key is not documented",
        "argument versioned_by is not documented",
    }


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"type": ""}, "argument key has no type dbt knows: ''"),
        ({"type": "list of strings"}, "argument key has no type dbt knows: 'list of strings'"),
        ({"description": " "}, "argument key has no description"),
        ({"name": "keys"}, "argument key is not documented"),
    ],
)
def test_every_macro_argument_needs_a_type_and_a_description(manifest, change, detail):
    manifest["macros"][MACRO]["arguments"][1].update(change)
    assert detail in [v.detail for v in check_manifest(manifest) if v.node == MACRO]


def test_documented_arguments_follow_the_definition(manifest):
    arguments = manifest["macros"][MACRO]["arguments"]
    arguments.reverse()
    assert [v.detail for v in check_manifest(manifest)] == [
        "documents its arguments in another order than it takes them: "
        "['relation', 'key', 'versioned_by']"
    ]
    arguments.append(argument("order_by"))
    assert "documents argument order_by, which the macro does not take" in [
        v.detail for v in check_manifest(manifest)
    ]


def test_a_macro_is_documented_in_its_own_folders_yaml(manifest):
    manifest["macros"][MACRO]["patch_path"] = "lakehouse://macros/_macros.yml"
    assert [(v.rule, v.node, v.detail) for v in check_manifest(manifest)] == [
        (
            "documentation",
            MACRO,
            "macro is documented in lakehouse://macros/_macros.yml, "
            "not in macros/modeling/_modeling__macros.yml",
        )
    ]


def test_a_model_outside_its_projects_group_or_a_public_staging_model_is_reported(manifest):
    manifest["nodes"][REFINED]["group"] = "customers"
    manifest["nodes"][STG]["access"] = "public"
    assert violations(manifest) == [("access", REFINED), ("access", STG)]

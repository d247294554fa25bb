"""`make docs`: the dbt docs site of the shared lakehouse, served on 127.0.0.1 and read by a real
headless Chromium: every curated model with its documented columns and built types, and the
lineage graph. A screenshot of each check is kept as an artifact under the site folder."""

import json
import urllib.request

import pytest

from lakehouse.checks.conventions import check_catalog_columns
from lakehouse.docs.site import serve

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CYTOSCAPE_GRAPH = """() => {
    const container = document.querySelector('.__________cytoscape_container');
    const cy = container && container._cyreg && container._cyreg.cy;
    if (!cy) return null;
    return {
        nodes: cy.nodes().map(n => n.id()),
        edges: cy.edges().map(e => [e.source().id(), e.target().id()]),
    };
}"""


@pytest.fixture(scope="module")
def site(lakehouse):
    manifest = json.loads((lakehouse.target / "manifest.json").read_text())
    catalog = json.loads((lakehouse.target / "catalog.json").read_text())
    with serve(lakehouse.target) as url:
        yield url, manifest, catalog


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    yield page
    page.close()


def columns_table(page):
    """The model page's column table (headers Column, Type, Description, ...)."""
    header = page.locator("th", has_text="Column")
    return page.locator("table").filter(has=header).first


def curated_models(manifest):
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["path"].split("/")[1:2] == ["curated"]
    }


def test_server_binds_localhost_and_serves_the_site_files(site):
    url, _, _ = site
    assert url.startswith("http://127.0.0.1:")
    for name in ("index.html", "manifest.json", "catalog.json"):
        with urllib.request.urlopen(url + name, timeout=10) as response:
            assert response.status == 200
            assert len(response.read()) > 100


def test_catalog_lists_every_table_with_every_column_documented(site):
    _, manifest, catalog = site
    built = {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed", "snapshot")
    }
    assert built <= set(catalog["nodes"]), sorted(built - set(catalog["nodes"]))
    assert all(catalog["nodes"][uid]["columns"] for uid in built)
    violations = check_catalog_columns(manifest, catalog)
    assert not violations, "\n".join(map(str, violations))


def test_every_curated_model_page_shows_its_columns_and_types(site, page, lakehouse):
    url, manifest, catalog = site
    curated = curated_models(manifest)
    assert len(curated) >= 3
    for uid, node in sorted(curated.items()):
        page.goto(f"{url}#!/model/{uid}")
        page.wait_for_selector(f"h1:has-text('{node['name']}')", timeout=60_000)
        text = columns_table(page).inner_text().lower()
        for column in node["columns"]:
            assert column.lower() in text, f"{uid}: column {column} not on its page"
        for column in catalog["nodes"][uid]["columns"].values():
            assert column["type"].lower() in text, f"{uid}: type of {column['name']} not shown"
        assert node["description"].split()[0] in page.inner_text("body")
    page.screenshot(path=str(lakehouse.target / "docs-site-model.png"), full_page=True)


def test_lineage_graph_shows_a_curated_model_and_its_parents(site, page, lakehouse):
    url, manifest, _ = site
    uid = "model.lakehouse.order_volume_by_month"
    parents = set(manifest["nodes"][uid]["depends_on"]["nodes"])
    page.goto(f"{url}#!/model/{uid}")
    page.wait_for_selector("h1:has-text('order_volume_by_month')", timeout=60_000)
    page.click(".launcher")
    page.wait_for_function(CYTOSCAPE_GRAPH, timeout=30_000)
    graph = page.evaluate(CYTOSCAPE_GRAPH)
    assert {uid, *parents} <= set(graph["nodes"])
    assert {(parent, uid) for parent in parents} <= {tuple(e) for e in graph["edges"]}
    page.screenshot(path=str(lakehouse.target / "docs-site-lineage.png"))
    assert (lakehouse.target / "docs-site-lineage.png").stat().st_size > 10_000


def test_exposures_of_the_curated_products_are_on_the_site(site, page):
    url, manifest, _ = site
    exposures = manifest["exposures"]
    used = {uid for e in exposures.values() for uid in e["depends_on"]["nodes"]}
    assert set(curated_models(manifest)) <= used
    for uid, exposure in sorted(exposures.items()):
        page.goto(f"{url}#!/exposure/{uid}")
        label = exposure.get("label") or exposure["name"]
        page.wait_for_selector(f"h1:has-text('{label}')", timeout=60_000)
        body = page.inner_text("body")
        assert exposure["owner"]["email"] in body
        for parent in exposure["depends_on"]["nodes"]:
            assert manifest["nodes"][parent]["name"] in body, f"{uid}: {parent} not shown"

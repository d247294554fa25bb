"""The docs server: 127.0.0.1 on a free port, the site's files, a clean stop, a clear error."""

import socket
import urllib.request

import pytest

from lakehouse.docs.site import serve


@pytest.fixture
def site(tmp_path):
    for name, text in {
        "index.html": "<html>dbt</html>",
        "manifest.json": "{}",
        "catalog.json": '{"nodes": {}}',
    }.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_serves_the_site_on_localhost_and_frees_the_port_on_exit(site):
    with serve(site) as url:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        assert host == "127.0.0.1"
        with urllib.request.urlopen(url + "catalog.json", timeout=5) as response:
            assert response.read() == b'{"nodes": {}}'
    with pytest.raises(ConnectionRefusedError), socket.create_connection((host, int(port)), 2):
        pass


def test_a_site_without_its_json_files_is_refused_clearly(site):
    (site / "catalog.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks catalog\.json"), serve(site):
        pass

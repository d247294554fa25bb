"""The lakehouse's CRM (lakehouse.local.crm): a real PostgreSQL that persists like a source, so
that its password can be rotated (docs/runbooks/rotate-the-crm-secret.md), and `make crm`."""

import json
import socket
import stat

import pytest

from lakehouse.local import crm


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_DIR", str(tmp_path))
    yield tmp_path
    crm.remove(tmp_path)


def test_the_crm_is_made_once_and_keeps_its_logins_and_port(home):
    missing = pytest.raises(crm.PostgresUnavailable, match="does not exist yet: `make run` creates")
    with missing, crm.lakehouse_crm(home):
        pass
    with crm.lakehouse_crm(home, create=True) as made:
        made.psql("create table kept (x int); insert into kept values (7)")
    secret = json.loads(crm.secret_file(home).read_text())
    assert secret == {
        "username": crm.READER,
        "password": made.reader_password,
        "jdbc_url": f"jdbc:postgresql://127.0.0.1:{made.port}/crm",
    }
    for path in (crm.secret_file(home), home / "crm" / "admin.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert not home.joinpath("crm", "data").exists()  # the data sit where the server's user reaches

    with crm.lakehouse_crm(home) as again:
        assert again.port == made.port and again.psql("select x from kept").strip() == "7"
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", made.port)) != 0  # stopped after the context
    crm.remove(home)
    assert not crm.data_folder(home).exists() and not (home / "crm").exists()


def test_make_crm_is_psql_as_the_administrator_or_as_the_login_the_environment_names(
    home, monkeypatch, capfd
):
    with crm.lakehouse_crm(home, create=True):
        pass
    secret = json.loads(crm.secret_file(home).read_text())

    assert crm.main(["--query", "alter role crm_ingestion password 'rotated'"]) == 0
    monkeypatch.setenv("PGUSER", crm.READER)
    monkeypatch.setenv("PGPASSWORD", secret["password"])  # the password before the rotation
    assert crm.main(["--query", "select 1"]) == 2
    assert 'password authentication failed for user "crm_ingestion"' in capfd.readouterr().err
    monkeypatch.setenv("PGPASSWORD", "rotated")  # the change persisted at the source
    assert crm.main(["--query", "select current_user"]) == 0
    assert "crm_ingestion" in capfd.readouterr().out


def test_a_crm_in_use_is_refused_in_one_line(home, capfd):
    with crm.lakehouse_crm(home, create=True) as running:
        assert crm.main(["--query", "select 1"]) == 2
    assert capfd.readouterr().err == (
        f"error: the local CRM's port {running.port} is in use: by another command on this "
        "lakehouse (a `make crm` still open?) or another program; try again when it ends\n"
    )

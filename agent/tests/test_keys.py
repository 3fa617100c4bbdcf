"""API keys: hashed at rest, owner-only file, rotation with an overlap window."""

import datetime as dt
import os

import pytest
from conftest import KEY, WsgiClient

from ledgerbridge_agent.app import AgentApp
from ledgerbridge_agent.auth import (
    KeyFileError,
    KeyStore,
    StoredKey,
    rotate,
    write_keys,
)
from ledgerbridge_agent.cli import main


def test_the_key_file_holds_a_digest_not_the_key(key_file):
    text = key_file.read_text()
    assert KEY not in text
    assert "sha256:" in text
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_a_key_file_others_can_read_is_refused(key_file):
    os.chmod(key_file, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        KeyStore(key_file)


def test_rotation_keeps_the_old_key_for_the_overlap_then_refuses_it(agent, key_file):
    client = WsgiClient(AgentApp(agent, KeyStore(key_file)))
    # when: a new key is made with a one-hour overlap
    new_key = rotate(key_file, overlap=dt.timedelta(hours=1))
    # then: both work, without a restart
    assert client.get("info", key=KEY).status_code == 200
    assert client.get("info", key=new_key).status_code == 200
    # when: the overlap has passed (the file says when each key expires)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    keys = KeyStore(key_file)._keys
    write_keys(
        key_file,
        [StoredKey(k.digest, past) if k.expires else k for k in keys],
    )
    # then: only the new key works
    assert client.get("info", key=KEY).status_code == 401
    assert client.get("info", key=new_key).status_code == 200


def test_the_key_command_prints_a_new_key_once(tmp_path, capsys):
    path = tmp_path / "keys"
    assert main(["key", "new", "--key-file", str(path)]) == 0
    printed = capsys.readouterr().out.strip()
    assert len(printed) >= 32
    assert printed not in path.read_text()
    assert KeyStore(path).verify(printed)
    assert not KeyStore(path).verify(printed + "x")


def test_a_short_or_malformed_key_is_refused(tmp_path):
    with pytest.raises(KeyFileError):
        rotate(tmp_path / "keys", overlap=dt.timedelta(0), key="short")
    bad = tmp_path / "bad"
    bad.write_text("sha256:zz -\n")
    os.chmod(bad, 0o600)
    with pytest.raises(KeyFileError):
        KeyStore(bad)

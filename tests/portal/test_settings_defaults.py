"""Production settings are the default of manage.py, WSGI and ASGI.

Each case starts a fresh interpreter: the settings module is chosen once per
process, before anything of the project is imported.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

REPORT = (
    "from django.conf import settings; "
    "from django.urls import Resolver404, resolve\n"
    "try:\n"
    "    resolve('/sandbox/stripe/v1/customers')\n"
    "    mounted = True\n"
    "except Resolver404:\n"
    "    mounted = False\n"
    "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SANDBOX_ENABLED,"
    " 'sandbox' in settings.INSTALLED_APPS, mounted, settings.ALLOWED_HOSTS)"
)


def _env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SANDBOX_", "FIELD_ENCRYPTION"))
    }
    # Empty values win over a developer's .env (read with overwrite=False).
    env.update(
        DJANGO_SECRET_KEY="",
        FIELD_ENCRYPTION_KEYS="",
        DJANGO_ALLOWED_HOSTS="ledgerbridge.example.com",
    )
    env.update(overrides)
    return env


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _secrets() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": "a" * 60,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


@pytest.mark.parametrize(
    "entry_point",
    [
        "import manage, sys; sys.argv = ['manage.py', 'check']; manage.main()",
        "import portal.wsgi",
        "import portal.asgi",
    ],
)
def test_without_a_settings_module_a_secret_key_is_required(entry_point):
    # given no settings module and no secret key
    # when an entry point starts
    result = _run(entry_point, _env())

    # then production settings refuse to start, saying what to set
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "entry_point",
    [
        "import manage, sys; sys.argv = ['manage.py', 'check']; manage.main()",
        "import portal.wsgi",
        "import portal.asgi",
    ],
)
def test_production_is_the_default_and_mounts_no_sandbox(entry_point):
    # given secrets, and a hopeful environment asking for debug and sandboxes
    env = _env(**_secrets(), DJANGO_DEBUG="true", SANDBOX_ENABLED="true")

    # when an entry point starts
    result = _run(f"{entry_point}\n{REPORT}", env)

    # then it runs production settings: no debug, no sandbox app or URL
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == (
        "portal.settings.production False False False False "
        "['ledgerbridge.example.com']"
    )


def test_production_refuses_to_start_without_encryption_keys():
    env = _env(DJANGO_SECRET_KEY="a" * 60)

    result = _run("import portal.wsgi", env)

    assert result.returncode != 0
    assert "Set FIELD_ENCRYPTION_KEYS" in result.stderr


def test_development_settings_are_an_explicit_choice():
    env = _env(**_secrets(), DJANGO_SETTINGS_MODULE="portal.settings.dev")

    result = _run(f"import portal.wsgi\n{REPORT}", env)

    assert result.returncode == 0, result.stderr
    module, debug, sandbox, app, mounted, hosts = result.stdout.split(" ", 5)
    assert (module, debug, sandbox, app, mounted) == (
        "portal.settings.dev",
        "True",
        "True",
        "True",
        "True",
    )
    # Development accepts the named hosts only, never any host.
    assert "*" not in hosts

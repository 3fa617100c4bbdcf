"""The agent as installed: gunicorn over TLS, one command, bearer key."""

import datetime as dt
import http.client
import json
import ssl
import subprocess
import sys
import time

import pytest
from conftest import AGENT_ROOT, COMPANY, KEY

from ledgerbridge_agent.server import free_port

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def self_signed(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_gunicorn_serves_the_api_over_https_only(tmp_path, data_dir, key_file):
    cert, key = self_signed(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ledgerbridge_agent", "serve", "--data", str(data_dir)]
        + ["--company", COMPANY, "--key-file", str(key_file), "--server", "gunicorn"]
        + ["--port", str(port), "--cert", str(cert), "--key", str(key)],
        cwd=AGENT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    context = ssl.create_default_context(cafile=str(cert))
    try:
        reply = None
        for _ in range(100):
            connection = http.client.HTTPSConnection(
                "localhost", port, context=context, timeout=10
            )
            try:
                connection.request(
                    "GET", "/api/v1/info", headers={"Authorization": f"Bearer {KEY}"}
                )
                reply = connection.getresponse()
                break
            except (ConnectionRefusedError, ssl.SSLError, OSError):
                time.sleep(0.1)
        assert reply is not None
        assert reply.status == 200
        assert json.loads(reply.read())["company"] == COMPANY
        # Plain HTTP on the TLS port gets no API answer.
        plain = http.client.HTTPConnection("localhost", port, timeout=10)
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            plain.request("GET", "/api/v1/info")
            status = plain.getresponse().status
            assert status != 200
            raise ConnectionError(status)
    finally:
        process.terminate()
        process.wait(timeout=20)

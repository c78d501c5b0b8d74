"""SMTP with TLS on loopback: implicit TLS (SMTP_SSL) and STARTTLS with login, against a private CA."""

from __future__ import annotations

import ssl
import subprocess
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from matchmaker.notifications.channels import Outgoing, PermanentError
from matchmaker.notifications.channels.smtp import SmtpChannel
from tests.servers import LOOPBACK, SmtpServer, free_port

CONTENT = {"subject": "【验证码】您正在绑定邮箱", "text": "验证码 123456", "html": "<p>验证码 123456</p>"}


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (it is its own CA)."""
    folder = tmp_path_factory.mktemp("tls")
    key, crt = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(crt),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(crt, key)
    return crt, context


def _auth(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"noreply",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)  # let aiosmtpd answer 535 itself


def _start(**kwargs) -> SmtpServer:
    server = SmtpServer(port=free_port())
    server.controller = Controller(server, hostname=LOOPBACK, port=server.port, **kwargs)
    server.controller.start()
    return server


def _config(server, crt, **extra):
    return {
        "SMTP_HOST": LOOPBACK,
        "SMTP_PORT": server.port,
        "SMTP_TIMEOUT": 5.0,
        "SMTP_CA_FILE": str(crt),
        "MAIL_FROM": "产学研对接平台 <noreply@example.cn>",
        "SMTP_SSL": False,
        "SMTP_STARTTLS": False,
        **extra,
    }


def _subject(server) -> str:
    return BytesParser(policy=policy.default).parsebytes(server.messages[-1].data)["Subject"]


def test_starttls_with_login(cert):
    crt, context = cert
    server = _start(
        tls_context=context,
        require_starttls=True,
        authenticator=_auth,
        auth_require_tls=True,
    )
    try:
        config = _config(server, crt, SMTP_STARTTLS=True, SMTP_USER="noreply", SMTP_PASSWORD="s3cret")
        SmtpChannel(config).send(Outgoing(1, "email", "li@example.cn", CONTENT))
        assert _subject(server) == CONTENT["subject"]
        with pytest.raises(PermanentError, match="authentication"):
            SmtpChannel({**config, "SMTP_PASSWORD": "wrong"}).send(
                Outgoing(2, "email", "li@example.cn", CONTENT)
            )
    finally:
        server.stop()


def test_implicit_tls(cert):
    crt, context = cert
    server = _start(ssl_context=context)
    try:
        SmtpChannel(_config(server, crt, SMTP_SSL=True)).send(Outgoing(3, "email", "li@example.cn", CONTENT))
        assert _subject(server) == CONTENT["subject"] and server.messages[-1].rcpt_tos == ["li@example.cn"]
    finally:
        server.stop()

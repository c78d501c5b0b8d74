"""schemathesis fuzzes every operation of the OpenAPI document as four callers.

An independent fuzzer generates inputs from the document (valid and invalid) and fails on any 5xx
and on any answer the document does not allow: undocumented status, wrong media type, body or
headers that do not match. It runs on the demo data, so the small ids it favours hit real
objects, as anonymous, an enterprise user, county staff and the platform admin.
FUZZ_EXAMPLES (default 6) bounds the examples per operation and role.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks
from sqlalchemy import select

from matchmaker import create_app
from matchmaker.auth.tokens import issue_token
from matchmaker.extensions import db
from matchmaker.models import User
from tooling.demo import demo_logins, seed

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
ROLES = ("anonymous", "enterprise", "staff", "admin")
# The demo account (e-mail local part) each signed-in role fuzzes as.
ACCOUNTS = {"enterprise": "qiye.jinhu", "staff": "staff.jinhu", "admin": "admin"}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """One demo-seeded app for the whole run (the fuzzer's writes stay in it)."""
    path = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        {
            "ENV_NAME": "testing",
            "API_SPEC_LAZY": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path / 'app.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(path / "search.sqlite3"),
            "OUTBOX_DIR": str(path / "outbox"),
            "IMPORTS_DIR": str(path / "imports"),
            # High limits, not RATELIMIT_ENABLED=False: the limiter is shared by every app the
            # suite creates and would stay switched off for the tests after this one.
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "VERIFY_CLIENT_RATE_LIMIT": "100000 per hour",
        }
    )
    with app.app_context():
        db.create_all()
        seed()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def role_headers(fuzz_app):
    """Authorization headers of one demo login per role (none for anonymous)."""
    emails = {login.email.partition("@")[0]: login.email for login in demo_logins()}
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role, local in ACCOUNTS.items():
        user = db.session.scalar(select(User).where(User.email == emails[local]))
        plain, _ = issue_token(user, 24)
        headers[role] = {"Authorization": f"Bearer {plain}"}
    db.session.commit()
    return headers


@pytest.fixture(scope="module")
def operations(fuzz_app):
    """Every operation of the served document, loaded by schemathesis over WSGI."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, headers: dict[str, str]) -> None:
    """Up to EXAMPLES valid and invalid inputs for one operation; the first failing one is raised."""
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_operation_fails_or_contradicts_the_document(role, operations, role_headers):
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, role_headers[role])
        except (Exception, BaseExceptionGroup) as exc:  # fuzz every operation, report all failures
            failures.append(f"{operation.label}: {str(exc).strip()[:1500]}")
    assert not failures, f"{len(failures)} operations failed as {role}:\n\n" + "\n\n".join(failures)

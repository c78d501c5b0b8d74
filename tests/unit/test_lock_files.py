"""The lock files install what requirements*.txt pin: every requirement at its pinned version, hashed.

scripts/bootstrap.sh installs requirements-dev.lock with --require-hashes and the Dockerfile
requirements.lock, so a requirement added or re-pinned in a .txt without `make lock` would be
silently missing (or at the old version) on every fresh install. These tests catch that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAIRS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]+)\])?==([^\s;#]+)")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def requirements(path: Path) -> dict[str, str]:
    """name -> pinned version of a requirements file, following ``-r`` includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(requirements(path.parent / line[3:].strip()))
        elif line:
            found = PIN.match(line)
            assert found, f"{path.name}: not pinned with ==: {raw!r}"
            pins[_name(found.group(1))] = found.group(3)
    return pins


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a pip-compile --generate-hashes lock file."""
    entries: dict[str, tuple[str, int]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        found = PIN.match(line)
        if found:
            name = _name(found.group(1))
            entries[name] = (found.group(3), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = entries[name]
            entries[name] = (version, hashes + 1)
        elif not line.startswith(" "):
            name = None
    return entries


@pytest.mark.parametrize("source", sorted(PAIRS))
def test_the_lock_holds_every_requirement_at_its_pinned_version(source):
    lock = locked(ROOT / PAIRS[source])
    wrong = {
        name: (version, lock.get(name, ("missing", 0))[0])
        for name, version in requirements(ROOT / source).items()
        if lock.get(name, ("missing", 0))[0] != version
    }
    assert wrong == {}, f"run `make lock`: {PAIRS[source]} differs from {source} (pinned, locked): {wrong}"


@pytest.mark.parametrize("lock_file", sorted(PAIRS.values()))
def test_every_locked_package_has_a_hash(lock_file):
    lock = locked(ROOT / lock_file)
    assert lock, f"{lock_file} lists no packages"
    assert [name for name, (_, hashes) in lock.items() if hashes == 0] == []


def test_the_production_lock_is_contained_in_the_development_lock():
    dev, prod = locked(ROOT / "requirements-dev.lock"), locked(ROOT / "requirements.lock")
    assert {name: dev.get(name, ("missing", 0))[0] for name in prod} == {n: v for n, (v, _) in prod.items()}


def test_bootstrap_and_the_image_install_from_the_locks_with_hashes():
    bootstrap = (ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    assert re.search(r"--require-hashes \\\n\s+-r requirements-dev\.lock", bootstrap)
    assert "pip install --require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text("utf-8")

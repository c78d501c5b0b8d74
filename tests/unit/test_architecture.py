"""The import structure: no cycles (between modules or packages) and the layering rules of DESIGN.md.

Every import counts, including those inside functions: an import deferred to dodge a cycle is
still a cycle in the design. Only the project's own packages are read (standard library ``ast``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("matchmaker", "search", "workers", "config", "tooling")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    """Project modules imported anywhere in the file; ``from pkg import sub`` counts as ``pkg.sub``."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        found |= {r for r in map(_resolve, names) if r and r != module}
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _package_of(module: str) -> str:
    """A package is a folder; a module directly in a top-level package is its own node."""
    if MODULES[module].name == "__init__.py" or "." not in module:
        return module
    parent = module.rpartition(".")[0]
    return module if parent in PACKAGES else parent


def _importers(target: str) -> dict[str, set[str]]:
    return {
        m: {t for t in deps if t == target or t.startswith(target + ".")}
        for m, deps in GRAPH.items()
        if not (m == target or m.startswith(target + "."))
    }


def _offenders(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{m} -> {t}"
        for m, deps in GRAPH.items()
        if m == layer or m.startswith(layer + ".")
        for t in deps
        if any(t == f or t.startswith(f + ".") for f in forbidden)
    )


def test_the_reader_sees_the_whole_project():
    assert "matchmaker.services.challenges.award" in MODULES and "workers.jobs.match" in MODULES
    assert "matchmaker.services.challenges.award" in GRAPH["matchmaker.api.challenges.award"]


def test_no_import_cycle_between_modules():
    assert _cycles(GRAPH) == []


def test_no_import_cycle_between_packages():
    # A package may assemble its own sub-packages (api registers blueprints, models re-exports
    # tables) and a sub-package may use its parent's shared modules; every other edge counts.
    packages: dict[str, set[str]] = defaultdict(set)
    for module, deps in GRAPH.items():
        source = _package_of(module)
        packages[source] |= {p for p in map(_package_of, deps) if not p.startswith(source)}
    assert _cycles(dict(packages)) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_only_the_api_touches_the_request():
    offenders = []
    for module, path in MODULES.items():
        if module.startswith("matchmaker.api"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                offenders += [f"{module}: flask.{a.name}" for a in node.names if a.name in ("request", "g")]
            attribute = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if attribute and node.value.id == "flask" and node.attr in ("request", "g"):  # type: ignore[attr-defined]
                offenders.append(f"{module}: flask.{node.attr}")  # type: ignore[attr-defined]
    assert offenders == []


def test_nothing_imports_the_api_but_the_app_factory():
    assert {m for m, deps in _importers("matchmaker.api").items() if deps} <= {"matchmaker"}


def test_models_import_no_services_notifications_queries_or_workers():
    forbidden = ("matchmaker.services", "matchmaker.api", "matchmaker.notifications", "matchmaker.queries")
    assert _offenders("matchmaker.models", (*forbidden, "workers")) == []


def test_search_and_matching_import_no_api_services_or_workers():
    forbidden = ("matchmaker.api", "matchmaker.services", "matchmaker.notifications", "workers")
    assert _offenders("search", (*forbidden, "matchmaker.queries")) == []
    assert _offenders("matchmaker.matching", forbidden) == []


def test_read_side_and_cause_loaders_import_no_write_service():
    assert _offenders("matchmaker.queries", ("matchmaker.services", "matchmaker.notifications")) == []
    assert _offenders("matchmaker.notifications", ("matchmaker.services", "matchmaker.api")) == []


def test_product_code_keeps_tooling_apart():
    users = {m for m, deps in _importers("tooling").items() if deps and not m.startswith("tests")}
    assert users <= {"matchmaker.cli.demo"}

"""Keyset pages on PostgreSQL: the row-value and NULL-aware cursors walk every sort like `page=` does."""

from __future__ import annotations

import pytest

from tests.api.test_list_cursors import SORTS, _by_cursor, _by_pages
from tests.api.test_list_cursors import catalogue as catalogue


@pytest.fixture
def app(pg_app):
    """The shared fixtures (world, catalogue) on PostgreSQL instead of SQLite."""
    return pg_app


@pytest.mark.parametrize("plural", ["needs", "outputs"])
@pytest.mark.parametrize("sort", SORTS)
def test_cursors_walk_every_sort_on_postgresql(app, catalogue, plural, sort):
    client = app.test_client()
    walked, totals = _by_cursor(client, plural, sort)
    assert walked == _by_pages(client, plural, sort)
    assert len(set(walked)) == 13 and totals == {13}

"""The one interface both search engines implement, and the errors and results they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from search.queries import SearchParams, SearchResult, Visibility

Progress = Callable[[int], None]


class SearchError(RuntimeError):
    """A search engine operation failed in a way the caller should report."""


class SearchUnavailable(SearchError):
    """The search engine cannot be reached; keep the outbox row and try again later."""


@dataclass
class BulkResult:
    """Outcome of a bulk write: written ids, ids that lost to a newer version, and failures with reasons."""

    ok: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)

    def extend(self, other: BulkResult) -> None:
        """Merge another result into this one (used when writing in chunks)."""
        self.ok.extend(other.ok)
        self.failed.update(other.failed)
        self.stale.extend(other.stale)

    @property
    def done(self) -> list[str]:
        """Ids the index now reflects (written or already newer): safe to acknowledge in the outbox."""
        return self.ok + self.stale


@runtime_checkable
class SearchBackend(Protocol):
    """A search engine holding listing documents behind a versioned alias."""

    def ping(self) -> bool:
        """Whether the engine answers."""
        ...

    def ensure_index(self) -> None:
        """Create the index and its aliases if they do not exist yet."""
        ...

    def bulk_upsert(self, docs: list[dict]) -> BulkResult:
        """Write documents with external versions: a write older than the stored one is stale."""
        ...

    def bulk_delete(self, items: list[tuple[str, int]]) -> BulkResult:
        """Delete (doc_id, version) pairs, leaving tombstones so late stale upserts lose."""
        ...

    def search(self, params: SearchParams) -> SearchResult:
        """Full-text search with filters, visibility, sort, pagination, facets and highlights."""
        ...

    def suggest(self, prefix: str, visibility: Visibility, limit: int = 10) -> list[str]:
        """Titles and keywords starting with prefix among visible documents."""
        ...

    def candidates(
        self, kind: str, tokens: list[str], limit: int, exclude_org: int | None = None
    ) -> list[tuple[int, float]]:
        """Published documents of a kind ranked by text relevance to tokens: (object id, score)."""
        ...

    def id_versions(self) -> dict[str, int]:
        """Every live document id with its version, for drift checks against the database."""
        ...

    def document_count(self) -> int:
        """How many live documents the read alias holds (what search can find at most)."""
        ...

    def rebuilding(self) -> bool:
        """Whether a rebuild is filling a new index right now (in any process)."""
        ...

    def rebuild(self, docs: Iterable[dict], progress: Progress | None = None) -> None:
        """Fill a new versioned index from docs and swap the alias to it; search works throughout."""
        ...

    def clear(self) -> None:
        """Remove every document (tests only)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...

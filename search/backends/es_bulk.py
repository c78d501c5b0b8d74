"""Bulk writes to Elasticsearch with external versions, per-item outcomes and retries with backoff."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, Elasticsearch

from search.backends.base import SearchError, SearchUnavailable

OK, STALE = "ok", "stale"
RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Action:
    """One bulk item: an upsert when source is given, a delete otherwise."""

    doc_id: str
    version: int
    source: dict | None = None


@contextlib.contextmanager
def guard(what: str) -> Iterator[None]:
    """Turn transport failures into SearchUnavailable and other API errors into SearchError."""
    try:
        yield
    except (ConnectionError, ConnectionTimeout) as exc:
        raise SearchUnavailable(f"Elasticsearch 无法连接（{what}）：{exc}") from exc
    except ApiError as exc:
        if exc.meta.status in RETRYABLE:
            raise SearchUnavailable(f"Elasticsearch 暂不可用（{what}）：{exc.meta.status}") from exc
        raise SearchError(f"Elasticsearch {what} 失败：{exc}") from exc


def operations(actions: list[Action], target: str, require_alias: bool) -> list[dict]:
    """The _bulk body lines for actions against target (an alias or an index)."""
    ops: list[dict] = []
    for a in actions:
        meta = {"_index": target, "_id": a.doc_id, "version": a.version, "version_type": "external"}
        if require_alias:
            meta["require_alias"] = True
        if a.source is None:
            ops.append({"delete": meta})
        else:
            ops.extend([{"index": meta}, a.source])
    return ops


def _item_outcome(item: dict) -> tuple[str, int]:
    op, res = next(iter(item.items()))
    status = int(res.get("status", 500))
    if status < 300 or (op == "delete" and status == 404):
        return OK, status
    if status == 409:
        return STALE, status
    err = res.get("error") or {}
    reason = f"{err.get('type')}: {err.get('reason')}" if isinstance(err, dict) else str(err)
    return f"{status} {reason}", status


@dataclass
class BulkSender:
    """Sends actions in one request, retrying retryable item failures with exponential backoff."""

    client: Elasticsearch
    refresh: bool = False
    retries: int = 3
    backoff: float = 0.2

    def send(self, actions: list[Action], target: str, require_alias: bool = True) -> dict[str, str]:
        """doc_id -> "ok", "stale" or an error per action; SearchUnavailable if the server is unreachable."""
        outcomes: dict[str, str] = {}
        pending = actions
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                with guard("bulk"):
                    resp = self.client.bulk(
                        operations=operations(pending, target, require_alias), refresh=self.refresh
                    )
            except SearchUnavailable:
                if last:
                    raise
                self._sleep(attempt)
                continue
            except SearchError as exc:  # the whole request was refused: report every item, do not guess
                outcomes.update({a.doc_id: str(exc) for a in pending})
                return outcomes
            retry = []
            for action, item in zip(pending, resp["items"], strict=True):
                outcome, status = _item_outcome(item)
                outcomes[action.doc_id] = outcome
                if status in RETRYABLE and not last:
                    retry.append(action)
            if not retry:
                break
            pending = retry
            self._sleep(attempt)
        return outcomes

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2**attempt))

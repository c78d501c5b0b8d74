"""Ranking matches for a published listing: the one ranking path (queries.catalogue), stored results.

``Match.score`` is the calibrated 匹配度 (probability of relevance); the breakdown keeps the
per-feature contributions and the raw scores. Below ``MATCH_MIN_PROBABILITY`` nothing is stored.

Runs are durable: publishing writes a MatchRun row in the same transaction, and the job that ranks
it marks the run finished. Whatever an outage of Redis or the search engine interrupts stays
unfinished and is replayed by the periodic drain (`replay_stale_runs`) and `replay_match_runs`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, Match, MatchRun, PendingPush
from matchmaker.models.common import utcnow
from matchmaker.queries.catalogue import catalogue_of
from matchmaker.services.matches.pairs import mutual_top, need_lists, pairs_for
from matchmaker.services.uow import UnitOfWork

log = logging.getLogger(__name__)
# A run whose worker died mid-way may be claimed again after this long (MATCH_CLAIM_TIMEOUT).
CLAIM_TIMEOUT = timedelta(minutes=15)
# Match runs per background job of a bulk write (an import): one job stays well inside rq's timeout.
RUN_BATCH = 100


def request_match(uow: UnitOfWork, kind: str, object_id: int, reason: str = "publish") -> MatchRun:
    """Record a match run in the caller's transaction and enqueue it after commit."""
    from workers.enqueue import enqueue

    run = MatchRun(kind=kind, object_id=object_id, reason=reason)
    db.session.add(run)
    db.session.flush()
    run_id = run.id
    uow.after_commit(lambda: enqueue("workers.jobs.match.run_match", run_id, queue="match"))
    return run


def enqueue_runs(run_ids: list[int]) -> None:
    """Hand committed match runs to background jobs in batches: rq when Redis is set, else one
    background thread of this process; never inline in the request that created them."""
    from workers.enqueue import enqueue_background

    for start in range(0, len(run_ids), RUN_BATCH):
        batch = run_ids[start : start + RUN_BATCH]
        enqueue_background("workers.jobs.match.run_matches", batch, queue="match")


def rank_listing(kind: str, object_id: int) -> dict[str, Any]:
    """Rank and store matches for one published listing; returns counts for the run record.

    Every pair is stored as the need's ranking scores it (see ``pairs``). Proposals of this
    listing that the run no longer stands behind are withdrawn (see ``_withdraw``); a withdrawn
    one that is listed again is proposed again, without a second push."""
    listing = db.session.get(LISTING_MODELS[kind], object_id)
    if listing is None or listing.status != "published":
        return {"skipped": "not published"}
    cfg = current_app.config
    top = cfg.get("MATCH_TOP", 20)
    found = pairs_for(listing, top)
    push_floor, push_top = cfg.get("MATCH_PUSH_MIN_SCORE", 0.9), cfg.get("MATCH_PUSH_TOP", 3)
    created = updated = pushed = 0
    for pair in found:
        item = pair.item
        match = db.session.scalar(
            select(Match).where(Match.need_id == pair.need_id, Match.output_id == pair.output_id)
        )
        if match is None:
            match = _new_match(pair.need_id, pair.output_id, item)
            created += 1
            if item.probability >= push_floor and mutual_top(pair, push_top):
                pushed += _queue_pushes(match)
        elif match.status in ("proposed", "withdrawn"):
            match.score, match.breakdown, match.explanation = (
                item.probability,
                _breakdown(item),
                item.explanation,
            )
            match.status, match.withdrawn_at = "proposed", None
            match.rescored_at = utcnow()
            updated += 1
    listed = {p.output_id if kind == "need" else p.need_id for p in found}
    withdrawn = _withdraw(listing, listed, top)
    return {
        "candidates": len(found),
        "created": created,
        "updated": updated,
        "pushes": pushed,
        "withdrawn": withdrawn,
    }


# Interest or a decline is an answer and such a match stays as it is; a look is not an answer.
UNANSWERED_SIDES = ("new", "viewed")


def _withdraw(listing: Any, listed: set[int], top: int) -> int:
    """Withdraw the listing's unanswered proposals that its need's ranking no longer lists.

    A need's run lists exactly what it stands behind. An output's run finds needs with the
    output's own ranking, which may miss a need whose ranking still lists the output: that
    pair stays. Running either side again changes nothing."""
    mine, theirs = (
        (Match.need_id, Match.output_id) if listing.KIND == "need" else (Match.output_id, Match.need_id)
    )
    stale = db.session.scalars(
        select(Match).where(
            mine == listing.id,
            Match.status == "proposed",
            theirs.not_in(listed),
            Match.need_side.in_(UNANSWERED_SIDES),
            Match.output_side.in_(UNANSWERED_SIDES),
        )
    ).unique()
    outputs = None
    count = 0
    for match in list(stale):
        if listing.KIND == "output":
            outputs = outputs or catalogue_of("output")
            if need_lists(match.need, listing.id, top, outputs):
                continue
        match.status, match.withdrawn_at = "withdrawn", utcnow()
        count += 1
    return count


def _breakdown(item: Any) -> dict[str, float]:
    """Per-feature contributions plus the raw scores behind the calibrated 匹配度."""
    return {**item.breakdown, "relevance_raw": item.relevance, "total_raw": item.total}


def _new_match(need_id: int, output_id: int, item: Any) -> Match:
    need = db.session.get(LISTING_MODELS["need"], need_id)
    output = db.session.get(LISTING_MODELS["output"], output_id)
    assert need is not None and output is not None
    match = Match(
        need_id=need_id,
        output_id=output_id,
        need_org_id=need.org_id,
        output_org_id=output.org_id,
        region=need.region,
        score=item.probability,
        breakdown=_breakdown(item),
        explanation=item.explanation,
    )
    db.session.add(match)
    db.session.flush()
    return match


def _queue_pushes(match: Match) -> int:
    """Pending pushes to both sides about a new strong match (delivered by notifications)."""
    for org_id, side in ((match.need_org_id, "need"), (match.output_org_id, "output")):
        db.session.add(
            PendingPush(
                cause="match.new",
                object_type="match",
                object_id=match.id,
                org_id=org_id,
                payload={"side": side, "score": match.score, "explanation": match.explanation},
            )
        )
    return 2


def _claim(run_id: int, claimant: str | None) -> bool:
    """Atomically mark the run as started; False when it is finished, unknown or being ranked now.

    A claim names the job that made it: rq's retry of a job whose work horse died runs under the
    same id and takes its own claim back at once instead of waiting for CLAIM_TIMEOUT."""
    seconds = current_app.config.get("MATCH_CLAIM_TIMEOUT")
    stale = utcnow() - (timedelta(seconds=seconds) if seconds else CLAIM_TIMEOUT)
    free = [MatchRun.started_at.is_(None), MatchRun.started_at < stale]
    if claimant is not None:
        free.append(MatchRun.claimed_by == claimant)
    claimed = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.finished_at.is_(None), or_(*free))
        .values(started_at=utcnow(), claimed_by=claimant, attempts=MatchRun.attempts + 1)
    )
    db.session.commit()
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def run_match(run_id: int, claimant: str | None = None) -> dict[str, Any]:
    """Execute one match run once: a finished run is not redone, a running one not doubled."""
    if not _claim(run_id, claimant):
        return {"skipped": "finished, unknown or already running"}
    run = db.session.get(MatchRun, run_id)
    assert run is not None
    try:
        result = rank_listing(run.kind, run.object_id)
    except Exception as exc:
        db.session.rollback()
        db.session.execute(
            update(MatchRun).where(MatchRun.id == run_id)
            .values(started_at=None, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        )  # fmt: skip
        db.session.commit()
        raise
    run.result, run.finished_at, run.last_error = result, utcnow(), None
    db.session.commit()
    return result


def pending_runs(limit: int = 200, grace: int = 0) -> list[int]:
    """Ids of match runs not yet finished (requested more than ``grace`` seconds ago), oldest first."""
    stmt = select(MatchRun.id).where(MatchRun.finished_at.is_(None))
    if grace > 0:
        stmt = stmt.where(MatchRun.requested_at <= utcnow() - timedelta(seconds=grace))
    return list(db.session.scalars(stmt.order_by(MatchRun.id).limit(limit)))


def rematch_all(reason: str = "nightly") -> int:
    """Create a run for every published listing (nightly re-matching); returns how many."""
    count = 0
    for kind, model in LISTING_MODELS.items():
        for object_id in db.session.scalars(select(model.id).where(model.status == "published")):
            db.session.add(MatchRun(kind=kind, object_id=object_id, reason=reason))
            count += 1
    db.session.commit()
    return count


def rematch_embedded(keys: list[tuple[str, int]]) -> list[int]:
    """Runs for listings whose embedding just changed (needs and outputs), enqueued after commit."""
    from workers.enqueue import enqueue

    runs = [MatchRun(kind=k, object_id=i, reason="embedded") for k, i in keys if k in LISTING_MODELS]
    db.session.add_all(runs)
    db.session.commit()
    for run in runs:
        enqueue("workers.jobs.match.run_match", run.id, queue="match")
    return [r.id for r in runs]


def rerun_empty_runs(hours: int = 24) -> int:
    """New runs for listings whose latest run found no candidates at all (ranked against an empty
    or behind index), after the index was rebuilt; returns how many."""
    since = utcnow() - timedelta(hours=hours)
    finished = select(MatchRun).where(MatchRun.finished_at >= since).order_by(MatchRun.id)
    latest = {(run.kind, run.object_id): run for run in db.session.scalars(finished)}
    empty = [key for key, run in latest.items() if (run.result or {}).get("candidates") == 0]
    for kind, object_id in empty:
        db.session.add(MatchRun(kind=kind, object_id=object_id, reason="reindex"))
    db.session.commit()
    return len(empty)

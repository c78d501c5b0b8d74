"""`flask search reindex` builds documents in parallel processes and its progress bar tells the truth.

The issue's operator saw 2,626,257 documents counted for 50,757 (cumulative counts added up as
increments); here the bar's last figure and its total must both equal the number of listings, and
the index must end equal to the database.
"""

from __future__ import annotations

import re

import pytest

from matchmaker.extensions import db, search_backend
from matchmaker.models import ResearchOutput, TechnologyNeed
from search import indexer, parallel
from search.backends import local
from tests import factories as f

NEEDS, OUTPUTS = 23, 31


@pytest.fixture
def listings(app, monkeypatch):
    """Needs and outputs across several id ranges (small ranges, so several workers get work)."""
    monkeypatch.setattr(parallel, "RANGE_SIZE", 4)
    monkeypatch.setattr(local, "REBUILD_BATCH", 10)  # several progress reports, as at 50,000
    firm, lab = f.make_org("enterprise", "320831"), f.make_org("university", "320102")
    for i in range(NEEDS):
        f.make_need(firm, title=f"第{i}号压力传感器温漂补偿需求")
    for i in range(OUTPUTS):
        f.make_output(lab, title=f"第{i}号锂电池隔膜涂层成果")
    gone = db.session.get(ResearchOutput, 5)  # a hole in the id sequence
    db.session.delete(gone)
    db.session.commit()
    search_backend().ensure_index()
    return NEEDS + OUTPUTS - 1


def test_parallel_rebuild_reports_each_document_once_and_leaves_the_index_complete(listings):
    seen, totals = [], []
    count = indexer.rebuild(search_backend(), progress=seen.append, workers=2, on_total=totals.append)
    assert count == listings and totals == [listings]
    assert seen[-1] == listings and seen == sorted(seen)
    assert indexer.check(search_backend()).clean
    ids = set(search_backend().id_versions())
    assert "output-5" not in ids and len(ids) == listings
    hits = search_backend().search(_params("锂电池隔膜"))
    assert hits.total == OUTPUTS - 1


def test_reindex_command_shows_the_listing_count_as_total_and_final_figure(app, listings):
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--workers", "2"])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"已重建索引：{listings} 条" in result.stdout
    figures = re.findall(r"(\d+)/(\d+)", result.stderr)
    assert figures and figures[-1] == (str(listings), str(listings))
    assert all(int(done) <= int(total) == listings for done, total in figures)
    assert indexer.check(search_backend()).clean
    assert db.session.query(TechnologyNeed).count() == NEEDS


def _params(q: str):
    from search.queries import SearchParams

    return SearchParams(q=q, kinds=["output"])


def test_parallel_documents_carry_the_stored_embeddings_like_the_single_process_ones(app, listings):
    import numpy as np

    from matchmaker.models import ListingEmbedding

    model = app.config.get("MATCH_EMBEDDER") or "none"
    vector = np.arange(4, dtype=np.float32)
    db.session.add(
        ListingEmbedding(kind="need", object_id=2, model=model, content_key="k", vector=vector.tobytes())
    )
    db.session.commit()
    source, total = parallel.documents(indexer.INDEXED_MODELS, 2, build=indexer.documents)
    built = {doc["doc_id"]: doc for doc in source}
    assert total == len(built) == listings
    assert built["need-2"]["embedding"] == [0.0, 1.0, 2.0, 3.0] and "embedding" not in built["need-3"]
    assert built == {doc["doc_id"]: doc for doc in indexer.all_documents()}

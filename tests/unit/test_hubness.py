"""Hubness correction of the dense channel (matching.hybrid): pure numpy, no model."""

from __future__ import annotations

import numpy as np

from matchmaker.matching.hybrid import HUB_MIN_LISTINGS, HybridIndex, VectorIndex, hub_references, hubness


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


def _topics(seed: int = 3, per_topic: int = 12, topics: int = 6, dim: int = 32):
    """Listings in tight topic clusters plus one generic listing near every topic centre."""
    rng = np.random.default_rng(seed)
    centres = _unit(rng.normal(size=(topics, dim)))
    rows = [_unit(c + 0.15 * rng.normal(size=dim)) for c in centres for _ in range(per_topic)]
    generic = _unit(centres.sum(axis=0))
    return centres, np.vstack([*rows, generic]), len(rows)


def test_a_listing_close_to_every_topic_is_the_hub_and_loses_its_lead():
    centres, matrix, generic = _topics()
    index = VectorIndex()
    for i, row in enumerate(matrix):
        index.add(row, f"o-{i}")
    index.freeze()
    assert int(np.argmax(index.hub)) == generic
    query = _unit(centres[0] + _unit(centres.sum(axis=0)))
    raw, corrected = index.scores(query), index.scores(query, hub_weight=0.75)
    assert int(np.argmax(raw)) == generic  # the generic text leads the raw cosine
    assert int(np.argmax(corrected)) < 12  # a listing of the asked topic leads once corrected


def test_hubness_is_centred_and_zero_where_there_is_no_vector():
    _, matrix, _ = _topics()
    matrix = matrix.copy()
    matrix[5] = 0.0  # a listing the index job has not embedded yet
    hub = hubness(matrix, [f"o-{i}" for i in range(len(matrix))])
    assert hub[5] == 0.0
    assert abs(float(np.delete(hub, 5).mean())) < 1e-5
    assert float(np.abs(hub).max()) > 0.0


def test_the_same_catalogue_in_another_order_gives_the_same_hubness():
    _, matrix, _ = _topics(per_topic=400)  # more listings than the reference sample holds
    keys = [f"o-{i}" for i in range(len(matrix))]
    order = np.random.default_rng(7).permutation(len(matrix))
    first = hubness(matrix, keys)
    again = hubness(matrix[order], [keys[i] for i in order])
    assert np.allclose(again, first[order], atol=1e-6)
    assert hub_references(keys, np.arange(len(keys))).size == 2000


def test_a_small_catalogue_is_not_corrected():
    _, matrix, _ = _topics()
    small = matrix[: HUB_MIN_LISTINGS - 1]
    assert not hubness(small, list(range(len(small)))).any()


def test_candidates_carry_the_corrected_cosine_as_semantic_evidence():
    centres, matrix, generic = _topics()
    index = HybridIndex()
    for i, row in enumerate(matrix):
        index.add({"kind": "output", "id": i, "title": f"成果{i}", "summary": ""}, row)
    index.text.freeze()
    query = _unit(centres[0] + _unit(centres.sum(axis=0)))
    need = {"kind": "need", "id": 999, "title": "需求", "summary": ""}
    found = dict((c["id"], e) for c, e in index.candidates(need, query, 5, hub_weight=0.75))
    cosine = index.vectors.scores(query)
    for oid, evidence in found.items():
        assert evidence.semantic == float(cosine[oid] - np.float32(0.75) * index.vectors.hub[oid])
    best = max(found, key=lambda o: found[o].semantic)
    assert best != generic

"""One contract suite, two engines: the embedded SQLite FTS5 engine and Elasticsearch over osmem-server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from search.backends.base import SearchBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.local import LocalBackend
from search.documents import listing_document

JINHU, HUAIAN_DISTRICT, HUAIAN, XUANWU, SUCHENG, SUQIAN, PUDONG = (
    "320831", "320803", "320800", "320102", "321302", "321300", "310115",
)  # fmt: skip


def listing(kind: str, object_id: int, title: str, summary: str, **extra: Any) -> dict[str, Any]:
    """A listing dict as the service layer builds it, with plausible defaults."""
    base: dict[str, Any] = {
        "kind": kind, "id": object_id, "version": 1, "status": "published", "org_id": 1,
        "org_name": "淮安某科技有限公司", "region": JINHU, "fields": [], "keywords": [], "modes": [],
        "maturity": None, "trl": None, "budget_min": None, "budget_max": None, "title": title,
        "summary": summary, "created_at": "2024-01-01T08:00:00", "published_at": "2024-01-02T08:00:00",
        "deadline": None,
    }  # fmt: skip
    base.update(extra)
    return base


CORPUS = [
    listing(
        "need",
        1,
        "压力传感器温漂补偿技术",
        "我公司生产的MEMS压力传感器在-40℃至125℃范围内零点漂移较大，"
        "希望与高校合作开发温度补偿算法，提高测量精度。",
        org_id=1,
        region=JINHU,
        fields=["instrument.sensor"],
        keywords=["温度补偿", "MEMS"],
        modes=["joint_development"],
        maturity="pilot",
        budget_min=20,
        budget_max=50,
        published_at="2024-03-01T09:00:00",
        deadline="2024-12-31",
    ),
    listing(
        "output",
        2,
        "动力电池热管理系统",
        "面向新能源汽车动力电池包的液冷热管理系统，已完成样机验证。",
        org_id=2,
        org_name="南京某大学",
        region=XUANWU,
        fields=["nev.battery"],
        keywords=["液冷", "电池包"],
        modes=["transfer", "license"],
        maturity="industrial",
        budget_min=100,
        budget_max=100,
        published_at="2024-02-01T09:00:00",
    ),
    listing(
        "need",
        3,
        "工业机器人视觉定位与抓取",
        "产线上工件来料位置不固定，需要基于机器视觉的定位与抓取方案。",
        org_id=3,
        region=HUAIAN_DISTRICT,
        fields=["equipment.robot"],
        modes=["commissioned_development"],
        maturity="bench",
        budget_min=30,
        budget_max=80,
        published_at="2024-01-15T09:00:00",
        deadline="2024-06-30",
    ),
    listing(
        "output",
        4,
        "高性能碳纤维复合材料成型工艺",
        "一种碳纤维增强树脂基复合材料的低成本快速成型工艺。",
        org_id=2,
        org_name="南京某大学",
        region=XUANWU,
        fields=["materials.composite"],
        modes=["license"],
        maturity="pilot",
        published_at="2024-03-10T09:00:00",
    ),
    listing(
        "need",
        5,
        "锂电池隔膜涂覆工艺改进",
        "现有隔膜涂覆一致性差，寻求新型涂覆工艺。",
        status="draft",
        org_id=1,
        region=JINHU,
        fields=["nev.battery"],
        published_at=None,
        created_at="2024-03-15T09:00:00",
    ),
    listing(
        "need",
        6,
        "智能温室环境传感器网络",
        "在温室大棚部署低功耗无线传感器网络，监测温湿度和光照。",
        status="pending",
        org_id=4,
        region=SUCHENG,
        fields=["it.iot"],
        published_at=None,
    ),
    listing(
        "output",
        7,
        "印染废水处理膜材料",
        "用于纺织印染废水深度处理的抗污染分离膜材料。",
        org_id=5,
        org_name="上海某研究院",
        region=PUDONG,
        fields=["textile.dyeing"],
        modes=["transfer"],
        maturity="industrial",
        budget_min=5,
        budget_max=10,
        published_at="2024-02-20T09:00:00",
    ),
]
PUBLISHED = {"need-1", "output-2", "need-3", "output-4", "output-7"}


def docs(listings: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Search documents for the listings (the corpus by default)."""
    return [listing_document(item) for item in (CORPUS if listings is None else listings)]


@pytest.fixture(scope="session")
def osmem_server():
    """osmem-server for the session, without Japanese analysis (not needed here); overrides the plugin's."""
    from osmem_server import OsmemError, OsmemServer

    try:
        server = OsmemServer.start(japanese=False)
    except OsmemError as exc:  # no bundled binary for this platform: the local engine still runs
        pytest.skip(f"osmem-server cannot start here: {exc}")
    yield server
    stop_osmem(server)


def stop_osmem(server) -> None:
    """Stop an osmem-server process and close its stdout pipe (OsmemServer.close leaves it open)."""
    server.close()
    if server.process.stdout:
        server.process.stdout.close()


def es_backend(url: str, **kwargs: Any) -> ElasticsearchBackend:
    """The production backend as configured for osmem: plain JSON, refresh on write, quick retries."""
    options: dict[str, Any] = {"compat_headers": False, "refresh": True, "backoff": 0.01, "timeout": 5.0}
    return ElasticsearchBackend(url, "t-", **{**options, **kwargs})


@pytest.fixture(params=["local", pytest.param("es", marks=pytest.mark.es)])
def engine(request, tmp_path) -> Iterator[SearchBackend]:
    """An empty backend of each kind: local on a temp file, Elasticsearch on a fresh osmem clone."""
    if request.param == "local":
        backend: SearchBackend = LocalBackend(tmp_path / "search.sqlite3")
    else:
        clone = request.getfixturevalue("osmem_clone")
        backend = es_backend(clone.url)
        backend.ensure_index()
    yield backend
    backend.close()


@pytest.fixture
def loaded(engine) -> SearchBackend:
    """A backend holding the corpus."""
    result = engine.bulk_upsert(docs())
    assert not result.failed and len(result.ok) == len(CORPUS)
    return engine

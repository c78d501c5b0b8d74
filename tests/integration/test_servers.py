"""The real-server fixtures work: each server accepts real clients, and outages are real."""

from __future__ import annotations

import email
import smtplib
from email.message import EmailMessage
from email.policy import default as default_policy

import elasticsearch
import psycopg
import pytest
import redis
import sqlalchemy as sa
from elasticsearch import helpers

from tests.servers import OsmemInstance, PostgresServer, RedisServer, SmtpServer, es_client


@pytest.mark.postgres
def test_postgres_stores_and_returns_chinese_text(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.conninfo, autocommit=True) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        conn.execute("CREATE TABLE servers_probe (id serial PRIMARY KEY, title text NOT NULL)")
        conn.execute("INSERT INTO servers_probe (title) VALUES (%s)", ("高精度温度传感器补偿算法",))
        rows = conn.execute("SELECT title FROM servers_probe").fetchall()
        conn.execute("DROP TABLE servers_probe")
    assert rows == [("高精度温度传感器补偿算法",)]


@pytest.mark.postgres
def test_postgres_dsn_works_with_sqlalchemy(postgres_server: PostgresServer) -> None:
    assert postgres_server.dsn.startswith("postgresql+psycopg://")
    engine = sa.create_engine(postgres_server.dsn)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == "matchmaker_test"
    finally:
        engine.dispose()


def _redis(server: RedisServer) -> redis.Redis:
    return redis.Redis.from_url(server.url, socket_connect_timeout=2, retry_on_timeout=False, retry=None)


@pytest.mark.redis
def test_redis_set_and_get(redis_server: RedisServer) -> None:
    client = _redis(redis_server)
    client.set("servers:probe", "对接会".encode())
    assert client.get("servers:probe") == "对接会".encode()
    client.delete("servers:probe")
    client.close()


@pytest.mark.redis
def test_redis_outage_and_restart_on_the_same_port(redis_server: RedisServer) -> None:
    url_before = redis_server.url
    client = _redis(redis_server)
    client.set("servers:outage", "1")
    with redis_server.outage(), pytest.raises(redis.exceptions.ConnectionError):
        _redis(redis_server).ping()
    assert redis_server.url == url_before
    client = _redis(redis_server)
    assert client.ping() is True
    assert client.get("servers:outage") is None  # no persistence: a restart starts empty
    client.close()


def _chinese_mail(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "noreply@matchmaker.example.cn"
    msg["To"] = to
    msg["Subject"] = "新的匹配：高校成果与您的技术需求"
    msg.set_content("您好，系统为您的技术需求推荐了一项科技成果，请登录平台查看。")
    return msg


def test_smtp_receives_a_utf8_message(smtp_server: SmtpServer) -> None:
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as smtp:
        smtp.send_message(_chinese_mail("qiye@example.cn"))
    received = smtp_server.messages[-1]
    assert received.mail_from == "noreply@matchmaker.example.cn"
    assert received.rcpt_tos == ["qiye@example.cn"]
    parsed = email.message_from_bytes(received.data, policy=default_policy)
    assert parsed["Subject"] == "新的匹配：高校成果与您的技术需求"
    assert "推荐了一项科技成果" in parsed.get_body().get_content()  # type: ignore[union-attr]


def test_smtp_accepts_a_chinese_address_with_smtputf8(smtp_server: SmtpServer) -> None:
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as smtp:
        smtp.send_message(_chinese_mail("张经理@example.cn"))
    assert smtp_server.messages[-1].rcpt_tos == ["张经理@example.cn"]


MAPPINGS = {"properties": {"title_seg": {"type": "text", "analyzer": "whitespace"}}}


@pytest.mark.es
def test_osmem_indexes_and_searches_with_the_official_client(osmem: OsmemInstance) -> None:
    es = es_client(osmem.url)
    es.indices.create(index="servers-probe", mappings=MAPPINGS)
    es.index(index="servers-probe", id="need-1", document={"title_seg": "温度 传感器 补偿"})
    helpers.bulk(es, [{"_index": "servers-probe", "_id": "output-2", "title_seg": "激光 雷达 点云"}])
    es.indices.refresh(index="servers-probe")
    hits = es.search(index="servers-probe", query={"match": {"title_seg": "传感器"}})["hits"]["hits"]
    es.indices.delete(index="servers-probe")
    es.close()
    assert [hit["_id"] for hit in hits] == ["need-1"]


@pytest.mark.es
def test_osmem_refuses_the_compatibility_media_type_without_es_client(osmem: OsmemInstance) -> None:
    plain = elasticsearch.Elasticsearch(osmem.url, max_retries=0)
    with pytest.raises(elasticsearch.ApiError) as refused:
        plain.indices.create(index="servers-refused", mappings=MAPPINGS)
    plain.close()
    assert refused.value.meta.status == 406


@pytest.mark.es
def test_osmem_outage_and_restart_on_the_same_port(osmem: OsmemInstance) -> None:
    url_before = osmem.url
    with osmem.outage(), pytest.raises(elasticsearch.ConnectionError):
        es_client(url_before, max_retries=0).info()
    assert osmem.url == url_before
    assert es_client(osmem.url).info()["version"]["number"]

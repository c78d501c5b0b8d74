"""The embedded engine: whitespace-only tokenising, threads, in-memory mode, locked database."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from search.backends import make_backend
from search.backends.base import SearchError, SearchUnavailable
from search.backends.local import LocalBackend
from search.backends.local_sql import tables
from search.queries import SearchParams
from tests.search.conftest import docs, listing


def test_fts_keeps_every_token_whole(tmp_path):
    backend = LocalBackend(tmp_path / "s.sqlite3")
    tricky = listing("need", 99, "C++ 3.5 PT-100 50% 𠀀𠀁 鿏 ㎏", "温漂补偿")
    corpus = [*docs(), *docs([tricky])]
    backend.bulk_upsert(corpus)
    conn = sqlite3.connect(tmp_path / "s.sqlite3")
    fts = tables(1)[2]
    conn.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {fts}, row)")
    indexed = {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}
    wanted = {
        t
        for d in corpus
        for col in ("title_seg", "keywords_seg", "body_seg", "bigrams")
        for t in d[col].split()
    }
    assert indexed == wanted
    assert {"c++", "3.5", "50%", "传感器", "𠀀𠀁", "鿏"} <= indexed
    conn.close()
    backend.close()


def test_memory_database_is_shared_by_threads():
    backend = make_backend({"SEARCH_BACKEND": "local", "SEARCH_LOCAL_PATH": ":memory:"})
    backend.bulk_upsert(docs())
    totals: list[int] = []
    thread = threading.Thread(target=lambda: totals.append(backend.search(SearchParams(q="传感器")).total))
    thread.start()
    thread.join()
    assert totals == [1]
    backend.close()


def test_threads_write_and_read_one_file(tmp_path):
    backend = LocalBackend(tmp_path / "s.sqlite3")
    errors: list[Exception] = []

    def work(offset: int) -> None:
        try:
            for i in range(20):
                n = offset + i
                backend.bulk_upsert(docs([listing("need", n, f"第{n}号传感器", "多线程写入")]))
                backend.search(SearchParams(q="传感器"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert backend.search(SearchParams(q="传感器")).total == 80
    backend.close()


def test_locked_database_is_reported_unavailable(tmp_path):
    path = tmp_path / "s.sqlite3"
    backend = LocalBackend(path, timeout=0.05)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(SearchUnavailable):
        backend.bulk_upsert(docs()[:1])
    other.execute("ROLLBACK")
    other.close()
    assert backend.bulk_upsert(docs()[:1]).ok == ["need-1"]
    backend.close()


def test_make_backend_refuses_unknown_settings():
    with pytest.raises(SearchError, match="unknown SEARCH_BACKEND"):
        make_backend({"SEARCH_BACKEND": "solr"})
    with pytest.raises(SearchError, match="ELASTICSEARCH_URL"):
        make_backend({"SEARCH_BACKEND": "elasticsearch"})


def test_index_of_an_older_layout_is_recreated_empty(tmp_path):
    path = tmp_path / "s.sqlite3"
    LocalBackend(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE search_alias SET generation = 1 WHERE name = 'schema'")
    conn.commit()
    conn.close()
    backend = LocalBackend(path)
    assert backend.id_versions() == {} and backend.bulk_upsert(docs()[:1]).ok == ["need-1"]
    backend.close()

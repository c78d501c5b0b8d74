"""Chinese text analysis: normalisation, segmentation with the domain dictionary, keywords."""

from __future__ import annotations

import subprocess
import sys

from search.analysis import IdfTable, bigrams, domain_terms, extract_keywords, normalize, segment


def test_normalize_folds_full_width_and_case():
    assert normalize("ＰＣＢ板　ＬＥＤ") == "pcb板 led"
    assert normalize(None) == ""


def test_normalize_keeps_traditional_characters():
    # NFKC folds width and compatibility forms, not traditional to simplified.
    assert normalize("傳感器") != normalize("传感器")


def test_segment_full_width_latin_matches_half_width():
    assert "pcb" in segment("ＰＣＢ温漂补偿")
    assert segment("ＰＣＢ") == segment("pcb")


def test_domain_terms_are_kept_whole():
    assert "温漂补偿" in domain_terms()
    tokens = segment("高精度压力变送器的温漂补偿方法")
    assert "温漂补偿" in tokens


def test_segment_drops_stopwords_and_punctuation():
    tokens = segment("寻求传感器的温度补偿相关技术，以及数据采集！")
    assert "的" not in tokens and "寻求" not in tokens and "以及" not in tokens
    assert "，" not in tokens and "！" not in tokens
    assert "传感器" in tokens and "数据采集" in tokens


def test_bigrams_of_runs_and_single_characters():
    assert bigrams("温漂 补偿，光") == ["温漂", "补偿", "光"]
    assert bigrams("ＰＣＢ") == ["pc", "cb"]


def test_idf_table_counts_documents_not_occurrences():
    table = IdfTable.from_documents([["传感器", "传感器", "温度"], ["温度"], ["电池"]])
    assert table.docs == 3
    assert table.df["传感器"] == 1 and table.df["温度"] == 2
    assert table.idf("传感器") > table.idf("温度") > 0
    assert table.idf("未见过") > table.idf("传感器")


def test_extract_keywords_prefers_rare_corpus_words():
    corpus = [segment(t) for t in ("研究方法与系统设计", "系统设计研究", "研究系统", "锂电池隔膜")]
    idf = IdfTable.from_documents(corpus)
    found = extract_keywords("本研究提出一种锂电池隔膜涂层系统设计方法，隔膜涂层均匀", idf, top=3)
    assert found[0] in ("隔膜", "涂层")
    assert "研究" not in found
    assert len(found) == 3


def test_extract_keywords_of_empty_text():
    assert extract_keywords("", IdfTable(), top=5) == []


def test_importing_analysis_is_quiet():
    code = "from search.analysis import segment; segment('传感器'); segment('温度')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""

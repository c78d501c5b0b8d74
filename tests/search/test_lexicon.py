"""The domain dictionary and synonym list are data files; their terms stay whole and expand as written."""

from __future__ import annotations

from search import lexicon
from search.analysis import _read_list, words
from search.query_terms import parse


def test_synonym_lines_parse_both_ways_and_broader_terms_one_way():
    table = lexicon.parse(["锂电 = 锂电池 = 锂离子电池", "石油装备 > 抽油机 压裂泵"])
    assert table["锂电"] == ("锂电池", "锂离子电池") and table["锂离子电池"] == ("锂电", "锂电池")
    assert table["石油装备"] == ("抽油机", "压裂泵") and "抽油机" not in table


def test_every_dictionary_and_synonym_term_is_kept_whole():
    terms = _read_list("terms.txt") + lexicon.terms()
    broken = [t for t in terms if len(t) > 1 and words(t) != [t]]
    assert not broken, broken


def test_the_data_file_expands_the_issue_examples():
    assert "锂离子电池" in lexicon.expand("锂电") and "锂电" in lexicon.expand("锂离子电池")
    assert {"抽油机", "压裂泵", "采油树"} <= set(lexicon.expand("石油装备"))
    assert lexicon.expand("抽油机") == ()  # narrower terms do not expand to the broader one


def test_query_groups_use_the_expansions():
    [group] = parse("锂电").groups
    assert group.alternatives[0] == "锂电" and "锂离子电池" in group.alternatives

"""The project tokenizer: the prebuilt cache gives the same dictionary as building it, and the
light part-of-speech tagger gives exactly jieba.posseg's words and tags (HMM off)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import segment

REPO = Path(__file__).resolve().parent.parent
TEXTS = [
    "支部委员会每月至少召开1次会议，开展“三会一课”和主题党日活动。",
    "落实党员汇报制度、谈心谈话制度，建立议题机制；2026年3月前完成。",
    "ABC test 123 3.5% 党建+业务 C++ a.b_c #1 &amp;\r\n\t 第二季度",
    "",
]


def _reference():
    """jieba.posseg over a tokenizer with the project's dictionary and tags (posseg takes the
    user tags out of the tokenizer it is given, so each reference gets its own tokenizer)."""
    import jieba
    import jieba.posseg

    source = segment.tokenizer()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = source.FREQ, source.total, True
    user_words, terms = segment.project_words()
    tok.user_word_tag_tab = {w: t for w, _, t in user_words if t}
    tok.user_word_tag_tab.update(dict(terms))
    return jieba.posseg.POSTokenizer(tok)


def test_import_loads_no_jieba():
    code = "import sys, pipeline.segment, pipeline.cli; print('jieba' in sys.modules, 'networkx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_cached_tokenizer_equals_a_freshly_built_one(tmp_path, monkeypatch, seed_paths):
    monkeypatch.setenv(segment.CACHE_ENV, str(tmp_path))
    segment.reset_caches()
    try:
        built = segment.tokenizer()
        assert sorted(p.suffix for p in tmp_path.iterdir()) == [".cache", ".freq"]
        segment.reset_caches()
        loaded = segment.tokenizer()
        assert loaded is not built
        assert loaded.FREQ == built.FREQ and loaded.total == built.total
        assert loaded.user_word_tag_tab == built.user_word_tag_tab
        text = seed_paths[0].read_text(encoding="utf-8")
        assert loaded.lcut(text) == built.lcut(text)
    finally:
        segment.reset_caches()


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv(segment.CACHE_ENV, str(tmp_path))
    segment.reset_caches()
    try:
        expected = segment.cut(TEXTS[0])
        for path in tmp_path.glob("*.freq"):
            path.write_bytes(b"\x00garbage")
        segment.reset_caches()
        assert segment.cut(TEXTS[0]) == expected
    finally:
        segment.reset_caches()


def test_project_terms_stay_whole():
    assert "三会一课" in segment.cut(TEXTS[0]) and "主题党日" in "".join(segment.cut(TEXTS[0]))


@pytest.mark.parametrize("text", TEXTS)
def test_pos_tags_without_hmm_are_jiebas(text):
    reference = _reference()
    assert [tuple(p) for p in segment.pos_tagger().cut(text, HMM=False)] == \
        [(p.word, p.flag) for p in reference.cut(text, HMM=False)]


def test_pos_tags_without_hmm_are_jiebas_on_the_seeds(seed_paths):
    reference = _reference()
    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        assert [tuple(p) for p in segment.pos_tagger().cut(text, HMM=False)] == \
            [(p.word, p.flag) for p in reference.cut(text, HMM=False)]


def test_pos_tags_with_hmm_are_handed_to_jieba():
    reference = _reference()
    assert [tuple(p) for p in segment.pos_tagger().cut(TEXTS[1])] == [(p.word, p.flag) for p in reference.cut(TEXTS[1])]

"""scripts/robustness.py: each variant changes a page's form, never its words."""
import importlib.util
import re
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "robustness.py"
spec = importlib.util.spec_from_file_location("robustness", SCRIPT)
robustness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(robustness)

PAGE = "学校党支部工作计划\n一、指导思想\n坚持党建引领，支部每月召开1次支委会会议，全年开展主题党日活动不少于12次，做到全覆盖。\n二、主要工作"


def words(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", sorted(set(robustness.VARIANTS) - {"menu", "trad"}))
def test_a_variant_keeps_every_word(name):
    out = robustness.VARIANTS[name](PAGE)
    assert words(out) == words(PAGE)
    if name != "orig":
        assert out != PAGE


def test_menus_wrap_the_page_and_traditional_keeps_its_length():
    assert robustness.VARIANTS["menu"](PAGE).count(PAGE) == 1
    trad = robustness.VARIANTS["trad"](PAGE)
    assert len(trad) == len(PAGE) and "黨" in trad


def test_traditional_gold_converts_titles_labels_and_units():
    gold = {"documents": [{"title": "学校党支部工作计划", "headings": [{"level": 1, "label": "第一条", "title": "总则"}],
                           "commitments": [{"value": 1, "unit": "个"}]}]}
    doc = robustness.traditional_gold(gold)["documents"][0]
    assert doc["title"] == "學校黨支部工作計劃"
    assert doc["headings"][0] == {"level": 1, "label": "第一條", "title": "總則"}
    assert doc["commitments"][0]["unit"] == "個"

"""core._relocate: a plan's lines joined into its text, each line moved to its offset there
and nothing else about it changed."""
import dataclasses

from pipeline.core import _relocate
from pipeline.model import Line, LineHint


def test_relocate_sets_offsets_and_keeps_every_other_field():
    hint = LineHint(heading_level=1, is_title=False, numbered=True)
    lines = (Line("一、总体要求", 40, 7, (2,), hint, "一、總體要求"),
             Line("全年不少于4次", 90, 20, (3, 4)))
    text, moved = _relocate(lines)
    assert text == "一、总体要求\n全年不少于4次"
    assert [l.start for l in moved] == [0, 7]
    for before, after in zip(lines, moved):
        assert dataclasses.replace(before, start=after.start) == after  # every field, present or future


def test_relocate_knows_every_field_of_line():
    # _relocate builds Line positionally; a field added to Line must be added there too
    assert [f.name for f in dataclasses.fields(Line)] == \
        ["text", "start", "source_start", "source_lines", "hint", "original"]

"""textutil: the one-character CJK test agrees with the CJK pattern it stands in for."""
import pytest
from hypothesis import given, strategies as st

from pipeline.textutil import CJK, is_cjk_char


@pytest.mark.parametrize("char, expected", [
    ("党", True), ("㐀", True), ("鿿", True), ("豈", True), ("﫿", True),  # the ranges' ends
    ("〇", False), ("。", False), ("（", False), ("a", False), ("1", False), (" ", False), ("ｆ", False),
])
def test_is_cjk_char(char, expected):
    assert is_cjk_char(char) is expected


@given(st.characters())
def test_is_cjk_char_is_the_pattern(char):
    assert is_cjk_char(char) == bool(CJK.fullmatch(char))

"""cut_to_width: never wider than asked, never inside a grapheme, … only when cut."""

import pytest
import regex
import wcwidth
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sokuho.ja.phrases import split_phrases
from sokuho.ja.width import AMBIGUOUS_WIDTH, cut_to_width, display_width

HEADLINE = "北方三国協議、合計314人の交流再開で合意　交渉継続"

# Text that stresses grapheme clustering: combining marks, voiced-sound marks, ZWJ emoji
# sequences, flags, variation selectors, half-width katakana, CR LF, ambiguous widths.
TRICKY = [
    "か\u3099",
    "ﾊﾟ",
    "e\u0301",
    "👨\u200d👩\u200d👧",
    "🇯🇵",
    "🇺🇸",
    "☺\ufe0f",
    "葛\U000e0100",
    "\r\n",
    "…",
    "○",
    "Ω",
    "\u200b",
    "\u0600",
]
text_strategy = st.lists(
    st.one_of(
        st.sampled_from(TRICKY),
        st.text(alphabet="あいうえおアイウエオ漢字新聞速報、。「」　 abcXYZ0123", max_size=6),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=30,
).map("".join)


def oracle_width(text: str) -> int:
    """The width of the whole string, measured independently of the cut."""
    return wcwidth.width(text, control_codes="ignore", ambiguous_width=AMBIGUOUS_WIDTH)


def grapheme_boundaries(text: str) -> set[int]:
    """Offsets between extended grapheme clusters, by the regex module's \\X."""
    offsets, position = {0}, 0
    for cluster in regex.findall(r"\X", text):
        position += len(cluster)
        offsets.add(position)
    return offsets


@settings(max_examples=400, deadline=None)
@given(text=text_strategy, width=st.integers(min_value=0, max_value=40))
@example(text=HEADLINE, width=20)
@example(text="👨\u200d👩\u200d👧" * 4, width=5)
@example(text="か\u3099" * 10, width=7)
def test_cut_properties(text, width):
    result = cut_to_width(text, width)
    assert oracle_width(result) <= width
    if result == text:
        assert oracle_width(text) <= width
        return
    # Cut: a prefix of the text at a grapheme boundary, then the ellipsis, or nothing.
    assert oracle_width(text) > width
    if result == "":
        assert width < display_width("…")
        return
    assert result.endswith("…")
    kept = result[: -len("…")]
    assert text.startswith(kept)
    assert len(kept) in grapheme_boundaries(text)


@given(text=text_strategy)
def test_text_that_fits_is_returned_unchanged(text):
    assert cut_to_width(text, oracle_width(text)) == text


def test_headline_cut_at_a_phrase_boundary():
    result = cut_to_width(HEADLINE, 30)
    assert result.endswith("…")
    kept = result[:-1]
    boundaries, position = set(), 0
    for phrase in split_phrases(HEADLINE):
        position += len(phrase)
        boundaries.add(position)
    # The phrase boundary may be followed by dropped punctuation (「、」): compare cores.
    assert any(HEADLINE[:b].rstrip("、　") == kept for b in boundaries)
    assert display_width(result) <= 30


def test_long_single_phrase_is_cut_between_graphemes():
    result = cut_to_width("インターナショナルビジネスマシーンズ株式会社の決算", 20)
    assert result.endswith("…")
    assert display_width(result) == 20


def test_short_text_gets_no_ellipsis():
    assert cut_to_width("短い見出し", 40) == "短い見出し"
    assert cut_to_width("", 0) == ""


def test_custom_ellipsis_and_no_room():
    assert cut_to_width(HEADLINE, 12, ellipsis="...").endswith("...")
    assert cut_to_width(HEADLINE, 1) == ""
    assert cut_to_width(HEADLINE, 2) == "…"
    with pytest.raises(ValueError):
        cut_to_width(HEADLINE, -1)


def test_trailing_punctuation_is_dropped_before_the_ellipsis():
    assert cut_to_width("協議、合意へ向けて前進した", 12) == "協議…"

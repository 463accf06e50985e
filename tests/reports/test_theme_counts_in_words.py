"""A theme's count on a slide and in the Word report: a hidden count is said once, in words, never put in place
of both the count and its share ("withheld students (withheld)" on a principal's slide)."""

from __future__ import annotations

from analysis.suppression import Cell, Hidden
from reports.content import ThemeSection


def section(raised: Cell, share: str) -> ThemeSection:
    return ThemeSection(name="Lunch is loud", insight="", root_causes="", raised=raised, share=share, stances={},
                        quotes=[])


def test_a_shown_count_comes_with_its_share():
    theme = section(Cell(value=12, hidden=Hidden.SHOWN, threshold=5), "50%")
    assert (theme.raised_line, theme.raised_count) == ("12 students (50%)", "12 students")
    assert theme.raised_sentence == "12 students raised this (50% of those interviewed)."


def test_a_small_count_says_fewer_than_the_threshold_once():
    theme = section(Cell(value=None, hidden=Hidden.SMALL, threshold=5), "fewer than 5")
    assert (theme.raised_line, theme.raised_count) == ("Fewer than 5 students", "fewer than 5 students")
    assert theme.raised_sentence == "Fewer than 5 students raised this."


def test_a_count_withheld_to_protect_another_says_so_in_words():
    theme = section(Cell(value=None, hidden=Hidden.COMPLEMENTARY, threshold=5), "withheld")
    assert theme.raised_line == "Number of students withheld"
    assert "withheld students" not in theme.raised_line + theme.raised_count + theme.raised_sentence
    assert theme.raised_sentence.startswith("How many students raised this is withheld")


def test_a_shown_count_whose_share_cannot_be_shown_has_no_share():
    theme = section(Cell(value=12, hidden=Hidden.SHOWN, threshold=5), "12")  # the heard total is hidden
    assert theme.raised_line == "12 students" and theme.raised_sentence == "12 students raised this."


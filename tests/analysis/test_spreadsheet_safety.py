"""Exports carry words people typed; a spreadsheet must show them, never run them as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from actions.models import Idea
from actions.plan import action_from_idea
from analysis.codebook import export_csv, import_csv
from analysis.coding import apply_code
from analysis.exports import coded_excerpts_rows, coded_excerpts_xlsx
from analysis.models import Code
from tests.factories import ProgramFactory
from toolkit.tables import spreadsheet_safe, unescape_spreadsheet_text

FORMULA = '=HYPERLINK("http://evil.example","click")'


def test_cells_a_spreadsheet_would_evaluate_become_text():
    row = [FORMULA, "+1", "-2 kids", "@SUM(A1)", "\tx", "plain", "", 12, -3.5, None]
    assert spreadsheet_safe(row) == ["'" + FORMULA, "'+1", "'-2 kids", "'@SUM(A1)", "'\tx", "plain", "", 12, -3.5, None]
    assert [unescape_spreadsheet_text(cell) for cell in spreadsheet_safe(row)[:6]] == row[:6]
    assert unescape_spreadsheet_text("'tis the season") == "'tis the season"


def test_coded_excerpts_export_formulas_as_text_in_csv_and_xlsx(coded):
    note = coded.notes[0]
    note.text = FORMULA
    note.save(update_fields=["text"])
    apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    rows = list(csv.reader(io.StringIO("".join(coded_excerpts_rows(coded.team.program)))))
    assert rows[1][3] == "'" + FORMULA
    sheet = load_workbook(io.BytesIO(coded_excerpts_xlsx(coded.team.program))).active
    cell = sheet.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value == "'" + FORMULA


def test_action_items_export_formulas_as_text(client, team):
    action_from_idea(Idea.objects.create(program=team.program, title="=1+1"), owner=team.lead, kind="project")
    client.force_login(team.viewer)
    body = client.get(f"/programs/{team.program.slug}/analysis/actions.csv").content.decode()
    assert list(csv.reader(io.StringIO(body)))[1][0] == "'=1+1"


def test_a_codebook_exported_and_imported_keeps_its_words(coded):
    code = coded.codes["Noise"]
    code.definition = "- loud rooms, shouting"
    code.save(update_fields=["definition"])
    text = export_csv(coded.team.program)
    assert "'- loud rooms" in text
    other = ProgramFactory(slug="round-trip")
    import_csv(other, text)
    assert Code.objects.get(program=other, name=code.name).definition == "- loud rooms, shouting"


@pytest.mark.parametrize("cell", ["a;=1+2", "a; =HYPERLINK(\"http://evil\")", "x\t@SUM(A1)", "x|+1", "lunch, -2+3"])
def test_a_formula_after_any_separator_excel_may_split_on_is_neutralised(cell):
    safe = spreadsheet_safe([cell])[0]
    for separator in ",;\t|":
        for part in safe.split(separator):
            assert not part.strip().startswith(("=", "+", "-", "@")), (cell, safe)
    assert unescape_spreadsheet_text(safe) == cell


"""Each bomb of the district review, built here: refused with a plain message, in a few seconds, in bounded memory.

Time is measured in one run and peak memory (tracemalloc, every Python allocation) in a second run, since
tracing slows the code it measures. `pytest -s` prints both for each bomb.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl.reader.excel  # noqa: F401  (imported now, so its import is not measured as a bomb's memory)
import pytest
from openpyxl import Workbook, load_workbook

from participants.oneroster import files_from_zip
from tests.toolkit.bombs import (
    MAIN,
    MEGABYTE,
    PEAK_BYTES,
    SECONDS,
    batched,
    refusal,
    repeated,
    sheet_xml,
    strings_xml,
    write_xlsx,
    write_zip,
)
from toolkit.archives import ArchiveRefused, CheckedZipFile, NotAZip, _CappedReader
from toolkit.limits import (
    ARCHIVE_BROKEN,
    ARCHIVE_ENCRYPTED,
    ARCHIVE_TOO_COMPRESSED,
    ARCHIVE_TOO_LARGE,
    ARCHIVE_TOO_MANY_ENTRIES,
    ARCHIVE_UNSAFE_NAME,
    CELL_TOO_LONG,
    TOO_MANY_CELLS,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    WORKBOOK_TOO_COMPLEX,
)
from toolkit.tables import ImportRefused, TableUnreadable, read_table

SHEET = "xl/worksheets/sheet1.xml"
A_ROSTER_LINE = b"100001,Ana,Lopez,LHS,9,F,Asian,N,N,3.20\n"


def read(path: Path, name: str | None = None):
    def action():
        with path.open("rb") as handle:
            return read_table(handle, name or path.name)

    return action


def bundle(path: Path):
    def action():
        with path.open("rb") as handle:
            return files_from_zip(handle)

    return action


def assert_refused(action, message: str) -> None:
    error, seconds, peak = refusal(action)
    if isinstance(error, ImportRefused):  # OneRoster names the problem as the bundle's one row error
        assert [e.message for e in error.errors] == [message]
    else:
        assert isinstance(error, TableUnreadable), repr(error)
        assert str(error) == message
    print(f"[{seconds:.2f} s, peak {peak / MEGABYTE:.1f} MB]", end=" ")
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak < PEAK_BYTES, f"{peak / MEGABYTE:.0f} MB"


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bombs")


@pytest.fixture
def ratio_unchecked(settings):
    """For bombs that only the caps on what is read can stop, the ratio cap (which stops most of them first) is lifted."""
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 1_000_000


# --- Archives (a OneRoster .zip; an .xlsx is one too) -------------------------------------------------


def test_a_bundle_with_a_300_mb_part_is_refused_before_it_is_unpacked(bombs):
    path = write_zip(bombs / "big.zip", {"users.csv": repeated(A_ROSTER_LINE * 25_000, 300 * MEGABYTE)})
    assert path.stat().st_size < 2 * MEGABYTE
    assert_refused(bundle(path), ARCHIVE_TOO_LARGE.format(limit=100))


def test_four_parts_each_under_the_cap_are_refused_for_their_total(bombs, ratio_unchecked):
    parts = {f"part{i}.csv": repeated(A_ROSTER_LINE * 25_000, 30 * MEGABYTE) for i in range(4)}
    assert_refused(bundle(write_zip(bombs / "four.zip", parts)), ARCHIVE_TOO_LARGE.format(limit=100))


def test_a_part_that_unpacks_to_more_than_100_times_its_size_is_refused(tmp_path):
    path = write_zip(tmp_path / "ratio.zip", {"users.csv": repeated(b"0" * MEGABYTE, 5 * MEGABYTE)})
    assert_refused(bundle(path), ARCHIVE_TOO_COMPRESSED.format(name="users.csv", limit=100))


def test_a_bundle_of_ten_thousand_parts_is_refused_before_zipfile_lists_them(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(10_000):
            archive.writestr(f"f{i}.csv", b"")
    assert_refused(bundle(path), ARCHIVE_TOO_MANY_ENTRIES.format(limit=50))


@pytest.mark.parametrize("name", ["../../etc/cron.d/users.csv", "/etc/users.csv", "C:\\users.csv", "a/../../users.csv"])
def test_a_part_whose_name_climbs_out_is_refused(tmp_path, name):
    path = tmp_path / "names.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"sourcedId\n")
    assert_refused(bundle(path), ARCHIVE_UNSAFE_NAME.format(name=name))


def _patch_only_entry(path: Path, *, unpacked_size: int | None = None, flags: int | None = None) -> None:
    """Rewrite what the local header and the central directory declare for a zip's one part."""
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.rfind(b"PK\x01\x02")
    if unpacked_size is not None:
        data[local + 22:local + 26] = data[central + 24:central + 28] = unpacked_size.to_bytes(4, "little")
    if flags is not None:
        data[local + 6:local + 8] = data[central + 8:central + 10] = flags.to_bytes(2, "little")
    path.write_bytes(bytes(data))


def test_a_part_that_declares_less_than_it_holds_stops_at_what_it_declared(tmp_path):
    path = write_zip(tmp_path / "liar.zip", {"users.csv": repeated(A_ROSTER_LINE * 25_000, 50 * MEGABYTE)})
    _patch_only_entry(path, unpacked_size=1000)
    assert_refused(bundle(path), ARCHIVE_BROKEN)


def test_the_capped_stream_stops_when_more_bytes_come_than_declared(tmp_path):
    path = write_zip(tmp_path / "small.zip", {"users.csv": b"sourcedId\n"})
    with CheckedZipFile(path.open("rb")) as archive:
        stream = io.BufferedReader(_CappedReader(io.BytesIO(b"x" * MEGABYTE), 100, archive, None))
        with pytest.raises(ArchiveRefused) as refused:
            stream.read()
    assert str(refused.value) == ARCHIVE_BROKEN and archive.refusal is refused.value


def test_a_password_protected_bundle_is_refused_plainly(tmp_path):
    path = tmp_path / "locked.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.csv", b"sourcedId\n")
    _patch_only_entry(path, flags=0x1)
    assert_refused(bundle(path), ARCHIVE_ENCRYPTED)


def test_a_damaged_header_naming_a_zip_version_python_cannot_read_is_not_a_zip():
    """zipfile answers NotImplementedError, not BadZipFile, for a "version needed" past what it reads: a byte
    flipped there (found by the damaged-file test of the note import) is refused like any other damage."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", b"Ana: words")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = (99).to_bytes(2, "little")  # version needed to extract: 9.9
    with pytest.raises(NotAZip):
        CheckedZipFile(bytes(data))


# --- CSV ---------------------------------------------------------------------------------------------


def test_a_csv_with_a_million_columns_is_refused_on_its_header(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b",".join(b"c%d" % i for i in range(1_000_000)) + b"\n1\n")
    assert path.stat().st_size > 7 * MEGABYTE
    assert_refused(read(path), TOO_MANY_COLUMNS.format(limit=200))


def test_a_csv_field_of_200_000_characters_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "field.csv"
    path.write_bytes(b"Student ID,Note\n1," + b"x" * 200_000 + b"\n")
    assert_refused(read(path), CELL_TOO_LONG.format(limit=10_000))


def test_a_quoted_field_of_megabytes_is_refused_the_same_way(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'Student ID,Note\n1,"' + b"x,\n" * 3_000_000 + b'"\n')
    assert_refused(read(path), CELL_TOO_LONG.format(limit=10_000))


def test_a_cell_over_the_cap_but_under_the_csv_modules_limit_is_refused(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_bytes(b"Student ID,Note\n1," + b"x" * 10_001 + b"\n")
    assert_refused(read(path), CELL_TOO_LONG.format(limit=10_000))


def test_a_csv_with_more_rows_than_the_cap_stops_reading_there(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"Student ID\n" + b"1\n" * 3_000_000)
    assert_refused(read(path), TOO_MANY_ROWS.format(limit=100_000))


def test_a_csv_past_the_cell_cap_is_refused(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_bytes(b",".join(b"c%d" % i for i in range(100)) + b"\n" + (b"1," * 99 + b"1\n") * 30_000)
    assert_refused(read(path), TOO_MANY_CELLS.format(limit=2_000_000))


def test_the_caps_let_through_a_table_exactly_at_them(settings, tmp_path):
    settings.TABLE_MAX_COLUMNS, settings.TABLE_MAX_ROWS, settings.TABLE_MAX_CELL_CHARACTERS = 3, 2, 5
    table = read_table(b"a,b,c\n1,22222,3\n4,5,6\n", "t.csv")
    assert table.headers == ["a", "b", "c"] and table.rows == [["1", "22222", "3"], ["4", "5", "6"]]
    for content, message in ((b"a,b,c,d\n1,2,3,4\n", TOO_MANY_COLUMNS.format(limit=3)),
                             (b"a\n1\n2\n3\n", TOO_MANY_ROWS.format(limit=2)),
                             (b"a\n123456\n", CELL_TOO_LONG.format(limit=5))):
        with pytest.raises(TableUnreadable) as refused:
            read_table(content, "t.csv")
        assert str(refused.value) == message


# --- XLSX --------------------------------------------------------------------------------------------


def test_an_xlsx_with_3_million_rows_is_refused_before_its_sheet_is_read(bombs):
    path = write_xlsx(bombs / "rows.xlsx", sheet=sheet_xml(batched(b"<row><c><v>1</v></c></row>", 3_000_000)))
    assert path.stat().st_size < MEGABYTE
    assert_refused(read(path), ARCHIVE_TOO_COMPRESSED.format(name=SHEET, limit=100))


def test_an_xlsx_with_3_million_rows_that_passes_the_archive_caps_stops_at_the_row_cap(bombs, ratio_unchecked):
    assert_refused(read(bombs / "rows.xlsx"), TOO_MANY_ROWS.format(limit=100_000))


def test_an_xlsx_with_478_mb_of_shared_strings_is_refused_before_they_are_read(bombs):
    strings = strings_xml(batched(b"<si><t>Ana Lopez Garcia</t></si>", 478 * MEGABYTE // 30))
    path = write_xlsx(bombs / "strings.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']),
                      shared_strings=strings)
    assert path.stat().st_size < 2 * MEGABYTE
    assert_refused(read(path), ARCHIVE_TOO_LARGE.format(limit=100))


def test_shared_strings_within_the_archive_caps_stop_at_the_cell_cap(settings, tmp_path, ratio_unchecked):
    settings.TABLE_MAX_CELLS = 100_000  # the default (2,000,000 strings) is bounded too, at about 130 MB
    strings = strings_xml(batched(b"<si><t>Ana Lopez</t></si>", 3_000_000))
    path = write_xlsx(tmp_path / "strings.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']),
                      shared_strings=strings)
    assert_refused(read(path), TOO_MANY_CELLS.format(limit=100_000))


def test_one_shared_string_of_90_mb_is_refused_as_a_long_cell(tmp_path, ratio_unchecked):
    strings = strings_xml([b"<si><t>", *repeated(b"x" * 65536, 90 * MEGABYTE), b"</t></si>"])
    path = write_xlsx(tmp_path / "one.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']),
                      shared_strings=strings)
    assert_refused(read(path), CELL_TOO_LONG.format(limit=10_000))


def test_an_xlsx_row_of_a_million_cells_is_refused_at_cell_201(tmp_path, ratio_unchecked):
    path = write_xlsx(tmp_path / "wide.xlsx", sheet=sheet_xml([b'<row r="1">', *batched(b"<c><v>1</v></c>", 1_000_000), b"</row>"]))
    assert_refused(read(path), TOO_MANY_COLUMNS.format(limit=200))


def test_an_xlsx_cell_in_the_last_column_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "far.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>']))
    assert_refused(read(path), TOO_MANY_COLUMNS.format(limit=200))


def test_an_xlsx_row_numbered_a_billion_is_refused_without_counting_up_to_it(tmp_path):
    path = write_xlsx(tmp_path / "far.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1"><v>1</v></c></row>',
                                                              b'<row r="999999999"><c r="A999999999"><v>1</v></c></row>']))
    assert_refused(read(path), TOO_MANY_ROWS.format(limit=100_000))


def test_an_xlsx_with_3_million_merged_cells_is_refused(tmp_path, ratio_unchecked):
    sheet = sheet_xml([b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells>',
                       *batched(b'<mergeCell ref="A1:B2"/>', 3_000_000), b"</mergeCells><sheetData>"])
    assert_refused(read(write_xlsx(tmp_path / "merged.xlsx", sheet=sheet)), WORKBOOK_TOO_COMPLEX)


def test_an_xlsx_with_20_mb_of_styles_is_refused(tmp_path, ratio_unchecked):
    path = write_xlsx(tmp_path / "styled.xlsx", sheet=sheet_xml([b'<row r="1"><c r="A1"><v>1</v></c></row>']))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/styles.xml", "w") as entry:
            entry.write(f'<styleSheet xmlns="{MAIN}"><numFmts>'.encode())
            for chunk in repeated(b'<numFmt numFmtId="200" formatCode="0"/>' * 1000, 20 * MEGABYTE):
                entry.write(chunk)
            entry.write(b"</numFmts></styleSheet>")
    assert_refused(read(path), WORKBOOK_TOO_COMPLEX)


def test_a_hand_written_xlsx_reads_as_openpyxl_reads_it(tmp_path):
    """Shared strings (plain, rich runs, phonetic hints), inline strings and numbers, through the guarded reader."""
    strings = strings_xml([b"<si><t>Student ID</t></si>",
                           b"<si><r><t>First </t></r><r><rPr><b/></rPr><t>name</t></r><rPh sb=\"0\" eb=\"1\"><t>ignored</t></rPh></si>",
                           b"<si><t>Ana_x005F_x</t></si>"])
    sheet = sheet_xml([b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
                       b'<row r="2"><c r="A2"><v>100001</v></c><c r="B2" t="s"><v>2</v></c></row>',
                       b'<row r="4"><c r="A4" t="inlineStr"><is><t>100002</t></is></c><c r="B4" t="str"><v>Ben</v></c></row>'])
    path = write_xlsx(tmp_path / "fine.xlsx", sheet=sheet, shared_strings=b"".join(strings))
    table = read(path)()
    theirs = [[c for c in row] for row in load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)]
    assert table.headers == theirs[0] == ["Student ID", "First name"]
    assert table.rows == [["100001", theirs[1][1]], ["100002", "Ben"]] and theirs[1][1] == "Ana_x"


def test_an_xlsx_at_the_caps_is_read_and_one_past_them_is_refused(settings, tmp_path):
    settings.TABLE_MAX_COLUMNS, settings.TABLE_MAX_ROWS = 3, 2
    for rows, message in (([["a", "b", "c"], [1, 2, 3], [4, 5, 6]], None),
                          ([["a", "b", "c", "d"], [1, 2, 3, 4]], TOO_MANY_COLUMNS.format(limit=3)),
                          ([["a"], [1], [2], [3]], TOO_MANY_ROWS.format(limit=2))):
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        if message is None:
            assert read_table(buffer.getvalue(), "t.xlsx").rows == [["1", "2", "3"], ["4", "5", "6"]]
            continue
        with pytest.raises(TableUnreadable) as refused:
            read_table(buffer.getvalue(), "t.xlsx")
        assert str(refused.value) == message

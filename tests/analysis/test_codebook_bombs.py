"""A codebook upload cannot exhaust the server: 200,000 nested codes (the reviewer's 3.4 MB file),
a CSV of a million columns or a giant field are refused with a plain message, quickly, in little
memory, and nothing is written."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from analysis.codebook import TOO_MANY_CODES, CodebookRefused, import_csv
from analysis.models import Code
from analysis.qdc import TOO_DEEP, import_qdc


def _measured(call):
    tracemalloc.start()
    started = time.monotonic()
    try:
        call()
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak


def _refused(call, exception, match):
    def run():
        with pytest.raises(exception, match=match):
            call()
    return _measured(run)


def test_two_hundred_thousand_nested_codes_are_refused_quickly(team, settings):
    settings.CODEBOOK_MAX_CODES = 1000
    nested = "".join(f'<Code guid="{i}" name="c{i}" isCodable="true">' for i in range(200_000))
    xml = (f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{nested}'
           + "</Code>" * 200_000 + "</Codes></CodeBook>").encode()
    assert len(xml) > 3_000_000
    elapsed, peak = _refused(lambda: import_qdc(team.program, xml), ValueError, "20 levels")
    # Counted while streaming, so refused long before the 200,000 elements exist (a whole tree: 120 MB).
    assert elapsed < 5 and peak < 20_000_000 and not Code.objects.filter(program=team.program).exists()


def test_two_hundred_thousand_codes_side_by_side_are_refused_at_the_cap(team, settings):
    settings.CODEBOOK_MAX_CODES = 1000
    codes = "".join(f'<Code guid="{i}" name="c{i}" isCodable="true"/>' for i in range(200_000))
    xml = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>'.encode()
    elapsed, peak = _refused(lambda: import_qdc(team.program, xml), ValueError, "more than 1000 codes")
    assert elapsed < 5 and peak < 20_000_000 and not Code.objects.filter(program=team.program).exists()


def test_codes_nested_hundreds_deep_are_refused(team):
    nested = "".join(f'<Code guid="{i}" name="c{i}">' for i in range(50))
    xml = (f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{nested}' + "</Code>" * 50 + "</Codes></CodeBook>").encode()
    with pytest.raises(ValueError, match="20 levels"):
        import_qdc(team.program, xml)
    assert TOO_DEEP and not Code.objects.filter(program=team.program).exists()


def test_a_csv_with_more_codes_than_allowed_writes_nothing(team, settings):
    settings.CODEBOOK_MAX_CODES = 100
    text = "category,code\n" + "".join(f"Time,code {i}\n" for i in range(101))
    with pytest.raises(CodebookRefused, match="101 codes"):  # a CSV is counted after reading, within its caps
        import_csv(team.program, text)
    assert not Code.objects.filter(program=team.program).exists() and TOO_MANY_CODES


def test_a_csv_of_a_million_columns_is_refused_in_bounded_memory(team):
    text = "category,code," + ",".join("x" for _ in range(1_000_000)) + "\nTime,Lunch\n"
    elapsed, peak = _refused(lambda: import_csv(team.program, text), CodebookRefused, "columns")
    assert elapsed < 5 and peak < 60_000_000


def test_a_giant_field_is_a_plain_refusal_not_a_500(team):
    text = "category,code,definition\nTime,Lunch," + "x" * 200_000 + "\n"
    with pytest.raises(CodebookRefused):
        import_csv(team.program, text)

"""Each format of the note import read into blocks, and the files it refuses, with a message a person can act on."""

from __future__ import annotations

import io
import zipfile

import pytest

from interviews.note_import import parse_file
from interviews.note_import.blocks import (
    EMPTY,
    MAX_BLOCKS,
    NOT_A_DOCX,
    NOT_TEXT,
    TOO_MANY_BLOCKS,
    TOO_SLOW,
    UNSUPPORTED,
    Deadline,
    ImportFileRefused,
)
from interviews.note_import.sheets import NO_TEXT_COLUMN
from tests.interviews.note_import_files import (
    docx_bytes,
    meeting_vtt,
    srt_bytes,
    typed_notes_docx,
    vtt_bytes,
    xlsx_bytes,
)
from toolkit.limits import ARCHIVE_TOO_COMPRESSED, UploadLimits


def parse(name: str, data: bytes):
    return parse_file(io.BytesIO(data), name)


def summary(parsed):
    return [(b.speaker, b.text, b.question_hint) for b in parsed.blocks]


def test_a_word_document_gives_speaker_lines_under_their_headings():
    parsed = parse("notes.docx", typed_notes_docx())
    assert parsed.format == "docx"
    assert summary(parsed) == [
        ("Anita Q. Zorrilla", "The line for lunch takes twenty minutes.", "Question 1"),
        ("BENITO", "We eat in ten minutes after that.", "Question 1"),
        ("Anita Q. Zorrilla", "My friends sit outside when it is sunny.", "Question 2"),
    ]
    assert [b.position for b in parsed.blocks] == [1, 2, 3]


def test_the_documents_title_is_no_question_hint():
    parsed = parse("notes.docx", docx_bytes([("Title", "Lunch focus group"), ("", "Ana: Hi everyone."),
                                             ("Heading 2", "Question 1"), ("", "Ana: Too short.")]))
    assert summary(parsed) == [("Ana", "Hi everyone.", ""), ("Ana", "Too short.", "Question 1")]


def test_a_name_on_its_own_paragraph_owns_the_paragraphs_below_it():
    parsed = parse("notes.docx", docx_bytes([("", "Ana"), ("", "I like the library."), ("", "It is quiet."),
                                             ("", "Ben:"), ("", "Same here.")]))
    assert summary(parsed) == [("Ana", "I like the library.", ""), ("Ana", "It is quiet.", ""), ("Ben", "Same here.", "")]


def test_plain_text_reads_every_speaker_form_and_question_lines():
    text = ("Q1: What is lunch like?\n"
            "Ana: Too short.\nReally.\n\n"
            "JOSÉ LUIS - Too loud.\n"
            "[Carla] Fine for me.\n"
            "We asked: why is that?\n\n"
            "Question 2\n"
            "Student 3: I sit alone.\n")
    parsed = parse("notes.txt", text.encode())
    assert parsed.format == "text"
    assert summary(parsed) == [
        ("Ana", "Too short.\nReally.", "Q1: What is lunch like?"),
        ("JOSÉ LUIS", "Too loud.", "Q1: What is lunch like?"),
        ("Carla", "Fine for me.\nWe asked: why is that?", "Q1: What is lunch like?"),
        ("Student 3", "I sit alone.", "Question 2"),
    ]


def test_markdown_headings_are_question_hints_and_bold_names_are_speakers():
    text = "# Session notes\n\n## Lunch\n\n**Ana:** Too short.\n\n- **Ben**: Too loud.\n\n## Friends\n\nAna: Mine sit outside.\n"
    parsed = parse("notes.md", text.encode())
    assert summary(parsed) == [("Ana", "Too short.", "Lunch"), ("Ben", "Too loud.", "Lunch"), ("Ana", "Mine sit outside.", "Friends")]


def test_a_sentence_with_a_colon_is_not_a_speaker():
    parsed = parse("notes.txt", b"Ana: We said it.\nThe problem was simple: no time.\n")
    assert summary(parsed) == [("Ana", "We said it.\nThe problem was simple: no time.", "")]


def test_webvtt_voices_merge_consecutive_cues_of_one_speaker_with_first_start_and_last_end():
    parsed = parse("meeting.vtt", meeting_vtt())
    assert parsed.format == "vtt"
    assert [(b.speaker, b.text, b.start_ms, b.end_ms) for b in parsed.blocks] == [
        ("Facilitadora Kim", "So, what is lunch like for you?", 1000, 4000),
        ("Anita Q. Zorrilla", "The café is too loud. Nobody can hear anybody.", 4500, 9250),
        ("BENITO", "I eat in the library.", 751000, 755000),
        ("Zed Scribe", "Several students nodded.", 755000, 757000),
    ]


def test_a_cue_without_a_speaker_continues_the_one_before():
    parsed = parse("meeting.vtt", vtt_bytes([(0, 1, "Ana: Lunch is"), (1, 2, "too short.")]))
    assert [(b.speaker, b.text, b.end_ms) for b in parsed.blocks] == [("Ana", "Lunch is too short.", 2000)]


def test_subrip_reads_speaker_prefixes_and_times():
    parsed = parse("meeting.srt", srt_bytes([(1, 2.5, "Ana: Hola."), (3, 4, "Ana: <i>Sigo.</i>"), (5, 6, "Ben: Yo no.")]))
    assert parsed.format == "srt"
    assert [(b.speaker, b.text, b.start_ms, b.end_ms) for b in parsed.blocks] == [
        ("Ana", "Hola. Sigo.", 1000, 4000), ("Ben", "Yo no.", 5000, 6000)]


def test_a_spreadsheet_row_is_a_block_and_a_question_holds_until_the_next_one():
    data = xlsx_bytes([["Speaker", "Question", "Text"], ["Ana", "Q1", "Too short."], ["Ben", "", "Too loud."],
                       ["Ana", "Q2", ""], ["Carla", "Q2", "Outside."]])
    parsed = parse("notes.xlsx", data)
    assert parsed.format == "spreadsheet"
    assert summary(parsed) == [("Ana", "Too short.", "Q1"), ("Ben", "Too loud.", "Q1"), ("Carla", "Outside.", "Q2")]


def test_a_csv_in_spanish_column_names_is_read_too():
    parsed = parse("notas.csv", b"Hablante,Pregunta,Texto\nAna,1,La comida es rica.\n")
    assert summary(parsed) == [("Ana", "La comida es rica.", "1")]


def test_a_spreadsheet_without_a_text_column_is_refused():
    with pytest.raises(ImportFileRefused, match=str(NO_TEXT_COLUMN)[:30]):
        parse("notes.csv", b"speaker,when\nAna,today\n")


@pytest.mark.parametrize("data", ["Ana: café\n".encode("utf-16"), "\ufeffAna: café\n".encode(), "Ana: café\n".encode("cp1252")])
def test_utf16_with_its_mark_utf8_and_windows_text_are_read(data):
    assert summary(parse("notes.txt", data)) == [("Ana", "café", "")]


@pytest.mark.parametrize("data", [b"Ana: \x81\x8d words\n", b"PK\x03\x04\x00\x00binary"])
def test_bytes_that_are_no_text_are_refused_with_what_to_do(data):
    with pytest.raises(ImportFileRefused) as refusal:
        parse("notes.txt", data)
    assert str(refusal.value) == str(NOT_TEXT)


@pytest.mark.parametrize("name, data", [("notes.txt", b""), ("notes.md", b"# Only a heading\n\n"), ("meeting.vtt", b"WEBVTT\n\n"),
                                        ("notes.docx", None)])
def test_an_empty_file_is_refused(name, data):
    data = docx_bytes([("Heading 1", "Nothing below")]) if data is None else data
    with pytest.raises(ImportFileRefused) as refusal:
        parse(name, data)
    assert str(refusal.value) == str(EMPTY)


def test_an_unknown_kind_of_file_is_refused():
    with pytest.raises(ImportFileRefused) as refusal:
        parse("notes.pdf", b"%PDF-1.7")
    assert str(refusal.value) == str(UNSUPPORTED)


def test_a_damaged_transcript_says_so():
    with pytest.raises(ImportFileRefused, match="WebVTT"):
        parse("meeting.vtt", b"not a transcript at all")


def test_a_file_named_docx_that_is_not_one_is_refused():
    with pytest.raises(ImportFileRefused) as refusal:
        parse("notes.docx", b"Ana: hello")
    assert str(refusal.value) == str(NOT_A_DOCX)


def test_a_docx_zip_bomb_is_refused_before_python_docx_opens_it(monkeypatch):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (3 * 1024 * 1024) + "</w:document>")
    opened = []
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a))
    with pytest.raises(ImportFileRefused) as refusal:
        parse("bomb.docx", data.getvalue())
    assert "unpacks to more than" in str(refusal.value)
    assert str(refusal.value) == ARCHIVE_TOO_COMPRESSED.format(name="word/document.xml", limit=UploadLimits.from_settings().max_compression_ratio)
    assert opened == []


def test_more_blocks_than_the_cap_are_refused():
    text = "".join(f"Ana: line {n}\n\n" for n in range(MAX_BLOCKS + 1)).encode()
    with pytest.raises(ImportFileRefused) as refusal:
        parse("notes.txt", text)
    assert str(refusal.value) == TOO_MANY_BLOCKS.format(limit=MAX_BLOCKS)


def test_reading_past_the_time_cap_is_stopped():
    with pytest.raises(ImportFileRefused) as refusal:
        parse_file(io.BytesIO(b"Ana: one\n\nBen: two\n"), "notes.txt", deadline=Deadline(seconds=-1))
    assert str(refusal.value) == TOO_SLOW.format(limit=-1)


def test_a_spreadsheet_over_the_row_cap_is_refused_in_the_tables_words(settings):
    settings.TABLE_MAX_ROWS = 3
    with pytest.raises(ImportFileRefused, match="more than 3 rows"):
        parse("notes.csv", b"speaker,text\n" + b"Ana,words\n" * 4)


def test_a_speaker_holding_the_floor_past_one_notes_length_continues_in_a_new_block():
    from interviews.note_import.blocks import MAX_BLOCK_CHARACTERS

    cue = "word " * 1000  # about 5,000 characters a cue
    parsed = parse("meeting.vtt", vtt_bytes([(n, n + 1, f"<v Ana>{cue}</v>") for n in range(6)]))
    assert len(parsed.blocks) == 2 and all(len(b.text) <= MAX_BLOCK_CHARACTERS for b in parsed.blocks)
    assert (parsed.blocks[0].start_ms, parsed.blocks[1].start_ms, parsed.blocks[1].end_ms) == (0, 4000, 6000)


@pytest.mark.parametrize("name, seed", [("notes.docx", typed_notes_docx), ("meeting.vtt", meeting_vtt),
                                        ("notes.xlsx", lambda: xlsx_bytes([["speaker", "text"], ["Ana", "words"]]))])
def test_a_damaged_file_is_refused_with_a_message_never_an_error(name, seed):
    """Deterministic byte damage (a few flipped, cut or inserted bytes): parsed, or refused in words; nothing else."""
    import random

    rng = random.Random(18)
    original = seed()
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[at] = rng.randrange(256)
            elif choice < 0.7:
                del data[at:at + rng.randint(1, 60)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        try:
            parse(name, bytes(data))
        except ImportFileRefused:
            pass

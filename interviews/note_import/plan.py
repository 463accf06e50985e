"""From the blocks of a file to the notes it makes: who each speaker is, which question each block answers,
every problem in the way, and the import itself (all or nothing). See the package docstring for the rules."""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interviews.assent import speakers as session_speakers
from interviews.models import Note, NoteImport, NoteKind, NoteStep, Question, Session
from interviews.note_import.blocks import MAX_BLOCK_CHARACTERS, Block, ParsedFile
from interviews.note_import.pending import (
    AlreadyImported,
    PendingUpload,
    check_not_imported,
    check_open,
    discard_pending,
    parse_pending,
)

__all__ = ["AlreadyImported", "ImportProblems", "build_plan", "guess_mapping", "import_notes", "match_question"]

STUDENT = "student:"
GROUP, FACILITATOR, FACILITATOR_OBSERVATION, NOTE_TAKER, IGNORE = (
    "group", "facilitator", "facilitator_observation", "note_taker", "ignore")
ICEBREAKER = "icebreaker"
KEPT = {GROUP: NoteKind.STUDENT, FACILITATOR_OBSERVATION: NoteKind.OBSERVATION, NOTE_TAKER: NoteKind.OBSERVATION}
# Words a file uses for the staff or the whole group instead of a name.
FACILITATOR_WORDS = {"facilitator", "interviewer", "host", "moderator", "facilitador", "facilitadora",
                     "entrevistador", "entrevistadora", "moderador", "moderadora"}
NOTE_TAKER_WORDS = {"note taker", "notetaker", "scribe", "note", "notes", "observation", "observacion", "nota", "notas", "secretario", "secretaria",
                    "tomador de notas"}
GROUP_WORDS = {"group", "all", "everyone", "students", "several", "many", "grupo", "todos", "todas", "estudiantes",
               "varios", "varias"}
# How close a heading or a facilitator's line must be to a question's text to be taken for it (0 to 1).
QUESTION_LIKENESS = 0.8
MAX_HAND_CHOICES = 50  # rows of "from block N on, question Q"

UNMAPPED = _("“{speaker}” is not matched to anyone: choose who it is, or “Ignore”.")
NO_SPEAKER = _("Some blocks name no speaker: choose who spoke them (the group, for example), or “Ignore”.")
NOT_A_SPEAKER = _("A chosen student is not in this session, or may not be given words today.")
NOTHING_TO_IMPORT = _("Nothing would be imported: every speaker is ignored.")
NO_QUESTION_FOUND = _("No block could be matched to a question of the protocol. Below the mapping, choose the question "
                      "of the first block of each answer.")
WITHOUT_QUESTION = _("No question for blocks {blocks}: choose, below the mapping, the question they answer.")
TOO_LONG_BLOCKS = _("Blocks {blocks} hold more than {limit:,} characters, more than one note holds: split them in the "
                    "file, or choose “Ignore” for their speaker.")
BAD_BLOCK_NUMBER = _("Block {number} is not in the file (it has {count} blocks).")
NAME_OPENS_WORDS = _("Blocks {blocks} begin with the name of a student of this session (“{name}”): if it says who spoke, "
                     "write it as “{name}: …” in the file and read the file again, or the name is imported with the "
                     "words.")


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


_ORDINAL = re.compile(r"^\s*(?:q|question|pregunta|p)\s*\.?\s*(?:n[o°º]\.?\s*)?(\d{1,2})\b\s*[:.)\-–—]?\s*", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]\s+")
_FIRST_SENTENCE = re.compile(r"^.+?[.?!](?=\s+\S)")  # a question's first sentence when more follow
_LABEL = re.compile(r"^\s*(?:q|question|pregunta)\s*[:.]\s*", re.IGNORECASE)


def match_question(hint: str, questions: list[Question], *, by_number: bool = True) -> Question | None:
    """The protocol question a heading or a line stands for: by its number ("Question 2", "Q2", "2."), else by
    its text (the question's own or a translation's), exactly once normalised or at QUESTION_LIKENESS."""
    if not hint.strip() or not questions:
        return None
    rest = hint
    number = _ORDINAL.match(hint) or _NUMBERED.match(hint)
    if number:
        rest = hint[number.end():]
        if by_number and 1 <= int(number.group(1)) <= len(questions):
            return questions[int(number.group(1)) - 1]
    rest = normalised(_LABEL.sub("", rest))
    if not rest:
        return None
    best, score = None, 0.0
    for question in questions:
        texts = [question.text] + [t.get("text", "") for t in (question.translations or {}).values() if isinstance(t, dict)]
        # A facilitator often asks only a question's first sentence ("Tell me about an adult you trust."), without
        # its follow-up ("What do they do that makes a difference?"): that sentence stands for the question too.
        texts += [sentence.group(0) for text in texts
                  if (sentence := _FIRST_SENTENCE.match(text.strip())) and len(sentence.group(0).split()) >= 4]
        for text in texts:
            candidate = normalised(text)
            if not candidate:
                continue
            if candidate == rest:
                return question
            likeness = difflib.SequenceMatcher(None, rest, candidate).ratio()
            if likeness > score:
                best, score = question, likeness
    return best if score >= QUESTION_LIKENESS else None


def _names(person) -> set[str]:
    first, last = getattr(person, "first_name", "") or "", getattr(person, "last_name", "") or ""
    names = {normalised(first), normalised(f"{first} {last}"), normalised(f"{first} {last[:1]}")}
    if getattr(person, "username", ""):
        names.add(normalised(person.username))
    if getattr(person, "pseudonym", ""):
        names.add(normalised(person.pseudonym))
    return {name for name in names if name}


def guess_mapping(*, speakers: list[str], students: list, session: Session) -> dict[str, str]:
    """A first choice for each speaker name ("" when no guess): a student by full name, first name (when only one
    student has it), first name and initial, or pseudonym; the facilitator and note-taker by name or role word;
    the group by a word for it."""
    by_name: dict[str, set[str]] = {}
    for student in students:
        for name in _names(student):
            by_name.setdefault(name, set()).add(f"{STUDENT}{student.pk}")
    for name in _names(session.facilitator):
        by_name.setdefault(name, set()).add(FACILITATOR)
    if session.note_taker is not None:
        for name in _names(session.note_taker):
            by_name.setdefault(name, set()).add(NOTE_TAKER)
    guesses = {}
    for speaker in speakers:
        key = normalised(speaker)
        found = by_name.get(key, set())
        if len(found) == 1:
            guesses[speaker] = next(iter(found))
        elif key in FACILITATOR_WORDS or key.split(" ")[0] in FACILITATOR_WORDS:
            guesses[speaker] = FACILITATOR
        elif key in NOTE_TAKER_WORDS:
            guesses[speaker] = NOTE_TAKER
        elif key in GROUP_WORDS:
            guesses[speaker] = GROUP
        else:
            guesses[speaker] = ""
    return guesses


@dataclass
class PlannedBlock:
    block: Block
    choice: str
    student: object | None = None
    kind: str | None = None  # None: the block makes no note (ignored, or the facilitator's question)
    step: str | None = None
    question: Question | None = None
    problem: str = ""

    @property
    def kept(self) -> bool:
        return self.kind is not None


@dataclass
class Plan:
    blocks: list[PlannedBlock]
    problems: list[str] = field(default_factory=list)
    # What the person should look at but may import as it is.
    warnings: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[PlannedBlock]:
        return [planned for planned in self.blocks if planned.kept]


# A line that opens with one or two words and a dash, colon or comma: "Olivia - I sit with…", "Olivia Ruiz, well…".
_OPENING_NAME = re.compile(r"^\s*([^\W\d_][\w'’]*(?:\s+[^\W\d_][\w'’]*)?)\s*[-–—:,]\s")


def names_opening_words(*, kept: list[PlannedBlock], students: list) -> list[str]:
    """A speaker line the file's conventions did not recognise ("Olivia - words", a name not in capitals) leaves a
    student's name at the start of the words: say so before the name is stored with them."""
    names = {}
    for student in students:
        for name in (student.first_name, f"{student.first_name} {student.last_name}"):
            if normalised(name):
                names[normalised(name)] = name
    found: dict[str, list[PlannedBlock]] = {}
    for item in kept:
        match = _OPENING_NAME.match(item.block.text)
        if match:
            words = match.group(1).split()
            for candidate in (" ".join(words), words[0]):
                if normalised(candidate) in names:
                    found.setdefault(names[normalised(candidate)], []).append(item)
                    break
    return [NAME_OPENS_WORDS.format(blocks=_numbers(items), name=name) for name, items in found.items()]


_UNPLACED = object()  # after a heading that matches no question and comes past the protocol's last one


def build_plan(*, parsed: ParsedFile, mapping: dict[str, str], hand: dict[int, str], students: list,
               questions: list[Question]) -> Plan:
    """What importing `parsed` would create. `mapping`: each speaker name to a choice (STUDENT + id, GROUP,
    FACILITATOR, FACILITATOR_OBSERVATION, NOTE_TAKER, IGNORE, or "" for none yet); `hand`: block position to
    ICEBREAKER or a question id, chosen by hand for that block and the ones after it."""
    allowed = {f"{STUDENT}{s.pk}": s for s in students}
    by_id = {str(q.pk): q for q in questions}
    problems: list[str] = []
    for speaker in parsed.speakers():
        choice = mapping.get(speaker, "")
        if not choice:
            problems.append(str(NO_SPEAKER) if not speaker else UNMAPPED.format(speaker=speaker))
        elif choice.startswith(STUDENT) and choice not in allowed and str(NOT_A_SPEAKER) not in problems:
            problems.append(str(NOT_A_SPEAKER))
    count = len(parsed.blocks)
    for number in sorted(hand):
        if not 1 <= number <= count:
            problems.append(BAD_BLOCK_NUMBER.format(number=number, count=count))
    planned: list[PlannedBlock] = []
    current: object = None
    last = -1  # the index of the last question placed
    previous_hint = ""
    for block in parsed.blocks:
        choice = mapping.get(block.speaker, "")
        chosen = hand.get(block.position)
        if chosen:
            current = ICEBREAKER if chosen == ICEBREAKER else by_id.get(chosen, _UNPLACED)
        elif block.question_hint and block.question_hint != previous_hint:
            found = match_question(block.question_hint, questions)
            if found is None:  # a heading of its own words: the question after the last one, in protocol order
                found = questions[last + 1] if last + 1 < len(questions) else _UNPLACED
            current = found
        elif choice == FACILITATOR and (found := match_question(block.text, questions, by_number=False)):
            current = found
        previous_hint = block.question_hint
        if isinstance(current, Question):
            last = questions.index(current)
        item = PlannedBlock(block=block, choice=choice)
        if choice.startswith(STUDENT) and choice in allowed:
            item.student, item.kind = allowed[choice], NoteKind.STUDENT
        elif choice in KEPT:
            item.kind = KEPT[choice]
        if isinstance(current, Question):  # shown for every block, made into a note only for those kept
            item.step, item.question = NoteStep.QUESTION, current
        elif current == ICEBREAKER or current is None:
            item.step = NoteStep.ICEBREAKER  # before the first question (checked below)
        if item.kept and len(block.text) > MAX_BLOCK_CHARACTERS:
            item.problem = "too_long"
        planned.append(item)
    kept = [item for item in planned if item.kept]
    if not kept and not problems:
        problems.append(str(NOTHING_TO_IMPORT))
    if kept and not any(item.question for item in kept) and not any(hand.values()):
        problems.append(str(NO_QUESTION_FOUND))
        for item in kept:
            item.step, item.problem = None, item.problem or "no_question"
    unplaced = [item for item in kept if item.step is None and item.problem != "no_question"]
    for item in unplaced:
        item.problem = "no_question"
    if unplaced:
        problems.append(WITHOUT_QUESTION.format(blocks=_numbers(unplaced)))
    too_long = [item for item in kept if item.problem == "too_long"]
    if too_long:
        problems.append(TOO_LONG_BLOCKS.format(blocks=_numbers(too_long), limit=MAX_BLOCK_CHARACTERS))
    return Plan(blocks=planned, problems=problems, warnings=names_opening_words(kept=kept, students=students))


def _numbers(items: list[PlannedBlock]) -> str:
    numbers = [f"#{item.block.position}" for item in items]
    return ", ".join(numbers[:30]) + (f" (+{len(numbers) - 30})" if len(numbers) > 30 else "")


class ImportProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__(ngettext("%(count)d problem; nothing was imported.", "%(count)d problems; nothing was imported.",
                                  len(problems)) % {"count": len(problems)})
        self.problems = problems


def plan_for(*, session: Session, pending: PendingUpload, mapping: dict[str, str], hand: dict[int, str],
             parsed: ParsedFile | None = None) -> Plan:
    return build_plan(parsed=parsed or parse_pending(pending), mapping=mapping, hand=hand,
                      students=session_speakers(session), questions=list(session.protocol.questions.all()))


def import_notes(*, session: Session, pending: PendingUpload, mapping: dict[str, str], hand: dict[int, str],
                 user) -> NoteImport:
    """Create every note of the file, or none: ImportProblems lists what is in the way, AlreadyImported says the
    file is in the session already. The stored file is deleted once the notes are saved."""
    check_open(session)
    check_not_imported(session, pending.sha256)
    plan = plan_for(session=session, pending=pending, mapping=mapping, hand=hand)
    if plan.problems:
        raise ImportProblems(plan.problems)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = NoteImport.objects.create(session=session, file_name=pending.name, file_sha256=pending.sha256,
                                                   format=pending.format, notes_created=len(plan.notes), imported_by=user)
        except IntegrityError:  # the same file, imported a moment ago from another tab
            check_not_imported(session, pending.sha256)
            raise
        Note.objects.bulk_create([
            Note(id=uuid.uuid4(), session=session, step=item.step, question=item.question, student=item.student,
                 kind=item.kind, text=item.block.text, language="", version=1, author=user, imported_from=record,
                 source_position=item.block.position, source_start_ms=item.block.start_ms, source_end_ms=item.block.end_ms)
            for item in plan.notes], batch_size=500)
    transaction.on_commit(lambda: discard_pending(pending))
    return record

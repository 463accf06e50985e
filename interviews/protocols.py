"""Writing a protocol: questions in order, readiness, versions that freeze once used, and reviews.

Every edit goes through `editable_version`: a version a session has started with is never changed;
the edit lands on a new version that copies it, so notes stay linked to the words that were asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interviews.models import Protocol, ProtocolReview, Question, Session, SessionStatus
from interviews.protected_topics import protocol_letter_gaps
from programs.models import Membership, Program, Role
from toolkit.languages import offered

SCRIPT_FIELDS = ("theme", "purpose", "guidelines", "icebreaker", "wrap_up", "assent", "facilitator_notes")
# A protocol is written in English (its own fields) and may carry each script and question in the other
# offered languages (`translations`, by code); the facilitator notes stay in the team's language.
BASE_LANGUAGE = "en"
TRANSLATED_SCRIPTS = ("theme", "purpose", "guidelines", "icebreaker", "wrap_up", "assent")
# What students hear, read aloud by the facilitator: written in the lead's language when a protocol starts.
DEFAULT_GUIDELINES = _(
    "What you say stays in this room; we share what we learn without names. You can pass on any question. "
    "There are no right or wrong answers: we want to hear your experience."
)
DEFAULT_WRAP_UP = _(
    "Thank you for sharing with us. If you think of something later, you can add it with the link on your slip "
    "in the next two weeks."
)
TOO_MANY = _("It has {count} questions; keep it to {maximum} so there is time for follow-ups.")
EMPTY_SCRIPTS = {
    "purpose": _("Write the purpose statement students will hear."),
    "guidelines": _("Write the ground rules students will hear."),
    "wrap_up": _("Write the wrap-up students will hear."),
}
NO_OPENING = _("Mark at least one opening question every student can connect with, and put it first.")


def too_few(count: int, minimum: int) -> str:
    return ngettext("It has {count} question; a ready protocol needs at least {minimum}.",
                    "It has {count} questions; a ready protocol needs at least {minimum}.", count).format(
        count=count, minimum=minimum)


class ProtocolNotReady(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Edit:
    """The version an edit landed on, and how old question ids map to its questions."""

    protocol: Protocol
    question_ids: dict[int, int]

    @property
    def forked(self) -> bool:
        return bool(self.question_ids)


def current_protocol(program: Program) -> Protocol | None:
    return program.protocols.order_by("-version").first()


def start_protocol(*, program: Program, user) -> Protocol:
    """The program's latest version, or a first draft with the scripts filled in from the program."""
    protocol = current_protocol(program)
    if protocol is None:
        protocol = Protocol.objects.create(
            program=program, version=1, theme=program.theme, purpose=program.purpose,
            guidelines=str(DEFAULT_GUIDELINES), wrap_up=str(DEFAULT_WRAP_UP), created_by=user,
        )
    return protocol


def in_use(protocol: Protocol) -> bool:
    return Session.objects.filter(
        protocol=protocol, status__in=[SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED]
    ).exists()


@transaction.atomic
def editable_version(protocol: Protocol, *, user) -> Edit:
    """The version to change: this one, or a new copy when a session has started with this one."""
    if not in_use(protocol):
        return Edit(protocol, {})
    latest = Protocol.objects.select_for_update().filter(program=protocol.program).aggregate(v=Max("version"))["v"]
    copy = Protocol.objects.create(
        program=protocol.program, version=latest + 1, based_on=protocol, marked_ready=protocol.marked_ready,
        created_by=user, translations=protocol.translations,
        **{name: getattr(protocol, name) for name in SCRIPT_FIELDS},
    )
    mapping = {}
    for question in protocol.questions.all():
        old_id = question.pk
        question.pk, question.protocol = None, copy
        question.save()
        mapping[old_id] = question.pk
    return Edit(copy, mapping)


def readiness_problems(protocol: Protocol, questions: list[Question] | None = None) -> list[str]:
    """Why this version is not ready to use with students (empty when it is)."""
    questions = list(protocol.questions.all()) if questions is None else questions
    count = len(questions)
    problems = []
    if count < settings.PROTOCOL_MIN_QUESTIONS:
        problems.append(too_few(count, settings.PROTOCOL_MIN_QUESTIONS))
    if count > settings.PROTOCOL_MAX_QUESTIONS:
        problems.append(TOO_MANY.format(count=count, maximum=settings.PROTOCOL_MAX_QUESTIONS))
    for name, empty in EMPTY_SCRIPTS.items():
        if not getattr(protocol, name).strip():
            problems.append(str(empty))
    if questions and not any(q.is_opening for q in questions):
        problems.append(str(NO_OPENING))
    # Questions touching a topic the PPRA names need the consent letter to name it and offer an opt-out.
    problems += protocol_letter_gaps(protocol, questions)
    return problems


def is_ready(protocol: Protocol, questions: list[Question] | None = None) -> bool:
    return protocol.marked_ready and not readiness_problems(protocol, questions)


def mark_ready(protocol: Protocol, *, user) -> Protocol:
    problems = readiness_problems(protocol)
    if problems:
        raise ProtocolNotReady(problems)
    edit = editable_version(protocol, user=user)
    edit.protocol.marked_ready = True
    edit.protocol.save(update_fields=["marked_ready"])
    return edit.protocol


def mark_draft(protocol: Protocol, *, user) -> Protocol:
    edit = editable_version(protocol, user=user)
    edit.protocol.marked_ready = False
    edit.protocol.save(update_fields=["marked_ready"])
    return edit.protocol


def update_scripts(protocol: Protocol, *, user, translations: dict | None = None, **scripts: str) -> Protocol:
    """Change the scripts; `translations` ({"es": {"purpose": ...}}) replaces the scripts in those languages."""
    edit = editable_version(protocol, user=user)
    for name in SCRIPT_FIELDS:
        if name in scripts:
            setattr(edit.protocol, name, scripts[name])
    if translations is not None:
        kept = dict(edit.protocol.translations or {})
        for code, texts in translations.items():
            cleaned = {name: texts[name].strip() for name in TRANSLATED_SCRIPTS if (texts.get(name) or "").strip()}
            kept[code] = {**{k: v for k, v in kept.get(code, {}).items() if k not in TRANSLATED_SCRIPTS}, **cleaned}
        edit.protocol.translations = {code: texts for code, texts in kept.items() if texts}
    edit.protocol.save()
    return edit.protocol


def _clean_follow_ups(follow_ups) -> list[str]:
    return [line.strip() for line in follow_ups if line and line.strip()]


def _clean_translations(translations: dict | None) -> dict:
    """{"es": {"text": ..., "follow_ups": [...]}} without empty entries: a language without its question is no translation."""
    cleaned = {}
    for code, entry in (translations or {}).items():
        text = (entry.get("text") or "").strip()
        if code != BASE_LANGUAGE and text:
            cleaned[code] = {"text": text, "follow_ups": _clean_follow_ups(entry.get("follow_ups") or ())}
    return cleaned


def add_question(protocol: Protocol, *, user, text: str, follow_ups=(), is_opening: bool = False,
                 translations: dict | None = None) -> Question:
    edit = editable_version(protocol, user=user)
    position = (edit.protocol.questions.aggregate(p=Max("position"))["p"] or 0) + 1
    return Question.objects.create(protocol=edit.protocol, position=position, text=text.strip(),
                                   follow_ups=_clean_follow_ups(follow_ups), is_opening=is_opening,
                                   translations=_clean_translations(translations))


def _own_question(edit: Edit, question: Question) -> Question:
    return Question.objects.get(pk=edit.question_ids[question.pk]) if edit.forked else question


def update_question(question: Question, *, user, text: str, follow_ups=(), is_opening: bool = False,
                    translations: dict | None = None) -> Question:
    """Change a question; `translations`, when given, replaces its other languages (None keeps them)."""
    question = _own_question(editable_version(question.protocol, user=user), question)
    question.text, question.follow_ups, question.is_opening = text.strip(), _clean_follow_ups(follow_ups), is_opening
    if translations is not None:
        question.translations = _clean_translations(translations)
    question.save()
    return question


@transaction.atomic
def delete_question(question: Question, *, user) -> Protocol:
    edit = editable_version(question.protocol, user=user)
    _own_question(edit, question).delete()
    _renumber(edit.protocol)
    return edit.protocol


@transaction.atomic
def move_question(question: Question, *, user, step: int) -> Protocol:
    """Move a question up (step -1) or down (step +1)."""
    edit = editable_version(question.protocol, user=user)
    question = _own_question(edit, question)
    ordered = list(edit.protocol.questions.all())
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(edit.protocol, ordered)
    return edit.protocol


def _renumber(protocol: Protocol, ordered: list[Question] | None = None) -> None:
    ordered = list(protocol.questions.all()) if ordered is None else ordered
    for position, question in enumerate(ordered, start=1):
        question.position = position
    Question.objects.bulk_update(ordered, ["position"])


def translation_languages() -> list[str]:
    """The languages a protocol may be translated into: every offered one but its own."""
    return [code for code in offered() if code != BASE_LANGUAGE]


def question_in(question: Question, language: str) -> tuple[str, list[str], bool]:
    """(text, follow-up prompts, translated) of a question in `language`; English when it has none there."""
    entry = (question.translations or {}).get(language) if language != BASE_LANGUAGE else None
    if entry and (entry.get("text") or "").strip():
        return entry["text"], list(entry.get("follow_ups") or []), True
    return question.text, list(question.follow_ups), language == BASE_LANGUAGE


def script_in(protocol: Protocol, name: str, language: str) -> tuple[str, bool]:
    """(text, translated) of one script in `language`; the English one when it has none there."""
    text = ((protocol.translations or {}).get(language) or {}).get(name, "") if language != BASE_LANGUAGE else ""
    if text.strip():
        return text, True
    english = getattr(protocol, name)
    return english, language == BASE_LANGUAGE or not english.strip()


def untranslated_positions(protocol: Protocol, language: str, questions: list[Question] | None = None) -> list[int]:
    """The numbers (from 1) of the questions without a version in `language`."""
    questions = list(protocol.questions.all()) if questions is None else questions
    return [number for number, question in enumerate(questions, start=1) if not question_in(question, language)[2]]


def protocol_languages(protocol: Protocol, questions: list[Question] | None = None) -> list[str]:
    """English, then each offered language at least one question or script of this protocol is written in."""
    questions = list(protocol.questions.all()) if questions is None else questions
    found = [code for code in translation_languages()
             if any(question_in(q, code)[2] for q in questions)
             or any(((protocol.translations or {}).get(code) or {}).get(name, "").strip() for name in TRANSLATED_SCRIPTS)]
    return [BASE_LANGUAGE, *found]


def fully_translated(protocol: Protocol, language: str, questions: list[Question] | None = None) -> bool:
    """Whether every question of the protocol (and there is one) has a version in `language`."""
    questions = list(protocol.questions.all()) if questions is None else questions
    return bool(questions) and not untranslated_positions(protocol, language, questions)


@dataclass(frozen=True)
class LocalText:
    text: str
    translated: bool  # False: shown in English because `language` has no version of it


@dataclass(frozen=True)
class LocalQuestion:
    question: Question
    text: str
    follow_ups: list[str]
    translated: bool


def localised(protocol: Protocol, language: str) -> dict:
    """The protocol as a session in `language` hears it: each script and question in that language, in
    English where it has none (marked `translated=False`), for the runner and the guide."""
    scripts = {name: LocalText(*script_in(protocol, name, language)) for name in TRANSLATED_SCRIPTS}
    questions = [LocalQuestion(q, *question_in(q, language)) for q in protocol.questions.all()]
    return {"language": language, "scripts": scripts, "questions": questions,
            "untranslated": [n for n, q in enumerate(questions, start=1) if not q.translated]}


def record_review(*, protocol: Protocol, user) -> ProtocolReview:
    review, _ = ProtocolReview.objects.get_or_create(protocol=protocol, user=user)
    return review


def has_reviewed(*, protocol: Protocol, user) -> bool:
    return ProtocolReview.objects.filter(protocol=protocol, user=user).exists()


def review_status(protocol: Protocol) -> list[tuple[object, bool]]:
    """Each facilitator on the team, and whether they have reviewed this version."""
    facilitators = [m.user for m in Membership.objects.filter(program=protocol.program, role=Role.FACILITATOR)
                    .select_related("user").order_by("user__first_name", "user__username")]
    reviewed = set(ProtocolReview.objects.filter(protocol=protocol).values_list("user_id", flat=True))
    return [(user, user.pk in reviewed) for user in facilitators]

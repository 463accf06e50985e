"""A wording check for interview questions: it catches what makes a student answer in one word.

Flags closed (yes/no, tag and either/or) questions, leading questions, double-barrelled questions
and very long ones. Each finding explains itself and proposes an open rewrite. Open prompts such as
"Tell me about…", "What advice would you give…" and "Can you tell me about a time when…" pass.
Plain functions over text; no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

QUESTION_MAX_WORDS = 30

CLOSED_STARTERS = frozenset({
    "do", "does", "did", "is", "are", "was", "were", "am", "have", "has", "had", "can", "could", "will",
    "would", "should", "shall", "may", "might", "must",
})
NEGATIVE_STARTERS = frozenset({
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "can't",
    "couldn't", "won't", "wouldn't", "shouldn't",
})
# "Can you tell me about…" asks for a story, not for a yes or no.
STORY_VERBS = ("tell", "describe", "share", "talk", "walk", "explain", "give", "think of", "think about",
               "remember", "recall", "say more", "help me understand", "show", "picture", "imagine")
LEADING_PHRASES = (
    "don't you think", "do not you think", "wouldn't you agree", "would you agree", "do you agree that",
    "isn't it true", "is it not true", "wouldn't you say", "surely", "obviously", "of course", "you must",
    "don't you feel", "how much do you love", "how much do you hate", "how much do you enjoy",
)
TAG_QUESTION = re.compile(
    r",\s*(right|correct|yeah|yes|ok|okay|true|no"
    r"|(is|are|was|were|do|does|did|have|has|had|can|could|will|would|should|wo)n'?t\s+(it|you|they|he|she|we|there|i))\s*\?*$"
)
SECOND_QUESTION = re.compile(
    r"\b(and|or|but|also)\s+((what|how|why|when|where|who)\b"
    r"|(do|does|did|is|are|can|could|would|will|should|have)\s+"
    r"(you|it|they|the|that|this|there|your|we|he|she|students?|teachers?|people|kids)\b)"
)
EITHER_OR = re.compile(r"\b(\w+(?:\s+\w+){0,3})\s+or\s+(\w+(?:\s+\w+){0,3})\s*\?*$")
DO_QUESTION = re.compile(r"^(do|does|did)\s+you\s+(\w+)\s+(.+)$")
HAVE_EVER = re.compile(r"^(have|has)\s+you\s+ever\s+(.+)$")
MODAL_QUESTION = re.compile(r"^(can|could|will|would|should)\s+you\s+(.+)$")
BE_THERE = re.compile(r"^(is|are|was|were)\s+there\s+(.+)$")


class FindingKind(StrEnum):
    CLOSED = "closed"
    LEADING = "leading"
    DOUBLE = "double"
    LONG = "long"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    explanation: str
    rewrites: tuple[str, ...]


def normalise(text: str) -> str:
    text = text.strip().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


def _plain(text: str) -> str:
    """Lower case, without the closing punctuation."""
    return normalise(text).lower().rstrip(" ?.!")


def _is_story_prompt(words: str) -> bool:
    # "can you tell me…", "could you please describe…", "would you share…"
    match = re.match(r"^(can|could|would|will)\s+you\s+(please\s+)?(.*)$", words)
    return bool(match) and match.group(3).startswith(STORY_VERBS)


def _sentence(text: str) -> str:
    text = normalise(text).rstrip(" ?.!")
    return text[:1].upper() + text[1:]


def _past(verb_phrase: str) -> str:
    # "been" is the one participle that does not read as a past tense after "when you".
    return re.sub(r"^been\b", "were", verb_phrase)


def closed_rewrites(text: str) -> tuple[str, ...]:
    words = _plain(text)
    if match := HAVE_EVER.match(words):
        return (f"Tell me about a time when you {_past(match.group(2))}.",
                f"What was it like when you {_past(match.group(2))}?")
    if (match := DO_QUESTION.match(words)) and match.group(2) not in {"think", "know"}:
        verb, rest = match.group(2), match.group(3)
        return (f"What do you {verb}, or not {verb}, about {rest}? Tell me about a time that shows it.",
                f"How would you describe your experience with {rest}?")
    if match := re.match(r"^(do|does|did)\s+you\s+(think|know)\s+(that\s+)?(.+)$", words):
        return (f"What do you think about {match.group(4)}?", "Tell me about a time that made you think that.")
    if match := BE_THERE.match(words):
        return (f"Tell me about {match.group(2)}.", f"What {match.group(2)} come to mind?")
    if (match := MODAL_QUESTION.match(words)) and not _is_story_prompt(words):
        return (f"What happens when you {match.group(2)}?", f"Tell me about a time when you tried to {match.group(2)}.")
    return ("Tell me about a time when …", "How would you describe …?", "What was it like when …?")


def check_question(text: str) -> list[Finding]:
    """Every wording problem in one question, each with why it matters and open rewrites."""
    findings: list[Finding] = []
    clean = normalise(text)
    if not clean:
        return findings
    words = _plain(clean)
    first = words.split(" ", 1)[0]
    leading = first in NEGATIVE_STARTERS or any(phrase in words for phrase in LEADING_PHRASES)
    if leading:
        findings.append(Finding(
            FindingKind.LEADING,
            "This question suggests the answer you expect, so students tend to agree instead of saying what they think.",
            ("What do you think about …?", "How do you feel about …?", "Tell me about your experience with …"),
        ))
    if TAG_QUESTION.search(clean.lower()):
        findings.append(Finding(
            FindingKind.CLOSED,
            "The ending (“…, right?”) asks the student to confirm, which invites a yes or a no.",
            (f"Tell me about {TAG_QUESTION.sub('', clean.lower()).strip(' ,?')}.", "How would you describe …?"),
        ))
    elif first in CLOSED_STARTERS and not _is_story_prompt(words):
        either = EITHER_OR.search(words)
        if either and " or " in words:
            findings.append(Finding(
                FindingKind.CLOSED,
                "This is an either/or question: it offers two answers, so students pick one instead of telling their own.",
                (f"How do you feel about {either.group(1)} and {either.group(2)}? Tell me more.",
                 "Tell me about a time when …"),
            ))
        elif not leading:
            findings.append(Finding(
                FindingKind.CLOSED,
                "This can be answered with a yes or a no. Ask for a story or a description instead.",
                closed_rewrites(clean),
            ))
    elif words.startswith("which") and EITHER_OR.search(words):
        findings.append(Finding(
            FindingKind.CLOSED,
            "This is an either/or question: it offers the answers, so students pick one instead of telling their own.",
            ("What matters most to you about …, and why?", "Tell me about a time when …"),
        ))
    second = SECOND_QUESTION.search(words)
    if clean.count("?") > 1 or (second and second.start() > 8):
        if clean.count("?") > 1:
            parts = [p.strip() for p in clean.split("?") if p.strip()]
        else:
            parts = [words[:second.start()].strip(" ,"), words[second.start() + len(second.group(1)):].strip()]
        findings.append(Finding(
            FindingKind.DOUBLE,
            "This asks two questions at once; students answer one and the other is lost.",
            tuple(f"{_sentence(part)}?" for part in parts[:2]),
        ))
    if len(words.split()) > QUESTION_MAX_WORDS:
        findings.append(Finding(
            FindingKind.LONG,
            f"At {len(words.split())} words this is hard to hold in mind; keep one idea under {QUESTION_MAX_WORDS} words.",
            ("Tell me about …", "What was it like when …?"),
        ))
    return findings

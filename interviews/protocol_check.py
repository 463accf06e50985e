"""A wording check for interview questions: it catches what makes a student answer in one word.

Flags closed (yes/no, tag and either/or) questions, leading questions, double-barrelled questions,
questions that ask a student to judge or explain other people instead of telling their own story, and
very long ones. Each finding explains itself and proposes rewrites a person would ask aloud. Open
prompts such as "Tell me about…", "What advice would you give…" and "Can you tell me about a time
when…" pass, and so does a question followed by its probe ("…? Why?", "…, and why?"): that is one
question with a follow-up. Plain functions over text; no database. The rewrites live in
`interviews.rewrites`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interviews.rewrites import closed_rewrites, others_rewrites, recase, sentence

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
# "How great was the assembly?" and "How bad is the bullying?" name the answer they expect.
LEADING_HOW = re.compile(
    r"^how (great|awesome|amazing|wonderful|bad|awful|terrible|horrible|stressful|annoying|frustrating)"
    r" (is|was|are|were)\b(?!.*\bor\b)"
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
# A probe that follows its question asks more about the same answer, not about a second thing.
PROBE = re.compile(
    r"^(and |so )?(why( not)?( or why not)?|how so|how come|what happened( next| then| after that)?|what else"
    r"|tell me more( about (that|it|this))?|say more( about (that|it|this))?|in what ways?|like what|for example"
    r"|what do you mean|what did you do( next| then| about it)?|what was (that|it)( like)?( for you)?"
    r"|what (made|makes) (it|that|this|them|you (say|feel|think) (that|so))\b.*"
    r"|how (does|did) (it|that) (feel|go|make you feel|turn out)\b.*"
    r"|(can|could) you (give|tell) me (an example|more)\b.*|who (helped|else)\b.*)$"
)
EITHER_OR = re.compile(r"\b(\w+(?:\s+\w+){0,3})\s+or\s+(\w+(?:\s+\w+){0,3})\s*\?*$")
OTHER_PEOPLE = (r"(other |most |some |many |a lot of |the |your |these |those )?(students?|kids|people|teachers?|classmates"
                r"|friends|peers|boys|girls|parents|families|adults|freshmen|seniors|others|everyone|they|the school)")
# "Why do students misbehave…", "What do other students think…", "What makes kids bully…"
OTHERS_QUESTION = re.compile(
    rf"^(why (do|does|did|are|is|were|was|don't|doesn't|aren't|isn't|won't|can't) (you think )?{OTHER_PEOPLE}\b"
    rf"|why (do|does|did) you think {OTHER_PEOPLE}\b"
    rf"|(what|how) (do|does|did) (you think )?{OTHER_PEOPLE} (think|feel|believe|say)\b"
    rf"|how do you think {OTHER_PEOPLE} (think|feel)\b"
    rf"|what makes {OTHER_PEOPLE} (?!feel\b)\w+)"
)


class FindingKind(StrEnum):
    CLOSED = "closed"
    LEADING = "leading"
    DOUBLE = "double"
    OTHERS = "others"
    LONG = "long"


KIND_LABELS = {
    FindingKind.CLOSED: gettext_lazy("Closed question"),
    FindingKind.LEADING: gettext_lazy("Leading question"),
    FindingKind.DOUBLE: gettext_lazy("Two questions in one"),
    FindingKind.OTHERS: gettext_lazy("Asks about other people"),
    FindingKind.LONG: gettext_lazy("Long question"),
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    explanation: str
    rewrites: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


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


def is_probe(text: str) -> bool:
    """A short follow-up ("Why?", "What happened?", "How did that feel?") about the answer just given."""
    return bool(PROBE.match(_plain(text).strip(" ,")))


def _sentences(clean: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[?.!:])\s+", clean) if part.strip(" ?.!:")]


def main_question(text: str) -> str:
    """The question without the probes that follow it: "Where do you sit? Why?" is "Where do you sit?"."""
    clean = normalise(text)
    parts = _sentences(clean)
    kept = [parts[0]] + [part for part in parts[1:] if not is_probe(part)] if parts else []
    main = " ".join(kept)
    # "…, and why?" / "…, and why not?" / "…, or why not?" at the end of one sentence
    return re.sub(r",?\s+(and|or|but)\s+(why( not)?( or why not)?|how so|how come)\s*\?$", "?", main, flags=re.I)


def _double(clean: str) -> tuple[str, ...] | None:
    """The two questions a double-barrelled question asks, or None when it asks one thing."""
    parts = [part for part in _sentences(clean) if part.endswith("?")]
    if len(parts) > 1:
        return tuple(sentence(part) + "?" for part in parts[:2])
    words = _plain(clean)
    second = SECOND_QUESTION.search(words)
    if second and second.start() > 8:
        first, rest = words[:second.start()].strip(" ,"), words[second.start() + len(second.group(1)):].strip()
        if not is_probe(rest) and not rest.startswith("who helped"):
            return (sentence(first) + "?", sentence(rest) + "?")
    return None


def _closed(clean: str, words: str, leading: bool) -> Finding | None:
    first = words.split(" ", 1)[0]
    if TAG_QUESTION.search(clean.lower()):
        return Finding(
            FindingKind.CLOSED,
            _("The ending (“…, right?”) asks the student to confirm, which invites a yes or a no."),
            closed_rewrites(TAG_QUESTION.sub("", clean.lower()).strip(" ,?"), tag=True),
        )
    if first in CLOSED_STARTERS and not _is_story_prompt(words):
        if EITHER_OR.search(words) and " or " in words and not re.search(r"\bor not\b", words):
            return Finding(
                FindingKind.CLOSED,
                _("This is an either/or question: it offers two answers, so students pick one instead of telling their own."),
                closed_rewrites(clean, either_or=True),
            )
        if not leading:
            return Finding(
                FindingKind.CLOSED,
                _("This can be answered with a yes or a no. Ask for a story or a description instead."),
                closed_rewrites(clean),
            )
    if first == "which" and EITHER_OR.search(words):
        return Finding(
            FindingKind.CLOSED,
            _("This is an either/or question: it offers the answers, so students pick one instead of telling their own."),
            closed_rewrites(clean, either_or=True),
        )
    return None


def _open_half(part: str) -> str:
    """One half of a double question, itself rewritten when it is closed."""
    closed = _closed(part, _plain(part), False)
    return closed.rewrites[0] if closed else part


# Words that tell a Spanish question from an English one when nobody said which it is.
SPANISH_MARKS = re.compile(r"[¿¡ñáéíóú]|\b(qué|cómo|cuándo|dónde|por qué|cuéntame|describe|te|tu|tus|los|las|el|la|una?"
                           r"|en|de|que|es|hay|estás|tienes|puedes|alguna|verdad|para|con|sobre|escuela|clase)\b", re.I)
ENGLISH_MARKS = re.compile(r"\b(the|you|your|what|how|do|does|did|is|are|tell|me|about|a|of|to|in|at|school|class)\b", re.I)


def question_language(text: str) -> str:
    """"es" when the question reads as Spanish ("¿", accents, more Spanish than English little words), else "en"."""
    if "¿" in text:
        return "es"
    return "es" if len(SPANISH_MARKS.findall(text)) > len(ENGLISH_MARKS.findall(text)) else "en"


def check_question(text: str, *, language: str | None = None) -> list[Finding]:
    """Every wording problem in one question, each with why it matters and open rewrites. The question
    is read in `language` ("en", "es"); when None, in the language it is written in."""
    findings: list[Finding] = []
    clean = normalise(text)
    if not clean:
        return findings
    if (language or question_language(clean)) == "es":
        from interviews.protocol_check_es import check_question_es  # it builds on this module's findings

        return check_question_es(clean)
    main = main_question(clean)
    parts = _double(main)
    words = _plain(main)
    first = words.split(" ", 1)[0] if words else ""
    leading = (first in NEGATIVE_STARTERS or any(phrase in words for phrase in LEADING_PHRASES)
               or bool(LEADING_HOW.match(words)))
    if leading:
        findings.append(Finding(
            FindingKind.LEADING,
            _("This question suggests the answer you expect, so students tend to agree instead of saying what they think."),
            closed_rewrites(main, leading=True),
        ))
    # A double question's closed half is rewritten on its own, so the rewrite asks one thing.
    if closed := _closed(parts[0] if parts else main, _plain(parts[0]) if parts else words, leading):
        findings.append(closed)
    if OTHERS_QUESTION.match(words):
        findings.append(Finding(
            FindingKind.OTHERS,
            _("This asks the student to judge or explain other people; ask about their own experience instead."),
            others_rewrites(words),
        ))
    if parts:
        findings.append(Finding(
            FindingKind.DOUBLE,
            _("This asks two questions at once; students answer one and the other is lost."),
            tuple(_open_half(part) for part in parts),
        ))
    findings = [Finding(f.kind, f.explanation, tuple(recase(r, clean) for r in f.rewrites)) for f in findings]
    if len(_plain(clean).split()) > QUESTION_MAX_WORDS:
        findings.append(Finding(
            FindingKind.LONG,
            _("At %(count)d words this is hard to hold in mind; keep one idea under %(limit)d words.")
            % {"count": len(_plain(clean).split()), "limit": QUESTION_MAX_WORDS},
            ("Tell me about a time when that happened to you.", "What was that like for you?"),
        ))
    return findings


def flagged_questions(texts: list[str], *, language: str | None = None) -> list[tuple[int, str, list[Finding]]]:
    """(position from 1, text, findings) of each question the check flags, in order."""
    return [(number, text, found) for number, text in enumerate(texts, start=1)
            if (found := check_question(text, language=language))]

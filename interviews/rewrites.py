"""Rewrites the wording check proposes: whole sentences a person would ask aloud.

"Do you feel like you belong?" becomes "Tell me about the times when you feel like you belong.", not
a template with a gap. A small amount of grammar (past tense, a handful of verbs and adjectives) is
enough for the questions schools write; anything it cannot parse gets a general story prompt. Each
rewrite is itself an open question, which the tests check by running the wording check on it.
"""

from __future__ import annotations

import re

GENERAL = ("Tell me about a time when that happened to you.", "What was that like for you?")
LIKING = frozenset({"like", "love", "enjoy", "hate", "dislike", "mind"})
IRREGULAR_PAST = {
    "be": "were", "been": "were", "is": "was", "are": "were", "am": "was", "have": "had", "has": "had", "do": "did",
    "does": "did", "go": "went", "gone": "went", "get": "got", "gotten": "got", "make": "made", "feel": "felt",
    "know": "knew", "known": "knew", "take": "took", "taken": "took", "give": "gave", "given": "gave", "see": "saw",
    "seen": "saw", "come": "came", "find": "found", "tell": "told", "think": "thought", "teach": "taught",
    "eat": "ate", "eaten": "ate", "speak": "spoke", "spoken": "spoke", "write": "wrote", "written": "wrote",
    "leave": "left", "keep": "kept", "sit": "sat", "meet": "met", "fit": "fit", "put": "put",
    "let": "let", "hurt": "hurt", "understand": "understood", "choose": "chose", "chosen": "chose", "begin": "began",
    "begun": "began", "say": "said", "pay": "paid", "hear": "heard", "lose": "lost", "win": "won", "buy": "bought",
    "bring": "brought", "stand": "stood", "run": "ran", "read": "read", "grow": "grew", "grown": "grew",
}
# Verbs that follow a subject in the questions schools write ("Does your counselor help you?").
VERBS = frozenset({
    "help", "make", "give", "let", "care", "listen", "treat", "understand", "know", "support", "take", "teach",
    "explain", "ask", "feel", "seem", "work", "offer", "provide", "allow", "include", "matter", "affect", "change",
    "get", "have", "go", "come", "start", "end", "need", "want", "like", "respect", "notice", "believe", "expect",
    "push", "grade", "call", "show", "talk", "encourage", "welcome", "look", "sound", "happen", "serve", "use",
    "enforce", "follow", "check", "trust", "value", "see", "hear", "stop", "keep", "prepare", "challenge",
})
ADJECTIVES = frozenset({
    "hard", "easy", "fun", "boring", "scary", "fair", "unfair", "safe", "unsafe", "helpful", "loud", "quiet",
    "stressful", "difficult", "long", "short", "good", "bad", "better", "worse", "great", "happy", "sad",
    "welcoming", "friendly", "mean", "nice", "useful", "important", "interesting", "clear", "confusing", "strict",
    "crowded", "clean", "dirty", "enough", "ready", "comfortable", "uncomfortable", "glad", "proud", "excited",
    "worried", "nervous", "bored", "tired", "busy", "new", "different", "right", "wrong", "okay", "ok", "fine",
})
INTENSIFIERS = frozenset({"too", "very", "so", "really", "more", "less", "just", "pretty", "quite", "a", "bit", "lot"})
FILLERS = re.compile(r"\b(ever|usually|really|often|still|generally|normally|sometimes|always|actually) ")
PLACE = re.compile(
    r"\b(in|at|during|on) ((the|your|this|our|their) )?(cafeteria|hallways?|classrooms?|class|lunch|recess|bus|library"
    r"|gym|playground|locker rooms?|school|assemblies|assembly|field|office|bathrooms?)\b"
)


def sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(" ?.!,")
    return text[:1].upper() + text[1:]


def past(verb: str) -> str:
    if verb in IRREGULAR_PAST:
        return IRREGULAR_PAST[verb]
    if verb.endswith("ed"):
        return verb
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    return verb + "ed"


def third(verb: str) -> str:
    if verb in {"have"}:
        return "has"
    if re.search(r"(s|sh|ch|x|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _past_clause(clause: str) -> str:
    first, _, rest = clause.partition(" ")
    return f"{past(first)} {rest}".strip()


def _some(clause: str) -> str:
    clause = re.sub(r"\bany(one|body)\b", r"some\1", clause)
    clause = re.sub(r"\banything\b", "something", clause)
    return re.sub(r"\bany ", "", clause)


def _plain(text: str) -> str:
    text = text.strip().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).lower().rstrip(" ?.!")


def _be_split(rest: list[str]) -> tuple[str, str, str] | None:
    """("the first week", "scary", "") from "the first week scary": subject, the describing words, the tail."""
    for index, word in enumerate(rest):
        if index and (word in ADJECTIVES or word in INTENSIFIERS):
            end = index
            while end < len(rest) and rest[end] in INTENSIFIERS:
                end += 1
            return " ".join(rest[:index]), " ".join(rest[index:end + 1]), " ".join(rest[end + 1:])
    if len(rest) > 1:
        return " ".join(rest[:-1]), rest[-1], ""
    return None


def _think(clause: str) -> tuple[str, ...]:
    clause = re.sub(r"^that ", "", clause)
    words = clause.split()
    for index, word in enumerate(words):
        if index and word in {"is", "are", "was", "were"}:
            subject = " ".join(words[:index])
            return (f"What do you think of {subject}?", f"Tell me about a time that shows what you think of {subject}.")
    return (f"What do you think about whether {clause}?", "Tell me about a time that made you think about this.")


def _subject_verb(words: list[str]) -> tuple[str, str, str] | None:
    for index, word in enumerate(words):
        if index and (word in VERBS or word.removesuffix("s") in VERBS):
            return " ".join(words[:index]), word.removesuffix("s") if word not in VERBS else word, " ".join(words[index + 1:])
    return None


def _statement_to_question(statement: str) -> str:
    words = statement.split()
    if words and words[0] == "you":
        return "do " + statement
    for index, word in enumerate(words):
        if index and word in {"is", "are", "was", "were"}:
            return " ".join([word, *words[:index], *words[index + 1:]])
    return statement


def _either_or(words: str) -> tuple[str, ...]:
    if match := re.match(r"^(do|did) you (prefer|like|want) (.+?) or (.+)$", words):
        return (f"Tell me about how you choose between {match.group(3)} and {match.group(4)}.",
                f"What is {match.group(3)} like for you?")
    if match := re.match(r"^which (is|was|are|were) (better|best|easier|harder|worse)?,? ?(.+?) or (.+)$", words):
        return (f"Tell me about your experience of {match.group(3)} and {match.group(4)}.",
                f"What is {match.group(3)} like for you?")
    return ()


def closed_rewrites(text: str, *, tag: bool = False, either_or: bool = False, leading: bool = False) -> tuple[str, ...]:
    """Open questions that ask for the same thing as a closed (or leading) one, as whole sentences."""
    words = FILLERS.sub("", _plain(text))
    if tag:
        words = _statement_to_question(words)
    if leading:
        words = _unlead(words)
        if isinstance(words, tuple):
            return words
    if either_or:
        if found := _either_or(words):
            return found
        if re.match(r"^(is|are|was|were) ", words):
            words = words.split(" or ", 1)[0]
    return _closed(words) or GENERAL


def recase(rewrite: str, original: str) -> str:
    """Give back the capitals the original had ("AP classes", "Ms. Lee"), lost when the words were matched."""
    capitals = {word.lower(): word for word in re.findall(r"[\w']+", original)[1:] if word != word.lower()}
    return re.sub(r"[\w']+", lambda match: capitals.get(match.group(0), match.group(0)), rewrite)


def _unlead(words: str) -> str | tuple[str, ...]:
    if match := re.match(r"^(don't you (think|feel)|do not you think|wouldn't you (agree|say)|would you agree"
                         r"|do you agree|isn't it true|is it not true) (that )?(.+)$", words):
        return _think(match.group(5))
    if match := re.match(r"^how much do you (love|hate|enjoy) (.+)$", words):
        return (f"What do you like, or not like, about {match.group(2)}?", f"How would you describe {match.group(2)}?")
    if match := re.match(r"^how \w+ (is|was|are|were) (.+)$", words):
        return (f"What {match.group(1)} {match.group(2)} like for you?", f"Tell me about a time that shows what {match.group(2)} {match.group(1)} like.")
    if match := re.match(r"^(surely|obviously|of course),? (.+?)(,? but .*)?$", words):
        return _statement_to_question(match.group(2))
    if match := re.match(r"^you must have (.+)$", words):
        return f"have you {match.group(1)}"
    if match := re.match(r"^wouldn't it be \w+ if (.+)$", words):
        return (f"What would change for you if {match.group(1)}?", f"Tell me about a time when you wished {match.group(1)}.")
    if match := re.match(r"^(\w+)n't (.+)$", words):
        return f"{'will' if match.group(1) == 'wo' else match.group(1)} {match.group(2)}"
    return words


def _closed(words: str) -> tuple[str, ...] | None:  # noqa: C901 - one case per question shape, in order
    if match := re.match(r"^(have|has) you (.+)$", words):
        clause = _some(match.group(2))
        return (f"Tell me about a time when you {_past_clause(clause)}.", f"What was it like when you {_past_clause(clause)}?")
    if match := re.match(r"^(do|did) you (\w+) (.+)$", words):
        aux, verb, rest = match.groups()
        if verb in {"think", "know"}:
            return _think(rest) if verb == "think" else (f"How do you find out {rest}?", f"Tell me about a time when you needed to know {rest}.")
        if verb in LIKING or verb == "prefer":
            if rest.startswith("to "):
                return (f"Tell me about the times when you {rest[3:]}.", f"What is it like for you to {rest[3:]}?")
            if aux == "did":
                return (f"What was {rest} like for you?", f"What did you {verb}, or not {verb}, about {rest}?")
            return (f"What do you {verb}, or not {verb}, about {rest}? Tell me about a time that shows it.",
                    f"How would you describe your experience with {rest}?")
        if verb == "feel":
            return (f"Tell me about the times when you feel {rest}.", f"What helps you feel {re.sub(r'^that ', '', rest)}?")
        if verb == "have" and aux == "do":
            thing = _some(rest)
            return (f"Tell me about {thing}.", f"What is it like to have {thing}?")
        clause = _some(f"{verb} {rest}")
        if aux == "did":
            return (f"Tell me about the time you {_past_clause(clause)}.", f"What was it like when you {_past_clause(clause)}?")
        return (f"Tell me about the times when you {clause}.", f"What is it like when you {clause}?")
    if match := re.match(r"^(is|are|was|were) there (.+)$", words):
        thing = _some(match.group(2))
        if re.match(r"^some(thing|one|body)\b", thing):
            return (f"Tell me about {thing}.", "What else is on your mind?")
        return (f"Tell me about {thing}.", f"What comes to mind when you think about {thing}?")
    if match := re.match(r"^(is|was) it (\w+ )+?(for you )?to (.+)$", words):
        tense = "is" if match.group(1) == "is" else "was"
        return (f"What {tense} it like to {match.group(4)}?", f"Tell me about a time when you tried to {match.group(4)}.")
    if match := re.match(r"^(are|were) you (.+)$", words):
        feeling = match.group(2)
        return (f"Tell me about the times when you feel {feeling}.", f"What helps you feel {feeling}?")
    if match := re.match(r"^(is|are|was|were) (.+)$", words):
        be = match.group(1)
        if split := _be_split(match.group(2).split()):
            subject, _, tail = split
            tail = f" {tail}" if tail else ""
            return (f"What {be} {subject} like for you{tail}?", f"Tell me about a time that shows what {subject} {be} like.")
        return None
    if match := re.match(r"^(can|could) you (.+)$", words):
        return (f"What happens when you {match.group(2)}?", f"Tell me about a time when you tried to {match.group(2)}.")
    if match := re.match(r"^(would|will|should) you (.+?)( if .*)?$", words):
        action = match.group(2)
        if match.group(1) == "will":
            return (f"How are you deciding whether to {action}?", f"What would help you decide whether to {action}?")
        return (f"Tell me about the last time you {_past_clause(action)}.", f"What would make you want to {action}?")
    if match := re.match(r"^(do|does|did|can|could|will|would|should) (.+)$", words):
        aux, rest = match.groups()
        if found := _subject_verb(rest.split()):
            subject, verb, tail = found
            clause_past = f"{subject} {past(verb)} {tail}".strip()
            if aux in {"do", "does", "did"}:
                present = third(verb) if aux == "does" else verb
                tense = "was" if aux == "did" else "is"
                return (f"Tell me about a time when {clause_past}.", f"What {tense} it like for you when {subject} {present if aux != 'did' else past(verb)} {tail}?".replace(" ?", "?"))
            return (f"What would change for you if {clause_past}?", f"What do you think about whether {subject} should {verb} {tail}?".replace(" ?", "?"))
    return None


def others_rewrites(words: str) -> tuple[str, ...]:
    """Story prompts about the student's own experience of what a question asked others to explain."""
    if place := PLACE.search(words):
        where = place.group(0)
        thing = f"{place.group(2) or 'the '}{place.group(4)}"
        return (f"Tell me about a time {where} that stuck with you.", f"What is {thing} like for you?")
    if about := re.search(r"\b(about|of) (the |your |this |our )(.+)$", words):
        thing = f"{about.group(2)}{about.group(3)}"
        return (f"Tell me about a time when {thing} mattered to you.", f"What is {thing} like for you?")
    return ("Tell me about a time you saw this happen at school.", "What has your own experience of this been?")

"""The protected topics a district must notice: questions that touch an area the Protection of Pupil Rights
Amendment (PPRA, 20 U.S.C. § 1232h) names, in English and Spanish.

Before students are asked about any of these eight areas, parents must be told and offered a way to opt their
child out: political affiliations or beliefs; mental or psychological problems; sex behaviour or attitudes;
illegal, anti-social, self-incriminating or demeaning behaviour; critical appraisals of close family members;
legally recognised privileged relationships (lawyers, physicians, ministers); religious practices, affiliations
or beliefs; income.

`protected_findings(text)` reads a question (or a follow-up) and says which areas it touches and why, by the
words that point there. Feelings alone are not an area: "What do you enjoy about math class?" passes, "What
makes you feel anxious at school?" is about mental health. `protocol_topics(protocol)` gathers the areas of every
question and follow-up of a protocol in every language it is written in, and `letter_gaps(...)` says which of them
the program's consent letter does not name, or that it offers no opt-out: interviews/protocols.py refuses to mark
the protocol ready until the letter does. Measured on tests/data/protected_topics.csv by
benchmarks/protected_topics.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Area(StrEnum):
    POLITICAL = "political"
    MENTAL = "mental"
    SEX = "sex"
    ILLEGAL = "illegal"
    FAMILY = "family"
    PRIVILEGED = "privileged"
    RELIGION = "religion"
    INCOME = "income"


AREA_LABELS = {
    Area.POLITICAL: _("political affiliations or beliefs"),
    Area.MENTAL: _("mental or psychological problems"),
    Area.SEX: _("sex behaviour or attitudes"),
    Area.ILLEGAL: _("illegal, anti-social, self-incriminating or demeaning behaviour"),
    Area.FAMILY: _("critical appraisals of close family members"),
    Area.PRIVILEGED: _("legally recognised privileged relationships (lawyers, doctors, ministers)"),
    Area.RELIGION: _("religious practices, affiliations or beliefs"),
    Area.INCOME: _("income"),
}

REASONS = {
    Area.POLITICAL: _("It asks about politics, parties, votes or elections."),
    Area.MENTAL: _("It asks about anxiety, depression, self-harm or another mental health problem, not only a feeling."),
    Area.SEX: _("It asks about sex, sexuality or dating."),
    Area.ILLEGAL: _("It asks the student about drugs, alcohol, stealing, cheating, fights or trouble with the law: "
                    "their answer could incriminate or embarrass them."),
    Area.FAMILY: _("It asks the student to criticise a parent, a brother or sister or another close family member."),
    Area.PRIVILEGED: _("It asks about what passes between the student and a lawyer, a doctor or a minister."),
    Area.RELIGION: _("It asks about religion, faith, prayer or a place of worship."),
    Area.INCOME: _("It asks about money at home, what the family earns or can afford."),
}

FAMILY_WORDS_EN = (r"(parents?|mom|mum|mother|dad|father|step ?(mom|dad|mother|father)|brothers?|sisters?|siblings?"
                   r"|family|guardians?|grand(parents?|ma|pa|mother|father)|aunt|uncle|people at home)")
FAMILY_WORDS_ES = (r"(padres|papá|papa|mamá|mama|madre|padre|padrastro|madrastra|herman[oa]s?|familia(res)?|tutor(es)?"
                   r"|abuel[oa]s?|tí[oa]s?)")
CRITICAL_EN = (r"(wrong|bad|worst|dislike|don'?t like|do not like|hate|annoy\w*|unfair|too strict|strict|mean to you"
               r"|argue|arguments?|fight|disappoint\w*|frustrat\w*|angry|mad at|upset you|do better|doing wrong"
               r"|differently|change about|complain\w*|criticis\w*|criticiz\w*|bother\w*|problems? with)")
CRITICAL_ES = (r"(mal|peor|no te gusta|odias|molest\w*|injust\w*|estrict\w*|discut\w*|pele\w*|decepcion\w*|frustr\w*"
               r"|enoj\w*|enfad\w*|hacer mejor|de otra manera|diferente|cambiar de|critic\w*|quej\w*|problemas? con)")

# (area, English pattern, Spanish pattern). Read on lower-case text with accents kept (Spanish) and "’" as "'".
PATTERNS: tuple[tuple[Area, str, str], ...] = (
    (Area.POLITICAL,
     r"\b(politic\w*|democrats?|republicans?|liberals?|conservatives?|left[- ]wing|right[- ]wing|elections?"
     r"|vot(e|ed|ing) for|presidential|political part(y|ies))\b",
     r"\b(polític\w*|politic\w*|partidos? polític\w*|elecci(ón|on|ones)|votar(í|i)as? por|votaste|vot(a|ó|o) por"
     r"|demócrata|republican[oa]s?|(partido|ideas|gobierno) de (izquierda|derecha)|presidencial\w*)\b"),
    (Area.MENTAL,
     r"\b(anxious|anxiety|depress\w*|mental health|mental illness|panic( attacks?)?|self[- ]harm\w*|hurt(ing)? yourself"
     r"|suicid\w*|kill(ing)? yourself|eating disorders?|therap(y|ist)|psychiatr\w*|psycholog\w*|adhd|ocd|trauma\w*"
     r"|hopeless|medication)\b",
     r"\b(ansios[oa]s?|ansiedad|deprim\w*|depresi(ó|o)n|salud mental|enfermedad mental|p(á|a)nico|autolesi\w*"
     r"|hacerte daño|lastimarte|suicid\w*|quitarte la vida|trastornos?|terapia|terapeuta|psiqui(á|a)tr\w*|psic(ó|o)log\w*"
     r"|tdah|trauma\w*|sin esperanza|medicamentos?|medicinas? para)\b"),
    (Area.SEX,
     r"\b(sex|sexual\w*|sexually|dating|date someone|boyfriends?|girlfriends?|hook(ing)? up|intimate|crush(es)?"
     r"|gay|lesbian|bisexual|transgender|gender identity)\b",
     r"\b(sexo|sexual\w*|novi[oa]s?|salir con alguien|citas? amorosas?|relaciones (í|i)ntimas|te gusta alguien"
     r"|gay|lesbiana|bisexual|transg(é|e)nero|identidad de g(é|e)nero)\b"),
    (Area.ILLEGAL,
     r"\b(drugs?|alcohol|drunk|drink(ing)? (beer|alcohol)|beer|vap(e|es|ed|ing)|smok(e|ed|ing)|weed|marijuana|cannabis"
     r"|steal\w*|stole|stolen|shoplift\w*|cheat(ed|ing)?|illegal\w*|broke(n)? the law|break(ing)? the law|arrest\w*"
     r"|gangs?|vandal\w*|(got|get|been|gotten) (in|into) (a )?(fights?|trouble)|(you )?bullied (someone|anyone|others)"
     r"|suspended|expelled|detention|lie to|lied to|most embarrassing|humiliat\w*)\b",
     r"\b(drogas?|alcohol|borrach\w*|cerveza|vape\w*|vapear|fum(ar|as|aste|ado)|marihuana|mota|rob(ar|aste|ado|o)"
     r"|hurt(ar|aste)|(hacer|haces|hiciste|hacen) trampa|copiaste|ilegal\w*|(romper|rompiste|contra) la ley|arrest\w*|detenid[oa]|pandillas?"
     r"|vandal\w*|pele(a|as|aste)|metido en problemas|acosaste|suspendid[oa]|expulsad[oa]|castigad[oa]|mentiste"
     r"|m(á|a)s vergonzos[oa]|humill\w*)\b"),
    (Area.FAMILY,
     rf"(\b{FAMILY_WORDS_EN}\b.*\b{CRITICAL_EN}\b|\b{CRITICAL_EN}\b.*\b{FAMILY_WORDS_EN}\b)",
     rf"(\b{FAMILY_WORDS_ES}\b.*\b{CRITICAL_ES}\b|\b{CRITICAL_ES}\b.*\b{FAMILY_WORDS_ES}\b)"),
    (Area.PRIVILEGED,
     r"\b(lawyers?|attorneys?|doctors?|physicians?|pediatrician|priests?|pastors?|ministers?|rabbis?|imams?|clergy"
     r"|confession|therapists?|psychiatrists?)\b",
     r"\b(abogad[oa]s?|m(é|e)dic[oa]s?|doctor(a|es)?|pediatra|sacerdotes?|pastor(es)?|curas?|ministros? religios[oa]s?"
     r"|rabinos?|im(á|a)n(es)?|confesi(ó|o)n|terapeuta|psiqui(á|a)tra)\b"),
    (Area.RELIGION,
     r"\b(relig\w*|church(es)?|mosques?|synagogues?|temples?|pray(s|ed|ing|er|ers)?|god|faith|worship\w*|bible|quran"
     r"|koran|torah|spiritual\w*|ramadan|mass on sunday|beliefs about god)\b",
     r"\b(relig\w*|iglesias?|mezquitas?|sinagogas?|templos?|rez(ar|as|o|a)|oraci(ó|o)n|oras|dios|tu fe|la fe|culto"
     r"|biblia|cor(á|a)n|tor(á|a)|espiritual\w*|ramad(á|a)n|misa)\b"),
    (Area.INCOME,
     r"\b(income|salary|salaries|wages?|paycheck|how much (do|does) (your )?\w+ (make|earn)"
     r"|(parents?|mom|mum|dad|mother|father|family|household) (make|makes|earn|earns)\b|afford\w*|free (or reduced[- ]price )?lunch"
     r"|reduced[- ]price lunch|food stamps|snap benefits|welfare|how much money|money (at home|your family|does your)"
     r"|(family|parents|household)'?s? money|(rich|poor|wealthy) famil(y|ies)|pay the bills|bills at home)\b",
     r"\b(ingresos?|salarios?|sueldos?|cu(á|a)nto ganan?|ganan? tus? (padres|papá|mamá|familia)|(pueden|puede) pagar"
     r"|permitirse|alcanza el dinero"
     r"|almuerzo (gratis|gratuito|a precio reducido)|cupones de comida|asistencia p(ú|u)blica|cu(á|a)nto dinero"
     r"|dinero (en casa|de tu familia|tiene tu familia)|familias? (ricas?|pobres?)|pagar las cuentas|las cuentas de la casa)\b"),
)

_COMPILED = [(area, re.compile(en), re.compile(es)) for area, en, es in PATTERNS]


@dataclass(frozen=True)
class ProtectedFinding:
    """A question that touches a protected area; shown beside the wording check on the protocol page."""

    area: Area
    words: str  # what in the question points to the area
    kind: str = "protected"
    rewrites: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(_("Protected topic: %(area)s") % {"area": AREA_LABELS[self.area]})

    @property
    def explanation(self) -> str:
        return str(_("%(reason)s (“%(words)s”) Families must be told and offered an opt-out in the consent letter.")
                   % {"reason": REASONS[self.area], "words": self.words})


def _read(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


def protected_findings(text: str, *, language: str | None = None) -> list[ProtectedFinding]:
    """The protected areas one question or follow-up touches, each with the words that point there. Read in
    English and Spanish both unless `language` says which (a question mixing the two is read as both)."""
    clean = _read(text)
    if not clean:
        return []
    found = []
    for area, english, spanish in _COMPILED:
        patterns = {"en": (english,), "es": (spanish,)}.get(language or "", (english, spanish))
        for pattern in patterns:
            if match := pattern.search(clean):
                found.append(ProtectedFinding(area, match.group(0)[:60]))
                break
    return found


def protected_areas(text: str, *, language: str | None = None) -> set[Area]:
    return {finding.area for finding in protected_findings(text, language=language)}


@dataclass(frozen=True)
class TopicHit:
    number: int  # the question's position, from 1
    text: str  # the question or follow-up that touches the area
    finding: ProtectedFinding


def protocol_topics(protocol, questions=None) -> list[TopicHit]:
    """Each question and follow-up of the protocol, in English and in every language it is written in, that
    touches a protected area."""
    questions = list(protocol.questions.all()) if questions is None else questions
    hits = []
    for number, question in enumerate(questions, start=1):
        texts = [(question.text, "en"), *((f, "en") for f in question.follow_ups or [])]
        for code, version in (question.translations or {}).items():
            texts += [(version.get("text", ""), code), *((f, code) for f in version.get("follow_ups") or [])]
        for text, code in texts:
            hits += [TopicHit(number, text, finding) for finding in protected_findings(text, language=code)]
    return hits


# Words a consent letter uses to name each area, English or Spanish (accents optional).
LETTER_WORDS = {
    Area.POLITICAL: r"politic|polític|vot|elecci|election",
    Area.MENTAL: r"mental|psycholog|psicol|anxi|ansie|depres|emotional health|salud emocional",
    Area.SEX: r"\bsex|sexual|dating|noviazgo",
    Area.ILLEGAL: r"illegal|ilegal|anti-?social|antisocial|self-?incriminat|autoincrimin|demeaning|degradant|drug|droga"
                  r"|alcohol",
    # Not "famil" alone: every letter speaks of families; the topic is criticism of family members.
    Area.FAMILY: r"critic|apprais|valoraci|family members|familiares|miembros de (la|su) familia",
    Area.PRIVILEGED: r"privileged|privilegiad|lawyer|abogad|doctor|physician|médic|medic|minister|ministro|clergy",
    Area.RELIGION: r"religi|faith|\bfe\b|creencias religiosas",
    Area.INCOME: r"income|ingreso|money|dinero|financ",
}
OPT_OUT_WORDS = (r"opt[- ]?out|opt your child out|not (to )?take part|choose not|may skip|can skip|excluir|exclusión"
                 r"|no participe|no participar|optar por no|retirar a su hij|puede(n)? (decir|elegir) que no")

MISSING_TOPICS = _("The consent letter does not name these protected topics the questions touch: %(areas)s. Name "
                   "each under “protected topics” in the program's consent letter (Consent letters page), with how a "
                   "family opts out.")
MISSING_OPT_OUT = _("The consent letter names the protected topics but does not say how a family opts out (for "
                    "example “you may opt your child out of these questions”).")


def letter_text(letter) -> str:
    """The letter's protected-topics part in every language it is written in."""
    if letter is None:
        return ""
    parts = [letter.protected_topics or ""]
    parts += [(texts or {}).get("protected_topics", "") for texts in (letter.translations or {}).values()]
    return _read(" ".join(part for part in parts if part))


def letter_gaps(*, areas: set[Area], letter) -> list[str]:
    """Why the letter does not yet cover the protected areas the questions touch (empty when it does)."""
    if not areas:
        return []
    text = letter_text(letter)
    missing = [area for area in Area if area in areas and not re.search(LETTER_WORDS[area], text)]
    problems = []
    if missing:
        problems.append(str(MISSING_TOPICS % {"areas": "; ".join(str(AREA_LABELS[a]) for a in missing)}))
    elif not re.search(OPT_OUT_WORDS, text):  # the message above asks for the opt-out already
        problems.append(str(MISSING_OPT_OUT))
    return problems


def protocol_letter_gaps(protocol, questions=None) -> list[str]:
    from recruitment.models import ConsentLetter  # a lower floor; imported here to keep this module's import light

    areas = {hit.finding.area for hit in protocol_topics(protocol, questions)}
    if not areas:
        return []
    return letter_gaps(areas=areas, letter=ConsentLetter.objects.filter(program_id=protocol.program_id).first())

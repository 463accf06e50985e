"""The wording check for questions written in Spanish, built like the English one (`protocol_check`).

Spanish asks a yes/no question by its tone and its marks, not by an auxiliary verb, so a question is
closed when what follows its "¿" does not start with a question word ("qué", "cómo", "cuándo", "a quién",
"por qué"…) or a story prompt ("Cuéntame…", "¿Me puedes contar…?"): "¿Te gusta…?", "¿Alguna vez…?",
"¿Estás…?", "¿Es…?", "¿Hay…?", "¿Puedes…?", "¿Tienes…?". Also flagged: tag endings ("…, ¿verdad?",
"…, ¿no?"), leading questions ("¿No crees que…?", "¿Verdad que…?", "¿Qué tan genial es…?"), two questions
joined by "y"/"o" (not a question followed by its probe "¿Por qué?"), questions about other people
("¿Por qué los estudiantes…?") and long ones. The findings are the English check's; the rewrites, in
Spanish, live in `interviews.rewrites_es`. Patterns read the folded text (no accents, lower case), so
"¿Como te sientes?" written without its accent is read the same.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from interviews.protocol_check import QUESTION_MAX_WORDS, Finding, FindingKind
from interviews.rewrites_es import (
    LONG,
    clause,
    closed_rewrites,
    either_or,
    fold,
    leading_rewrites,
    others_rewrites,
    question,
)

INTERROGATIVES = frozenset({"que", "como", "cual", "cuales", "cuando", "donde", "adonde", "quien", "quienes", "cuanto",
                            "cuanta", "cuantos", "cuantas"})
PREPOSITIONS = frozenset({"a", "de", "en", "con", "por", "para", "desde", "hasta", "sobre", "hacia", "entre", "segun"})
# "Cuéntame…", "Describe…", "Piensa en…": prompts that ask for a story.
STORY_PROMPTS = re.compile(
    r"^(cuentame|cuentanos|cuenta|describe|describeme|describenos|describa|hablame|hablanos|platicame|platicanos"
    r"|explicame|explica|piensa|imagina|recuerda|dime|comparte|compartenos|comparteme|narra|menciona|danos|dame"
    r"|ensename|muestrame|relata)\b"
)
# "¿Puedes contarme…?", "¿Me podrías describir…?", "¿Quieres compartir…?": a story, not a yes or a no.
STORY_ASK = re.compile(
    r"^(me |nos )?(puedes|podrias|pudieras|quieres|quisieras|te gustaria|te animas a) (me |nos )?"
    r"(contar|platicar|describir|explicar|compartir|hablar(me|nos)? (de|sobre|acerca)|decir(me|nos)|dar(me|nos)? un ejemplo"
    r"|dar(me|nos)? mas detalles"
    r"|narrar|relatar|recordar|pensar en|mostrar)"
    r"|^(me |nos )(cuentas|platicas|describes|explicas|compartes|hablas|dices) "
)
TAG = re.compile(
    r",\s*(¿\s*o no|¿?\s*(verdad|no|cierto|si|correcto|de acuerdo|vale|no es asi|no es cierto|no es verdad|a poco no"
    r"|no crees|no te parece|o que))\s*\?+$"
)
LEADING_START = re.compile(
    r"^(no\s|verdad que|cierto que|a poco no|estas de acuerdo (en|con) que"
    r"|(que tan|cuan) (genial|bueno|buena|buenos|buenas|increible|increibles|maravillos[oa]s?|excelentes?|divertid[oa]s?"
    r"|malos?|malas?|terribles?|horribles?|estresantes?|aburrid[oa]s?|frustrantes?|molest[oa]s?|injust[oa]s?|pesad[oa]s?)"
    r" (es|son|fue|fueron|era|eran)\b(?!.*\bo\b)"
    r"|cuanto (te gustan?|te encantan?|disfrutas|odias|amas)\b)"
)
LEADING_PHRASES = ("seguramente", "obviamente", "por supuesto", "claro que", "sin duda", "no crees", "no te parece",
                   "no piensas que", "estaras de acuerdo", "debes de haber", "debes haber", "debe haber sido",
                   "no es cierto que", "no es verdad que", "no te encanta")
# A probe that follows its question asks more about the same answer ("¿Por qué?", "¿Qué pasó después?").
PROBE = re.compile(
    r"^(y |entonces |y eso, )?(por que( no)?( si o por que no)?|como asi|como que|que paso( despues| luego| entonces)?"
    r"|que mas|que hiciste( despues| luego| entonces| al respecto)?|cuentame mas( sobre eso| de eso| acerca de eso)?"
    r"|dime mas( sobre eso| de eso)?|por ejemplo|como (te sentiste|te hizo sentir|fue eso|te fue|lo viviste)( eso)?( para ti)?"
    r"|que quieres decir( con eso)?|quien te ayudo|quien mas|en que sentido|de que manera|como cual(es)?|como que cosas"
    r"|(me )?(puedes|podrias) (dar(me)?|contar(me)?) (un ejemplo|mas)( sobre eso| de eso)?|que te hizo (sentir|pensar|decir)"
    r"( eso| asi)?|que significo eso para ti|y eso|que sentiste|que pensaste)$"
)
# "…, y por qué?", "…, ¿por qué?", "…, y cómo?" at the end of one question
TAIL_PROBE = re.compile(r"(,\s*¿?\s*(y\s+)?|\s+y\s+¿?\s*)(por que( no)?( si o por que no)?|como asi|como)\s*\?$")
SECOND_QUESTION = re.compile(
    r"\s(y|o|pero|ademas|tambien)\s+¿?\s*((a|con|de|en|para|por) )?"
    r"(que|como|cuando|donde|quien|quienes|cual|cuales|cuant[oa]s?)\b"
    r"|,\s*(y|o)\s+¿?\s*(te gustan?|te gustaria|te sientes|crees que|piensas que|alguna vez|te parece|tienes|hay|puedes"
    r"|estas|quieres)\b"
)
OTHER_PEOPLE = (r"(?:(?:los|las|otros|otras|algunos|algunas|muchos|muchas|tus|sus|esos|esas|estos|estas|demas) )?"
                r"(?:estudiantes|alumnos|alumnas|chicos|chicas|ninos|ninas|jovenes|muchachos|muchachas|maestros|maestras"
                r"|profesores|profesoras|companeros|companeras|amigos|amigas|padres|familias|adultos|gente|personas|demas"
                r"|otros|todos|ellos|ellas|compas|la escuela)")
OTHERS_QUESTION = re.compile(
    rf"^(por que (crees que |piensas que )?(hay )?{OTHER_PEOPLE}\b"
    rf"|por que (?!(?:\w+ ){{0,3}}?(?:te|ti|me)\b)(?:\w+ ){{1,3}}?{OTHER_PEOPLE}\b"
    rf"|(que|como) (crees que |piensas que )?(se )?(piensan|sienten|opinan|creen|dicen|ven)\s+{OTHER_PEOPLE}\b"
    rf"|(que|como) (crees que )?{OTHER_PEOPLE} (piensan|sienten|opinan|creen|se sienten)\b"
    rf"|que hace que {OTHER_PEOPLE}\b)"
)


def _plain(text: str) -> str:
    """Folded, without the marks around it."""
    return re.sub(r"\s+", " ", fold(text)).strip().strip(" ¿?¡!.,:;")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[?.!:])\s+|(?<=\?)(?=¿)", text) if part.strip(" ¿?¡!.:")]


# A short question that points back at the answer just given ("¿Qué la hace así?", "¿Qué hacen juntos?").
POINTS_BACK = re.compile(r"^(que|como|por que|quien|quienes|cuando|donde)\b.*\b(eso|esa|ese|esos|esas|asi|ahi|alli|juntos|juntas"
                         r"|ellos|ellas|entonces)\b|^(que|como|por que) (la|lo|los|las|le|les) ")


def is_probe(text: str) -> bool:
    """A follow-up about the answer just given ("¿Por qué?", "¿Qué pasó después?", "¿Qué la hace así?")."""
    plain = _plain(text)
    return bool(PROBE.match(plain)) or (len(plain.split()) <= 6 and bool(POINTS_BACK.match(plain)))


def main_question(text: str) -> str:
    """The question without the probes that follow it: "¿Dónde te sientas? ¿Por qué?" is "¿Dónde te sientas?"."""
    parts = sentences(text)
    kept = [parts[0]] + [part for part in parts[1:] if not is_probe(part)] if parts else []
    main = " ".join(kept)
    if match := TAIL_PROBE.search(fold(main)):
        main = main[:match.start()] + "?"
    return main


def asked(sentence: str) -> str:
    """What a sentence asks: the words after its last "¿" ("En la escuela, ¿te sientes seguro?" asks
    "te sientes seguro"), or the whole sentence when it has no "¿"."""
    return clause(sentence[sentence.rfind("¿") + 1:] if "¿" in sentence else sentence)


def _opens(words: str) -> bool:
    """Whether asked words start like an open question or a story prompt."""
    folded = _plain(words)
    folded = re.sub(r"^(y|pero|entonces|bueno|ahora|y tu|y usted),? ", "", folded)
    tokens = folded.split()
    if not tokens:
        return True
    if tokens[0] in INTERROGATIVES or (tokens[0] in PREPOSITIONS and len(tokens) > 1 and tokens[1] in INTERROGATIVES):
        return True
    if tokens[0] in PREPOSITIONS and len(tokens) > 2 and tokens[1] in {"que", "cual"} | INTERROGATIVES:
        return True
    return bool(STORY_PROMPTS.match(folded) or STORY_ASK.match(folded))


def _question_sentences(text: str) -> list[str]:
    return [part for part in sentences(text) if part.rstrip().endswith("?")]


def _double(main: str) -> tuple[str, ...] | None:
    parts = _question_sentences(main)
    if len(parts) > 1:
        return tuple(question(asked(part)) for part in parts[:2])
    if not parts:
        return None
    words = asked(parts[0])
    folded = fold(words)
    second = SECOND_QUESTION.search(folded)
    if second and second.start() > 8:
        conjunction = second.group(1) or second.group(5)
        start = second.start() + folded[second.start():].index(conjunction) + len(conjunction)
        first, rest = words[:second.start()], words[start:]
        if not is_probe(rest):
            return (question(first), question(rest))
    return None


def _closed(main: str, leading: bool) -> Finding | None:
    folded = fold(main)
    if tag := TAG.search(folded):
        statement = main[:tag.start()]
        return Finding(
            FindingKind.CLOSED,
            _("The ending (“…, ¿verdad?”, “…, ¿no?”) asks the student to confirm, which invites a yes or a no."),
            closed_rewrites(asked(statement) if "¿" in statement else clause(statement), statement=True),
        )
    parts = _question_sentences(main)
    if not parts:
        return None  # "Cuéntame de…": a prompt, not a question
    words = asked(parts[0])
    plain = _plain(words)
    if _opens(words):
        if re.match(r"^(cual|cuales|que prefieres|que te gusta mas|que es mejor)\b", plain) and re.search(r"\s(o|u)\s(?!no$)", plain):
            return Finding(
                FindingKind.CLOSED,
                _("This is an either/or question: it offers the answers, so students pick one instead of telling their own."),
                either_or(words) or closed_rewrites(words),
            )
        return None
    if re.search(r"\s(o|u)\s(?!no$)", plain) and (found := either_or(words)):
        return Finding(
            FindingKind.CLOSED,
            _("This is an either/or question: it offers two answers, so students pick one instead of telling their own."),
            found,
        )
    if leading:
        return None
    return Finding(
        FindingKind.CLOSED,
        _("This can be answered with a yes or a no. Ask for a story or a description instead."),
        closed_rewrites(_with_setting(parts[0], words)),
    )


def _with_setting(sentence: str, words: str) -> str:
    """The asked words with the place or moment said before the "¿" ("En la cafetería, ¿te sientes cómodo?"
    asks about feeling at ease in the cafeteria), so the rewrite keeps it."""
    before = sentence[:sentence.rfind("¿")].strip() if "¿" in sentence else ""
    if before.endswith(",") and re.match(r"^(en|durante|con|cuando|al|antes|despues|a la hora)\b", fold(before)):
        return f"{words} {clause(before)}"
    return words


def _open_half(part: str) -> str:
    closed = _closed(part, False)
    return closed.rewrites[0] if closed else part


def check_question_es(text: str) -> list[Finding]:
    """Every wording problem in one Spanish question, each with why it matters and open rewrites in Spanish."""
    findings: list[Finding] = []
    clean = re.sub(r"\s+", " ", text.strip())
    if not clean:
        return findings
    main = main_question(clean)
    parts = _double(main)
    questions = _question_sentences(main)
    words = asked(questions[0]) if questions else clause(main)
    plain = _plain(words)
    whole = _plain(main)
    leading = bool(LEADING_START.match(plain)) or any(phrase in whole for phrase in LEADING_PHRASES)
    if leading:
        findings.append(Finding(
            FindingKind.LEADING,
            _("This question suggests the answer you expect, so students tend to agree instead of saying what they think."),
            leading_rewrites(words if LEADING_START.match(plain) else clause(main[:tag.start()] if (tag := TAG.search(fold(main))) else main)),
        ))
    if closed := _closed(parts[0] if parts else main, leading):
        findings.append(closed)
    if OTHERS_QUESTION.match(plain):
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
    count = len(_plain(clean).split())
    if count > QUESTION_MAX_WORDS:
        findings.append(Finding(
            FindingKind.LONG,
            _("At %(count)d words this is hard to hold in mind; keep one idea under %(limit)d words.")
            % {"count": count, "limit": QUESTION_MAX_WORDS},
            LONG,
        ))
    return findings

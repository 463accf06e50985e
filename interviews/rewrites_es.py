"""Rewrites the Spanish wording check proposes: whole sentences a person would ask a student aloud (tú).

The Spanish counterpart of `interviews.rewrites`: "¿Te sientes seguro en la escuela?" becomes "Cuéntame de
los momentos en que te sientes seguro en la escuela.", not a template with a gap. A little grammar (the
second person, the preterite of a perfect tense, articles and agreement of "es"/"son") is enough for the
questions schools write; anything it cannot parse gets a general story prompt. Each rewrite is itself an
open question, which the tests check by running the check on it.

Patterns are matched on the folded text (lower case, accents dropped: "¿Qué?" reads "¿que?"), one
character for one character, so a match's span cuts the words out of the original with their accents.
"""

from __future__ import annotations

import re
import unicodedata

GENERAL = ("Cuéntame de una vez en que eso te pasó a ti.", "¿Cómo fue eso para ti?")
LONG = GENERAL
OTHERS_GENERAL = ("Cuéntame de una vez en que viste que esto pasaba en la escuela.",
                  "¿Cómo ha sido tu propia experiencia con esto?")
CLITICS = r"(?:(?:te|me|se|le|les|lo|la|los|las|nos) )*"
DETERMINERS = ("el", "la", "los", "las", "tu", "tus", "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas",
               "nuestro", "nuestra", "nuestros", "nuestras", "mi", "mis", "su", "sus", "un", "una", "unos", "unas")
ADJECTIVES = frozenset(
    word + ending for word, endings in {
        "just": ("o", "a", "os", "as"), "injust": ("o", "a", "os", "as"), "segur": ("o", "a", "os", "as"),
        "divertid": ("o", "a", "os", "as"), "aburrid": ("o", "a", "os", "as"), "buen": ("o", "a", "os", "as"),
        "mal": ("o", "a", "os", "as"), "clar": ("o", "a", "os", "as"), "estrict": ("o", "a", "os", "as"),
        "comod": ("o", "a", "os", "as"), "incomod": ("o", "a", "os", "as"), "limpi": ("o", "a", "os", "as"),
        "suci": ("o", "a", "os", "as"), "ruidos": ("o", "a", "os", "as"), "tranquil": ("o", "a", "os", "as"),
        "amistos": ("o", "a", "os", "as"), "acogedor": ("", "a", "es", "as"), "estresante": ("", "s"),
        "interesante": ("", "s"), "importante": ("", "s"), "dificil": ("", "es"), "facil": ("", "es"), "util": ("", "es"),
        "amable": ("", "s"), "suficiente": ("", "s"), "larg": ("o", "a", "os", "as"), "cort": ("o", "a", "os", "as"),
        "nuev": ("o", "a", "os", "as"), "complicad": ("o", "a", "os", "as"), "pesad": ("o", "a", "os", "as"),
        "genial": ("", "es"), "agradable": ("", "s"), "bonit": ("o", "a", "os", "as"), "feo": ("", "s"),
    }.items() for ending in endings
) | {"fea", "feas", "demasiado", "muy", "tan", "bastante", "mejor", "peor", "mejores", "peores"}
QUANTIFIERS = r"(?:suficientes|suficiente|bastantes|bastante|muchos|muchas|mucho|mucha|demasiados|demasiadas|demasiado|demasiada) "
FILLERS = re.compile(r"\s?\b(realmente|normalmente|generalmente|usualmente|todavia|siempre|a veces|en general|de verdad)\b(?=\s|$)")
# Feelings nobody should be helped towards: "¿Qué pasa cuando te sientes solo?", not "¿Qué te ayuda a sentirte solo?".
HARD_FEELINGS = re.compile(r"^(muy |tan |un poco )?(sol[oa]s?|triste|tristes|excluid[oa]s?|nervios[oa]s?|estresad[oa]s?|ansios[oa]s?"
                           r"|enojad[oa]s?|incomod[oa]s?|insegur[oa]s?|aburrid[oa]s?|cansad[oa]s?|preocupad[oa]s?|frustrad[oa]s?"
                           r"|mal|rechazad[oa]s?|ignorad[oa]s?|perdid[oa]s?|asustad[oa]s?)\b")
PARTICIPLES = {"hecho": "hiciste", "dicho": "dijiste", "visto": "viste", "puesto": "pusiste", "escrito": "escribiste",
               "vuelto": "volviste", "roto": "rompiste", "abierto": "abriste", "ido": "fuiste", "sido": "fuiste",
               "tenido": "tuviste", "estado": "estuviste", "podido": "pudiste", "querido": "quisiste",
               "sentido": "sentiste", "pedido": "pediste", "seguido": "seguiste", "conseguido": "conseguiste"}
FEMININE = frozenset({"clase", "clases", "tarde", "tardes", "gente", "noche", "noches", "parte", "partes", "calle", "calles",
                      "llave", "mente", "muerte", "suerte", "fe", "red", "redes", "luz", "voz", "vez", "veces"})
LEADING_WORDS = re.compile(r"^(seguramente|obviamente|por supuesto|claro que|sin duda),? (que )?")
PLACE = re.compile(
    r"\b(en|durante) ((?:el|la|los|las|tu|tus|nuestra|nuestro|esta|este) )?(cafeteria|comedor|pasillos?|salones|salon"
    r"|clases?|recreo|autobus|camion|biblioteca|gimnasio|patio|almuerzo|escuela|banos?|vestidores?|asambleas?)\b"
)


def fold(text: str) -> str:
    """Lower case without accents, one character for each character of `text` ("¿Qué tal?" → "¿que tal?")."""
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text).lower()


def sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().strip(" ¿?¡!.,:;")
    return text[:1].upper() + text[1:]


def question(text: str) -> str:
    return "¿" + sentence(text) + "?"


def clause(text: str) -> str:
    """The words of a question without its marks, the first letter lower case ("¿Te gusta…?" → "te gusta…")."""
    text = re.sub(r"\s+", " ", text).strip().strip(" ¿?¡!.,:;")
    return text[:1].lower() + text[1:]


def _sub(pattern: re.Pattern | str, replacement: str, text: str) -> str:
    """`re.sub` matched on the folded text and applied to the original, keeping its accents."""
    pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
    out, last = [], 0
    for match in pattern.finditer(fold(text)):
        out += [text[last:match.start()], match.expand(replacement) if replacement else ""]
        last = match.end()
    return "".join(out) + text[last:]


def _contract(text: str) -> str:
    """"de el recreo" → "del recreo", "a el" → "al"."""
    return re.sub(r"\b(de|a) el\b", lambda m: "del" if m.group(1) == "de" else "al", text)


def _plural(phrase: str) -> bool:
    first = fold(phrase).split(" ", 1)[0]
    return first in {"los", "las", "tus", "sus", "mis", "unos", "unas", "estos", "estas", "esos", "esas",
                     "nuestros", "nuestras"} or (first not in DETERMINERS and first.endswith("s"))


def _be(phrase: str, tense: str = "es") -> str:
    plural = _plural(phrase)
    return {"es": "son", "fue": "fueron", "era": "eran"}[tense] if plural else tense


def _tense(verb: str) -> str:
    verb = fold(verb)
    return "fue" if verb in {"fue", "fueron"} else "era" if verb in {"era", "eran"} else "es"


def _how_is(thing: str, tense: str = "es") -> tuple[str, str]:
    verb = _be(thing, tense)
    return (f"¿Cómo {verb} para ti {thing}?", _contract(f"Cuéntame de un momento que muestre cómo {verb} {thing}."))


def _infinitive(word: str) -> bool:
    return bool(re.match(r"^\w+(ar|er|ir)(te|me|se|nos|lo|la|le|los|las)?$", fold(word)))


def _with_article(thing: str) -> str:
    """"actividades después de clases" → "las actividades después de clases": a bare noun gets an article."""
    first = fold(thing).split(" ", 1)[0]
    if first in DETERMINERS or first in {"algo", "alguien", "algun", "alguna", "algunos", "algunas"}:
        return _sub(r"^algun(a|os|as)?\b", r"un\1", thing)
    plural = first.endswith("s")
    feminine = first in FEMININE or first.endswith(("a", "as", "ion", "iones", "dad", "dades", "tud", "tudes"))
    return f"{('las' if plural else 'la') if feminine else ('los' if plural else 'el')} {thing}"


def _preterite(rest: str) -> str:
    """"te has sentido excluido" → "te sentiste excluido": the perfect tense as the preterite."""
    folded = fold(rest)
    match = re.match(rf"^({CLITICS})(has|haz) (\w+)(.*)$", folded)
    if not match:
        return rest
    participle = match.group(3)
    if participle in PARTICIPLES:
        verb = PARTICIPLES[participle]
    elif participle.endswith("ado"):
        verb = rest[match.start(3):match.end(3) - 3] + "aste"
    elif participle.endswith("ido"):
        verb = rest[match.start(3):match.end(3) - 3] + "iste"
    else:
        return rest
    return rest[:match.end(1)] + verb + rest[match.end(3):]


def _first_verb(words: str) -> str:
    folded = fold(words)
    return re.sub(rf"^{CLITICS}", "", folded).split(" ", 1)[0]


def think(text: str) -> tuple[str, ...]:
    """What a student thinks of a statement they were asked to agree with, as open questions."""
    text = _sub(r"^que ", "", text)
    if match := re.search(r" (es|son|fue|fueron|era|eran) ", fold(text)):
        subject = text[:match.start()]
        if subject and fold(subject).split(" ", 1)[0] in DETERMINERS:
            return (_contract(f"¿Qué piensas de {subject}?"),
                    _contract(f"Cuéntame de un momento que muestre lo que piensas de {subject}."))
    return (f"¿Qué piensas sobre si {text}?", "Cuéntame de un momento que te hizo pensar en esto.")


def either_or(words: str) -> tuple[str, ...]:
    folded = fold(words)
    if match := re.match(r"^(prefieres|te gusta mas|te gustan mas|quieres|escogerias|elegirias|eliges) (.+?),? o (.+)$", folded):
        first, second = words[match.start(2):match.end(2)], words[match.start(3):]
        joiner = "e" if re.match(r"^h?i(?![aeou])", fold(second)) else "y"
        return (f"Cuéntame cómo eliges entre {first} {joiner} {second}.", f"¿Cómo {_be(first)} para ti {first}?")
    if match := re.match(r"^(?:cual|que) (?:(?:es|fue|te gusta|te gustan|te parece|prefieres|sera) ?)*(?:mejor|mas facil|mas dificil|peor)?[,:]? ?(.+?),? o (.+)$", folded):
        first, second = words[match.start(1):match.end(1)], words[match.start(2):]
        return (f"Cuéntame de tu experiencia con {first} y con {second}.", f"¿Cómo {_be(first)} para ti {first}?")
    return ()


def _liking(words: str, folded: str) -> tuple[str, ...] | None:
    if match := re.match(r"^te (gusta|gustan|encanta|encantan|agrada|agradan) (mas )?(.+)$", folded):
        thing = words[match.start(3):]
        if " o " in fold(thing) and not fold(thing).endswith(" o no"):
            return either_or(f"prefieres {thing}")
        thing = _sub(r",? o no$", "", thing)
        if _infinitive(thing.split(" ", 1)[0]):
            return (f"Cuéntame de las veces en que disfrutas {thing}.", f"¿Cómo es para ti {thing}?")
        return (f"¿Cómo {_be(thing)} para ti {thing}?",
                _contract(f"Cuéntame de un momento que muestre lo que piensas de {thing}."))
    if match := re.match(r"^te gustaria (.+)$", folded):
        action = words[match.start(1):]
        return (f"¿Qué te haría querer {action}?", f"Cuéntame de una vez en que pensaste en {action}.")
    if match := re.match(r"^(disfrutas|odias) (.+)$", folded):
        return _liking(f"te gusta {words[match.start(2):]}", f"te gusta {folded[match.start(2):]}")
    return None


def _being(words: str, folded: str) -> tuple[str, ...] | None:
    """"¿Es difícil hacer amigos aquí?", "¿Es justa la disciplina?", "La escuela es segura": how it is for you."""
    if match := re.match(r"^(es|son|fue|fueron|era|eran) (\w+) (para ti )?(\w+)(.*)$", folded):
        tense, rest = _tense(match.group(1)), words[match.start(4):]
        if match.group(2) in ADJECTIVES and _infinitive(match.group(4)):
            return (f"¿Cómo {tense} para ti {rest}?", f"Cuéntame de una vez en que intentaste {rest}.")
        if match.group(2) in ADJECTIVES and match.group(4) in DETERMINERS:
            return _how_is(_sub(r" para ti$", "", rest), tense)
    if match := re.match(r"^(es|son|fue|fueron|era|eran) ((?:" + "|".join(DETERMINERS) + r") .+?) (un|una|muy|tan|demasiado|bastante|\w+)( .*)?$", folded):
        if match.group(3) in ADJECTIVES | {"un", "una"}:
            return _how_is(words[match.start(2):match.end(2)], _tense(match.group(1)))
    if match := re.match(r"^((?:" + "|".join(DETERMINERS[:-4]) + r") .+?) (es|son|fue|fueron|era|eran) (.+)$", folded):
        return _how_is(words[:match.end(1)], _tense(match.group(2)))
    return None


def _feeling(feeling: str) -> tuple[str, str]:
    if HARD_FEELINGS.match(fold(feeling)):
        return (f"Cuéntame de los momentos en que te sientes {feeling}.", f"¿Qué pasa cuando te sientes {feeling}?")
    return (f"Cuéntame de los momentos en que te sientes {feeling}.", f"¿Qué te ayuda a sentirte {feeling}?")


def _state(words: str, folded: str) -> tuple[str, ...] | None:
    if match := re.match(r"^(estas|estabas|estuviste) de acuerdo (con|en) (.+)$", folded):
        thing = words[match.start(3):]
        return think(thing) if fold(thing).startswith("que ") else (_contract(f"¿Qué piensas de {thing}?"),
                                                                      f"Cuéntame de un momento en que {thing} te afectó.")
    if match := re.match(r"^(estas|estabas|estuviste) (.+)$", folded):
        rest = words[match.start(2):]
        first = fold(rest).split(" ", 1)[0]
        if re.search(r"(ando|iendo|yendo)$", first):
            return (f"Cuéntame de las veces en que estás {rest}.", f"¿Qué te ayuda cuando estás {rest}?")
        if first in {"en", "con", "a", "entre", "dentro"}:
            return (f"Cuéntame de tu experiencia {rest}.", f"¿Qué significa para ti estar {rest}?")
        return _feeling(rest)
    if match := re.match(r"^te (sientes|sentiste|sentias) (.+)$", folded):
        rest = words[match.start(2):]
        if match.group(1) == "sentiste":
            return (f"Cuéntame de un momento en que te sentiste {rest}.", f"¿Qué pasó la última vez que te sentiste {rest}?")
        return _feeling(rest)
    if match := re.match(r"^(sientes|sentiste) que (.+)$", folded):
        rest = words[match.start(2):]
        if match.group(1) == "sentiste":
            return (f"Cuéntame de la vez en que sentiste que {rest}.", f"¿Qué te hizo sentir que {rest}?")
        return (f"Cuéntame de las veces en que sientes que {rest}.", f"¿Qué te hace sentir que {rest}?")
    return None


def _having(words: str, folded: str) -> tuple[str, ...] | None:
    if match := re.match(r"^(hay|habia|hubo|existe|existen) (.+)$", folded):
        thing = _sub(rf"^{QUANTIFIERS}", "", words[match.start(2):])
        if re.match(r"^(algo|alguien)\b", fold(thing)):
            return (f"Cuéntame de {thing}.", "¿Qué más te gustaría contarme sobre esto?")
        thing = _with_article(thing)
        return (_contract(f"Cuéntame de {thing}."), f"¿Qué te viene a la mente cuando piensas en {thing}?")
    if match := re.match(r"^(tienes|tenias|tuviste) que (.+)$", folded):
        action = words[match.start(2):]
        return (f"Cuéntame de las veces en que tienes que {action}.", f"¿Cómo es para ti tener que {action}?")
    if match := re.match(r"^(tienes|tenias|tuviste) (.+)$", folded):
        thing = _sub(rf"^{QUANTIFIERS}", "", words[match.start(2):])
        first = fold(thing).split(" ", 1)[0]
        if first in {"algun", "alguna", "algunos", "algunas", "un", "una", "unos", "unas", "algo", "alguien"} or first in DETERMINERS:
            told = _with_article(thing)
        else:
            told = f"{'tus' if first.endswith('s') else 'tu'} {thing}"
        return (_contract(f"Cuéntame de {told}."), f"¿Cómo es para ti tener {thing}?")
    return None


def _ability(words: str, folded: str) -> tuple[str, ...] | None:
    if match := re.match(r"^(puedes|podrias|pudiste|pudieras) (.+)$", folded):
        action = words[match.start(2):]
        return (f"¿Qué pasa cuando intentas {action}?", f"Cuéntame de una vez en que intentaste {action}.")
    if match := re.match(r"^(quieres|quisieras) (.+)$", folded):
        action = words[match.start(2):]
        return (f"¿Qué te haría querer {action}?", f"Cuéntame de una vez en que quisiste {action}.")
    if match := re.match(r"^(crees|piensas|consideras|te parece) que (.+)$", folded):
        return think(words[match.start(2):])
    if match := re.match(r"^sabes (.+)$", folded):
        rest = words[match.start(1):]
        return (f"¿Cómo sabes {rest}?", f"Cuéntame de una vez en que necesitaste saber {rest}.")
    return None


def closed_rewrites(text: str, *, statement: bool = False) -> tuple[str, ...]:
    """Open questions that ask for the same thing as a closed Spanish one, as whole sentences. A
    `statement` ("Tus maestros te ayudan", before its "¿verdad?") is asked about as it stands."""
    words = _sub(FILLERS, "", clause(text))
    words = _sub(r"^(tu|usted|y|pero|entonces),? ", "", _sub(LEADING_WORDS, "", words))
    folded = fold(words)
    if match := re.match(r"^(alguna vez|algun dia|alguna ocasion|ya) (.+)$", folded):
        rest = words[match.start(2):]
        past = _preterite(rest)
        if past != rest or re.search(r"(aste|iste)$", _first_verb(rest)):
            return (f"Cuéntame de una vez en que {past}.", f"¿Qué pasó la última vez que {past}?")
        words, folded = rest, fold(rest)
    if " o " in folded and not folded.endswith(" o no") and (found := either_or(words)):
        return found
    words = _sub(r",? o no$", "", words)
    folded = fold(words)
    for shape in (_liking, _state, _being, _having, _ability):
        if found := shape(words, folded):
            return found
    verb = _first_verb(words)
    if re.search(r"(aste|iste)$", verb):
        return (f"Cuéntame de la vez en que {words}.", f"¿Qué pasó cuando {words}?")
    if statement or (verb and verb not in DETERMINERS and re.search(r"(as|es|an|en|a|e)$", verb)):
        return (f"Cuéntame de las veces en que {words}.", f"¿Cómo es para ti cuando {words}?")
    return GENERAL


def leading_rewrites(text: str) -> tuple[str, ...]:
    words = clause(text)
    folded = fold(words)
    if match := re.match(r"^(no (crees|piensas|sientes|te parece|estas de acuerdo en|es cierto|es verdad)|verdad"
                         r"|cierto|a poco no|estas de acuerdo (en|con)) (que )?(.+)$", folded):
        return think(words[match.start(5):])
    if match := re.match(r"^(que tan|cuan|lo) \w+ (es|son|fue|fueron|era|eran) (.+)$", folded):
        return _how_is(words[match.start(3):], _tense(match.group(2)))
    if match := re.match(r"^cuanto (te gustan?|te encantan?|disfrutas|odias) (.+)$", folded):
        return closed_rewrites(f"te gusta {words[match.start(2):]}")
    if match := re.match(r"^(seguramente|obviamente|por supuesto|claro que|sin duda),? (que )?(.+?)(,? pero .*)?$", folded):
        return closed_rewrites(words[match.start(3):match.end(3)], statement=True)
    if match := re.match(r"^no (.+)$", folded):
        return closed_rewrites(words[match.start(1):])
    return GENERAL


def others_rewrites(text: str) -> tuple[str, ...]:
    """Story prompts about the student's own experience of what a question asked others to explain."""
    words = clause(text)
    folded = fold(words)
    if place := PLACE.search(folded):
        where = words[place.start():place.end()]
        thing = words[place.start(2):place.end()] if place.group(2) else _with_article(words[place.start(3):place.end()])
        return (f"Cuéntame de un momento {where} que se te haya quedado grabado.", f"¿Cómo {_be(thing)} para ti {thing}?")
    if about := re.search(r"\b(?:de|sobre|acerca de) ((?:el|la|los|las|tu|tus|esta|este|nuestra|nuestro) .+)$", folded):
        thing = words[about.start(1):]
        past = "fueron" if _plural(thing) else "fue"
        return (f"Cuéntame de un momento en que {thing} {past} importante para ti.", f"¿Cómo {_be(thing)} para ti {thing}?")
    if about := re.search(r"\b(?:del) (.+)$", folded):
        thing = "el " + words[about.start(1):]
        return (f"Cuéntame de un momento en que {thing} fue importante para ti.", f"¿Cómo es para ti {thing}?")
    return OTHERS_GENERAL

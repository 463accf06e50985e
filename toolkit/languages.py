"""Which interface language a page speaks: the languages offered, and the rule for pages families open.

A page a family opens without an account (a follow-up link, the published "you said, we did" page, a
consent page) speaks the language recorded for that student's family, unless the person at the screen
has chosen another with the switcher (the language cookie): one click changes it, and the choice sticks.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

SESSION_KEY = "empathy_language"


def offered() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The offered language that `code` names ("es-MX", "ES", "spa" aside), or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in offered() else None


def chosen_by_visitor(request: HttpRequest) -> str | None:
    """The language the person at this screen chose themselves: their account's, else the switcher's."""
    return supported(request.session.get(SESSION_KEY) if hasattr(request, "session") else None) or supported(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    )


def activate_for_family(request: HttpRequest, *, recorded: str | None) -> str:
    """Speak the family's recorded language on this page unless the visitor chose one; return the code."""
    language = chosen_by_visitor(request) or supported(recorded) or translation.get_language()
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


# Home languages a roster may record, by code (ISO 639-1 where there is one). The names are the categories
# students are counted under (English words whatever the page's language, like every category) and are
# translated only when shown (`home_language_name`).
HOME_LANGUAGES = {
    "en": gettext_noop("English"), "es": gettext_noop("Spanish"), "zh": gettext_noop("Chinese"),
    "ar": gettext_noop("Arabic"), "vi": gettext_noop("Vietnamese"), "ht": gettext_noop("Haitian Creole"),
    "fr": gettext_noop("French"), "ru": gettext_noop("Russian"), "bn": gettext_noop("Bengali"),
    "pt": gettext_noop("Portuguese"), "ko": gettext_noop("Korean"), "ur": gettext_noop("Urdu"),
    "pl": gettext_noop("Polish"), "tl": gettext_noop("Tagalog"), "so": gettext_noop("Somali"),
    "hmn": gettext_noop("Hmong"), "ne": gettext_noop("Nepali"), "uk": gettext_noop("Ukrainian"),
    "ps": gettext_noop("Pashto"), "fa": gettext_noop("Persian"), "sw": gettext_noop("Swahili"),
    "ja": gettext_noop("Japanese"), "hi": gettext_noop("Hindi"), "pa": gettext_noop("Punjabi"),
    "yi": gettext_noop("Yiddish"), "it": gettext_noop("Italian"), "de": gettext_noop("German"),
    "am": gettext_noop("Amharic"), "ti": gettext_noop("Tigrinya"), "my": gettext_noop("Burmese"),
    "km": gettext_noop("Khmer"), "lo": gettext_noop("Lao"), "th": gettext_noop("Thai"),
    "tr": gettext_noop("Turkish"), "uz": gettext_noop("Uzbek"), "wo": gettext_noop("Wolof"),
    "ff": gettext_noop("Fulani"), "mam": gettext_noop("Mam"), "quc": gettext_noop("K'iche'"),
}
_HOME_LANGUAGE_WORDS = {
    # names and codes as student information systems spell them, in English and Spanish
    "eng": "en", "inglés": "en", "ingles": "en",
    "spa": "es", "español": "es", "espanol": "es", "castellano": "es", "spanish (spain)": "es",
    "spanish (latin america)": "es", "sp": "es",
    "zho": "zh", "chi": "zh", "mandarin": "zh", "cantonese": "zh", "chinese (mandarin)": "zh",
    "chinese (cantonese)": "zh", "fuzhounese": "zh", "chino": "zh",
    "ara": "ar", "árabe": "ar", "vie": "vi", "hat": "ht", "creole": "ht", "haitian": "ht", "kreyòl": "ht",
    "fra": "fr", "fre": "fr", "francés": "fr", "rus": "ru", "ben": "bn", "bangla": "bn", "por": "pt",
    "kor": "ko", "urd": "ur", "pol": "pl", "tgl": "tl", "filipino": "tl", "som": "so", "nep": "ne",
    "ukr": "uk", "pus": "ps", "fas": "fa", "per": "fa", "farsi": "fa", "dari": "fa", "swa": "sw",
    "jpn": "ja", "hin": "hi", "pan": "pa", "yid": "yi", "ita": "it", "deu": "de", "ger": "de",
    "amh": "am", "tir": "ti", "mya": "my", "bur": "my", "khm": "km", "lao": "lo", "tha": "th", "tur": "tr",
    "uzb": "uz", "wol": "wo", "ful": "ff", "fula": "ff", "pulaar": "ff",
}
NOT_RECORDED_LANGUAGE = gettext_noop("Not recorded")


def parse_home_language(value: str) -> str | None:
    """The code of a home language as a roster spells it ("Spanish", "spa", "es-MX", "Español"); "" for
    an empty cell; None when it is not one we can read."""
    text = " ".join((value or "").strip().lower().replace("_", "-").split())
    if not text:
        return ""
    if text in HOME_LANGUAGES:
        return text
    if text in _HOME_LANGUAGE_WORDS:
        return _HOME_LANGUAGE_WORDS[text]
    base = text.split("-")[0]
    if base in HOME_LANGUAGES and "-" in text:
        return base
    for code, name in HOME_LANGUAGES.items():
        if text == name.lower():
            return code
    return None


def home_language_category(code: str | None) -> str:
    """The category a student is counted under: the language's English name, the same on every page."""
    if not code:
        return NOT_RECORDED_LANGUAGE
    return HOME_LANGUAGES.get(code, code)


def home_language_name(code: str | None) -> str:
    """The language's name in the language now active."""
    return gettext(home_language_category(code))

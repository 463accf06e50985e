"""Open, story-based sample questions across the themes schools explore. Written for this project."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Shown in the reader's language, and added to a protocol in the language of the lead who adds them.
TELL_ME_MORE = _("Tell me more about that.")
AN_EXAMPLE = _("Can you give me an example?")
BELONGING = _("Belonging")
LEARNING = _("Learning and academics")
ADULTS = _("Relationships with adults")
SAFETY = _("Safety and well-being")
CULTURE = _("School culture")
FUTURE = _("Future and aspirations")
MATH = _("Math and subject anxiety")
SUPPORTS = _("Programs and supports")
THEMES = (BELONGING, LEARNING, ADULTS, SAFETY, CULTURE, FUTURE, MATH, SUPPORTS)


@dataclass(frozen=True)
class BankQuestion:
    key: str
    theme: str
    text: str
    follow_ups: tuple[str, ...] = (TELL_ME_MORE, AN_EXAMPLE)
    opening: bool = False


BANK: tuple[BankQuestion, ...] = (
    # Belonging
    BankQuestion("belong-place", BELONGING, _("Tell me about a place at school where you feel you belong."), opening=True),
    BankQuestion("belong-welcome", BELONGING, _("Think about your first weeks here. What made you feel welcome, or not?"),
                 (_("Who helped you?"), _("What do you wish had happened?"))),
    BankQuestion("belong-outside", BELONGING, _("Describe a time when you felt like you were on the outside at school."),
                 (_("What happened next?"), _("What would have helped in that moment?"))),
    BankQuestion("belong-new", BELONGING, _("What advice would you give a student who just moved to this school?"), opening=True),
    # Learning and academics
    BankQuestion("learn-best", LEARNING, _("Tell me about a class where you learned a lot. What made it work for you?")),
    BankQuestion("learn-stuck", LEARNING, _("Describe what you do when you get stuck on schoolwork."),
                 (_("Who do you turn to?"), _("What happens when that doesn't work?"))),
    BankQuestion("learn-proud", LEARNING, _("Tell me about a piece of work you are proud of."), opening=True),
    BankQuestion("learn-boring", LEARNING, _("What is it like when a class feels too easy or too hard for you?")),
    # Relationships with adults
    BankQuestion("adult-trust", ADULTS, _("Tell me about an adult at school you trust. What do they do that makes a difference?")),
    BankQuestion("adult-know", ADULTS, _("What do you wish your teachers knew about you?")),
    BankQuestion("adult-help", ADULTS, _("Describe a time you asked an adult here for help. How did it go?"),
                 (_("What made it easy or hard to ask?"),)),
    BankQuestion("adult-respect", ADULTS, _("How can you tell when a teacher respects students?")),
    # Safety and well-being
    BankQuestion("safe-where", SAFETY, _("Tell me about the place in this school where you feel most at ease."),
                 (_("What makes it feel that way?"), _("Where do you feel least at ease?"))),
    BankQuestion("safe-stress", SAFETY, _("Tell me about a stressful week this year. What helped you get through it?")),
    BankQuestion("safe-worry", SAFETY, _("What worries students here that adults might not notice?")),
    BankQuestion("safe-support", SAFETY, _("Describe what support looks like when a student is having a hard time.")),
    # School culture
    BankQuestion("culture-describe", CULTURE, _("How would you describe this school to a friend from another school?"), opening=True),
    BankQuestion("culture-rules", CULTURE, _("Tell me about a school rule that affects your day. What is it like for you?")),
    BankQuestion("culture-voice", CULTURE, _("Describe a time when students' ideas changed something at this school.")),
    BankQuestion("culture-lunch", CULTURE, _("Walk me through lunchtime, from the bell to the end of the break."),
                 (_("Where do you go?"), _("Who do you spend it with?")), opening=True),
    # Future and aspirations
    BankQuestion("future-picture", FUTURE, _("Picture yourself five years from now. What are you doing?"),
                 (_("What is helping you get there?"), _("What is getting in the way?")), opening=True),
    BankQuestion("future-school", FUTURE, _("How is school helping you get ready for what you want to do next?")),
    BankQuestion("future-person", FUTURE, _("Tell me about someone whose path you would like to follow.")),
    BankQuestion("future-block", FUTURE, _("What gets in the way of the goals you have for yourself?")),
    # Math and subject anxiety
    BankQuestion("math-feel", MATH, _("Tell me about a moment in math class when you felt confident, or the opposite.")),
    BankQuestion("math-wrong", MATH, _("What happens in your head when you get a math problem wrong in front of others?")),
    BankQuestion("math-story", MATH, _("How has your feeling about math changed since elementary school?")),
    BankQuestion("math-help", MATH, _("Describe what would make a hard subject feel more possible for you.")),
    # Programs and supports
    BankQuestion("support-program", SUPPORTS, _("Tell me about a program or club here that has mattered to you.")),
    BankQuestion("support-find", SUPPORTS, _("How do students find out about tutoring, clubs and other supports here?")),
    BankQuestion("support-missing", SUPPORTS, _("What support do you wish this school offered?")),
    BankQuestion("support-newcomer", SUPPORTS, _("For students new to the country: what has helped you most at school?"),
                 (_("What has been hardest?"), _("Who has helped you?"))),
)


def search_bank(query: str = "", theme: str = "") -> list[BankQuestion]:
    """The questions of `theme` (as shown, in the current language) whose text or theme holds every word."""
    words = query.lower().split()
    return [
        question for question in BANK
        if (not theme or str(question.theme) == theme) and all(w in f"{question.text} {question.theme}".lower() for w in words)
    ]


def bank_question(key: str) -> BankQuestion | None:
    return next((question for question in BANK if question.key == key), None)


def bank_question_in(question: BankQuestion, language: str) -> tuple[str, list[str]] | None:
    """The sample question and its follow-up prompts as the `language` catalogue writes them; None
    when that catalogue has no version of the question (it would only give the English back)."""
    with translation.override("en"):
        english = str(question.text)
    with translation.override(language):
        text, follow_ups = str(question.text), [str(prompt) for prompt in question.follow_ups]
    if language != "en" and text == english:
        return None
    return text, follow_ups


def bank_languages(question: BankQuestion, languages: list[str]) -> dict:
    """What `add_question` needs to keep a sample question in English and every other language the bank has it in."""
    english = bank_question_in(question, "en")
    translations = {code: {"text": found[0], "follow_ups": found[1]}
                    for code in languages if code != "en" and (found := bank_question_in(question, code))}
    return {"text": english[0], "follow_ups": english[1], "translations": translations}

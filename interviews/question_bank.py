"""Open, story-based sample questions across the themes schools explore. Written for this project."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BankQuestion:
    key: str
    theme: str
    text: str
    follow_ups: tuple[str, ...] = ("Tell me more about that.", "Can you give me an example?")
    opening: bool = False


BANK: tuple[BankQuestion, ...] = (
    # Belonging
    BankQuestion("belong-place", "Belonging", "Tell me about a place at school where you feel you belong.", opening=True),
    BankQuestion("belong-welcome", "Belonging", "Think about your first weeks here. What made you feel welcome, or not?",
                 ("Who helped you?", "What do you wish had happened?")),
    BankQuestion("belong-outside", "Belonging", "Describe a time when you felt like you were on the outside at school.",
                 ("What happened next?", "What would have helped in that moment?")),
    BankQuestion("belong-new", "Belonging", "What advice would you give a student who just moved to this school?", opening=True),
    # Learning and academics
    BankQuestion("learn-best", "Learning and academics", "Tell me about a class where you learned a lot. What made it work for you?"),
    BankQuestion("learn-stuck", "Learning and academics", "Describe what you do when you get stuck on schoolwork.",
                 ("Who do you turn to?", "What happens when that doesn't work?")),
    BankQuestion("learn-proud", "Learning and academics", "Tell me about a piece of work you are proud of.", opening=True),
    BankQuestion("learn-boring", "Learning and academics", "What is it like when a class feels too easy or too hard for you?"),
    # Relationships with adults
    BankQuestion("adult-trust", "Relationships with adults", "Tell me about an adult at school you trust. What do they do that makes a difference?"),
    BankQuestion("adult-know", "Relationships with adults", "What do you wish your teachers knew about you?"),
    BankQuestion("adult-help", "Relationships with adults", "Describe a time you asked an adult here for help. How did it go?",
                 ("What made it easy or hard to ask?",)),
    BankQuestion("adult-respect", "Relationships with adults", "How can you tell when a teacher respects students?"),
    # Safety and well-being
    BankQuestion("safe-where", "Safety and well-being", "Tell me about the place in this school where you feel most at ease.",
                 ("What makes it feel that way?", "Where do you feel least at ease?")),
    BankQuestion("safe-stress", "Safety and well-being", "Tell me about a stressful week this year. What helped you get through it?"),
    BankQuestion("safe-worry", "Safety and well-being", "What worries students here that adults might not notice?"),
    BankQuestion("safe-support", "Safety and well-being", "Describe what support looks like when a student is having a hard time."),
    # School culture
    BankQuestion("culture-describe", "School culture", "How would you describe this school to a friend from another school?", opening=True),
    BankQuestion("culture-rules", "School culture", "Tell me about a school rule that affects your day. What is it like for you?"),
    BankQuestion("culture-voice", "School culture", "Describe a time when students' ideas changed something at this school."),
    BankQuestion("culture-lunch", "School culture", "Walk me through lunchtime, from the bell to the end of the break.",
                 ("Where do you go?", "Who do you spend it with?"), opening=True),
    # Future and aspirations
    BankQuestion("future-picture", "Future and aspirations", "Picture yourself five years from now. What are you doing?",
                 ("What is helping you get there?", "What is getting in the way?"), opening=True),
    BankQuestion("future-school", "Future and aspirations", "How is school helping you get ready for what you want to do next?"),
    BankQuestion("future-person", "Future and aspirations", "Tell me about someone whose path you would like to follow."),
    BankQuestion("future-block", "Future and aspirations", "What gets in the way of the goals you have for yourself?"),
    # Math and subject anxiety
    BankQuestion("math-feel", "Math and subject anxiety", "Tell me about a moment in math class when you felt confident, or the opposite."),
    BankQuestion("math-wrong", "Math and subject anxiety", "What happens in your head when you get a math problem wrong in front of others?"),
    BankQuestion("math-story", "Math and subject anxiety", "How has your feeling about math changed since elementary school?"),
    BankQuestion("math-help", "Math and subject anxiety", "Describe what would make a hard subject feel more possible for you."),
    # Programs and supports
    BankQuestion("support-program", "Programs and supports", "Tell me about a program or club here that has mattered to you."),
    BankQuestion("support-find", "Programs and supports", "How do students find out about tutoring, clubs and other supports here?"),
    BankQuestion("support-missing", "Programs and supports", "What support do you wish this school offered?"),
    BankQuestion("support-newcomer", "Programs and supports", "For students new to the country: what has helped you most at school?",
                 ("What has been hardest?", "Who has helped you?")),
)
THEMES = tuple(dict.fromkeys(question.theme for question in BANK))


def search_bank(query: str = "", theme: str = "") -> list[BankQuestion]:
    words = query.lower().split()
    return [
        question for question in BANK
        if (not theme or question.theme == theme) and all(w in f"{question.text} {question.theme}".lower() for w in words)
    ]


def bank_question(key: str) -> BankQuestion | None:
    return next((question for question in BANK if question.key == key), None)

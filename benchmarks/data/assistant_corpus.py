"""A labelled corpus of student-like interview notes for the coding-assistant benchmark, written for this
project (no note comes from a real student). Ten codes of a belonging-and-school-life program, each with
its name and definition as a codebook would have them, and sentences a student might say about it: most
never use the code's own words (a student says "nobody knows my name", not "belonging"), some share
words with another code ("lunch" is noise for one student and time for another), about one note in eight
is in Spanish, and one in six raises two codes at once. Built deterministically from a seed.

    notes(count, seed, part) -> [(text, {code names})]

A quarter of each code's phrasings (every fourth English sentence and predicate, the last Spanish
sentence) are kept for the "unseen" part only, so held-out figures can be read on words the training notes never said that way.
"""

from __future__ import annotations

import random

CODES: dict[str, tuple[str, list[str], list[str]]] = {
    "Noise and crowding": (
        "Loud or crowded spaces: cafeteria, hallways, classrooms where students cannot hear or think.", [
            "the cafeteria is so loud I can't even hear my friends",
            "everybody is yelling at lunch and it gives me a headache",
            "the hallways are packed, people push you into the lockers",
            "I eat in the library because the lunchroom is way too loud",
            "my math class is chaos, kids talk over the teacher the whole time",
            "the bus is crammed and screaming every morning",
            "there are like forty of us in one room and it echoes",
            "I wear headphones between classes because of the noise",
            "it's hard to focus when the room next door is blasting music",
            "the stairs get so jammed you can't move",
            "the gym is deafening during assemblies",
            "too many people in the commons, I can't breathe in there",
        ], [
            "la cafetería es muy ruidosa y no puedo escuchar a mis amigos",
            "los pasillos están llenos de gente y te empujan",
            "hay demasiado ruido en el salón para concentrarme",
        ]),
    "Time and schedule": (
        "Not enough time: short lunch, passing periods, rushed schedule, workload against the clock.", [
            "we get twenty minutes for lunch and the line takes fifteen",
            "four minutes between classes is not enough to get across campus",
            "I never finish the test before the bell",
            "the block schedule means I have three tests on the same day",
            "I'm always late to fourth period because it's on the other side",
            "by the time I sit down to eat lunch is basically over",
            "there's no break in the morning at all",
            "first period starts so early I can't get here on time",
            "they cut advisory so now there's no time to catch up",
            "I wish the day had one free period to breathe",
            "labs always run over and then I miss the start of my next class",
            "we rush through every unit to get to the exam",
        ], [
            "no hay tiempo para comer en el almuerzo",
            "cuatro minutos entre clases no alcanzan",
            "siempre llego tarde porque el horario es muy apretado",
        ]),
    "Belonging": (
        "Feeling part of the school community, known and welcome, or feeling left out and invisible.", [
            "nobody here really knows my name",
            "when I joined robotics I finally felt like I had a place",
            "I moved here in October and I still eat alone",
            "the art room is the one spot where I feel like myself",
            "it feels like the school is for the popular kids",
            "my soccer team is like a second family",
            "I don't see anyone who looks like me in the clubs",
            "people say hi to me in the hallway now and that matters",
            "I felt invisible my whole first year",
            "the welcome week made me feel like I was part of something",
            "I don't really fit in with any group",
            "at the GSA meetings nobody judges me",
        ], [
            "nadie aquí sabe cómo me llamo",
            "en el club de arte siento que tengo un lugar",
            "siento que no encajo con nadie en esta escuela",
        ]),
    "Trusted adults": (
        "Staff a student can go to: teachers, counselors or coaches who listen, notice and follow up.", [
            "Ms. Rivera noticed I was upset and asked me about it after class",
            "I don't have one adult I would tell if something was wrong",
            "my coach checks on my grades and on me",
            "the counselor has five hundred kids so you never get to see her",
            "Mr. Chen stays after school and actually listens",
            "teachers only talk to me when I'm in trouble",
            "the front office lady knows everybody and always asks how my mom is",
            "I told a teacher something private and she told the whole class",
            "my English teacher wrote me a note saying she was proud of me",
            "there's nobody I can go to when things are bad at home",
            "the nurse is the only one who gets it",
            "my advisor emails my dad when I'm doing well, not just bad",
        ], [
            "la consejera nunca tiene tiempo para vernos",
            "mi maestra de inglés siempre me pregunta cómo estoy",
            "no tengo ningún adulto en quien confiar aquí",
        ]),
    "Academic stress": (
        "Pressure from grades, tests, homework load and expectations; worry and exhaustion about school work.", [
            "I stay up until two doing homework almost every night",
            "finals week I barely slept and I cried in the bathroom",
            "my parents expect straight As and I feel like I'm drowning",
            "three AP classes is too much but I'm scared to drop one",
            "I get stomachaches the night before every test",
            "one bad grade and I feel like my future is over",
            "the workload doubled this year and nobody warned us",
            "I'm exhausted all the time, school is all I do",
            "everyone compares their GPA and it makes me anxious",
            "I freeze up on quizzes even when I studied",
            "I have six hours of homework on weekends",
            "the pressure to get into college starts in ninth grade here",
        ], [
            "me quedo despierta hasta muy tarde haciendo la tarea",
            "tengo mucha presión por las calificaciones",
            "me pongo muy nerviosa antes de cada examen",
        ]),
    "Help with learning": (
        "Academic support: tutoring, asking questions, explanations, extra help when stuck on class work.", [
            "when I'm stuck in chemistry there's nowhere to go for help",
            "the peer tutoring on Tuesdays saved my math grade",
            "I'm scared to raise my hand because people laugh",
            "my teacher explains it one way and if you don't get it, too bad",
            "office hours are at lunch, so I'd have to skip eating",
            "the writing center helped me fix my essay",
            "I watch videos online because class goes too fast",
            "she lets us redo problems until we understand them",
            "I asked for help twice and got told to read the chapter",
            "the after-school homework club has snacks and teachers who help",
            "group work helps because my friends explain it better",
            "I fell behind in Spanish and never caught up",
        ], [
            "cuando no entiendo algo no sé a quién pedirle ayuda",
            "las tutorías de los martes me ayudaron con matemáticas",
            "me da miedo preguntar en clase porque se ríen",
        ]),
    "Safety": (
        "Feeling physically and emotionally safe: fights, bullying, threats, places or times that feel unsafe.", [
            "there were three fights by the buses last week",
            "some boys follow me and say things on the way home",
            "I don't go in the bathrooms on the second floor",
            "people film fights and post them",
            "a kid brought a knife and nobody told us anything",
            "I got pushed down the stairs and the teacher didn't see",
            "the parking lot after games feels sketchy",
            "they make fun of my accent every single day",
            "someone made a fake account to mess with me",
            "the lockdown drill scared my little brother",
            "I feel safe here, the security guards know us",
            "kids get jumped behind the portables",
        ], [
            "hubo peleas cerca de los autobuses",
            "se burlan de mi acento todos los días",
            "no me siento segura en los baños del segundo piso",
        ]),
    "Rules and fairness": (
        "School rules, discipline and dress code, and whether they are applied fairly to every student.", [
            "the dress code is only enforced on girls",
            "I got detention for being one minute late",
            "the phone policy changes every week depending on the teacher",
            "some kids get away with everything because they play football",
            "they suspended him but the other kid got nothing",
            "you get written up for wearing a hoodie",
            "we can't even go to the bathroom without a pass and a timer",
            "the rules make sense but they're not the same for everyone",
            "I got sent out for asking why",
            "the tardy sweep locks you out of class so you miss more",
            "they took my phone for looking at the time",
            "the new ID rule feels like we're in jail",
        ], [
            "el código de vestimenta solo se aplica a las chicas",
            "me castigaron por llegar un minuto tarde",
            "las reglas no son iguales para todos",
        ]),
    "Student voice": (
        "Being heard and having a say: student input into decisions, clubs, classes and how the school runs.", [
            "nobody ever asks us what we think",
            "student council just plans dances, it doesn't change anything",
            "we did a survey last year and never heard what happened",
            "I'd love to help choose what books we read",
            "they changed the schedule without telling students",
            "this interview is the first time someone asked me",
            "our petition for water fountains actually worked",
            "the principal came to our class to listen and that felt good",
            "we should be able to pick some of our classes",
            "decisions get made and we find out on Instagram",
            "I wish students were on the committee that makes the rules",
            "teachers let us vote on the project topics",
        ], [
            "nadie nos pregunta lo que pensamos",
            "cambiaron el horario sin avisar a los estudiantes",
            "me gustaría opinar sobre las decisiones de la escuela",
        ]),
    "Future and college": (
        "Plans after high school: college, careers, jobs and the guidance students get toward them.", [
            "I don't know how to apply to college, nobody in my family went",
            "I want to be a nurse but I don't know what classes I need",
            "the career fair was the best day of the year",
            "they only talk about four-year universities, not trade school",
            "I'm worried about paying for college",
            "my counselor helped me find a summer internship",
            "I want to join the military and people look down on that",
            "we never learn about real jobs in class",
            "the FAFSA night helped my mom a lot",
            "I have no idea what I want to do after graduation",
            "the dual enrollment class makes me feel like I can do college",
            "I want to start my own business someday",
        ], [
            "no sé cómo aplicar a la universidad",
            "quiero ser enfermera pero no sé qué clases necesito",
            "me preocupa cómo pagar la universidad",
        ]),
}

# Sentences are also made of a subject and a predicate of the same code, so most notes are not any list
# line word for word and the codes share subjects ("lunch" is too loud for one, too short for another).
PARTS_OF_SPEECH: dict[str, tuple[list[str], list[str]]] = {
    "Noise and crowding": (
        ["the cafeteria", "lunch", "the hallway", "my chemistry class", "the bus", "the gym", "the commons",
         "the library", "passing period"],
        ["is way too loud", "gets so noisy I can't think", "is packed with people yelling", "echoes like crazy",
         "is so crowded you can't move", "gives me a headache with all the noise", "is chaos, everybody shouting",
         "is jammed with kids pushing"]),
    "Time and schedule": (
        ["lunch", "passing period", "the school day", "my schedule", "first period", "the test", "homeroom",
         "the break"],
        ["is way too short", "ends before I can eat", "feels rushed every day", "never gives me enough time",
         "starts too early", "runs over so I'm late to the next class", "is over in like ten minutes",
         "doesn't leave time to catch up"]),
    "Belonging": (
        ["the robotics club", "my team", "this school", "the art room", "my grade", "the GSA", "the choir",
         "my friend group"],
        ["makes me feel like I belong", "is where people actually know me", "feels like it's not for kids like me",
         "is like a family to me", "makes me feel invisible", "welcomed me when I was new",
         "is the only place I fit in", "leaves me out"]),
    "Trusted adults": (
        ["my counselor", "Ms. Rivera", "my coach", "Mr. Chen", "the nurse", "my advisor", "the front office",
         "my English teacher"],
        ["actually listens to me", "noticed when I was upset", "checks on me every week", "never has time for us",
         "is someone I can tell anything", "only talks to me when I'm in trouble", "told my business to others",
         "follows up when I'm struggling"]),
    "Academic stress": (
        ["finals", "my AP classes", "homework", "my GPA", "the SAT", "this semester", "math tests",
         "my parents' expectations"],
        ["keep me up until two", "make me so anxious", "stress me out constantly", "give me stomachaches",
         "make me feel like I'm drowning", "are all I think about", "make me cry sometimes",
         "wear me out every night"]),
    "Help with learning": (
        ["tutoring", "office hours", "my math teacher", "the writing center", "group work", "the homework club",
         "peer tutors", "my chemistry teacher"],
        ["helps me when I'm stuck", "explains it until I get it", "is never available when I need help",
         "saved my grade", "lets us redo problems", "goes too fast to follow", "won't answer questions twice",
         "makes it easier to ask"]),
    "Safety": (
        ["the bus stop", "the bathrooms", "the parking lot", "the stairs", "social media", "the walk home",
         "the back field", "the locker room"],
        ["is where the fights happen", "doesn't feel safe", "is where kids get jumped", "is where they bully me",
         "scares me after dark", "is where people threaten you", "feels dangerous", "is where someone got hurt"]),
    "Rules and fairness": (
        ["the dress code", "the phone policy", "detention", "the tardy rule", "the hall pass system",
         "suspensions", "the ID rule", "the discipline office"],
        ["isn't fair to everyone", "is only enforced on some kids", "punishes you for nothing",
         "changes depending on the teacher", "feels like jail", "is stricter for girls",
         "lets athletes get away with everything", "makes no sense"]),
    "Student voice": (
        ["student council", "the principal", "the survey", "the school board", "our class", "the new schedule",
         "the leadership team", "our petition"],
        ["never asks what we think", "actually listened to us", "made decisions without us",
         "let us vote for once", "never told us what happened", "should include students",
         "changed something because we asked", "ignores student ideas"]),
    "Future and college": (
        ["college applications", "the career fair", "my counselor's college talk", "FAFSA", "trade school",
         "my future", "dual enrollment", "internships"],
        ["confuse me, nobody in my family went", "helped me see what jobs exist", "never get explained to us",
         "worry me because of the money", "made me feel I can do college", "aren't talked about enough",
         "are what I think about a lot", "opened a door for me"]),
}

OPENERS = ["", "", "", "Honestly, ", "I think ", "Like, ", "For me, ", "Um, ", "The thing is ", "Okay so ",
           "I guess ", "Real talk, ", "Last year "]
CLOSERS = ["", "", "", ".", ".", " and that's hard.", ", you know?", ", it's frustrating.", " and I hate it.",
           ", which is nice.", ". That's it.", " lol.", ", every day."]
ES_OPENERS = ["", "", "Pues ", "La verdad, ", "Creo que ", "Para mí, "]
ES_CLOSERS = ["", ".", ", ¿sabes?", " y eso es difícil.", ", todos los días."]
SPANISH_SHARE = 0.12
TWO_CODES_SHARE = 0.16
COMPOSED_SHARE = 0.5  # of the English sentences, made of a subject and a predicate


PARTS = ("seen", "unseen")


def _phrasings(lines: list[str], part: str, every: int) -> list[str]:
    unseen = [line for i, line in enumerate(lines) if i % every == every - 1]
    return unseen if part == "unseen" else [line for line in lines if line not in unseen]


def _sentence(rng: random.Random, code: str, spanish: bool, part: str) -> str:
    _definition, english, spanish_lines = CODES[code]
    english, spanish_lines = _phrasings(english, part, 4), _phrasings(spanish_lines, part, 3)
    if spanish:
        return rng.choice(ES_OPENERS) + rng.choice(spanish_lines) + rng.choice(ES_CLOSERS)
    if rng.random() < COMPOSED_SHARE:
        subjects, predicates = PARTS_OF_SPEECH[code]
        line = f"{rng.choice(subjects)} {rng.choice(_phrasings(predicates, part, 4))}"
    else:
        line = rng.choice(english)
    if rng.random() < 0.15:  # a note-taker stops typing before the student stops talking
        words = line.split()
        if len(words) > 6:
            cut = rng.randrange(4, len(words))
            line = " ".join(words[:cut])
    return rng.choice(OPENERS) + line + rng.choice(CLOSERS)


def notes(count: int = 900, seed: int = 20, part: str = "seen") -> list[tuple[str, set[str]]]:
    """`count` notes, each with the codes it raises; codes in turn, so every code has count/10 notes."""
    assert part in PARTS
    rng = random.Random(seed)
    names = list(CODES)
    corpus = []
    for i in range(count):
        first = names[i % len(names)]
        spanish = rng.random() < SPANISH_SHARE
        text, codes = _sentence(rng, first, spanish, part), {first}
        if rng.random() < TWO_CODES_SHARE:
            second = rng.choice([n for n in names if n != first])
            joiner = " y también " if spanish else rng.choice([" Also ", " And ", ". Plus "])
            text, codes = text.rstrip(".") + joiner + _sentence(rng, second, spanish, part).lower(), {first, second}
        corpus.append((text[0].upper() + text[1:], codes))
    rng.shuffle(corpus)
    return corpus

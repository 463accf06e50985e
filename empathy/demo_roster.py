"""The demo district's people: two schools, their groups, about 200 students with believable
attributes, and the staff who teach some of them."""

from __future__ import annotations

import random
from decimal import Decimal

from participants.models import Gender, School, Student, StudentGroup

DEMO_STUDENT_COUNT = 200

SCHOOLS = (
    ("LHS", "Lincoln High School", range(9, 13)),
    ("RMS", "Roosevelt Middle School", range(6, 9)),
)
GROUPS = (
    ("AVID", StudentGroup.Kind.PROGRAM, "LHS"),
    ("Newcomer program", StudentGroup.Kind.PROGRAM, "LHS"),
    ("Robotics club", StudentGroup.Kind.CLUB, "RMS"),
    ("Math intervention", StudentGroup.Kind.SUPPORT, "RMS"),
    ("Student council", StudentGroup.Kind.CLUB, "LHS"),
)
RACE_ETHNICITY = (
    ("Hispanic or Latino", 0.42),
    ("White", 0.24),
    ("Asian", 0.12),
    ("Black or African American", 0.09),
    ("Filipino", 0.06),
    ("Two or more races", 0.04),
    ("Native Hawaiian or Pacific Islander", 0.02),
    ("American Indian or Alaska Native", 0.01),
)
FIRST_NAMES = (
    "Aaliyah", "Adrian", "Aiden", "Alejandro", "Amara", "Andre", "Ava", "Bao", "Camila", "Carlos",
    "Chloe", "Daniel", "Destiny", "Diego", "Elena", "Elijah", "Emma", "Ethan", "Fatima", "Gabriel",
    "Grace", "Hana", "Isabella", "Isaiah", "Jamal", "Jasmine", "Javier", "Jayden", "Kai", "Keanu",
    "Leilani", "Liam", "Lucia", "Malik", "Maya", "Mateo", "Mia", "Minh", "Nia", "Noah",
    "Olivia", "Omar", "Priya", "Rafael", "Rosa", "Samir", "Sofia", "Tariq", "Valeria", "Zoe",
)
LAST_NAMES = (
    "Alvarez", "Bautista", "Brown", "Chen", "Cruz", "Davis", "Diaz", "Flores", "Garcia", "Gonzalez",
    "Hernandez", "Ibrahim", "Jackson", "Johnson", "Kim", "Lee", "Lopez", "Martinez", "Nguyen", "Okafor",
    "Patel", "Perez", "Ramirez", "Reyes", "Robinson", "Santos", "Smith", "Tran", "Walker", "Williams",
)
# (username or None, full name, staff id, schools, outside?, training done, notes, member of the demo program?)
STAFF = (
    ("facilitator", "Jordan Reyes", "S-1001", ("LHS", "RMS"), False, True,
     "School counselor; does not teach classes. Students describe Jordan as easy to talk to.", True),
    ("whitfield", "Dana Whitfield", None, ("LHS", "RMS"), True, True,
     "Community partner from the youth center; trained in restorative circles.", True),
    ("nguyen", "Thao Nguyen", "S-1002", ("RMS",), False, True,
     "Librarian at Roosevelt; runs the robotics club after school.", True),
    ("okafor", "Chidi Okafor", "S-1003", ("LHS",), False, False,
     "Teaches 9th-grade English; strong rapport, but teaches many invited students.", False),
    ("patel", "Meera Patel", "S-1004", ("RMS",), False, True,
     "Teaches 7th-grade math.", False),
    ("brooks", "Samuel Brooks", "S-1005", ("LHS",), False, False,
     "Assistant principal; new to facilitation.", False),
)
TEACHING = (("S-1003", "LHS", "English 9", 9), ("S-1004", "RMS", "Math 7", 7))



def _pick_race(rng: random.Random) -> list[str]:
    names, weights = zip(*RACE_ETHNICITY)
    first = rng.choices(names, weights=weights)[0]
    if first == "Two or more races":
        return sorted(rng.sample([n for n in names if n != "Two or more races"], 2))
    return [first]


def make_students(rng: random.Random, schools: dict[str, School], groups: dict[str, StudentGroup]) -> None:
    for number in range(1, DEMO_STUDENT_COUNT + 1):
        code, _, grades = SCHOOLS[0] if number <= 120 else SCHOOLS[1]
        school = schools[code]
        local_id = f"{code}-{number:05d}"
        english_learner = rng.random() < 0.22
        student, created = Student.objects.get_or_create(
            local_id=local_id,
            defaults={
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "school": school,
                "grade": rng.choice(list(grades)),
                "gender": rng.choices(list(Gender.values), weights=[48, 48, 3, 1])[0],
                "race_ethnicity": _pick_race(rng),
                "english_learner": english_learner,
                "special_education": rng.random() < 0.13,
                "gpa": Decimal(str(round(min(4.0, max(0.8, rng.gauss(2.9, 0.6))), 2))),
                "years_in_program": rng.randint(0, 3),
                "extra_attributes": {
                    "foster_youth": rng.random() < 0.03,
                    "experiencing_homelessness": rng.random() < 0.05,
                    "socioeconomically_disadvantaged": rng.random() < 0.55,
                },
            },
        )
        if created:
            own_groups = [g for name, g in groups.items() if g.school_id == school.id and rng.random() < 0.18]
            if code == "LHS" and english_learner and rng.random() < 0.5:
                own_groups.append(groups["Newcomer program"])
            student.groups.set(set(own_groups))

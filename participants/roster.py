"""Importing the student roster: validate every row first, then write all of it or nothing.

Re-importing the same file changes nothing; an updated file updates students by local id.

A school value that matches no school's code or name is a problem of its rows, unless the person
confirmed that the import creates it (`new_schools`, the values as the file spells them): then the
school is created in the same transaction as the students, all or nothing, with the value as its
name and code and the grades of its rows as its grade span.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import GPA_MAX, GPA_MIN, HIGHEST_GRADE, LOWEST_GRADE, Gender, School, Student, StudentGroup
from participants.pseudonyms import new_pseudonym
from toolkit.languages import parse_home_language
from toolkit.tables import ImportRefused, RowError, Table, guess_mapping, mapping_problems

FIELD_LABELS = {
    "local_id": _("Local id"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "school": _("School"),
    "grade": _("Grade"),
    "gender": _("Gender"),
    "race_ethnicity": _("Race/ethnicity"),
    "english_learner": _("English learner"),
    "home_language": _("Home language"),
    "guardian_email": _("Parent or guardian e-mail"),
    "special_education": _("Special education"),
    "gpa": _("GPA"),
    "groups": _("Groups"),
    "years_in_program": _("Years in program"),
}
REQUIRED = ("local_id", "first_name", "last_name", "school", "grade")
ALIASES = {
    "local_id": ("local id", "student id", "studentid", "student number", "sis id", "id number", "student_local_id"),
    "first_name": ("first", "given name", "firstname", "student first name", "givenname"),
    "last_name": ("last", "surname", "family name", "lastname", "student last name", "familyname"),
    "school": ("school code", "school name", "site", "campus"),
    "grade": ("grade level", "gr", "current grade", "grades"),
    "gender": ("sex",),
    "race_ethnicity": ("race", "ethnicity", "race ethnicity", "race/ethnicity"),
    "english_learner": ("el", "ell", "el status", "english language learner", "englishlearner"),
    "guardian_email": ("guardian email", "parent email", "parent/guardian email", "guardian e-mail", "parent e-mail",
                       "family email", "contact email", "guardian_email", "correo del tutor"),
    "home_language": ("home language", "language", "primary language", "home_lang", "language spoken at home",
                      "parent language", "family language", "idioma", "idioma del hogar", "homelanguage"),
    "special_education": ("sped", "iep", "special ed", "students with disabilities", "swd"),
    "gpa": ("grade point average", "cumulative gpa"),
    "groups": ("group", "programs", "student groups", "program"),
    "years_in_program": ("years", "years in program", "program years"),
}
LIST_SEPARATORS = re.compile(r"\s*[;|]\s*")
TRUE_WORDS = {"y", "yes", "true", "1", "x"}
FALSE_WORDS = {"n", "no", "false", "0", ""}
GENDERS = {
    "f": Gender.FEMALE, "female": Gender.FEMALE, "girl": Gender.FEMALE, "woman": Gender.FEMALE,
    "m": Gender.MALE, "male": Gender.MALE, "boy": Gender.MALE, "man": Gender.MALE,
    "x": Gender.NONBINARY, "nonbinary": Gender.NONBINARY, "non-binary": Gender.NONBINARY, "non binary": Gender.NONBINARY,
    "": Gender.UNSPECIFIED, "unspecified": Gender.UNSPECIFIED, "not specified": Gender.UNSPECIFIED,
    "declined": Gender.UNSPECIFIED, "decline to state": Gender.UNSPECIFIED,
}

# Problems of a row: str.format templates, translated when formatted (lazily, in the language then active).
MISSING_VALUE = _("{label} is empty; it is required.")
UNKNOWN_SCHOOL = _("“{value}” is not a school code or name we know. Known schools: {known}.")
BAD_GRADE = _("“{value}” is not a grade from K to 12.")
BAD_GPA = _("“{value}” is not a GPA between 0 and 5.")
BAD_YES_NO = _("“{value}” is not yes or no.")
BAD_GENDER = _("“{value}” is not a gender we can read (female, male, nonbinary, or empty).")
BAD_YEARS = _("“{value}” is not a whole number of years.")
BAD_GUARDIAN_EMAIL = _("“{value}” is not an e-mail address.")
BAD_HOME_LANGUAGE = _("“{value}” is not a language we can read: write its name (Spanish) or its code (es).")
DUPLICATE_ID = _("Local id “{value}” also appears on row {first_row}; each student must appear once.")


def plain_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """Field labels as text in the language now active: row problems are stored as JSON."""
    return {name: str(label) for name, label in labels.items()}


@dataclass(frozen=True)
class StudentRow:
    row: int
    local_id: str
    first_name: str
    last_name: str
    school_id: int | None  # None for a school this import creates (new_school)
    grade: int
    gender: str
    race_ethnicity: list[str]
    english_learner: bool
    special_education: bool
    gpa: Decimal | None
    groups: tuple[str, ...]
    years_in_program: int | None
    extra_attributes: dict
    new_school: str = ""
    home_language: str | None = None  # None: the file says nothing of it
    guardian_email: str | None = None


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: int = 0
    schools_created: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Validation:
    rows: list[StudentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # School values that match no school and were not confirmed, as first spelled, with their row counts.
    unknown_schools: dict[str, int] = field(default_factory=dict)


def parse_grade(value: str) -> int | None:
    text = value.strip().lower()
    if text in {"k", "kg", "kinder", "kindergarten", "0"}:
        return 0
    match = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?( grade)?", text)
    if not match:
        return None
    grade = int(match.group(1))
    return grade if LOWEST_GRADE <= grade <= HIGHEST_GRADE else None


def parse_yes_no(value: str) -> bool | None:
    text = value.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def extra_value(value: str):
    as_bool = parse_yes_no(value)
    if value.strip() and as_bool is not None:
        return as_bool
    return value


def school_lookup() -> dict[str, School]:
    lookup = {}
    for school in School.objects.all():
        lookup[school.code.lower()] = school
        lookup[school.name.lower()] = school
    return lookup


def validate_students(
    table: Table, mapping: Mapping[str, str], *, progress: Callable[[int], None] | None = None,
    new_schools: Collection[str] = (),
) -> Validation:
    """Check every row; return parsed rows, or every problem with its row and column.

    A school value in `new_schools` (any case) that matches no school is a school to create."""
    labels = plain_labels(FIELD_LABELS)
    result = Validation(errors=mapping_problems(mapping, REQUIRED, labels))
    if result.errors:
        return result
    columns = {f: table.headers.index(h) for h, f in mapping.items() if f and not f.startswith("extra:")}
    extras = {f[len("extra:"):]: table.headers.index(h) for h, f in mapping.items() if f.startswith("extra:")}
    header_of = {f: h for h, f in mapping.items() if f}
    schools = school_lookup()
    known = ", ".join(sorted({s.code for s in schools.values()})) or gettext("none yet (add schools first)")
    first_seen: dict[str, int] = {}
    to_create = {value.strip().lower() for value in new_schools if value.strip()}
    unknown: Counter[str] = Counter()
    spelled: dict[str, str] = {}

    for index, cells in enumerate(table.rows):
        row_number = index + table.first_row_number()
        if progress and index % 1000 == 0:
            progress(index)
        errors: list[RowError] = []

        def cell(name: str) -> str:
            return cells[columns[name]] if name in columns else ""

        def fail(name: str, message: str) -> None:
            errors.append(RowError(row_number, header_of.get(name, labels.get(name, name)), message))

        for name in REQUIRED:
            if not cell(name):
                fail(name, MISSING_VALUE.format(label=labels[name]))
        local_id = cell("local_id")
        if local_id:
            if local_id in first_seen:
                fail("local_id", DUPLICATE_ID.format(value=local_id, first_row=first_seen[local_id]))
            else:
                first_seen[local_id] = row_number
        school = schools.get(cell("school").lower()) if cell("school") else None
        new_school = ""
        if cell("school") and school is None:
            key = cell("school").strip().lower()
            if key in to_create:
                new_school = spelled.setdefault(key, cell("school").strip())
            else:
                unknown[spelled.setdefault(key, cell("school").strip())] += 1
                fail("school", UNKNOWN_SCHOOL.format(value=cell("school"), known=known))
        grade = parse_grade(cell("grade")) if cell("grade") else None
        if cell("grade") and grade is None:
            fail("grade", BAD_GRADE.format(value=cell("grade")))
        gpa = None
        if cell("gpa"):
            try:
                gpa = Decimal(cell("gpa"))
                if not (GPA_MIN <= gpa <= GPA_MAX) or not gpa.is_finite():
                    raise InvalidOperation
                gpa = gpa.quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                fail("gpa", BAD_GPA.format(value=cell("gpa")))
                gpa = None
        flags = {}
        for name in ("english_learner", "special_education"):
            flags[name] = parse_yes_no(cell(name))
            if flags[name] is None:
                fail(name, BAD_YES_NO.format(value=cell(name)))
        gender = GENDERS.get(cell("gender").strip().lower())
        if gender is None:
            fail("gender", BAD_GENDER.format(value=cell("gender")))
        home_language = parse_home_language(cell("home_language")) if "home_language" in columns else None
        if "home_language" in columns and home_language is None:
            fail("home_language", BAD_HOME_LANGUAGE.format(value=cell("home_language")))
        guardian_email = cell("guardian_email").strip() if "guardian_email" in columns else None
        if guardian_email:
            try:
                validate_email(guardian_email)
            except ValidationError:
                fail("guardian_email", BAD_GUARDIAN_EMAIL.format(value=guardian_email))
        years = None
        if cell("years_in_program"):
            if cell("years_in_program").isdigit():
                years = int(cell("years_in_program"))
            else:
                fail("years_in_program", BAD_YEARS.format(value=cell("years_in_program")))
        if errors:
            result.errors.extend(errors)
            continue
        result.rows.append(StudentRow(
            row=row_number,
            local_id=local_id,
            first_name=cell("first_name"),
            last_name=cell("last_name"),
            school_id=school.id if school else None,
            grade=grade,
            gender=gender,
            race_ethnicity=sorted(set(filter(None, LIST_SEPARATORS.split(cell("race_ethnicity"))))),
            english_learner=bool(flags["english_learner"]),
            special_education=bool(flags["special_education"]),
            gpa=gpa,
            groups=tuple(sorted(set(filter(None, LIST_SEPARATORS.split(cell("groups")))))),
            years_in_program=years,
            extra_attributes={name: extra_value(cells[i]) for name, i in extras.items() if cells[i] != ""},
            new_school=new_school,
            home_language=home_language,
            guardian_email=guardian_email,
        ))
    result.unknown_schools = dict(sorted(unknown.items(), key=lambda item: item[0].lower()))
    return result


NEW_SCHOOL_CODE_LENGTH = School._meta.get_field("code").max_length


def _create_schools(rows: Sequence[StudentRow], summary: ImportSummary) -> list[StudentRow]:
    """Create the confirmed new schools of the rows (grade span from their grades); rows then name them by id."""
    grades: dict[str, list[int]] = {}
    for row in rows:
        if row.new_school:
            grades.setdefault(row.new_school, []).append(row.grade)
    created = {}
    for value, theirs in sorted(grades.items()):
        created[value] = School.objects.create(
            name=value, code=value[:NEW_SCHOOL_CODE_LENGTH], lowest_grade=min(theirs), highest_grade=max(theirs))
        summary.schools_created += 1
    if not created:
        return list(rows)
    return [replace(row, school_id=created[row.new_school].id, new_school="") if row.new_school else row for row in rows]


COMPARED_FIELDS = ("first_name", "last_name", "school_id", "grade", "gender", "race_ethnicity", "english_learner",
                   "special_education", "gpa", "years_in_program", "extra_attributes", "home_language",
                   "guardian_email")
LOOKUP_CHUNK = 900  # below SQLite's parameter limit


def import_students(
    table: Table, mapping: Mapping[str, str], *, progress: Callable[[int], None] | None = None,
    new_schools: Collection[str] = (),
) -> ImportSummary:
    """Validate, then write every row (and the confirmed new schools) in one transaction; raise ImportRefused
    with every problem."""
    validation = validate_students(table, mapping, progress=progress, new_schools=new_schools)
    if validation.errors:
        raise ImportRefused(validation.errors)
    return apply_student_rows(validation.rows)


def students_by_local_id(local_ids: Sequence[str]) -> dict[str, Student]:
    """Existing students with their groups, looked up in chunks the database accepts."""
    found: dict[str, Student] = {}
    for start in range(0, len(local_ids), LOOKUP_CHUNK):
        for student in Student.objects.filter(local_id__in=local_ids[start:start + LOOKUP_CHUNK]).prefetch_related("groups"):
            found[student.local_id] = student
    return found


@transaction.atomic
def apply_student_rows(rows: Sequence[StudentRow]) -> ImportSummary:
    """Create or update students by local id from checked rows; unchanged students are left alone."""
    summary = ImportSummary()
    rows = _create_schools(rows, summary)
    existing = students_by_local_id([row.local_id for row in rows])
    groups = _groups_for(rows, summary)

    taken = set(Student.objects.values_list("pseudonym", flat=True))

    def fresh_pseudonym() -> str:
        name = new_pseudonym(is_taken=taken.__contains__)
        taken.add(name)
        return name

    to_create, to_update, group_changes = [], [], []
    for row in rows:
        values = {name: getattr(row, name) for name in COMPARED_FIELDS}
        wanted_groups = {groups[(row.school_id, name)].id for name in row.groups}
        student = existing.get(row.local_id)
        for kept in ("home_language", "guardian_email"):
            if values[kept] is None:  # the file has no such column: what the roster knows stays
                values[kept] = getattr(student, kept) if student else ""
        if student is None:
            to_create.append((Student(local_id=row.local_id, pseudonym=fresh_pseudonym(), **values), wanted_groups))
            continue
        changed = any(getattr(student, name) != value for name, value in values.items())
        current_groups = {group.id for group in student.groups.all()}
        if changed:
            for name, value in values.items():
                setattr(student, name, value)
            to_update.append(student)
        if current_groups != wanted_groups:
            group_changes.append((student, wanted_groups))
        if changed or current_groups != wanted_groups:
            summary.updated += 1
        else:
            summary.unchanged += 1

    created = Student.objects.bulk_create([student for student, _ in to_create], batch_size=500)
    summary.created = len(created)
    if to_update:
        Student.objects.bulk_update(to_update, COMPARED_FIELDS, batch_size=500)
    Through = Student.groups.through
    if group_changes:
        Through.objects.filter(student_id__in=[s.pk for s, _ in group_changes]).delete()
    links = [Through(student_id=s.pk, studentgroup_id=g) for s, wanted in group_changes for g in wanted]
    if to_create:
        # bulk_create sets primary keys on PostgreSQL and SQLite alike (RETURNING), so links can follow.
        links += [Through(student_id=s.pk, studentgroup_id=g) for (s, wanted) in to_create for g in wanted]
    Through.objects.bulk_create(links, batch_size=1000)
    return summary


def _groups_for(rows: Sequence[StudentRow], summary: ImportSummary) -> dict[tuple[int, str], StudentGroup]:
    wanted = {(row.school_id, name) for row in rows for name in row.groups}
    groups = {(g.school_id, g.name): g for g in StudentGroup.objects.filter(school_id__in={s for s, _ in wanted})}
    for school_id, name in sorted(wanted - set(groups)):
        groups[(school_id, name)] = StudentGroup.objects.create(school_id=school_id, name=name)
        summary.groups_created += 1
    return groups


def default_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Known headers map to their field; any other column is kept as a district criterion."""
    mapping = guess_mapping(headers, ALIASES)
    for header, field_name in mapping.items():
        if not field_name and header:
            mapping[header] = extra_field(header)
    return mapping


def extra_field(header: str) -> str:
    return "extra:" + re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


"""Importing a OneRoster 1.1 or 1.2 CSV bundle: schools, students with demographics, staff, and
teaching assignments (a teacher and a student in the same class during the current academic session).

Written from the OneRoster CSV tables. The whole bundle is checked first; any problem stops the
import and nothing is written. Fields OneRoster does not carry (English learner, special education,
GPA, groups, district criteria) are kept as they are for students already on the roster.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from participants.models import Gender, School, StaffMember, TeachingAssignment
from participants.roster import (
    BAD_HOME_LANGUAGE,
    ImportSummary,
    StudentRow,
    apply_student_rows,
    parse_grade,
    students_by_local_id,
)
from toolkit.archives import ArchiveRefused, CheckedZipFile, NotAZip
from toolkit.languages import parse_home_language
from toolkit.tables import ImportRefused, RowError, TableUnreadable, read_csv

REQUIRED_FILES = ("orgs.csv", "users.csv")
TEACHING_FILES = ("classes.csv", "enrollments.csv", "academicSessions.csv")
COLUMNS = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "users.csv": ("sourcedId", "givenName", "familyName"),
    "roles.csv": ("userSourcedId", "role", "orgSourcedId"),
    "classes.csv": ("sourcedId", "title", "schoolSourcedId", "termSourcedIds"),
    "enrollments.csv": ("classSourcedId", "userSourcedId", "role"),
    "academicSessions.csv": ("sourcedId", "startDate", "endDate"),
    "demographics.csv": ("sourcedId",),
}
STAFF_ROLES = frozenset({"teacher"})
# OneRoster has no home-language field; districts carry it as an extension column of users.csv or
# demographics.csv (OneRoster's `metadata.*` columns).
HOME_LANGUAGE_COLUMNS = ("metadata.homeLanguage", "metadata.home_language", "metadata.language",
                         "metadata.primaryLanguage")
RACE_COLUMNS = (
    ("americanIndianOrAlaskaNative", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("blackOrAfricanAmerican", "Black or African American"),
    ("nativeHawaiianOrOtherPacificIslander", "Native Hawaiian or Pacific Islander"),
    ("white", "White"),
    ("demographicRaceTwoOrMoreRaces", "Two or more races"),
    ("hispanicOrLatinoEthnicity", "Hispanic or Latino"),
)
SEXES = {"female": Gender.FEMALE, "male": Gender.MALE, "other": Gender.NONBINARY, "unspecified": Gender.UNSPECIFIED, "": Gender.UNSPECIFIED}

# Problems of the bundle: str.format templates, translated when formatted (in the language then active).
MISSING_FILE = _("The bundle has no {name}, which is required.")
PARTIAL_TEACHING = _("Teaching assignments need classes.csv, enrollments.csv and academicSessions.csv together; "
                     "{missing} is missing.")
MISSING_COLUMN = _("The column {column} is missing.")
# “{value}” is not a ... in this bundle: one sentence per kind of thing, so that each can be translated whole.
UNKNOWN_REFERENCE = {
    "user": _("“{value}” is not a user in this bundle."),
    "org": _("“{value}” is not an org in this bundle."),
    "class": _("“{value}” is not a class in this bundle."),
    "academic session": _("“{value}” is not an academic session in this bundle."),
}
NO_SCHOOL = _("This student belongs to no school in orgs.csv.")
BAD_GRADE = _("“{value}” is not a grade from K to 12.")
BAD_DATE = _("“{value}” is not a date (YYYY-MM-DD).")
BAD_SEX = _("“{value}” is not a sex OneRoster allows (female, male, other, unspecified).")
DUPLICATE = _("“{value}” appears twice; a sourcedId must be unique.")
NOT_A_BUNDLE = _("This is not a OneRoster bundle: upload the .zip your student information system exported.")


@dataclass
class OneRosterSummary:
    schools: int = 0
    students: ImportSummary = field(default_factory=ImportSummary)
    staff: int = 0
    assignments_created: int = 0
    assignments_unchanged: int = 0

    def as_dict(self) -> dict:
        return {"schools": self.schools, **{f"students_{k}": v for k, v in self.students.as_dict().items()},
                "staff": self.staff, "assignments_created": self.assignments_created,
                "assignments_unchanged": self.assignments_unchanged}


def files_from_zip(source: bytes | BinaryIO) -> dict[str, bytes]:
    """The CSV files of a bundle, unpacked within the caps of toolkit.archives; raise ImportRefused."""
    try:
        with CheckedZipFile(source) as archive:
            # Exports sometimes nest the CSVs in a folder inside the zip; the file name is what counts.
            return {Path(name).name: archive.read(name) for name in archive.namelist() if name.lower().endswith(".csv")}
    except NotAZip as exc:
        raise ImportRefused([RowError(None, "", str(NOT_A_BUNDLE))]) from exc
    except ArchiveRefused as refusal:
        raise ImportRefused([RowError(None, "", str(refusal))]) from refusal


def files_from_folder(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.glob("*.csv")}


def _rows(name: str, content: bytes, errors: list[RowError]) -> list[dict[str, str]]:
    try:
        table = read_csv(content, sniff=False, require_rows=False)  # the caps of every table
    except TableUnreadable as problem:
        errors.append(RowError(None, name, str(problem)))
        return []
    missing = [c for c in COLUMNS.get(name, ()) if c not in table.headers]
    for column in missing:
        errors.append(RowError(None, name, MISSING_COLUMN.format(column=column)))
    if missing:
        return []
    rows = []
    for number, cells in enumerate(table.rows, start=table.first_row_number()):
        row = {key: value for key, value in zip(table.headers, cells) if key}
        if row.get("status", "").lower() == "tobedeleted":
            continue
        row["_row"] = str(number)
        rows.append(row)
    return rows


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _true(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes"}


@dataclass
class _Plan:
    schools: dict[str, tuple[str, str]] = field(default_factory=dict)  # org sourcedId -> (code, name)
    students: dict[str, dict] = field(default_factory=dict)  # user sourcedId -> fields
    staff: dict[str, dict] = field(default_factory=dict)
    pairs: set[tuple[str, str, str, dt.date, dt.date]] = field(default_factory=set)  # teacher, student, course, start, end


def import_oneroster(files: Mapping[str, bytes], *, today: dt.date | None = None) -> OneRosterSummary:
    """Check the whole bundle, then write it in one transaction; raise ImportRefused naming every problem."""
    plan = _check(files, today or dt.date.today())
    return _write(plan)


def _check(files: Mapping[str, bytes], today: dt.date) -> _Plan:
    errors: list[RowError] = [RowError(None, name, MISSING_FILE.format(name=name)) for name in REQUIRED_FILES if name not in files]
    present = [name for name in TEACHING_FILES if name in files]
    if present and len(present) < len(TEACHING_FILES):
        missing = ", ".join(name for name in TEACHING_FILES if name not in files)
        errors.append(RowError(None, "", PARTIAL_TEACHING.format(missing=missing)))
    if errors:
        raise ImportRefused(errors)
    tables = {name: _rows(name, content, errors) for name, content in files.items() if name in COLUMNS}
    if errors:
        raise ImportRefused(errors)

    def fail(name: str, row: dict, column: str, message: str) -> None:
        errors.append(RowError(int(row["_row"]), f"{name} · {column}", message))

    plan = _Plan()
    for row in tables["orgs.csv"]:
        if row["type"].lower() == "school":
            plan.schools[row["sourcedId"]] = (row.get("identifier") or row["sourcedId"], row["name"])

    org_ids = {row["sourcedId"] for row in tables["orgs.csv"]}
    user_roles: dict[str, set[str]] = defaultdict(set)
    user_orgs: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for row in tables["users.csv"]:
        if row["sourcedId"] in seen:
            fail("users.csv", row, "sourcedId", DUPLICATE.format(value=row["sourcedId"]))
        seen.add(row["sourcedId"])
        if row.get("role"):  # OneRoster 1.1: the role and the orgs are on the user
            user_roles[row["sourcedId"]].add(row["role"].lower())
            user_orgs[row["sourcedId"]] += [o.strip() for o in row.get("orgSourcedIds", "").split(",") if o.strip()]
    users = {row["sourcedId"]: row for row in tables["users.csv"]}
    for row in tables.get("roles.csv", []):  # OneRoster 1.2: one row per role in roles.csv
        if row["userSourcedId"] not in users:
            fail("roles.csv", row, "userSourcedId", UNKNOWN_REFERENCE["user"].format(value=row["userSourcedId"]))
            continue
        user_roles[row["userSourcedId"]].add(row["role"].lower())
        user_orgs[row["userSourcedId"]].append(row["orgSourcedId"])

    demographics = {row["sourcedId"]: row for row in tables.get("demographics.csv", [])}
    for user_id, row in demographics.items():
        if user_id not in users:
            fail("demographics.csv", row, "sourcedId", UNKNOWN_REFERENCE["user"].format(value=user_id))

    for user_id, row in users.items():
        roles, orgs = user_roles.get(user_id, set()), list(dict.fromkeys(user_orgs.get(user_id, [])))
        schools = [org for org in orgs if org in plan.schools]
        for org in orgs:
            if org not in org_ids:
                fail("users.csv", row, "orgSourcedIds", UNKNOWN_REFERENCE["org"].format(value=org))
        if "student" in roles:
            if not schools:
                fail("users.csv", row, "orgSourcedIds", str(NO_SCHOOL))
                continue
            grade_text = row.get("grades", "").split(",")[0].strip()
            grade = parse_grade(grade_text) if grade_text else None
            if grade is None:
                fail("users.csv", row, "grades", BAD_GRADE.format(value=grade_text))
                continue
            demo = demographics.get(user_id, {})
            sex = demo.get("sex", "").lower()
            if sex not in SEXES:
                fail("demographics.csv", demo, "sex", BAD_SEX.format(value=demo.get("sex")))
                continue
            races = [label for column, label in RACE_COLUMNS if _true(demo.get(column, ""))]
            spelled = next((source[column] for source in (row, demo) for column in HOME_LANGUAGE_COLUMNS
                            if source.get(column, "").strip()), None)
            home_language = parse_home_language(spelled) if spelled is not None else None
            if spelled is not None and home_language is None:
                fail("users.csv", row, "metadata.homeLanguage", BAD_HOME_LANGUAGE.format(value=spelled))
                continue
            plan.students[user_id] = {
                "local_id": row.get("identifier") or user_id, "first_name": row["givenName"], "last_name": row["familyName"],
                "school": schools[0], "grade": grade, "gender": SEXES[sex], "race_ethnicity": sorted(races),
                "row": int(row["_row"]), "home_language": home_language,
            }
        elif roles & STAFF_ROLES:
            plan.staff[user_id] = {
                "staff_id": row.get("identifier") or user_id, "full_name": f"{row['givenName']} {row['familyName']}".strip(),
                "email": row.get("email", ""), "schools": schools,
            }

    if "classes.csv" in tables:
        _check_teaching(tables, plan, users, today, fail)
    if errors:
        raise ImportRefused(errors)
    return plan


def _check_teaching(tables, plan: _Plan, users, today: dt.date, fail) -> None:
    sessions = {}
    for row in tables["academicSessions.csv"]:
        start, end = _date(row["startDate"]), _date(row["endDate"])
        if start is None:
            fail("academicSessions.csv", row, "startDate", BAD_DATE.format(value=row["startDate"]))
        if end is None:
            fail("academicSessions.csv", row, "endDate", BAD_DATE.format(value=row["endDate"]))
        if start and end:
            sessions[row["sourcedId"]] = (start, end)
    session_ids = {row["sourcedId"] for row in tables["academicSessions.csv"]}
    classes = {}
    for row in tables["classes.csv"]:
        terms = [t.strip() for t in row["termSourcedIds"].split(",") if t.strip()]
        for term in terms:
            if term not in session_ids:
                fail("classes.csv", row, "termSourcedIds", UNKNOWN_REFERENCE["academic session"].format(value=term))
        current = [sessions[t] for t in terms if t in sessions and sessions[t][0] <= today <= sessions[t][1]]
        if current:
            classes[row["sourcedId"]] = (row["title"], max(s for s, _ in current), min(e for _, e in current))
        else:
            classes.setdefault(row["sourcedId"], None)
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in tables["enrollments.csv"]:
        if row["classSourcedId"] not in classes:
            fail("enrollments.csv", row, "classSourcedId", UNKNOWN_REFERENCE["class"].format(value=row["classSourcedId"]))
            continue
        if row["userSourcedId"] not in users:
            fail("enrollments.csv", row, "userSourcedId", UNKNOWN_REFERENCE["user"].format(value=row["userSourcedId"]))
            continue
        begin, end = _date(row.get("beginDate", "") or "0001-01-01"), _date(row.get("endDate", "") or "9999-12-31")
        if begin is None or end is None:
            fail("enrollments.csv", row, "beginDate", BAD_DATE.format(value=f"{row.get('beginDate')} / {row.get('endDate')}"))
            continue
        if begin <= today <= end:
            members[row["classSourcedId"]][row["role"].lower()].append(row["userSourcedId"])
    for class_id, roles in members.items():
        if classes.get(class_id) is None:
            continue  # not taught during the current session
        title, start, end = classes[class_id]
        for teacher in roles.get("teacher", []):
            for student in roles.get("student", []):
                if teacher in plan.staff and student in plan.students:
                    plan.pairs.add((teacher, student, title, start, end))


@transaction.atomic
def _write(plan: _Plan) -> OneRosterSummary:
    summary = OneRosterSummary()
    school_ids = {}
    for org_id, (code, name) in plan.schools.items():
        school, created = School.objects.get_or_create(code=code, defaults={"name": name})
        if not created and school.name != name:
            school.name = name
            school.save(update_fields=["name"])
        school_ids[org_id] = school.id
        summary.schools += 1

    existing = students_by_local_id([s["local_id"] for s in plan.students.values()])
    rows = []
    for fields in plan.students.values():
        kept = existing.get(fields["local_id"])
        rows.append(StudentRow(
            row=fields["row"], local_id=fields["local_id"], first_name=fields["first_name"], last_name=fields["last_name"],
            school_id=school_ids[fields["school"]], grade=fields["grade"], gender=fields["gender"],
            race_ethnicity=fields["race_ethnicity"],
            english_learner=kept.english_learner if kept else False,
            special_education=kept.special_education if kept else False,
            gpa=kept.gpa if kept else None,
            groups=tuple(sorted(g.name for g in kept.groups.all())) if kept else (),
            years_in_program=kept.years_in_program if kept else None,
            extra_attributes=kept.extra_attributes if kept else {},
            home_language=fields["home_language"],
        ))
    summary.students = apply_student_rows(rows)

    staff_pks = {}
    for user_id, fields in plan.staff.items():
        member, _ = StaffMember.objects.update_or_create(
            staff_id=fields["staff_id"], defaults={"full_name": fields["full_name"], "email": fields["email"]},
        )
        member.schools.add(*(school_ids[s] for s in fields["schools"]))
        staff_pks[user_id] = member.pk
        summary.staff += 1

    student_pks = {s.local_id: s.pk for s in students_by_local_id([f["local_id"] for f in plan.students.values()]).values()}
    for teacher, student, course, start, end in sorted(plan.pairs):
        _, created = TeachingAssignment.objects.get_or_create(
            staff_id=staff_pks[teacher], student_id=student_pks[plan.students[student]["local_id"]], course=course,
            starts_on=start, defaults={"ends_on": end},
        )
        if created:
            summary.assignments_created += 1
        else:
            summary.assignments_unchanged += 1
    return summary

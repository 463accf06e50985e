"""Each student's home language, from a roster column or OneRoster's metadata columns: read in the ways
districts spell it, kept when a file says nothing of it, and a criterion of the sample."""

from __future__ import annotations

import shutil

import pytest
from django.utils import translation

from participants.attributes import BUILT_IN_CRITERIA, category_label, student_features
from participants.models import Student
from participants.oneroster import files_from_folder, import_oneroster
from participants.roster import ImportRefused, default_mapping, import_students
from tests.conftest import ONEROSTER_V1P1
from tests.factories import SchoolFactory, StudentFactory
from toolkit.languages import home_language_name, parse_home_language
from toolkit.tables import read_table

HEADER = "Student ID,First Name,Last Name,School,Grade,Home Language\n"


def load(text: str):
    table = read_table(text.encode("utf-8"), "roster.csv")
    return table, default_mapping(table.headers)


@pytest.mark.parametrize(("spelled", "code"), [
    ("Spanish", "es"), ("spa", "es"), ("Español", "es"), ("es-MX", "es"), ("SP", "es"), ("English", "en"),
    ("Haitian Creole", "ht"), ("Mandarin", "zh"), ("bengali", "bn"), ("", ""), ("Klingon", None), ("42", None),
])
def test_home_languages_are_read_as_districts_spell_them(spelled, code):
    assert parse_home_language(spelled) == code


def test_a_roster_column_sets_each_students_home_language(db):
    SchoolFactory(code="LHS")
    import_students(*load(HEADER + "1,Ana,Lopez,LHS,9,Spanish\n2,Ben,Kim,LHS,10,\n3,Cy,Do,LHS,11,vie\n"))
    assert dict(Student.objects.values_list("local_id", "home_language")) == {"1": "es", "2": "", "3": "vi"}


def test_a_language_nobody_can_read_is_a_row_problem_and_nothing_is_written(db):
    SchoolFactory(code="LHS")
    with pytest.raises(ImportRefused) as refusal:
        import_students(*load(HEADER + "1,Ana,Lopez,LHS,9,Spanish\n2,Ben,Kim,LHS,10,Elvish\n"))
    (problem,) = refusal.value.errors
    assert problem.row == 3 and "Elvish" in problem.message
    assert not Student.objects.exists()


def test_a_file_without_the_column_keeps_what_the_roster_knows(db):
    SchoolFactory(code="LHS")
    import_students(*load(HEADER + "1,Ana,Lopez,LHS,9,Spanish\n"))
    import_students(*load("Student ID,First Name,Last Name,School,Grade\n1,Ana,Lopez,LHS,10\n"))
    ana = Student.objects.get()
    assert (ana.grade, ana.home_language) == (10, "es")


def test_oneroster_metadata_columns_carry_the_home_language(db, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(ONEROSTER_V1P1, bundle)
    users = (bundle / "users.csv").read_text().splitlines()
    users[0] += ",metadata.homeLanguage"
    users[1:] = [line + (",Spanish" if line.startswith("u-s1,") else ",") for line in users[1:]]
    (bundle / "users.csv").write_text("\n".join(users) + "\n")
    import_oneroster(files_from_folder(bundle))
    assert Student.objects.get(local_id="100001").home_language == "es"
    assert Student.objects.get(local_id="100002").home_language == ""


def test_home_language_is_a_criterion_counted_in_english_and_shown_in_the_pages_language(db):
    assert "home_language" in {criterion.key for criterion in BUILT_IN_CRITERIA}
    student = StudentFactory(home_language="es")
    with translation.override("es"):
        features = student_features(Student.objects.prefetch_related("groups").get(pk=student.pk))
        assert features["home_language"] == frozenset({"Spanish"})
        assert features["gender"] <= {"Female", "Male", "Nonbinary", "Not specified"}
        assert category_label("Spanish") == home_language_name("es")
    assert category_label("Spanish") == "Spanish"


def test_a_guardian_email_column_is_read_checked_and_kept_when_absent(db):
    SchoolFactory(code="LHS")
    header = "Student ID,First Name,Last Name,School,Grade,Parent Email\n"
    with pytest.raises(ImportRefused) as refusal:
        import_students(*load(header + "1,Ana,Lopez,LHS,9,not-an-address\n"))
    assert "not-an-address" in refusal.value.errors[0].message
    import_students(*load(header + "1,Ana,Lopez,LHS,9,maria.lopez@example.org\n2,Ben,Kim,LHS,10,\n"))
    import_students(*load("Student ID,First Name,Last Name,School,Grade\n1,Ana,Lopez,LHS,9\n"))
    assert dict(Student.objects.values_list("local_id", "guardian_email")) == {"1": "maria.lopez@example.org", "2": ""}

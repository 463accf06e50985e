"""roster_units (read as plain values, each distinct JSON text decoded once, students alike sharing their
features) gives what student_units gives from the models, for any roster."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.attributes import roster_units, student_units
from participants.models import Gender, Student
from tests.factories import SchoolFactory, StudentFactory, StudentGroupFactory

# Few values a field, so that students alike in all but one field (who must not share features) are common.
attributes = st.dictionaries(st.sampled_from(["foster_youth", "migrant"]),
                             st.one_of(st.booleans(), st.sampled_from(["yes", "3"]), st.integers(0, 1)), max_size=2)
students = st.lists(st.fixed_dictionaries({
    "school": st.integers(0, 1), "grade": st.sampled_from([0, 9]), "gender": st.sampled_from([Gender.FEMALE, Gender.MALE]),
    "race_ethnicity": st.lists(st.sampled_from(["Asian", "Latino"]), max_size=2, unique=True),
    "english_learner": st.booleans(), "home_language": st.sampled_from(["", "es", "zz"]),
    "special_education": st.booleans(),
    "gpa": st.one_of(st.none(), st.sampled_from([Decimal("1.99"), Decimal("2.00"), Decimal("2.50")])),
    "years_in_program": st.one_of(st.none(), st.integers(0, 2)), "extra_attributes": attributes,
    "groups": st.sets(st.integers(0, 2), max_size=2),
}), min_size=1, max_size=16)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roster=students)
def test_roster_units_are_the_students_units(db, roster):
    Student.objects.all().delete()
    schools = [SchoolFactory(code="R1", name="Roosevelt"), SchoolFactory(code="R2", name="Lincoln")]
    groups = [StudentGroupFactory(name=name, school=None) for name in ("AVID", "Robotics", "Choir")]
    for fields in roster:
        chosen = fields.pop("groups")
        student = StudentFactory(**{**fields, "school": schools[fields["school"]]})
        student.groups.set([groups[i] for i in chosen])
    everyone = Student.objects.order_by("pk")
    expected = student_units(everyone.select_related("school").prefetch_related("groups"))
    found = roster_units(everyone)
    assert [unit.id for unit in found] == [unit.id for unit in expected]
    assert [unit.features for unit in found] == [unit.features for unit in expected]


def test_students_alike_but_for_their_groups_or_gpa_band_keep_their_own_features(db):
    school = SchoolFactory(code="R1", name="Roosevelt")
    avid = StudentGroupFactory(name="AVID", school=None)
    alike = {"school": school, "grade": 9, "race_ethnicity": ["Asian"], "extra_attributes": {"migrant": True}}
    first, second = StudentFactory(**alike, gpa=Decimal("2.10")), StudentFactory(**alike, gpa=Decimal("2.90"))
    third, fourth = StudentFactory(**alike, gpa=Decimal("1.50")), StudentFactory(**alike, gpa=Decimal("2.10"))
    fourth.groups.set([avid])
    units = {unit.id: unit.features for unit in roster_units(Student.objects.order_by("pk"))}
    assert units[first.pk] == units[second.pk] and units[first.pk]["gpa_band"] == {"2.0–2.9"}  # one band: alike
    assert units[third.pk]["gpa_band"] == {"Below 2.0"} and units[fourth.pk]["group"] == {"AVID"}
    assert units[first.pk]["group"] != units[fourth.pk]["group"]

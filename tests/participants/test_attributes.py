from decimal import Decimal

import pytest

from participants.attributes import NOT_RECORDED, gpa_band, student_features, years_band
from tests.factories import StudentFactory, StudentGroupFactory


@pytest.mark.parametrize(("gpa", "band"), [(None, NOT_RECORDED), ("0", "Below 2.0"), ("1.99", "Below 2.0"),
                                            ("2.0", "2.0–2.9"), ("3.49", "3.0–3.4"), ("3.5", "3.5 and above"), ("5", "3.5 and above")])
def test_gpa_bands(gpa, band):
    assert gpa_band(Decimal(gpa) if gpa else None) == band


@pytest.mark.parametrize(("years", "band"), [(None, NOT_RECORDED), (0, "New this year"), (1, "1 year"), (2, "2 years"), (7, "3 or more years")])
def test_years_bands(years, band):
    assert years_band(years) == band


def test_features_cover_built_in_and_district_criteria(db):
    student = StudentFactory(grade=0, race_ethnicity=["Asian", "White"], extra_attributes={"foster_youth": True})
    student.groups.add(StudentGroupFactory(name="AVID", school=student.school))
    features = student_features(student)
    assert features["grade"] == {"Grade K"}
    assert features["race_ethnicity"] == {"Asian", "White"}
    assert features["group"] == {"AVID"}
    assert features["extra:foster_youth"] == {"Yes"}

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from participants.models import Student
from tests.factories import SchoolFactory


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql_when_database_url_says_so(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


@pytest.mark.postgres
def test_grade_and_gpa_ranges_are_enforced_by_postgresql(db):
    school = SchoolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Student.objects.create(local_id="x1", first_name="a", last_name="b", school=school, grade=13)
    with pytest.raises(IntegrityError), transaction.atomic():
        Student.objects.create(local_id="x2", first_name="a", last_name="b", school=school, grade=9, gpa=7)
    assert Student.objects.count() == 0

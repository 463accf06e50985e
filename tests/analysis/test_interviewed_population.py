"""The interviewed students as a theme's page and the patterns read them (analysis/patterns.interviewed_population)."""

from __future__ import annotations


def test_the_interviewed_are_read_with_what_their_descriptors_need_and_their_features(coded, django_assert_num_queries):
    """interviewed_population reads the students with their schools and the fields a descriptor reads (none
    is read again) and their features as the models give them, in four queries whatever their number."""
    from analysis.patterns import interviewed_population, interviewed_students
    from analysis.themes import descriptors
    from participants.attributes import student_features

    program = coded.team.program
    with django_assert_num_queries(4):  # the ids, the students, their groups, their fields
        population = interviewed_population(program)
    with django_assert_num_queries(0):
        described = descriptors(program, students=population.students)
    expected = interviewed_students(program)
    assert population.features == {student.pk: student_features(student) for student in expected}
    assert described == descriptors(program, students=expected)
    assert population.ids == {student.pk for student in coded.students}

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from participants.models import School, StaffMember, Student, StudentGroup, TeachingAssignment
from programs.models import Membership, Program, Role

TEST_PASSWORD = "a-long-test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SCH{n}")
    name = factory.Sequence(lambda n: f"School {n}")


class StudentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    school = factory.SubFactory(SchoolFactory)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    local_id = factory.Sequence(lambda n: f"L{n:06d}")
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    school = factory.SubFactory(SchoolFactory)
    grade = 9
    race_ethnicity = factory.LazyFunction(lambda: ["White"])


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    email = factory.Sequence(lambda n: f"staff{n}@example.org")


class TeachingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    staff = factory.SubFactory(StaffMemberFactory)
    student = factory.SubFactory(StudentFactory)
    course = "English 9"
    starts_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    theme = "Belonging"
    starts_on = factory.LazyFunction(lambda: dt.date.today())
    ends_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=90))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Protocol"

    program = factory.SubFactory(ProgramFactory)
    version = 1
    theme = "Belonging"
    purpose = "We want to hear how school feels to you."
    guidelines = "You can pass on any question."
    wrap_up = "Thank you."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Question"

    protocol = factory.SubFactory(ProtocolFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Tell me about moment number {n}.")
    follow_ups = factory.LazyFunction(lambda: ["Tell me more."])


def ready_protocol(program, questions: int = 5):
    from interviews.models import Protocol

    protocol = ProtocolFactory(program=program, marked_ready=True)
    for position in range(1, questions + 1):
        QuestionFactory(protocol=protocol, position=position, is_opening=position == 1)
    return Protocol.objects.get(pk=protocol.pk)

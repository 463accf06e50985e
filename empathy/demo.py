"""A believable demo district: two schools, about 200 students, six facilitators, one program.

Every write is keyed on a natural key (username, school code, local id, staff id, slug), so
running it again changes nothing. Later features extend `seed_demo` with their own steps.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from actions.models import Idea
from actions.plan import action_from_idea, add_update, change_status, toggle_vote
from analysis.codebook import seed_categories
from analysis.coding import apply_code
from analysis.corpus import analysable_notes
from analysis.models import Code, Theme
from analysis.themes import add_quote, candidate_quotes
from empathy.demo_roster import GROUPS, SCHOOLS, STAFF, TEACHING, make_students
from empathy.demo_words import DEMO_WORDS, FOLLOW_UP, OBSERVATION
from interviews.followups import add_follow_up, find_link, make_slips
from interviews.models import NoteKind, NoteStep, Protocol, SessionFormat
from interviews.notes import NoteWrite, save_note
from interviews.protocols import add_question, mark_ready, record_review, start_protocol, update_scripts
from interviews.question_bank import bank_question
from interviews.scheduling import SessionPlan, complete_session, schedule_session, start_session
from participants.models import School, StaffMember, Student, StudentGroup, TeachingAssignment
from participants.roles import PRIVACY_OFFICER, ROSTER_MANAGER, grant_district_role
from programs.models import Membership, Program, ProgramStatus, Role
from recruitment.consent import record_consent
from recruitment.models import ConsentStatus, Invitation, MissingGroup
from recruitment.selection import build_sample
from reports.models import Report, ReportKind
from reports.render import render_report
from reports.student_summary import publish

DEMO_PASSWORD = "empathy-demo-2026"
DEMO_PROGRAM_SLUG = "belonging-2026"
DEMO_RANDOM_SEED = 2026
# The demo lead may create programs and, as the district's roster manager too, import and correct the roster;
# deleting a student and seeing every program's words are the privacy officer's (the demo admin).
LEAD_PERMISSIONS = ("add_program",)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    what_they_do: str


DEMO_LOGINS = (
    DemoLogin("lead", "Lead", "plans the program and sees student names"),
    DemoLogin("facilitator", "Facilitator", "runs sessions and takes notes"),
    DemoLogin("analyst", "Analyst", "codes notes and builds themes (pseudonyms only)"),
    DemoLogin("viewer", "Viewer", "a principal: reads findings and downloads reports"),
    DemoLogin("admin", "Administrator", "Django admin for district IT, and the privacy officer"),
)

@dataclass(frozen=True)
class SeedSummary:
    schools: int
    students: int
    staff: int
    programs: int
    memberships: int


def _user(username: str, *, first: str, last: str, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.school", "is_staff": superuser, "is_superuser": superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_demo() -> SeedSummary:
    rng = random.Random(DEMO_RANDOM_SEED)
    today = dt.date.today()
    term_start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 15)

    schools = {code: School.objects.get_or_create(code=code, defaults={
        "name": name, "lowest_grade": min(grades), "highest_grade": max(grades)})[0] for code, name, grades in SCHOOLS}
    groups = {
        name: StudentGroup.objects.get_or_create(name=name, school=schools[code], defaults={"kind": kind})[0]
        for name, kind, code in GROUPS
    }
    make_students(rng, schools, groups)

    lead = _user("lead", first="Ana", last="Morales")
    lead.user_permissions.add(*Permission.objects.filter(content_type__app_label="programs", codename__in=LEAD_PERMISSIONS))
    grant_district_role(lead, ROSTER_MANAGER)
    analyst = _user("analyst", first="Ruth", last="Feldman")
    viewer = _user("viewer", first="Marcus", last="Hill")
    grant_district_role(_user("admin", first="District", last="IT", superuser=True), PRIVACY_OFFICER)

    program, _ = Program.objects.get_or_create(
        slug=DEMO_PROGRAM_SLUG,
        defaults={
            "name": "Belonging at Lincoln and Roosevelt",
            "theme": "Where do students feel they belong, and where do they not?",
            "purpose": "We want to understand, in students' own words, when school feels like a place where they "
            "belong, so that next year's advisory, clubs and classrooms are shaped by what they tell us.",
            "starts_on": term_start + dt.timedelta(days=60),
            "ends_on": term_start + dt.timedelta(days=240),
            "status": ProgramStatus.INTERVIEWING,
            "created_by": lead,
        },
    )
    program.schools.add(*schools.values())
    for user, role in ((lead, Role.LEAD), (analyst, Role.ANALYST), (viewer, Role.VIEWER)):
        Membership.objects.get_or_create(program=program, user=user, defaults={"role": role})

    for username, full_name, staff_id, school_codes, outside, trained, notes, member in STAFF:
        first, last = full_name.split(" ", 1)
        user = _user(username, first=first, last=last)
        staff, _ = StaffMember.objects.get_or_create(
            user=user,
            defaults={
                "full_name": full_name, "email": user.email, "staff_id": staff_id,
                "is_outside_facilitator": outside, "training_completed": trained, "readiness_notes": notes,
            },
        )
        staff.schools.add(*(schools[code] for code in school_codes))
        if member:
            Membership.objects.get_or_create(program=program, user=user, defaults={"role": Role.FACILITATOR})

    for staff_id, code, course, grade in TEACHING:
        teacher = StaffMember.objects.get(staff_id=staff_id)
        for student in Student.objects.filter(school__code=code, grade=grade).order_by("local_id")[:25]:
            TeachingAssignment.objects.get_or_create(staff=teacher, student=student, course=course, starts_on=term_start)

    if not Invitation.objects.filter(program=program).exists():
        build_sample(program=program)
        # Pseudonyms are random, so this takes a mix of schools and grades.
        for invitation in Invitation.objects.filter(program=program).order_by("student__pseudonym")[:24]:
            record_consent(invitation=invitation, parent=ConsentStatus.GRANTED, student=ConsentStatus.GRANTED,
                           method="Signed form", on=program.starts_on)
        MissingGroup.objects.get_or_create(program=program, description="Students who enrolled this semester",
                                           defaults={"note": "Ask the front office for recent enrollees."})

    if not Protocol.objects.filter(program=program).exists():
        _protocol_and_sessions(program, lead)
    if not Theme.objects.filter(program=program).exists():
        _demo_analysis(program, analyst)
    if not Idea.objects.filter(program=program).exists():
        _demo_action_plan(program, lead, viewer)
    if not Report.objects.filter(program=program).exists():
        for kind in ReportKind.values:
            report = Report.objects.create(program=program, kind=kind, requested_by=viewer, options={
                "summary": "Students told us lunch is loud and short, that they trust the adults who notice them, "
                           "and that help does not always fit their afternoons or their families' languages.",
                "patterns": True})
            render_report(report.pk)

    return SeedSummary(
        schools=School.objects.count(),
        students=Student.objects.count(),
        staff=StaffMember.objects.count(),
        programs=Program.objects.count(),
        memberships=Membership.objects.count(),
    )


DEMO_QUESTION_KEYS = ("culture-lunch", "belong-place", "adult-trust", "learn-stuck", "safe-stress", "support-missing")
DEMO_SESSIONS = (
    # (days from today, hour, format, facilitator username, note-taker username, number of students, completed?)
    (-16, 10, SessionFormat.FOCUS_GROUP, "facilitator", "nguyen", 5, True),
    (-14, 13, SessionFormat.INDIVIDUAL, "whitfield", None, 1, True),
    (-9, 9, SessionFormat.FOCUS_GROUP, "whitfield", "facilitator", 4, True),
    (5, 10, SessionFormat.FOCUS_GROUP, "facilitator", "nguyen", 5, False),
    (6, 14, SessionFormat.INDIVIDUAL, "nguyen", None, 1, False),
)


def _protocol_and_sessions(program: Program, lead) -> None:
    """A ready protocol from the question bank, and sessions past and upcoming with consented students."""
    protocol = start_protocol(program=program, user=lead)
    update_scripts(protocol, user=lead, icebreaker="If you could add one thing to the school day, what would it be?")
    for key in DEMO_QUESTION_KEYS:
        item = bank_question(key)
        add_question(protocol, user=lead, text=item.text, follow_ups=item.follow_ups, is_opening=item.opening)
    protocol = mark_ready(protocol, user=lead)
    User = get_user_model()
    consented = list(Student.objects.filter(invitations__program=program, invitations__parent_consent=ConsentStatus.GRANTED,
                                            invitations__student_assent=ConsentStatus.GRANTED).order_by("pseudonym"))
    today = timezone.localdate()
    for days, hour, session_format, facilitator, note_taker, size, completed in DEMO_SESSIONS:
        students, consented = consented[:size], consented[size:]
        plan = SessionPlan(
            program=program, format=session_format, duration_minutes=45 if size > 1 else 30,
            starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour))),
            facilitator=User.objects.get(username=facilitator), students=students, place="Library conference room",
            note_taker=User.objects.get(username=note_taker) if note_taker else None,
        )
        session = schedule_session(plan, user=lead, sees_names=True)
        if completed:
            record_review(protocol=protocol, user=session.facilitator)
            start_session(session, user=session.facilitator)
            _demo_notes(session)
            complete_session(session, user=session.facilitator)


def _demo_notes(session) -> None:
    """Verbatim notes for a completed demo session, through the same save path the runner uses."""
    rng = random.Random(session.pk)
    participants = list(session.participants.order_by("pseudonym"))
    user = session.note_taker or session.facilitator
    questions = list(session.protocol.questions.order_by("position"))
    keys = dict(zip([q.text for q in questions], DEMO_QUESTION_KEYS, strict=False))
    for question in questions:
        words = list(DEMO_WORDS[keys[question.text]])
        rng.shuffle(words)
        for index, student in enumerate(participants):
            if len(participants) > 1 and rng.random() < 0.12:
                save_note(session=session, user=user, write=NoteWrite(
                    id=uuid.UUID(int=rng.getrandbits(128)), base_version=0, step=NoteStep.QUESTION,
                    question_id=question.pk, student_id=student.pk, kind=NoteKind.DECLINED, text=""))
                continue
            text = words[index % len(words)]
            save_note(session=session, user=user, write=NoteWrite(
                id=uuid.UUID(int=rng.getrandbits(128)), base_version=0, step=NoteStep.QUESTION, question_id=question.pk,
                student_id=student.pk, kind=NoteKind.STUDENT, text=text, quote_worthy=rng.random() < 0.2))
    first = questions[0]
    save_note(session=session, user=session.facilitator, write=NoteWrite(
        id=uuid.UUID(int=rng.getrandbits(128)), base_version=0, step=NoteStep.QUESTION, question_id=first.pk,
        student_id=None, kind=NoteKind.OBSERVATION, text=OBSERVATION))
    edited = session.notes.filter(kind=NoteKind.STUDENT).order_by("created_at").first()
    save_note(session=session, user=session.facilitator, write=NoteWrite(
        id=edited.id, base_version=edited.version, step=edited.step, question_id=edited.question_id,
        student_id=edited.student_id, kind=edited.kind, text=edited.text + " (She said this twice.)",
        quote_worthy=edited.quote_worthy, needs_follow_up=True))
    link_code = make_slips(session, user=session.facilitator)[0].code
    add_follow_up(find_link(link_code), text=FOLLOW_UP)


DEMO_CODES = (
    # (category index, code, definition, words that mark it)
    (2, "Lunch noise", "The cafeteria or lunch is loud or crowded.", ("loud", "noise", "quiet room")),
    (2, "Not enough time", "Time is too short: lunch, the line, tutoring.", ("short", "line takes", "twenty minutes", "ten minutes")),
    (1, "A trusted adult", "An adult who notices, listens or keeps a confidence.", ("counselor", "teacher", "coach", "librarian", "mr.", "ms.", "front office")),
    (0, "Asking for help", "Getting help with schoolwork, or not.", ("ask", "tutoring", "stuck", "youtube", "explain")),
    (1, "Stress", "Pressure, worry and getting through hard weeks.", ("finals", "sleep", "freeze", "stress", "sick")),
    (1, "A place to belong", "Places and groups where students feel they belong.", ("belong", "robotics", "team", "art room", "library", "table")),
    (2, "Language access", "Support in students' and families' languages.", ("spanish", "esl", "parents", "new to the country", "moved here")),
)
DEMO_THEMES = (
    ("Lunch is loud and short", 2, ("Lunch noise", "Not enough time"),
     "Lunch is the social heart of the day, but noise and a long line leave little of it for students.",
     "One lunch period for the whole grade; a single serving line; no quiet alternative to the cafeteria."),
    ("Adults who notice", 1, ("A trusted adult",),
     "Students trust the adults who notice them privately and keep what they hear to themselves.",
     "Large classes leave little one-to-one time; counselors have long waits."),
    ("Help that fits students' lives", 0, ("Asking for help", "Language access"),
     "Help exists, but its timing and language do not fit many students' afternoons or families.",
     "Tutoring only after school while buses leave at 3:15; little support in Spanish for families."),
)


def _stance(text: str) -> str:
    lowered = text.lower()
    if any(word in lowered for word in ("wish", "more ", "should", "a place to", "a club")):
        return "suggestion"
    if any(word in lowered for word in ("want", "hope", "best part", "proud")):
        return "aspiration"
    if any(word in lowered for word in ("can't", "hard", "alone", "loud", "short", "freeze", "don't")):
        return "challenge"
    return "neither"


def _demo_analysis(program: Program, analyst) -> None:
    """A codebook, the demo notes coded by keyword as an analyst might, and three themes with quotes.

    The demo interviews ten students, so it uses the lowest threshold a lead may choose (5);
    at the default of 10 every subgroup would be withheld."""
    program.suppression_threshold = settings.SUPPRESSION_THRESHOLD_MIN
    program.save(update_fields=["suppression_threshold"])
    categories = seed_categories(program)
    codes = {}
    for category_index, name, definition, _words in DEMO_CODES:
        codes[name] = Code.objects.get_or_create(program=program, name=name, defaults={
            "category": categories[category_index], "definition": definition})[0]
    for note in analysable_notes(program):
        lowered = note.text.lower()
        for _category, name, _definition, words in DEMO_CODES:
            if any(word in lowered for word in words):
                apply_code(note=note, code=codes[name], coder=analyst, stance=_stance(note.text))
    quoted: set = set()  # each note quoted under one theme only
    for name, category_index, code_names, insight, causes in DEMO_THEMES:
        theme = Theme.objects.create(program=program, name=name, category=categories[category_index], insight=insight,
                                     root_causes=causes)
        theme.codes.set([codes[c] for c in code_names])
        fresh = [a for a in candidate_quotes(theme) if a.note_id not in quoted]
        for application in fresh[:3]:
            add_quote(theme, application=application)
            quoted.add(application.note_id)


DEMO_IDEAS = (
    # (idea, theme, becomes an action of this kind or None, owner username, days until due, status)
    ("Open the library as a quiet lunch space", "Lunch is loud and short", "project", "lead", 21, "planned"),
    ("A second lunch serving line", "Lunch is loud and short", None, None, None, None),
    ("Tutoring during lunch, in English and Spanish", "Help that fits students' lives", "activity", "facilitator", 10,
     "in_progress"),
)


def _demo_action_plan(program: Program, lead, viewer) -> None:
    """Three ideas; two become actions, so one theme still has none and the dashboard says so."""
    User = get_user_model()
    themes = {theme.name: theme for theme in Theme.objects.filter(program=program)}
    today = timezone.localdate()
    for title, theme_name, kind, owner, due_days, status in DEMO_IDEAS:
        idea = Idea.objects.create(program=program, title=title, author=lead)
        idea.themes.add(themes[theme_name])
        toggle_vote(idea, viewer)
        if kind:
            item = action_from_idea(idea, owner=User.objects.get(username=owner), kind=kind,
                                    due_on=today + dt.timedelta(days=due_days))
            change_status(item, status=status)
            item.measure = "Fewer students name this in next spring's interviews."
            item.save(update_fields=["measure"])
            add_update(item, author=item.owner, text="Talked with the principal; a pilot starts after the break.")
    publish(program, user=lead)  # the "you said, we did" page is online in the demo

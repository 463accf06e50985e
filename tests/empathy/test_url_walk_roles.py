"""Every program page, walked with real objects in two programs: a member whose role does not allow
a page gets 403 from it, a member whose role does gets in, and an id taken from another program
never reaches that program's record (404, and nothing of it changes)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from actions.models import ActionItem
from analysis.codebook import add_code, seed_categories
from analysis.coding import apply_code
from analysis.models import AgreementRound, BulkCoding, CodeApplication, Theme
from interviews.models import Note, NoteKind, NoteStep, Question, Session, SessionFormat, SessionStatus
from programs.models import Membership, Role
from programs.pages import PAGES
from recruitment.models import ConsentStatus, Invitation
from reports.models import Report, ReportKind, ReportStatus
from tests.empathy.test_url_walk import ROUTES
from tests.factories import ProgramFactory, StudentFactory, UserFactory, ready_protocol
from tests.test_helpers import login

LEAD, FAC, ANA, VIEW = Role.LEAD, Role.FACILITATOR, Role.ANALYST, Role.VIEWER

# Who may open each program page is said once, in programs.pages.PAGES (leads may open every one);
# the views, the navigation and the dashboard read it, and this walk checks the views obey it.
WHO_MAY = PAGES

# Which object each id in a route stands for.
ID_KINDS = {"questions": "question", "sessions": "session", "invitations": "invitation", "coding": "coding",
            "agreement": "round", "themes": "theme", "actions": "action", "reports": "report", "facilitator": "facilitator",
            "code-every-result": "bulk"}

PROGRAM_ROUTES = [(name, path) for name, path in ROUTES if path.startswith("/programs/belonging/")]


@dataclass
class World:
    program: object
    people: dict
    objects: dict


def _one_of_everything(slug: str) -> World:
    program = ProgramFactory(slug=slug)
    people = {}
    for role in Role:
        people[role] = UserFactory(username=f"{slug}-{role.value}")
        Membership.objects.create(program=program, user=people[role], role=role)
    protocol = ready_protocol(program)
    session = Session.objects.create(program=program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=people[FAC], status=SessionStatus.COMPLETED)
    student = StudentFactory()
    session.participants.add(student)
    invitation = Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                           student_assent=ConsentStatus.GRANTED)
    note = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=protocol.questions.first(),
                               student=student, kind=NoteKind.STUDENT, text="Lunch is too short to eat and talk.")
    code = add_code(program, category=seed_categories(program)[0], name="Time")
    coding = apply_code(note=note, code=code, coder=people[ANA], start=0, end=5)
    agreement = AgreementRound.objects.create(program=program, coder_a=people[ANA], coder_b=people[LEAD])
    agreement.notes.add(note)
    bulk = BulkCoding.objects.create(program=program, code=code, query="lunch", notes_coded=0, created_by=people[ANA])
    theme = Theme.objects.create(program=program, name="Time to eat")
    theme.codes.add(code)
    action = ActionItem.objects.create(program=program, title="Longer lunch", owner=people[LEAD])
    report = Report.objects.create(program=program, kind=ReportKind.THEMATIC, status=ReportStatus.READY)
    report.file.save(f"walk-{slug}.pdf", ContentFile(b"%PDF-1.7 walk"), save=True)
    failed_report = Report.objects.create(program=program, kind=ReportKind.SLIDES, status=ReportStatus.FAILED, error="x")
    objects = {"question": protocol.questions.first(), "session": session, "invitation": invitation, "coding": coding,
               "round": agreement, "theme": theme, "action": action, "report": report, "failed_report": failed_report, "facilitator": people[FAC],
               "bulk": bulk}
    return World(program, people, objects)


def _path(route: str, world: World, ids_from: World) -> str:
    """The route for `world`'s program with every id taken from `ids_from`."""
    path = route.replace("/programs/belonging/", f"/programs/{world.program.slug}/")
    parts = path.split("/")
    for index, part in enumerate(parts):
        if re.fullmatch(r"1(\.ics)?", part):
            kind = "failed_report" if path.endswith("/retry/") else ID_KINDS[parts[index - 1]]
            parts[index] = part.replace("1", str(ids_from.objects[kind].pk))
    return "/".join(parts)


@pytest.fixture
def worlds(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return _one_of_everything("alpha"), _one_of_everything("beta")


def test_every_program_page_says_who_may_open_it():
    names = {name for name, _ in PROGRAM_ROUTES}
    assert names == set(WHO_MAY), f"not in programs.pages.PAGES: {names - set(WHO_MAY)}; gone: {set(WHO_MAY) - names}"


POST_ONLY = {"code_note", "uncode", "undo_coding", "bank_add", "question_check", "question_add", "question_delete",
             "question_move", "protocol_ready", "protocol_review", "report_retry", "student_summary_publishing",
             "community_shares", "consent_import", "invitation_change", "missing_group_change", "session_action"}


@pytest.mark.parametrize(("name", "route"), PROGRAM_ROUTES, ids=[name for name, _ in PROGRAM_ROUTES])
def test_roles_get_in_or_get_403(client, worlds, name, route):
    alpha, _beta = worlds
    path = _path(route, alpha, alpha)
    for role in Role:
        login(client, alpha.people[role])
        status = client.get(path).status_code
        if status == 405:  # a page that only takes POST: ask it the way it is used
            status = client.post(path).status_code
        if role in WHO_MAY[name] or role == LEAD:
            # An empty POST may name no object (404) or be refused as incomplete; it is never refused for the role.
            refused = (403, 500) if name in POST_ONLY else (403, 404, 405, 500)
            assert status not in refused, (name, role, path, status)
        else:
            assert status == 403, (name, role, path, status)


ID_ROUTES = [(name, route) for name, route in PROGRAM_ROUTES if re.search(r"/1(/|\.ics|$)", route)]


def test_the_walk_finds_the_pages_with_ids():
    assert len(ID_ROUTES) >= 15


def _snapshot(world: World) -> dict:
    return {
        "questions": list(Question.objects.filter(protocol__program=world.program).values_list("pk", "text", "position")),
        "sessions": list(Session.objects.filter(program=world.program).values_list("pk", "status", "starts_at")),
        "invitations": list(Invitation.objects.filter(program=world.program).values_list("pk", "status", "parent_consent")),
        "codings": list(CodeApplication.objects.filter(code__program=world.program).values_list("pk", "start", "end")),
        "rounds": list(AgreementRound.objects.filter(program=world.program).values_list("pk", "a_done_at")),
        "themes": list(Theme.objects.filter(program=world.program).values_list("pk", "name")),
        "actions": list(ActionItem.objects.filter(program=world.program).values_list("pk", "status", "title")),
        "reports": list(Report.objects.filter(program=world.program).values_list("pk", "status", "attempts")),
        "bulk_codings": list(BulkCoding.objects.filter(program=world.program).values_list("pk", "undone_at")),
    }


@pytest.mark.parametrize(("name", "route"), ID_ROUTES, ids=[name for name, _ in ID_ROUTES])
def test_an_id_from_another_program_never_reaches_its_record(client, worlds, name, route):
    alpha, beta = worlds
    before = _snapshot(beta)
    swapped = _path(route, alpha, beta)
    login(client, alpha.people[LEAD])  # may do anything in alpha, nothing in beta
    payload = {"text": "changed", "status": "done", "title": "changed", "action": "start"}
    get = client.get(swapped).status_code
    post = client.post(swapped, payload).status_code
    assert get in (404, 405) and post in (404, 405) and (get, post) != (405, 405), (name, swapped, get, post)
    assert _snapshot(beta) == before
    # The same page with alpha's own ids opens: the 404 above came from the swap.
    own = _path(route, alpha, alpha)
    assert 404 not in (client.get(own).status_code, client.post(own, payload).status_code), name

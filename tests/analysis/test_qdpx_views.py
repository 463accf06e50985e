"""The .qdpx pages: the export is for leads only and audited, its button says why; the import needs the
permission to create programs, answers a bad file with its reason (keeping what was typed), and shows what
was not imported, once, to the person who started it; the file is read by a task and deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis.qdpx_export import export_project
from analysis.qdpx_jobs import JOB_FOLDER
from audit.models import AuditAction, AuditEvent
from programs.models import Membership, Program, Role
from tests.analysis.qdpx_helpers import project_program, qdpx
from tests.factories import SchoolFactory

TINY = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Other QDA">'
        '<Sources><TextSource guid="0a1b2c3d-0000-4000-8000-00000000000a" name="One">'
        "<PlainTextContent>Words.</PlainTextContent></TextSource>"
        '<AudioSource guid="0a1b2c3d-0000-4000-8000-00000000000b" name="Recording 7"/></Sources></Project>')


def _export_url(team):
    return reverse("project_qdpx", args=[team.program.slug])


def test_a_lead_downloads_the_project_and_the_download_is_audited(client, team):
    project_program(team)
    client.force_login(team.lead)
    response = client.get(_export_url(team))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="belonging-pilot.qdpx"' in response["Content-Disposition"]
    assert response.content == export_project(team.program).content
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, program_id=team.program.pk)
    assert event.actor == team.lead
    assert event.detail == {"format": "qdpx", "sessions": 2, "cases": 3, "selections": 7, "suppression": "not applied"}


@pytest.mark.parametrize("role", ["analyst", "viewer", "facilitator"])
def test_other_roles_are_refused_the_export(client, team, role):
    client.force_login(getattr(team, role))
    assert client.get(_export_url(team)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_outsider_gets_404(client, team):
    client.force_login(team.outsider)
    assert client.get(_export_url(team)).status_code == 404


def test_the_export_takes_get_only(client, team):
    client.force_login(team.lead)
    assert client.post(_export_url(team)).status_code == 405


def test_the_codebook_shows_leads_the_button_that_says_it_is_for_leads_and_audited(client, team):
    client.force_login(team.lead)
    page = client.get(reverse("codebook", args=[team.program.slug])).content.decode()
    assert "Export the whole project (.qdpx)" in page
    assert "Leads only: the program's suppression rules do not apply inside it, and the export is audited." in page
    client.force_login(team.analyst)
    assert 'id="export-qdpx"' not in client.get(reverse("codebook", args=[team.program.slug])).content.decode()


@pytest.fixture
def creator(team):
    team.lead.user_permissions.add(Permission.objects.get(codename="add_program"))
    return team.lead


def _post(client, **fields):
    data = {"name": "Lunch from NVivo", "school": SchoolFactory(name="Hillcrest").pk, "default_grade": ""}
    data.update(fields)
    return client.post(reverse("project_import"), data)


def test_someone_who_cannot_create_programs_cannot_import(client, team):
    client.force_login(team.viewer)
    assert client.get(reverse("project_import")).status_code == 403


def _import(client, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, **fields)
    assert response.status_code == 302
    return response["Location"]


def test_an_import_makes_a_program_led_by_the_importer_and_lists_what_did_not_map(
        client, team, creator, django_capture_on_commit_callbacks):
    client.force_login(creator)
    status_url = _import(client, django_capture_on_commit_callbacks, file=SimpleUploadedFile("lunch.qdpx", qdpx(TINY)))
    response = client.get(status_url)
    assert response.status_code == 200
    program = Program.objects.get(name="Lunch from NVivo")
    assert Membership.objects.get(program=program, user=creator).role == Role.LEAD
    page = response.content.decode()
    assert "Recording 7" in page and reverse("program_dashboard", args=[program.slug]) in page
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, program_id=program.pk)
    assert event.actor == creator and event.detail["notes"] == 1 and event.detail["not_imported"] == 1
    assert client.get(status_url).status_code == 404, "shown once: the record is gone"
    token = status_url.rstrip("/").rsplit("/", 1)[-1]
    assert not default_storage.exists(f"{JOB_FOLDER}/{token}.qdpx"), "the uploaded file is deleted"
    assert not default_storage.exists(f"{JOB_FOLDER}/{token}.json"), "and the record, once shown"


def test_until_the_task_is_done_the_status_page_reloads_itself(client, team, creator):
    client.force_login(creator)
    response = _post(client, file=SimpleUploadedFile("lunch.qdpx", qdpx(TINY)))  # the task is not run
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and 'id="import-status"' in page
    assert not Program.objects.filter(name="Lunch from NVivo").exists()


def test_another_person_cannot_open_someone_elses_import(client, team, creator, django_capture_on_commit_callbacks):
    client.force_login(creator)
    status_url = _import(client, django_capture_on_commit_callbacks, file=SimpleUploadedFile("lunch.qdpx", qdpx(TINY)))
    other = team.facilitator
    other.user_permissions.add(Permission.objects.get(codename="add_program"))
    client.force_login(other)
    assert client.get(status_url).status_code == 404
    assert client.get(reverse("project_import_status", args=["not-a-token"])).status_code == 404


def test_a_file_that_is_not_a_project_is_refused_with_its_reason_and_the_name_kept(
        client, team, creator, django_capture_on_commit_callbacks):
    client.force_login(creator)
    status_url = _import(client, django_capture_on_commit_callbacks, name="Typed name 42",
                         file=SimpleUploadedFile("lunch.qdpx", b"not a zip at all"))
    response = client.get(status_url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "a project is a .zip archive, and this file is not one" in page and "Nothing was imported." in page
    assert 'value="Typed name 42"' in page
    assert not Program.objects.filter(name="Typed name 42").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_the_school_choice_asks_to_choose_in_words_not_dashes(client, team, creator):
    client.force_login(creator)
    page = client.get(reverse("project_import")).content.decode()
    assert '<option value="" selected>— choose —</option>' in page and "---------" not in page


def test_a_file_not_named_qdpx_is_refused(client, team, creator):
    client.force_login(creator)
    response = _post(client, file=SimpleUploadedFile("lunch.docx", qdpx(TINY)))
    assert response.status_code == 400 and "ends in .qdpx" in response.content.decode()
    assert 'value="Lunch from NVivo"' in response.content.decode()

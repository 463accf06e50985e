"""Whatever people type or import, a page shows it as text: script tags in every kind of field."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import Idea, IdeaComment
from actions.plan import action_from_idea
from analysis.coding import apply_code
from analysis.models import Theme
from tests.test_helpers import login

ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_tags_in_every_field_are_shown_as_text(client, coded):
    program = coded.team.program
    program.name = "Program " + ATTACK
    program.save()
    student = coded.students[0]
    student.first_name, student.last_name = "Ana" + ATTACK, "Lopez" + ATTACK
    student.save()
    student.school.name = "School " + ATTACK
    student.school.save()
    note = coded.notes[0]
    note.text = "She said " + ATTACK
    note.save(update_fields=["text"])
    code = coded.codes["Noise"]
    code.name, code.definition = "Noise " + ATTACK, ATTACK
    code.save()
    apply_code(note=note, code=code, coder=coded.team.analyst)
    theme = Theme.objects.create(program=program, name="Theme " + ATTACK, insight=ATTACK, root_causes=ATTACK)
    theme.codes.add(code)
    idea = Idea.objects.create(program=program, title="Idea " + ATTACK, description=ATTACK, group=ATTACK)
    idea.themes.add(theme)
    IdeaComment.objects.create(idea=idea, author=coded.team.lead, text=ATTACK)
    item = action_from_idea(idea, owner=coded.team.lead, kind="project")
    item.measure = ATTACK
    item.save()
    coded.team.lead.first_name = "Lead" + ATTACK
    coded.team.lead.save()
    coded.team.lead.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_student", "add_student", "change_student", "delete_student", "handle_data_request"]))

    login(client, coded.team.lead)
    slug = program.slug
    pages = [reverse("home"), reverse("roster")] + [reverse(name, kwargs={"slug": slug}) for name in (
        "program_dashboard", "program_students", "program_team", "session_list", "workbench", "codebook", "themes",
        "ideas", "actions", "patterns", "report_list")] + [
        reverse("session_detail", kwargs={"slug": slug, "pk": coded.session.pk}),
        reverse("theme_detail", kwargs={"slug": slug, "pk": theme.pk}),
        reverse("action_detail", kwargs={"slug": slug, "pk": item.pk}),
        reverse("student_record", args=[student.pk]), reverse("student_delete", args=[student.pk]),
        reverse("student_correct", args=[student.pk]), reverse("audit_log", args=[slug])]
    shown = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        shown += page.count("&lt;script&gt;alert")
    assert shown > 20  # the fields really were on the pages, escaped


def test_script_tags_in_a_students_export_are_printed_as_text(coded):
    from privacy import student_data

    student = coded.students[0]
    student.first_name = "Ana" + ATTACK
    student.save()
    note = coded.notes[0]
    note.text = "She said " + ATTACK
    note.save(update_fields=["text"])
    html = student_data.as_html(student_data.gather(student, scope=student_data.EVERY_PROGRAM))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert") >= 3  # title, heading, record and the note

"""Every spreadsheet upload is refused above UPLOAD_MAX_MEGABYTES, with a message that says what to do."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis.models import Code
from participants.models import RosterUpload
from participants.uploads import store_upload
from recruitment.models import Invitation
from tests.factories import StudentFactory
from tests.participants.test_roster_views import manager  # noqa: F401
from tests.test_helpers import login
from toolkit.tables import TOO_LARGE, TableUnreadable

HEADER = b"category,code,definition,example\n"
TOO_BIG = HEADER + b"Other,Noise,loud,\n" + b"#" * (1024 * 1024 + 10)


@pytest.fixture(autouse=True)
def one_megabyte(settings):
    settings.UPLOAD_MAX_MEGABYTES = 1


def test_a_roster_above_the_limit_is_refused_before_it_is_read(client, manager):  # noqa: F811
    login(client, manager)
    response = client.post(reverse("roster_upload"), {"kind": "students", "file": SimpleUploadedFile("r.csv", TOO_BIG)})
    assert response.status_code == 200 and "files up to 1 MB are accepted" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_consent_above_the_limit_is_refused(client, team):
    Invitation.objects.create(program=team.program, student=StudentFactory())
    login(client, team.lead)
    before = list(Invitation.objects.values_list("pk", "parent_consent"))
    response = client.post(reverse("consent_import", kwargs={"slug": team.program.slug}),
                           {"file": SimpleUploadedFile("consent.csv", TOO_BIG)})
    assert "files up to 1 MB are accepted" in response.content.decode()
    assert list(Invitation.objects.values_list("pk", "parent_consent")) == before


def test_a_codebook_above_the_limit_is_refused_and_one_below_is_read(client, team):
    login(client, team.analyst)
    url = reverse("codebook", kwargs={"slug": team.program.slug})
    page = client.post(url, {"action": "import", "file": SimpleUploadedFile("codebook.csv", TOO_BIG)}, follow=True)
    assert "files up to 1 MB are accepted" in page.content.decode() and not Code.objects.filter(name="Noise").exists()
    client.post(url, {"action": "import", "file": SimpleUploadedFile("codebook.csv", HEADER + b"Other,Noise,loud,\n")})
    assert Code.objects.filter(program=team.program, name="Noise").exists()


def test_a_codebook_that_is_not_utf8_gets_a_plain_message(client, team):
    login(client, team.analyst)
    page = client.post(reverse("codebook", kwargs={"slug": team.program.slug}),
                       {"action": "import", "file": SimpleUploadedFile("codebook.csv", HEADER + "Été,Bruit,x,\n".encode("latin-1"))},
                       follow=True).content.decode()
    assert "CSV UTF-8" in page and "codec" not in page


def roster_file(content: bytes, *, size: int | None = None) -> SimpleUploadedFile:
    """A real upload; `size` stands in for what Django measured while receiving a big body (store_upload reads .size)."""
    file = SimpleUploadedFile("roster.csv", content)
    if size is not None:
        file.size = size
    return file


def test_store_upload_takes_a_file_under_the_setting_that_the_old_20_mb_cap_refused(settings, manager):  # noqa: F811
    settings.UPLOAD_MAX_MEGABYTES = 25
    file = roster_file(b"Student ID,First Name,Last Name,School,Grade\n1,Ana,Lopez,LHS,9\n", size=22 * 1024 * 1024)
    upload = store_upload(file=file, kind="students", user=manager)
    assert upload.row_count == 1 and RosterUpload.objects.filter(pk=upload.pk).exists()


def test_store_upload_refuses_above_the_setting_with_the_forms_message(settings, manager):  # noqa: F811
    settings.UPLOAD_MAX_MEGABYTES = 1
    two_megabytes = HEADER + b"#" * (2 * 1024 * 1024 - len(HEADER))
    with pytest.raises(TableUnreadable) as refusal:
        store_upload(file=roster_file(two_megabytes), kind="students", user=manager)
    assert str(refusal.value) == TOO_LARGE.format(size=2.0, limit=1)
    assert "files up to 1 MB are accepted" in str(refusal.value) and not RosterUpload.objects.exists()

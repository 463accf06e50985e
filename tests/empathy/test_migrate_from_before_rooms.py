"""A database made before the apps were split into rooms (programs/, recruitment/, actions/)
upgrades in place: `migrate` with today's code keeps every row of every table, every uploaded and
rendered file, every audit entry, and the permissions granted on the models that moved."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "data" / "before_rooms"
MOVED = {
    "programs": ("interviews", ["program", "membership"]),
    "recruitment": ("interviews", ["invitation", "sampleplan", "communityshare", "missinggroup"]),
    "actions": ("analysis", ["idea", "ideavote", "ideacomment", "actionitem", "actionupdate", "digestsent"]),
}
CHANGED_BY_DESIGN = {"django_migrations", "django_content_type"}

READ_BACK = """
import json
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from actions.models import ActionItem, ActionUpdate, DigestSent, Idea, IdeaComment, IdeaVote
from audit.models import AuditEvent
from participants.models import RosterUpload
from programs.models import Membership, Program
from recruitment.models import CommunityShare, Invitation, MissingGroup, SamplePlan
from reports.models import Report
models = [Program, Membership, Invitation, SamplePlan, CommunityShare, MissingGroup, Idea, IdeaVote, IdeaComment,
          ActionItem, ActionUpdate, DigestSent, AuditEvent, Report]
print(json.dumps({
    "counts": {model.__name__: model.objects.count() for model in models},
    "lead_may_create": User.objects.get(username="lead").has_perm("programs.add_program"),
    "group_may_create": User.objects.get(username="analyst").has_perm("programs.add_program"),
    "viewer_may_create": User.objects.get(username="viewer").has_perm("programs.add_program"),
    "files": [f.name for f in [r.file for r in Report.objects.all()] + [u.file for u in RosterUpload.objects.all()]],
    "missing_files": [f.name for f in [r.file for r in Report.objects.all()] + [u.file for u in RosterUpload.objects.all()]
                      if not default_storage.exists(f.name)],
    "program_of_invitations": sorted({i.program.slug for i in Invitation.objects.select_related("program")}),
}))
"""


def _rows(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table; with `columns`, only those columns of each table (later migrations
    may add columns, never take a value away)."""
    connection = sqlite3.connect(path)
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    rows = {}
    for table in tables:
        names = (columns or {}).get(table) or [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
        selected = ", ".join(f'"{name}"' for name in names)
        rows[table] = sorted(connection.execute(f'SELECT {selected} FROM "{table}"').fetchall(), key=repr)
    connection.close()
    return rows


def _columns(path: Path) -> dict[str, list[str]]:
    connection = sqlite3.connect(path)
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    found = {table: [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')] for table in tables}
    connection.close()
    return found


def _manage(*args: str, database: Path, media: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DEBUG="true", DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(media))
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("before-rooms")
    database, media = folder / "db.sqlite3", folder / "media"
    with gzip.open(SNAPSHOT / "database.sqlite3.gz") as packed, open(database, "wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    shutil.copytree(SNAPSHOT / "files", media)
    before, columns = _rows(database), _columns(database)
    _manage("migrate", "--noinput", database=database, media=media)
    after = _rows(database, columns)
    read_back = json.loads(_manage("shell", "-c", READ_BACK, database=database, media=media).strip().splitlines()[-1])
    return before, after, read_back


def test_every_row_of_every_table_is_kept(upgraded):
    before, after, _ = upgraded
    assert set(before) <= set(after), "the upgrade must not drop a table"
    for table in sorted(set(before) - CHANGED_BY_DESIGN):
        # Every row is still there, every value as it was; later migrations may add rows (say, groups
        # of district roles) but never change or take one away.
        missing = set(before[table]) - set(after[table])
        assert not missing, (table, sorted(missing, key=repr)[:3])
    for table in ("interviews_program", "interviews_membership", "interviews_invitation", "analysis_idea",
                  "analysis_actionitem", "audit_auditevent", "participants_student"):
        assert after[table] == before[table], table  # the moved tables and the log hold exactly what they held
    assert sum(len(rows) for table, rows in before.items() if table not in CHANGED_BY_DESIGN) > 800


def test_the_moved_models_keep_their_content_types_under_their_new_apps(upgraded):
    before, after, _ = upgraded
    old = {(app, model): pk for pk, app, model in before["django_content_type"]}
    new = {(app, model): pk for pk, app, model in after["django_content_type"]}
    assert len(new) >= len(old)
    for new_app, (old_app, models) in MOVED.items():
        for model in models:
            assert new[(new_app, model)] == old[(old_app, model)], model
            assert (old_app, model) not in new


def test_the_new_code_reads_every_moved_row_file_audit_entry_and_permission(upgraded):
    before, _, read_back = upgraded
    counts = read_back["counts"]
    for table, model in [("interviews_program", "Program"), ("interviews_membership", "Membership"),
                         ("interviews_invitation", "Invitation"), ("interviews_sampleplan", "SamplePlan"),
                         ("interviews_communityshare", "CommunityShare"), ("interviews_missinggroup", "MissingGroup"),
                         ("analysis_idea", "Idea"), ("analysis_ideavote", "IdeaVote"),
                         ("analysis_ideacomment", "IdeaComment"), ("analysis_actionitem", "ActionItem"),
                         ("analysis_actionupdate", "ActionUpdate"), ("analysis_digestsent", "DigestSent"),
                         ("audit_auditevent", "AuditEvent"), ("reports_report", "Report")]:
        assert counts[model] == len(before[table]) > 0, model
    assert len(read_back["files"]) == 5 and read_back["missing_files"] == []
    assert read_back["program_of_invitations"] == ["belonging-2026"]
    # Granted to the lead directly and to the analyst through a group, on the old content type.
    assert read_back["lead_may_create"] and read_back["group_may_create"]
    assert not read_back["viewer_may_create"]

"""Uploads through the browser: store the file, check it, import it in a task.

A file is read once when it arrives, within the caps of toolkit/limits.py: its headers, a short preview,
its row count and the problems of the guessed mapping are stored on the upload, and the import page shows
only those. After that the file is read only by the Celery tasks: to check every row again under another
mapping (`check_roster_upload`) and to import it (`import_roster_upload`). No page view reads it.

What a file holds (students, teaching assignments) is its `kind`; see `import_kinds.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.import_kinds import KINDS, ImportKind
from participants.models import RosterUpload
from participants.roster import plain_labels
from toolkit.tables import (
    ImportRefused,
    RowError,
    Table,
    TableUnreadable,
    check_upload_size,
    mapping_problems,
    read_table,
)

PREVIEW_ROWS = 8
PREVIEW_CELL_CHARACTERS = 80
# The problems stored and listed on the page; the count says how many there were in all.
PROBLEMS_KEPT = 500
FILE_REMOVED = gettext_lazy("The file was removed after it was kept as long as allowed. Upload it again to check or import it.")
CHANGEABLE = (RosterUpload.Status.UPLOADED, RosterUpload.Status.REFUSED)


def kind_of(upload: RosterUpload) -> ImportKind:
    return KINDS[upload.kind]


def read_upload(upload: RosterUpload) -> Table:
    """The stored file, read again within the caps; only the Celery tasks call this."""
    if upload.file_removed_at or not upload.file:
        raise TableUnreadable(str(FILE_REMOVED))
    with upload.file.open("rb") as handle:
        return read_table(handle, upload.original_name)


def preview_of(table: Table) -> dict:
    def short(cell: str) -> str:
        return cell if len(cell) <= PREVIEW_CELL_CHARACTERS else cell[: PREVIEW_CELL_CHARACTERS - 1] + "…"

    return {"headers": table.headers, "rows": [[short(cell) for cell in row] for row in table.rows[:PREVIEW_ROWS]]}


def _keep_problems(upload: RosterUpload, errors: list[RowError]) -> None:
    upload.errors = [error.as_dict() for error in errors[:PROBLEMS_KEPT]]
    upload.problem_count = len(errors)


def store_upload(*, file: UploadedFile, kind: str, user) -> RosterUpload:
    """Read the file once (streaming, within the caps), store it with what the page needs; raise TableUnreadable.

    The size limit is the forms' one (UPLOAD_MAX_MEGABYTES, read now), with the same message.
    """
    try:
        check_upload_size(file)
    except ValidationError as refusal:
        raise TableUnreadable(refusal.messages[0]) from None
    table = read_table(file, file.name)
    file.seek(0)
    import_kind = KINDS[kind]
    mapping = import_kind.default_mapping(table.headers)
    errors, unknown_schools = import_kind.check(table, mapping, None, ())
    upload = RosterUpload(
        kind=kind, file=file, original_name=file.name, uploaded_by=user, mapping=mapping, row_count=len(table.rows),
        unknown_schools=unknown_schools,
        preview=preview_of(table), status=RosterUpload.Status.REFUSED if errors else RosterUpload.Status.UPLOADED,
    )
    _keep_problems(upload, errors)
    upload.save()
    return upload


def _mapping_refused(upload: RosterUpload, mapping: Mapping[str, str]) -> list[RowError]:
    """Problems of the mapping itself (a required field unmapped, one field twice), found without the file."""
    kind = kind_of(upload)
    problems = mapping_problems(mapping, kind.required, plain_labels(kind.field_labels))
    if problems:
        upload.mapping, upload.status = dict(mapping), RosterUpload.Status.REFUSED
        _keep_problems(upload, problems)
        upload.save(update_fields=["mapping", "status", "errors", "problem_count"])
    return problems


def check_again(upload: RosterUpload, mapping: Mapping[str, str], *, create_schools: bool = False,
                keep_confirmed: bool = False) -> list[RowError]:
    """Keep the mapping and check every row under it in a task; problems of the mapping itself come back now.

    With `create_schools`, the person confirmed that the import creates the schools the file names and the
    district does not know yet (those listed on the page, `unknown_schools`); `keep_confirmed` keeps those
    confirmed before. Without either, no school is created."""
    problems = _mapping_refused(upload, mapping)
    if problems:
        return problems
    from participants.tasks import check_roster_upload

    upload.mapping, upload.status, upload.rows_checked = dict(mapping), RosterUpload.Status.CHECKING, 0
    upload.new_schools = sorted({*(upload.new_schools if keep_confirmed else ()),
                                 *(upload.unknown_schools if create_schools else ())})
    _keep_problems(upload, [])
    upload.save(update_fields=["mapping", "status", "rows_checked", "errors", "problem_count", "new_schools"])
    transaction.on_commit(lambda: check_roster_upload.delay(upload.pk))
    return []


def import_with(upload: RosterUpload, mapping: Mapping[str, str]) -> bool:
    """Start the import under this mapping; False, with nothing started, when problems are known for it.

    The task checks every row again before it writes (the roster may have changed since), all or nothing.
    """
    if _mapping_refused(upload, mapping):
        return False
    if dict(mapping) == upload.mapping and upload.problem_count:
        return False
    upload.mapping = dict(mapping)
    upload.save(update_fields=["mapping"])
    start_import(upload)
    return True


def start_import(upload: RosterUpload) -> None:
    from participants.tasks import import_roster_upload

    RosterUpload.objects.filter(pk=upload.pk).update(status=RosterUpload.Status.IMPORTING, rows_checked=0)
    transaction.on_commit(lambda: import_roster_upload.delay(upload.pk))


def _progress(upload_id: int):
    def progress(rows: int) -> None:
        RosterUpload.objects.filter(pk=upload_id).update(rows_checked=rows)

    return progress


def _fail(upload_id: int, exc: Exception, what: str) -> None:
    # Never leave an upload stuck in "checking" or "importing": record the failure, then let the task fail.
    message = (_("The check failed: %(problem)s") if what == "check" else _("Import failed: %(problem)s")) % {"problem": exc}
    RosterUpload.objects.filter(pk=upload_id).update(
        status=RosterUpload.Status.FAILED, errors=[RowError(None, "", message).as_dict()], problem_count=1,
    )


def _language_of(upload: RosterUpload) -> str:
    """The language the upload's problems are written in, in a task: its uploader's, else the district's."""
    from participants.languages import account_language, district_default

    return (account_language(upload.uploaded_by) if upload.uploaded_by_id else None) or district_default()


def run_check(upload_id: int) -> RosterUpload:
    """Read the stored file (within the caps) and check every row under the upload's mapping; nothing is written."""
    upload = RosterUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    with translation.override(_language_of(upload)):
        return _check(upload)


def _check(upload: RosterUpload) -> RosterUpload:
    upload_id = upload.pk
    try:
        errors, upload.unknown_schools = kind_of(upload).check(
            read_upload(upload), upload.mapping, _progress(upload_id), upload.new_schools)
    except TableUnreadable as exc:
        upload.status = RosterUpload.Status.FAILED
        _keep_problems(upload, [RowError(None, "", str(exc))])
    except Exception as exc:
        _fail(upload_id, exc, "check")
        raise
    else:
        upload.status = RosterUpload.Status.REFUSED if errors else RosterUpload.Status.UPLOADED
        _keep_problems(upload, errors)
        upload.rows_checked = upload.row_count
    upload.save(update_fields=["status", "errors", "problem_count", "rows_checked", "unknown_schools"])
    return upload


def run_import(upload_id: int) -> RosterUpload:
    upload = RosterUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    with translation.override(_language_of(upload)):
        return _import(upload)


def _import(upload: RosterUpload) -> RosterUpload:
    upload_id = upload.pk
    try:
        summary = kind_of(upload).run(read_upload(upload), upload.mapping, _progress(upload_id), upload.new_schools)
    except ImportRefused as refusal:
        upload.status = RosterUpload.Status.REFUSED
        _keep_problems(upload, refusal.errors)
    except TableUnreadable as exc:
        upload.status = RosterUpload.Status.FAILED
        _keep_problems(upload, [RowError(None, "", str(exc))])
    except Exception as exc:
        _fail(upload_id, exc, "import")
        raise
    else:
        upload.status, upload.summary = RosterUpload.Status.IMPORTED, summary
        _keep_problems(upload, [])
        upload.rows_checked = upload.row_count
    upload.save(update_fields=["status", "errors", "problem_count", "summary", "rows_checked"])
    return upload

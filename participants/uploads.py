"""Uploads through the browser: store the file, check it, import it in a task.

What a file holds (students, teaching assignments) is its `kind`; see `import_kinds.py`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from participants.import_kinds import KINDS, ImportKind
from participants.models import RosterUpload
from toolkit.tables import ImportRefused, RowError, Table, TableUnreadable, check_upload_size, read_table


def kind_of(upload: RosterUpload) -> ImportKind:
    return KINDS[upload.kind]


def read_upload(upload: RosterUpload) -> Table:
    with upload.file.open("rb") as handle:
        return read_table(handle.read(), upload.original_name)


def store_upload(*, file: UploadedFile, kind: str, user) -> RosterUpload:
    """Save the file through the storage API and guess its column mapping; raise TableUnreadable.

    The size limit is the forms' one (UPLOAD_MAX_MEGABYTES, read now), with the same message.
    """
    try:
        check_upload_size(file)
    except ValidationError as refusal:
        raise TableUnreadable(refusal.messages[0]) from None
    table = read_table(file.read(), file.name)
    file.seek(0)
    return RosterUpload.objects.create(
        kind=kind, file=file, original_name=file.name, uploaded_by=user,
        mapping=KINDS[kind].default_mapping(table.headers), row_count=len(table.rows),
    )


def check_upload(upload: RosterUpload, mapping: dict[str, str]) -> list[RowError]:
    errors = kind_of(upload).check(read_upload(upload), mapping, None)
    upload.mapping = mapping
    upload.errors = [e.as_dict() for e in errors]
    upload.status = RosterUpload.Status.REFUSED if errors else RosterUpload.Status.UPLOADED
    upload.save(update_fields=["mapping", "errors", "status"])
    return errors


def start_import(upload: RosterUpload) -> None:
    from participants.tasks import import_roster_upload

    RosterUpload.objects.filter(pk=upload.pk).update(status=RosterUpload.Status.IMPORTING, rows_checked=0)
    transaction.on_commit(lambda: import_roster_upload.delay(upload.pk))


def run_import(upload_id: int) -> RosterUpload:
    upload = RosterUpload.objects.get(pk=upload_id)

    def progress(rows: int) -> None:
        RosterUpload.objects.filter(pk=upload_id).update(rows_checked=rows)

    try:
        summary = kind_of(upload).run(read_upload(upload), upload.mapping, progress)
    except ImportRefused as refusal:
        upload.status, upload.errors = RosterUpload.Status.REFUSED, [e.as_dict() for e in refusal.errors]
    except TableUnreadable as exc:
        upload.status, upload.errors = RosterUpload.Status.FAILED, [RowError(None, "", str(exc)).as_dict()]
    except Exception as exc:
        # Never leave an upload stuck in "importing": record the failure, then let the task fail.
        RosterUpload.objects.filter(pk=upload_id).update(
            status=RosterUpload.Status.FAILED, errors=[RowError(None, "", f"Import failed: {exc}").as_dict()]
        )
        raise
    else:
        upload.status, upload.errors, upload.summary = RosterUpload.Status.IMPORTED, [], summary
        upload.rows_checked = upload.row_count
    upload.save(update_fields=["status", "errors", "summary", "rows_checked"])
    return upload

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants.teaching_import import default_mapping, import_assignments
from toolkit.tables import ImportRefused, TableUnreadable, read_table


class Command(BaseCommand):
    help = "Import teaching assignments (staff id, student local id, course, start and end dates). All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as handle:
                table = read_table(handle, file.name)
        except (OSError, TableUnreadable) as exc:
            raise CommandError(str(exc)) from exc
        try:
            counts = import_assignments(table, default_mapping(table.headers))
        except ImportRefused as refusal:
            for error in refusal.errors:
                self.stderr.write(f"{f'row {error.row}, ' if error.row else ''}{error.column}: {error.message}")
            raise CommandError(f"{len(refusal.errors)} problem(s) found; nothing was imported.") from refusal
        self.stdout.write(self.style.SUCCESS(
            f"Imported {file.name}: {counts['created']} new, {counts['updated']} updated, {counts['unchanged']} unchanged."
        ))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants.oneroster import files_from_folder, files_from_zip, import_oneroster
from toolkit.tables import ImportRefused


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 CSV bundle (a folder or a .zip): schools, students, staff, teaching assignments."

    def add_arguments(self, parser):
        parser.add_argument("bundle", type=Path)

    def handle(self, *args, bundle: Path, **options):
        if bundle.is_dir():
            files = files_from_folder(bundle)
        elif bundle.is_file():
            files = None
        else:
            raise CommandError(f"No folder or file at {bundle}.")
        try:
            if files is None:
                with bundle.open("rb") as handle:
                    files = files_from_zip(handle)
            summary = import_oneroster(files)
        except ImportRefused as refusal:
            for error in refusal.errors:
                self.stderr.write(f"{f'row {error.row}, ' if error.row else ''}{error.column}: {error.message}")
            raise CommandError(f"{len(refusal.errors)} problem(s) found; nothing was imported.") from refusal
        s = summary.as_dict()
        self.stdout.write(self.style.SUCCESS(
            f"Imported {bundle.name}: {s['schools']} schools; students {s['students_created']} new, "
            f"{s['students_updated']} updated, {s['students_unchanged']} unchanged; {s['staff']} staff; "
            f"teaching assignments {s['assignments_created']} new, {s['assignments_unchanged']} unchanged."
        ))

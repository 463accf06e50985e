from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants.roster import default_mapping, import_students
from toolkit.tables import ImportRefused, TableUnreadable, read_table


class Command(BaseCommand):
    help = "Import students from a CSV or XLSX roster. All rows or none: every problem is listed."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                            help="Map a column to a field (e.g. 'Pupil No=local_id'); FIELD empty to ignore it.")
        parser.add_argument("--create-school", action="append", default=[], metavar="VALUE", dest="create_schools",
                            help="Create this school (as the file spells it) with the import, if no school has that "
                                 "code or name; repeat for each. Without it such rows are refused.")

    def handle(self, *args, file: Path, map: list[str], create_schools: list[str], **options):
        try:
            with file.open("rb") as handle:
                table = read_table(handle, file.name)
        except (OSError, TableUnreadable) as exc:
            raise CommandError(str(exc)) from exc
        mapping = default_mapping(table.headers)
        for item in map:
            header, _, field = item.partition("=")
            if header not in mapping:
                raise CommandError(f"No column named “{header}”. Columns: {', '.join(table.headers)}")
            mapping[header] = field
        try:
            summary = import_students(table, mapping, new_schools=create_schools)
        except ImportRefused as refusal:
            for error in refusal.errors:
                where = f"row {error.row}, " if error.row else ""
                self.stderr.write(f"{where}{error.column}: {error.message}")
            raise CommandError(f"{len(refusal.errors)} problem(s) found; nothing was imported.") from refusal
        self.stdout.write(self.style.SUCCESS(
            f"Imported {file.name}: {summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.groups_created} new groups, {summary.schools_created} new schools."
        ))

"""python manage.py purge_expired [--dry-run] [--today YYYY-MM-DD]"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.retention import expired_programs, purge_expired, what_would_go
from privacy.upload_files import old_uploads, remove_old_upload_files


class Command(BaseCommand):
    help = "Remove student-level data of programs past their retention date, and record what was removed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        if dry_run:
            programs = list(expired_programs(today))
            for program in programs:
                counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in what_would_go(program).items())
                self.stdout.write(f"Would purge {program.slug} (kept until {program.keep_until}): {counts}")
            self.stdout.write(f"{old_uploads().count()} uploaded roster file(s) older than {settings.UPLOAD_KEEP_DAYS} "
                              "days would be removed.")
            self.stdout.write(f"{len(programs)} program(s) past their retention date; nothing removed (dry run).")
            return
        files = remove_old_upload_files()
        self.stdout.write(f"{files} uploaded roster file(s) older than {settings.UPLOAD_KEEP_DAYS} days removed.")
        purged, failed = purge_expired(today)
        for item in purged:
            counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in item.deletion.removed.items()
                               if isinstance(n, int))
            self.stdout.write(f"Purged {item.program.slug}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"{len(purged)} program(s) purged."))
        if failed:
            raise CommandError("Failed: " + "; ".join(f"{p.slug}: {why}" for p, why in failed))

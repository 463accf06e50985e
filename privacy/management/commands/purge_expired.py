"""python manage.py purge_expired [--dry-run] [--today YYYY-MM-DD]"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.retention import describe_counts, programs_in_grace, purge_expired, purge_schedule, what_would_go
from privacy.upload_files import old_uploads, remove_old_upload_files


class Command(BaseCommand):
    help = ("Remove student-level data of programs past their retention date and grace period, and record what "
            "was removed; warn the leads of programs that have just passed their date.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or timezone.localdate()
        if dry_run:
            schedule = purge_schedule(today)
            for item in schedule:
                program, when = item.program, item.purge_on
                counts = describe_counts(what_would_go(program))
                if when <= today:
                    self.stdout.write(f"Would purge {program.slug} now (kept until {program.keep_until}): {counts}")
                else:
                    self.stdout.write(f"Would purge {program.slug} on {when} (kept until {program.keep_until}; in its "
                                      f"{settings.RETENTION_GRACE_DAYS}-day grace period): {counts}")
            self.stdout.write(f"{old_uploads().count()} uploaded roster file(s) older than {settings.UPLOAD_KEEP_DAYS} "
                              "days would be removed.")
            waiting = sum(item.purge_on > today for item in schedule)
            self.stdout.write(f"{len(schedule)} program(s) past their retention date ({waiting} in their grace period); "
                              "nothing removed (dry run).")
            return
        files = remove_old_upload_files()
        self.stdout.write(f"{files} uploaded roster file(s) older than {settings.UPLOAD_KEEP_DAYS} days removed.")
        purged, failed = purge_expired(today)
        for item in purged:
            counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in item.deletion.removed.items()
                               if isinstance(n, int))
            self.stdout.write(f"Purged {item.program.slug}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"{len(purged)} program(s) purged."))
        for item in programs_in_grace(today):
            self.stdout.write(f"{item.program.slug} is past its retention date ({item.program.keep_until}); its "
                              f"student data goes on {item.purge_on} unless a lead moves the date.")
        if failed:
            raise CommandError("Failed: " + "; ".join(f"{p.slug}: {why}" for p, why in failed))

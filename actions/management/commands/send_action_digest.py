import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.plan import send_digests


class Command(BaseCommand):
    help = "E-mail each action owner the actions due in the next two weeks or overdue (once per owner per week)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        result = send_digests(date or timezone.localdate())
        self.stdout.write(f"Digests sent: {result.sent}; already sent this week: {result.skipped_already_sent}.")

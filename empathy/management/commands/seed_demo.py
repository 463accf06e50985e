from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from empathy.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from programs.models import Program


class Command(BaseCommand):
    help = "Load the demo district and program. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any program already exists.")
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, if_empty: bool = False, logins_only: bool = False, **options):
        if not logins_only:
            if if_empty and Program.objects.exists():
                self.stdout.write("Database already has data; demo data not loaded.")
            else:
                summary = seed_demo()
                self.stdout.write(self.style.SUCCESS(
                    f"Demo data ready: {summary.schools} schools, {summary.students} students, "
                    f"{summary.staff} staff, {summary.programs} program(s)."
                ))
        if not get_user_model().objects.filter(username=DEMO_LOGINS[0].username).exists():
            return
        self.stdout.write("\nDemo logins (password for all: %s)" % DEMO_PASSWORD)
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<12} {login.role:<14} {login.what_they_do}")

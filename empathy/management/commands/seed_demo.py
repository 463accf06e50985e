from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from empathy.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROGRAM_SLUG, seed_demo
from programs.models import Program

NOT_ON_PRODUCTION = ("The demo makes accounts with a published password, an administrator among them. It runs only "
                     "with DEBUG on, or with --i-know-this-is-not-production on a machine that is not the district's.")
REAL_PROGRAMS = ("This database holds programs that are not the demo ({names}); the demo is never loaded beside "
                 "real data.")


class Command(BaseCommand):
    help = "Load the demo district and program. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any program already exists.")
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo logins.")
        parser.add_argument("--i-know-this-is-not-production", action="store_true", dest="not_production",
                            help="Load the demo with DEBUG off (a test or a staging machine).")

    def handle(self, *args, if_empty: bool = False, logins_only: bool = False, not_production: bool = False,
               **options):
        if not logins_only:
            if if_empty and Program.objects.exists():
                self.stdout.write("Database already has data; demo data not loaded.")
            else:
                if not (settings.DEBUG or not_production):
                    raise CommandError(NOT_ON_PRODUCTION)
                real = list(Program.objects.exclude(slug=DEMO_PROGRAM_SLUG).values_list("name", flat=True)[:3])
                if real:
                    raise CommandError(REAL_PROGRAMS.format(names=", ".join(real)))
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

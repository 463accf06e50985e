from django.core.management.base import BaseCommand, CommandError

from programs.models import Program
from recruitment.selection import representativeness_of


class Command(BaseCommand):
    help = "Print how representative a program's sample is: population %, sample %, gap, per category."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="The program's short name (slug).")

    def handle(self, *args, program: str, **options):
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program with the short name “{program}”.")
        report = representativeness_of(found)
        self.stdout.write(f"{found.name}: {report.sample_size} students in the sample; "
                          f"largest gap {report.largest_gap_points:.1f} points (flag above {report.tolerance_points:g}).")
        for table in report.tables:
            self.stdout.write(f"\n{table.label}")
            self.stdout.write(f"  {'category':<36} {'population':>10} {'sample':>8} {'gap':>7}")
            for row in table.rows:
                flag = "  !" if row.flagged else ""
                self.stdout.write(f"  {row.category[:36]:<36} {row.population_percent:>9.1f}% {row.sample_percent:>7.1f}% "
                                  f"{row.gap_points:>+7.1f}{flag}")
        if report.missing:
            self.stdout.write("\nWho are we missing?")
            for item in report.missing:
                state = "absent" if item.absent else f"only {item.sample_count}"
                self.stdout.write(f"  {item.category} ({item.criterion}): {item.population_percent}% of the population, {state}")

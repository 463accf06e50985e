"""The District row now belongs to participants (its table stays: participants 0009)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("district", "0001_initial"),
        ("participants", "0009_district_moves_here_and_languages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="District")],
                                            database_operations=[]),
    ]

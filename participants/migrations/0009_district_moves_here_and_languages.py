"""The District row moves from the district app to participants, keeping its table; the district's default
language and each person's own language are added."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from toolkit.migrations import move_content_types

LANGUAGES = [("en", "English"), ("es", "Español")]


def move_district_content_type(apps, schema_editor):
    move_content_types(apps, old_app="district", new_app="participants", models=("district",))


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0008_translations"),
        ("district", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="District",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "district_district"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_district_content_type, migrations.RunPython.noop),
        migrations.AddField(
            model_name="district",
            name="default_language",
            field=models.CharField(choices=LANGUAGES, default="en", help_text="Pages open in this language until a person chooses their own; family letters and pages use each family's home language when the roster records it.", max_length=8, verbose_name="default language"),
        ),
        migrations.CreateModel(
            name="AccountLanguage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(choices=LANGUAGES, max_length=8, verbose_name="language")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="language_choice", to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]

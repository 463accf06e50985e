# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0008_note_erased_at_program_purged_at_and_more'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='communityshare',
            name='program',
        ),
        migrations.RemoveField(
            model_name='invitation',
            name='program',
        ),
        migrations.RemoveField(
            model_name='invitation',
            name='student',
        ),
        migrations.RemoveField(
            model_name='membership',
            name='program',
        ),
        migrations.RemoveField(
            model_name='membership',
            name='user',
        ),
        migrations.RemoveField(
            model_name='program',
            name='members',
        ),
        migrations.RemoveField(
            model_name='missinggroup',
            name='program',
        ),
        migrations.RemoveField(
            model_name='program',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='program',
            name='schools',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]

# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0005_action_due_after_start'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='actionitem',
            name='idea',
        ),
        migrations.RemoveField(
            model_name='actionitem',
            name='owner',
        ),
        migrations.RemoveField(
            model_name='actionitem',
            name='people',
        ),
        migrations.RemoveField(
            model_name='actionitem',
            name='program',
        ),
        migrations.RemoveField(
            model_name='actionitem',
            name='themes',
        ),
        migrations.RemoveField(
            model_name='actionupdate',
            name='item',
        ),
        migrations.RemoveField(
            model_name='actionupdate',
            name='author',
        ),
        migrations.RemoveField(
            model_name='digestsent',
            name='owner',
        ),
        migrations.RemoveField(
            model_name='idea',
            name='author',
        ),
        migrations.RemoveField(
            model_name='idea',
            name='merged_into',
        ),
        migrations.RemoveField(
            model_name='idea',
            name='program',
        ),
        migrations.RemoveField(
            model_name='idea',
            name='themes',
        ),
        migrations.RemoveField(
            model_name='ideacomment',
            name='idea',
        ),
        migrations.RemoveField(
            model_name='ideavote',
            name='idea',
        ),
        migrations.RemoveField(
            model_name='ideacomment',
            name='author',
        ),
        migrations.RemoveField(
            model_name='ideavote',
            name='user',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]

# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0007_action_plan_moves_to_actions_2'),
        ('interviews', '0009_programs_and_recruitment_move_out_1'),
        ('programs', '0001_initial'),
        ('reports', '0003_program_moves_to_programs'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='protocol',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='protocols', to='programs.program'),
        ),
        migrations.AlterField(
            model_name='session',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='programs.program'),
        ),
        migrations.RemoveField(
            model_name='sampleplan',
            name='program',
        ),
        migrations.DeleteModel(
            name='CommunityShare',
        ),
        migrations.DeleteModel(
            name='Invitation',
        ),
        migrations.DeleteModel(
            name='Membership',
        ),
        migrations.DeleteModel(
            name='MissingGroup',
        ),
        migrations.DeleteModel(
            name='Program',
        ),
        migrations.DeleteModel(
            name='SamplePlan',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]

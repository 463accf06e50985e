# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0006_action_plan_moves_to_actions_1'),
        ('programs', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='agreementround',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agreement_rounds', to='programs.program'),
        ),
        migrations.AlterField(
            model_name='category',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='categories', to='programs.program'),
        ),
        migrations.AlterField(
            model_name='code',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='programs.program'),
        ),
        migrations.AlterField(
            model_name='suggestionrun',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestion_runs', to='programs.program'),
        ),
        migrations.AlterField(
            model_name='theme',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='themes', to='programs.program'),
        ),
        migrations.DeleteModel(
            name='ActionItem',
        ),
        migrations.DeleteModel(
            name='ActionUpdate',
        ),
        migrations.DeleteModel(
            name='DigestSent',
        ),
        migrations.DeleteModel(
            name='Idea',
        ),
        migrations.DeleteModel(
            name='IdeaComment',
        ),
        migrations.DeleteModel(
            name='IdeaVote',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]

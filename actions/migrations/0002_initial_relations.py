# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('actions', '0001_initial'),
        ('analysis', '0006_action_plan_moves_to_actions_1'),
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.AddField(
            model_name='actionitem',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='programs.program'),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='themes',
            field=models.ManyToManyField(blank=True, related_name='action_items', to='analysis.theme'),
        ),
        migrations.AddField(
            model_name='actionupdate',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='actionupdate',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='actions.actionitem'),
        ),
        migrations.AddField(
            model_name='digestsent',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='idea',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='idea',
            name='merged_into',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='merged', to='actions.idea'),
        ),
        migrations.AddField(
            model_name='idea',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ideas', to='programs.program'),
        ),
        migrations.AddField(
            model_name='idea',
            name='themes',
            field=models.ManyToManyField(blank=True, related_name='ideas', to='analysis.theme'),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='idea',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_items', to='actions.idea'),
        ),
        migrations.AddField(
            model_name='ideacomment',
            name='author',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='ideacomment',
            name='idea',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='actions.idea'),
        ),
        migrations.AddField(
            model_name='ideavote',
            name='idea',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='actions.idea'),
        ),
        migrations.AddField(
            model_name='ideavote',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='digestsent',
            constraint=models.UniqueConstraint(fields=('owner', 'week_start'), name='one_digest_per_owner_per_week'),
        ),
        migrations.AddConstraint(
            model_name='actionitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'dropped'), _negated=True), models.Q(('dropped_reason', ''), _negated=True), _connector='OR'), name='a_dropped_action_has_a_reason'),
        ),
        migrations.AddConstraint(
            model_name='actionitem',
            constraint=models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('due_on__isnull', True), ('due_on__gte', models.F('starts_on')), _connector='OR'), name='an_action_is_due_after_it_starts'),
        ),
        migrations.AddConstraint(
            model_name='ideavote',
            constraint=models.UniqueConstraint(fields=('idea', 'user'), name='one_vote_per_person_per_idea'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]

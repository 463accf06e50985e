# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from toolkit.migrations import move_content_types


def _move_content_types(apps, schema_editor):
    move_content_types(apps, old_app="analysis", new_app="actions", models=('idea', 'ideavote', 'ideacomment', 'actionitem', 'actionupdate', 'digestsent'))


def _move_content_types_back(apps, schema_editor):
    move_content_types(apps, old_app="actions", new_app="analysis", models=('idea', 'ideavote', 'ideacomment', 'actionitem', 'actionupdate', 'digestsent'))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('analysis', '0005_action_due_after_start'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='ActionUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'analysis_actionupdate',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='DigestSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week_start', models.DateField()),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'analysis_digestsent',
            },
        ),
        migrations.CreateModel(
            name='Idea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('group', models.CharField(blank=True, help_text='A label to gather related ideas.', max_length=100)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'analysis_idea',
                'ordering': ['group', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='IdeaComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=1000)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'analysis_ideacomment',
                'ordering': ['created_at'],
            },
        ),
        migrations.CreateModel(
            name='IdeaVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'db_table': 'analysis_ideavote',
            },
        ),
        migrations.CreateModel(
            name='ActionItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('kind', models.CharField(choices=[('project', 'Project'), ('activity', 'Activity'), ('committee', 'Committee')], default='project', max_length=20)),
                ('starts_on', models.DateField(blank=True, null=True)),
                ('due_on', models.DateField(blank=True, null=True)),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('planned', 'Planned'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='proposed', max_length=20)),
                ('dropped_reason', models.TextField(blank=True)),
                ('measure', models.TextField(blank=True, help_text='How we will know it worked.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='owned_actions', to=settings.AUTH_USER_MODEL)),
                ('people', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'analysis_actionitem',
                'ordering': ['due_on', 'title'],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(_move_content_types, _move_content_types_back),
    ]

# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from toolkit.migrations import move_content_types


def _move_content_types(apps, schema_editor):
    move_content_types(apps, old_app="interviews", new_app="programs", models=('program', 'membership'))


def _move_content_types_back(apps, schema_editor):
    move_content_types(apps, old_app="programs", new_app="interviews", models=('program', 'membership'))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('interviews', '0008_note_erased_at_program_purged_at_and_more'),
        ('participants', '0004_roster_upload_file_removed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', 'Lead'), ('facilitator', 'Facilitator'), ('analyst', 'Analyst'), ('viewer', 'Viewer')], max_length=20)),
                ('added_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'interviews_membership',
                'ordering': ['role', 'user__username'],
            },
        ),
        migrations.CreateModel(
            name='Program',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(help_text='Short name used in addresses.', max_length=80, unique=True)),
                ('theme', models.CharField(help_text='What the interviews explore, e.g. "Belonging in 9th grade".', max_length=200)),
                ('purpose', models.TextField(blank=True, help_text='Why the school is listening, in a few sentences.')),
                ('starts_on', models.DateField()),
                ('ends_on', models.DateField()),
                ('status', models.CharField(choices=[('planning', 'Planning'), ('interviewing', 'Interviewing'), ('analysing', 'Analysing'), ('acting', 'Acting on findings'), ('closed', 'Closed')], default='planning', max_length=20)),
                ('suppression_threshold', models.PositiveSmallIntegerField(default=10, help_text='Counts of students below this are shown as “fewer than N” in findings and reports.', validators=[django.core.validators.MinValueValidator(5)])),
                ('retention_until', models.DateField(blank=True, help_text="After this date students' words, consent records and links are removed. Leave empty for the district's default time after the end date.", null=True, verbose_name='keep student data until')),
                ('purged_at', models.DateTimeField(blank=True, editable=False, help_text='When student-level data past the retention date was removed.', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('members', models.ManyToManyField(related_name='programs', through='programs.Membership', to=settings.AUTH_USER_MODEL)),
                ('schools', models.ManyToManyField(blank=True, related_name='programs', to='participants.school')),
            ],
            options={
                'db_table': 'interviews_program',
                'ordering': ['-starts_on', 'name'],
            },
        ),
        migrations.AddField(
            model_name='membership',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.program'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='program_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=models.CheckConstraint(condition=models.Q(('retention_until__isnull', True), ('retention_until__gte', models.F('ends_on')), _connector='OR'), name='program_kept_at_least_until_it_ends'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=models.CheckConstraint(condition=models.Q(('suppression_threshold__gte', 5)), name='suppression_threshold_at_least_the_minimum'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('program', 'user'), name='one_role_per_program_member'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(_move_content_types, _move_content_types_back),
    ]

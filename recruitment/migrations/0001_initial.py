# The tables did not move: only Django's idea of which app owns each model did. Every operation
# here changes the migration state and leaves the database as it is, so an existing database
# upgrades in place with every row kept.

import django.db.models.deletion
from django.db import migrations, models

from toolkit.migrations import move_content_types


def _move_content_types(apps, schema_editor):
    move_content_types(apps, old_app="interviews", new_app="recruitment", models=('invitation', 'sampleplan', 'communityshare', 'missinggroup'))


def _move_content_types_back(apps, schema_editor):
    move_content_types(apps, old_app="recruitment", new_app="interviews", models=('invitation', 'sampleplan', 'communityshare', 'missinggroup'))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('interviews', '0008_note_erased_at_program_purged_at_and_more'),
        ('participants', '0004_roster_upload_file_removed'),
        ('programs', '0001_initial'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='MissingGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.CharField(max_length=200)),
                ('covered', models.BooleanField(default=False)),
                ('note', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='missing_groups', to='programs.program')),
            ],
            options={
                'db_table': 'interviews_missinggroup',
                'ordering': ['covered', 'description'],
            },
        ),
        migrations.CreateModel(
            name='SamplePlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('size', models.PositiveIntegerField(default=40)),
                ('criteria', models.JSONField(default=list)),
                ('min_per_school', models.PositiveSmallIntegerField(default=1)),
                ('min_per_group', models.PositiveSmallIntegerField(default=2)),
                ('seed', models.PositiveIntegerField(default=1)),
                ('tolerance_points', models.FloatField(default=5.0)),
                ('use_community_shares', models.BooleanField(default=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('program', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sample_plan', to='programs.program')),
            ],
            options={
                'db_table': 'interviews_sampleplan',
            },
        ),
        migrations.CreateModel(
            name='CommunityShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('criterion', models.CharField(max_length=80)),
                ('category', models.CharField(max_length=120)),
                ('percent', models.DecimalField(decimal_places=2, max_digits=5)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='community_shares', to='programs.program')),
            ],
            options={
                'db_table': 'interviews_communityshare',
                'ordering': ['criterion', 'category'],
                'constraints': [models.UniqueConstraint(fields=('program', 'criterion', 'category'), name='one_share_per_category'), models.CheckConstraint(condition=models.Q(('percent__gte', 0), ('percent__lte', 100)), name='share_is_a_percent')],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('invited', 'Invited'), ('consented', 'Consented'), ('declined', 'Declined'), ('interviewed', 'Interviewed')], default='invited', max_length=20)),
                ('locked', models.BooleanField(default=False, help_text='Kept when the sample is re-balanced.')),
                ('parent_consent', models.CharField(choices=[('pending', 'Pending'), ('granted', 'Granted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=20)),
                ('parent_consent_on', models.DateField(blank=True, null=True)),
                ('parent_consent_method', models.CharField(blank=True, max_length=100)),
                ('student_assent', models.CharField(choices=[('pending', 'Pending'), ('granted', 'Granted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=20)),
                ('student_assent_on', models.DateField(blank=True, null=True)),
                ('student_assent_method', models.CharField(blank=True, max_length=100)),
                ('invited_at', models.DateTimeField(auto_now_add=True)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='programs.program')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='participants.student')),
            ],
            options={
                'db_table': 'interviews_invitation',
                'ordering': ['student__pseudonym'],
                'constraints': [models.UniqueConstraint(fields=('program', 'student'), name='one_invitation_per_student')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(_move_content_types, _move_content_types_back),
    ]

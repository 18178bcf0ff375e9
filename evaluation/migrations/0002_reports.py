import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.models

# On PostgreSQL a signed report is frozen in the database as well: any UPDATE or DELETE of a
# row whose signed_off_at is set is refused. (SQLite relies on the service's check.)
FREEZE_SIGNED_REPORTS = """
CREATE OR REPLACE FUNCTION evaluation_signed_report_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_off_at IS NOT NULL THEN
        RAISE EXCEPTION 'evaluation report % is signed off and cannot change', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER evaluation_signed_report_frozen
    BEFORE UPDATE OR DELETE ON evaluation_evaluationreport
    FOR EACH ROW EXECUTE FUNCTION evaluation_signed_report_frozen();
"""
UNFREEZE = """
DROP TRIGGER IF EXISTS evaluation_signed_report_frozen ON evaluation_evaluationreport;
DROP FUNCTION IF EXISTS evaluation_signed_report_frozen();
"""


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FREEZE_SIGNED_REPORTS, params=None)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNFREEZE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_measures"),
        ("accounts", "0003_notification_channels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvaluationReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly'), ('on_demand', 'On demand')], max_length=20, verbose_name='kind')),
                ('period_start', models.DateField(verbose_name='period start')),
                ('period_end', models.DateField(verbose_name='period end')),
                ('status', models.CharField(choices=[('building', 'Building'), ('ready', 'Ready'), ('failed', 'Failed')], default='building', max_length=20, verbose_name='status')),
                ('step', models.PositiveSmallIntegerField(default=0)),
                ('steps_total', models.PositiveSmallIntegerField(default=0)),
                ('step_label', models.CharField(blank=True, max_length=200)),
                ('error', models.CharField(blank=True, max_length=500)),
                ('snapshot', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('built_at', models.DateTimeField(blank=True, null=True)),
                ('signed_off_at', models.DateTimeField(blank=True, null=True, verbose_name='signed off')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluation_reports', to='accounts.program')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('signed_off_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='signed off by')),
            ],
            options={
                'ordering': ['-period_end', 'kind', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ReportComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000, verbose_name='comment')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='evaluation.evaluationreport')),
            ],
            options={
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='StakeholderInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stakeholder_invitations', to='accounts.menteeprofile')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.program')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stakeholder_invitations', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='StakeholderLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('invitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='evaluation.stakeholderinvitation')),
            ],
        ),
        migrations.CreateModel(
            name='StakeholderMeetingNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('met_on', models.DateField(validators=[accounts.models.validate_not_future], verbose_name='meeting date')),
                ('attendee_roles', models.JSONField(default=list, verbose_name='who took part')),
                ('summary', models.TextField(max_length=4000, verbose_name='what we heard')),
                ('follow_up_actions', models.TextField(blank=True, max_length=4000, verbose_name='follow-up actions')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.program')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-met_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='StakeholderResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('progress', models.PositiveSmallIntegerField(choices=[(1, 'Much worse'), (2, 'A little worse'), (3, 'About the same'), (4, 'A little better'), (5, 'Much better')], validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='Since the mentoring began, how is the mentee doing?')),
                ('working_together', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='How well does the program work with you (1 poor – 5 very well)?')),
                ('kept_informed', models.BooleanField(default=False, verbose_name='The program keeps me informed')),
                ('wants_contact', models.BooleanField(default=False, verbose_name='I would like a coordinator to contact me')),
                ('comment', models.TextField(blank=True, max_length=2000, verbose_name='Anything the program should know?')),
                ('via_link', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField(auto_now_add=True)),
                ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('invitation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='response', to='evaluation.stakeholderinvitation')),
            ],
            options={
                'ordering': ['-submitted_at'],
            },
        ),
        migrations.AddIndex(
            model_name='evaluationreport',
            index=models.Index(fields=['program', 'status', 'period_end'], name='evaluation__program_47fbd7_idx'),
        ),
        migrations.AddConstraint(
            model_name='evaluationreport',
            constraint=models.UniqueConstraint(fields=('program', 'kind', 'period_start', 'period_end'), name='one_report_per_program_kind_period'),
        ),
        migrations.AddConstraint(
            model_name='evaluationreport',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='report_period_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='evaluationreport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_off_at__isnull', True), ('signed_off_by__isnull', True)), models.Q(('signed_off_at__isnull', False), ('signed_off_by__isnull', False), ('status', 'ready')), _connector='OR'), name='signed_report_is_ready_and_names_signer'),
        ),
        migrations.AddConstraint(
            model_name='stakeholderinvitation',
            constraint=models.UniqueConstraint(fields=('mentee', 'recipient', 'period'), name='one_stakeholder_invite_per_period'),
        ),
        migrations.AddIndex(
            model_name='stakeholdermeetingnote',
            index=models.Index(fields=['program', 'met_on'], name='evaluation__program_28fbac_idx'),
        ),
        migrations.AddConstraint(
            model_name='stakeholderresponse',
            constraint=models.CheckConstraint(condition=models.Q(('progress__gte', 1), ('progress__lte', 5), ('working_together__gte', 1), ('working_together__lte', 5)), name='stakeholder_ratings_1_to_5'),
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]

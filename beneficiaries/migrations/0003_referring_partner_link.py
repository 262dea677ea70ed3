"""The referring partner, typed as text until now, becomes a link to the partner directory."""

import django.db.models.deletion
from django.db import migrations, models

from partners.migrations._links import fire_deferred_checks, link_text_to_partners

HELP = "Who oriented the person here: CHRS, ADOMA, Restos du Cœur, France Travail…"


def forwards(apps, schema_editor):
    link_text_to_partners(
        apps,
        app_label="beneficiaries",
        model_name="Beneficiary",
        text_field="referring_partner",
        link_field="referring_partner_link",
        organisation_path="organisation_id",
        role="orients_people",
    )
    fire_deferred_checks(schema_editor)


def backwards(apps, schema_editor):
    for name in ("Beneficiary", "HistoricalBeneficiary"):
        model = apps.get_model("beneficiaries", name)
        for row in model.objects.exclude(referring_partner_link=None).select_related("referring_partner_link"):
            model.objects.filter(pk=row.pk).update(referring_partner=row.referring_partner_link.name)
    fire_deferred_checks(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0002_history_and_anonymisation"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="referring_partner_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referred_beneficiaries",
                to="partners.partner",
                verbose_name="referring partner",
                help_text=HELP,
            ),
        ),
        migrations.AddField(
            model_name="historicalbeneficiary",
            name="referring_partner_link",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="partners.partner",
                verbose_name="referring partner",
                help_text=HELP,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="beneficiary", name="referring_partner"),
        migrations.RemoveField(model_name="historicalbeneficiary", name="referring_partner"),
        migrations.RenameField(
            model_name="beneficiary", old_name="referring_partner_link", new_name="referring_partner"
        ),
        migrations.RenameField(
            model_name="historicalbeneficiary", old_name="referring_partner_link", new_name="referring_partner"
        ),
    ]

"""A workshop's co-leading partner, typed as text until now, becomes a link to the partner directory."""

import django.db.models.deletion
from django.db import migrations, models

from partners.migrations._links import fire_deferred_checks, link_text_to_partners


def forwards(apps, schema_editor):
    link_text_to_partners(
        apps,
        app_label="gardens",
        model_name="Workshop",
        text_field="co_leading_partner",
        link_field="co_leading_partner_link",
        organisation_path="organisation_id",
        role="co_leads_workshops",
    )
    fire_deferred_checks(schema_editor)


def backwards(apps, schema_editor):
    Workshop = apps.get_model("gardens", "Workshop")
    for row in Workshop.objects.exclude(co_leading_partner_link=None).select_related("co_leading_partner_link"):
        Workshop.objects.filter(pk=row.pk).update(co_leading_partner=row.co_leading_partner_link.name)
    fire_deferred_checks(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("gardens", "0003_history"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="co_leading_partner_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="co_led_workshops",
                to="partners.partner",
                verbose_name="co-leading partner",
                help_text="CPAM, Institut Pasteur…",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="workshop", name="co_leading_partner"),
        migrations.RenameField(model_name="workshop", old_name="co_leading_partner_link", new_name="co_leading_partner"),
    ]

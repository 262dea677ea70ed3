from django.db import migrations


def install_defaults(apps, schema_editor):
    """Organisations created before the gardens app get its default catalogue, skills grid and timetable."""
    from gardens.defaults import SKILLS, TIMETABLE, VARIETIES

    Organisation = apps.get_model("insertion", "Organisation")
    Variety = apps.get_model("gardens", "Variety")
    SkillCriterion = apps.get_model("gardens", "SkillCriterion")
    TimetableSlot = apps.get_model("gardens", "TimetableSlot")
    for organisation in Organisation.objects.all():
        if not Variety.objects.filter(organisation=organisation).exists():
            Variety.objects.bulk_create(
                Variety(organisation=organisation, code=code, species=species, label=label, family=family,
                        is_heritage=heritage, position=position)
                for position, (code, species, label, family, heritage) in enumerate(VARIETIES, start=1)
            )
        if not SkillCriterion.objects.filter(organisation=organisation).exists():
            SkillCriterion.objects.bulk_create(
                SkillCriterion(organisation=organisation, code=code, label=label, position=position)
                for position, (code, label) in enumerate(SKILLS, start=1)
            )
        if not TimetableSlot.objects.filter(organisation=organisation).exists():
            TimetableSlot.objects.bulk_create(
                TimetableSlot(organisation=organisation, weekday=weekday, start_time=start, end_time=end)
                for weekday, start, end in TIMETABLE
            )


class Migration(migrations.Migration):
    dependencies = [("gardens", "0001_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]

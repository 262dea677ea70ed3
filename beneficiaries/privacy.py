"""Data-subject rights and retention: what is held about one person, its history, and its anonymisation.

Everything here walks insertion.inventory.models_about_people() and the models' relations rather than naming the
models, so that a model about people added later is exported, shown in the history and anonymised without anyone
remembering to (tests/beneficiaries/test_rights.py checks it on a fully populated file).

Retention (CNIL référentiel 2023-095, social accompaniment): a file without any contact for two years is
anonymised; what stays serves the reports only (year of birth, sex, neighbourhood, education level, dates, hours
and outcomes).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import DateField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from insertion import inventory
from insertion.inventory import Category

ANONYMOUS_NAME = "Anonymisé"
RETENTION_DAYS = 730  # two years without contact (CNIL référentiel 2023-095)
NOTICE_DAYS = 30  # announced this long before on the referent's dashboard
NO_CONTACT = datetime.date(1900, 1, 1)
KEEP = object()  # a field the anonymisation leaves as it is

# Categories wiped whole at anonymisation, even a number or an optional date (dependent children…).
WIPED_CATEGORIES = {Category.NAME, Category.CONTACT, Category.SOCIAL_SITUATION, Category.REFERRAL, Category.STAFF}


def person_model():
    return apps.get_model(inventory.PERSON_MODEL)


def ordered_models_about_people():
    """The person first, then the models about people from the closest to the farthest."""
    return sorted(inventory.models_about_people(), key=lambda model: (depth(model), model._meta.label))


def parent_link(model):
    """The foreign key by which a model about people hangs off the person, directly or through another model."""
    person = person_model()
    about = inventory.models_about_people()
    links = [field for field in model._meta.fields if field.many_to_one and field.related_model in about]
    direct = [field for field in links if field.related_model is person]
    return (direct or links)[0]


def depth(model):
    return 0 if model is person_model() else 1 + depth(parent_link(model).related_model)


def rows_of(model, person_pk):
    """The rows of `model` about the person (a queryset)."""
    if model is person_model():
        return model._default_manager.filter(pk=person_pk)
    link = parent_link(model)
    return model._default_manager.filter(**{f"{link.name}__in": rows_of(link.related_model, person_pk).values("pk")})


def history_rows_of(model, person_pk):
    """The history rows of `model` about the person, including those of records deleted since."""
    history = model.history.model
    if model is person_model():
        return history.objects.filter(id=person_pk)
    link = parent_link(model)
    parents = history_rows_of(link.related_model, person_pk).values("id")
    return history.objects.filter(**{f"{link.attname}__in": parents})


def _display_related(model):
    """select_related for the foreign keys a row's values show, and theirs (a workshop shows its kind and site)."""
    names = []
    for field in model._meta.fields:
        if field.many_to_one:
            names.append(field.name)
            names += [f"{field.name}__{sub.name}" for sub in field.related_model._meta.fields if sub.many_to_one]
    return names


def display_value(instance, field):
    if field.many_to_one:
        related = getattr(instance, field.name)
        return str(related) if related is not None else None
    value = getattr(instance, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def subject_data(beneficiary):
    """Everything held about the person, as nested dicts: each record with its fields and its related records.

    One query per model whatever the size of the file: each level is loaded for all its parents at once.
    """
    by_model = {}
    for model in ordered_models_about_people():
        queryset = rows_of(model, beneficiary.pk).select_related(*_display_related(model)).order_by("pk")
        m2m = [field.name for field in model._meta.many_to_many]
        by_model[model] = list(queryset.prefetch_related(*m2m))
    nodes = {}
    root = None
    for model, instances in by_model.items():
        for instance in instances:
            node = {"model": model._meta.label, "title": str(model._meta.verbose_name), "id": instance.pk}
            node["fields"] = [
                {"name": field.name, "label": str(field.verbose_name), "value": display_value(instance, field)}
                for field in model._meta.fields
                if not (field.many_to_one and field.related_model in by_model)
            ] + [
                {
                    "name": field.name,
                    "label": str(field.verbose_name),
                    "value": [str(item) for item in getattr(instance, field.name).all()],
                }
                for field in model._meta.many_to_many
            ]
            node["related"] = []
            nodes[(model, instance.pk)] = node
            if model is person_model():
                root = node
            else:
                link = parent_link(model)
                nodes[(link.related_model, getattr(instance, link.attname))]["related"].append(node)
    return root


def models_in(node):
    found = {node["model"]}
    for child in node["related"]:
        found |= models_in(child)
    return found


def history_entries(beneficiary, membership):
    """Who changed what and when, for the person and every related record, the newest first.

    Old and new values only for the fields the viewer may read (insertion.inventory.may_read); the field's name
    otherwise. One query per model: versions are compared in memory.
    """
    entries = []
    for model in ordered_models_about_people():
        label = model._meta.label
        fields = [field for field in model._meta.fields if field.name in inventory.INVENTORY[label]]
        fields = [field for field in fields if inventory.category_of(label, field.name) is not inventory.NOT_PERSONAL]
        rows = list(
            history_rows_of(model, beneficiary.pk)
            .select_related("history_user", *[f.name for f in fields if f.many_to_one])
            .order_by("id", "history_date", "history_id")
        )
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            changes = []
            for field in fields:
                new = getattr(row, field.attname)
                old = getattr(before, field.attname) if before is not None else None
                if row.history_type == "-" or (before is not None and old == new) or (before is None and not new):
                    continue
                readable = inventory.may_read(membership, label, field.name)
                changes.append(
                    {
                        "label": field.verbose_name,
                        "readable": readable,
                        "old": display_value(before, field) if readable and before is not None else None,
                        "new": display_value(row, field) if readable else None,
                    }
                )
            previous[row.id] = row
            entries.append(
                {
                    "model": model._meta.verbose_name,
                    "record_id": row.id,
                    "date": row.history_date,
                    "user": row.history_user,
                    "kind": row.get_history_type_display(),
                    "changes": changes,
                }
            )
    entries.sort(key=lambda entry: entry["date"], reverse=True)
    return entries


# Retention


def with_last_contact(queryset):
    """Annotates `last_contact`: the latest interview, presence at a workshop, action, referral, entry or exit.

    An enrolment left open counts by its entry date only: a file with an enrolment open for two years without any
    interview, presence or action is a forgotten file, and is anonymised like the others. Without any of these,
    the file's creation counts.
    """
    from beneficiaries.models import Action, Enrolment, Interview
    from gardens.enums import AttendanceStatus
    from gardens.models import Attendance
    from partners.models import Referral

    def latest(rows, field):
        return Coalesce(Subquery(rows.order_by(f"-{field}").values(field)[:1]), Value(NO_CONTACT))

    person = OuterRef("pk")
    dates = [
        latest(Interview.objects.filter(beneficiary=person), "date"),
        latest(Attendance.objects.filter(beneficiary=person, status=AttendanceStatus.PRESENT), "workshop__date"),
        latest(Action.objects.filter(objective__beneficiary=person), "date"),
        latest(Referral.objects.filter(beneficiary=person), "date"),
        latest(Enrolment.objects.filter(beneficiary=person), "entry_date"),
        latest(Enrolment.objects.filter(beneficiary=person, exit_date__isnull=False), "exit_date"),
        TruncDate("created_at"),
    ]
    return queryset.annotate(last_contact=Greatest(*dates, output_field=DateField()))


def due_for_anonymisation(queryset, today=None):
    """Files not yet anonymised whose last contact is 730 days ago or more."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=RETENTION_DAYS)
    return with_last_contact(queryset.filter(anonymised_at__isnull=True)).filter(last_contact__lte=cutoff)


def due_soon(queryset, today=None):
    """Files to be anonymised within the next 30 days (announced on the referent's dashboard)."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=RETENTION_DAYS)
    end = start + datetime.timedelta(days=NOTICE_DAYS)
    return with_last_contact(queryset.filter(anonymised_at__isnull=True)).filter(
        last_contact__gt=start, last_contact__lte=end
    )


def anonymised_values(model, field):
    """What a personal field becomes, or `KEEP`: free text is emptied everywhere, staff and contact wiped whole,
    dates, numbers and codes (hours, levels, outcomes) kept for the reports."""
    label = model._meta.label
    category = inventory.INVENTORY[label].get(field.name)
    if category is inventory.NOT_PERSONAL or field.primary_key:
        return KEEP
    if category == Category.NAME:
        return ANONYMOUS_NAME
    is_text = isinstance(field, (models.CharField, models.TextField)) and not field.choices
    if is_text:
        return ""
    if category in WIPED_CATEGORIES:
        if isinstance(field, (models.CharField, models.TextField)):
            return ""
        if field.null:
            return None
    if field.many_to_one and field.related_model._meta.label == settings.AUTH_USER_MODEL:
        return None
    return KEEP


@transaction.atomic
def beneficiary_anonymise(beneficiary, *, now=None):
    """Anonymise a file: identity, contact, social situation, texts and staff removed, history rows deleted.

    Written with update(), so that the anonymisation writes no new history row holding the old values.
    Idempotent: an anonymised file keeps its first anonymisation date.
    """
    now = now or timezone.now()
    person = person_model()
    history = [
        (model, list(history_rows_of(model, beneficiary.pk).values_list("history_id", flat=True)))
        for model in ordered_models_about_people()
    ]
    for model in ordered_models_about_people():
        changes = {}
        for field in model._meta.fields:
            value = anonymised_values(model, field)
            if value is not KEEP:
                changes[field.attname if field.many_to_one else field.name] = value
        rows = rows_of(model, beneficiary.pk)
        if model is person:
            changes["birth_date"] = datetime.date(beneficiary.birth_date.year, 1, 1)
            changes["anonymised_at"] = beneficiary.anonymised_at or now
        if changes:
            rows.update(**changes)
        for field in model._meta.many_to_many:
            if inventory.INVENTORY[model._meta.label].get(field.name) is not inventory.NOT_PERSONAL:
                field.remote_field.through.objects.filter(**{f"{field.m2m_field_name()}__in": rows}).delete()
    for model, history_ids in history:
        history_model = model.history.model
        for field in model._meta.many_to_many:
            m2m_history = getattr(history_model, field.name, None)
            if m2m_history is not None:
                m2m_history.model.objects.filter(history_id__in=history_ids).delete()
        history_model.objects.filter(history_id__in=history_ids).delete()
    beneficiary.refresh_from_db()
    return beneficiary

"""The data inventory: every field that holds personal data, its category, and the roles that may read it.

This is the one place that says who may read what. Views, exports, the livret and the tests read it, and a test
fails when a model of ours has a field that is declared neither here nor as not personal, so that a new field
cannot leak silently. `python manage.py data_inventory` prints it for the data-protection officer
(the processing register).
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from insertion.enums import Role

SW, TR, CO = Role.SOCIAL_WORKER, Role.TRAINER, Role.COORDINATOR


class Category(models.TextChoices):
    NAME = "name", _("Name")
    IDENTITY = "identity", _("Identity (sex, date of birth)")
    CONTACT = "contact", _("Contact details")
    LOCATION = "location", _("Neighbourhood")
    EDUCATION = "education", _("Education level")
    SOCIAL_SITUATION = "social_situation", _("Social and family situation")
    REFERRAL = "referral", _("Referral")
    ENROLMENT = "enrolment", _("Enrolment")
    OUTCOME = "outcome", _("Exit outcome")
    ASSESSMENT = "assessment", _("Assessment (including health)")
    INTERVIEW_SUMMARY = "interview_summary", _("Interview summary")
    CONFIDENTIAL_NOTE = "confidential_note", _("Confidential note")
    PATHWAY_PLAN = "pathway_plan", _("Pathway plan")
    STAFF = "staff", _("Staff in charge")
    ATTENDANCE = "attendance", _("Attendance and hours")
    SKILLS = "skills", _("Work skills")


READERS = {
    Category.NAME: {SW, TR, CO},
    Category.IDENTITY: {SW, CO},
    Category.CONTACT: {SW},
    Category.LOCATION: {SW, CO},
    Category.EDUCATION: {SW, CO},
    Category.SOCIAL_SITUATION: {SW},
    Category.REFERRAL: {SW, CO},
    Category.ENROLMENT: {SW, TR, CO},
    Category.OUTCOME: {SW, CO},
    Category.ASSESSMENT: {SW},
    Category.INTERVIEW_SUMMARY: {SW, CO},
    Category.CONFIDENTIAL_NOTE: {SW},
    Category.PATHWAY_PLAN: {SW},
    Category.STAFF: {SW, CO},
    Category.ATTENDANCE: {SW, TR, CO},
    Category.SKILLS: {SW, TR},
}

# Categories whose values never leave the social workers: the privacy tests look for them in every page.
RESTRICTED_TO_SOCIAL_WORKERS = {category for category, roles in READERS.items() if roles == {SW}}

NOT_PERSONAL = None  # a field that identifies or dates a record but says nothing about the person

INVENTORY = {
    "beneficiaries.Beneficiary": {
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "first_name": Category.NAME,
        "last_name": Category.NAME,
        "sex": Category.IDENTITY,
        "birth_date": Category.IDENTITY,
        "phone": Category.CONTACT,
        "email": Category.CONTACT,
        "address": Category.CONTACT,
        "postcode": Category.CONTACT,
        "city": Category.CONTACT,
        "neighbourhood": Category.LOCATION,
        "education_level": Category.EDUCATION,
        "social_situations": Category.SOCIAL_SITUATION,
        "household": Category.SOCIAL_SITUATION,
        "dependent_children": Category.SOCIAL_SITUATION,
        "referring_partner": Category.REFERRAL,
        "referent": Category.STAFF,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "anonymised_at": NOT_PERSONAL,
    },
    "beneficiaries.Enrolment": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "programme": Category.ENROLMENT,
        "entry_date": Category.ENROLMENT,
        "exit_date": Category.ENROLMENT,
        "exit_outcome": Category.OUTCOME,
        "exit_comment": Category.CONFIDENTIAL_NOTE,
    },
    "beneficiaries.Assessment": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "date": Category.ASSESSMENT,
        "kind": Category.ASSESSMENT,
        "author": Category.STAFF,
        "autonomy": Category.ASSESSMENT,
        "security": Category.ASSESSMENT,
        "comment": Category.ASSESSMENT,
        "created_at": NOT_PERSONAL,
    },
    "beneficiaries.AssessmentItem": {
        "id": NOT_PERSONAL,
        "assessment": NOT_PERSONAL,
        "domain": Category.ASSESSMENT,
        "situation": Category.ASSESSMENT,
        "obstacles": Category.ASSESSMENT,
        "level": Category.ASSESSMENT,
    },
    "beneficiaries.Interview": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "date": Category.INTERVIEW_SUMMARY,
        "author": Category.STAFF,
        "kind": Category.INTERVIEW_SUMMARY,
        "summary": Category.INTERVIEW_SUMMARY,
        "confidential_note": Category.CONFIDENTIAL_NOTE,
        "next_appointment": Category.INTERVIEW_SUMMARY,
        "created_at": NOT_PERSONAL,
    },
    "beneficiaries.Objective": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "domain": Category.PATHWAY_PLAN,
        "title": Category.PATHWAY_PLAN,
        "achieved_on": Category.PATHWAY_PLAN,
        "created_at": NOT_PERSONAL,
    },
    "beneficiaries.Action": {
        "id": NOT_PERSONAL,
        "objective": NOT_PERSONAL,
        "title": Category.PATHWAY_PLAN,
        "date": Category.PATHWAY_PLAN,
        "status": Category.PATHWAY_PLAN,
        "partner": Category.PATHWAY_PLAN,
        "relaunch": Category.PATHWAY_PLAN,
        "contract_type": Category.PATHWAY_PLAN,
        "created_at": NOT_PERSONAL,
    },
    "gardens.Attendance": {
        "id": NOT_PERSONAL,
        "workshop": Category.ATTENDANCE,
        "beneficiary": NOT_PERSONAL,
        "status": Category.ATTENDANCE,
        "hours": Category.ATTENDANCE,
    },
    "gardens.SkillEvaluation": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "date": Category.SKILLS,
        "evaluator": Category.STAFF,
        "comment": Category.SKILLS,
        "created_at": NOT_PERSONAL,
    },
    "partners.Referral": {
        "id": NOT_PERSONAL,
        "beneficiary": NOT_PERSONAL,
        "partner": Category.REFERRAL,
        "date": Category.REFERRAL,
        "reason": Category.CONFIDENTIAL_NOTE,
        "result": Category.REFERRAL,
        "result_date": Category.REFERRAL,
        "result_notes": Category.CONFIDENTIAL_NOTE,
        "author": Category.STAFF,
        "created_at": NOT_PERSONAL,
    },
    "gardens.SkillRating": {
        "id": NOT_PERSONAL,
        "evaluation": NOT_PERSONAL,
        "criterion": Category.SKILLS,
        "level": Category.SKILLS,
    },
}

PROJECT_APPS = ["insertion", "beneficiaries", "gardens", "partners", "reporting"]
PERSON_MODEL = "beneficiaries.Beneficiary"


def category_of(model_label, field_name):
    return INVENTORY[model_label][field_name]


def may_read(membership, model_label, field_name):
    """Whether the holder of `membership` may read this field; fields not about the person are readable."""
    category = category_of(model_label, field_name)
    if category is NOT_PERSONAL:
        return True
    return membership is not None and membership.has_role(*READERS[category])


def readable_fields(membership, model_label):
    return [name for name in INVENTORY[model_label] if may_read(membership, model_label, name)]


def can_read_category(membership, category):
    return membership is not None and membership.has_role(*READERS[category])


def visible_categories(membership):
    """A dict `{category value: bool}` for the templates, which only display what the view allows."""
    return {category.value: can_read_category(membership, category) for category in Category}


def rows():
    """(app.Model, field, category, roles) for each declared personal field, in a stable order."""
    for model_label, fields in INVENTORY.items():
        model = apps.get_model(model_label)
        for field_name, category in fields.items():
            if category is NOT_PERSONAL:
                continue
            field = model._meta.get_field(field_name)
            roles = [role for role in Role if role in READERS[category]]
            yield model_label, field.name, category, roles


def is_history_model(model):
    """A table of django-simple-history (a record's versions, or those of its many-to-many links)."""
    return hasattr(model, "instance_type")


def models_about_people():
    """The person's model and every model that points at it, directly or through another such model."""
    about = {apps.get_model(PERSON_MODEL)}
    # The history tables (django-simple-history) copy these models: they are the models' audit trail, not models
    # of their own, and go wherever their model goes (retention, erasure).
    candidates = [
        model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models() if not is_history_model(model)
    ]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in about:
                continue
            if any(
                field.is_relation and field.concrete and field.related_model in about for field in model._meta.fields
            ):
                about.add(model)
                changed = True
    return about


def undeclared_fields():
    """Fields of models about people that the inventory does not declare: each one is a defect."""
    missing = []
    for model in sorted(models_about_people(), key=lambda m: m._meta.label):
        declared = INVENTORY.get(model._meta.label, {})
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations are declared on the model that holds them
            if field.name not in declared:
                missing.append(f"{model._meta.label}.{field.name}")
    return missing

"""Turn the plain-text partner names typed before the directory existed into links to partners.

Used by beneficiaries 0003 and gardens 0004. Each distinct name (spaces collapsed, case ignored) of an
organisation becomes one partner of the directory, with the role the text played; history rows get the same link.
"""


def _key(text):
    return " ".join(text.split()).casefold()


def fire_deferred_checks(schema_editor):
    """PostgreSQL defers foreign-key checks to the end of the transaction; the schema changes that follow the
    data changes in the same migration would then fail ("pending trigger events"): run the checks now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def link_text_to_partners(apps, *, app_label, model_name, text_field, link_field, organisation_path, role):
    Partner = apps.get_model("partners", "Partner")
    model = apps.get_model(app_label, model_name)
    try:
        targets = [model, apps.get_model(app_label, f"Historical{model_name}")]
    except LookupError:  # a model without history
        targets = [model]
    partners = {}  # (organisation id, key) → partner id

    def partner_for(organisation_id, text):
        name = " ".join(text.split())[:200]
        key = (organisation_id, _key(name))
        if key not in partners:
            partner = Partner.objects.filter(organisation_id=organisation_id, name__iexact=name).first()
            if partner is None:
                partner = Partner.objects.create(organisation_id=organisation_id, name=name, kind="other")
            if not getattr(partner, role):
                setattr(partner, role, True)
                partner.save(update_fields=[role])
            partners[key] = partner.pk
        return partners[key]

    for target in targets:
        rows = target.objects.exclude(**{text_field: ""}).values_list("pk", organisation_path, text_field)
        for pk, organisation_id, text in rows.iterator():
            if organisation_id is None or not text.strip():
                continue
            target.objects.filter(pk=pk).update(**{link_field: partner_for(organisation_id, text)})

"""Gardens, workshops and harvests: the workshops held, the solidarity tables, health prevention, the hours of
presence, the varieties grown and the kilograms harvested."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Lower, Trim
from django.utils.translation import gettext_lazy as _

from insertion.models import WorkshopKind
from reporting.definitions.common import by_variety, listed, merged, two_places
from reporting.indicators import Section, indicator, number, table

SOLIDARITY_TABLE = "solidarity-table"  # workshop kind codes (insertion/defaults.py)
HEALTH = "health"
NOT_KNOWN = _("Not known")
WORKSHOP_SOURCE = _("Workshops recorded by the technical trainers (date, kind, site or neighbourhood, theme, menu).")
PRESENCE_SOURCE = _("The workshops' registers: each person present and the hours done (the signed attendance sheet).")
HARVEST_SOURCE = _("Harvests recorded by the technical trainers: variety, site, date, weight (kg, or its equivalent).")


def _tables(scope):
    return scope.workshops().filter(kind__code=SOLIDARITY_TABLE)


@indicator(
    "workshops_by_kind",
    label=_("Workshops held, by kind"),
    description=_(
        "The workshops held in the period (market gardening, biodiversity, health, cooking and solidarity table, "
        "beekeeping…), by kind, in the order of the organisation's list of kinds. For a site, its workshops; for "
        "a programme, its workshops and those open to every programme."
    ),
    formula=_("count of workshops dated in the period per kind; share = count ÷ workshops held"),
    source=WORKSHOP_SOURCE,
    section=Section.GARDENS,
    unit="workshops",
    table=True,
)
def workshops_by_kind(scope):
    kinds = WorkshopKind.objects.filter(organisation__in=scope.organisation_ids)
    rows, _unknown, _figures = listed(scope, kinds, scope.workshops(), "kind", Count("pk"))
    return table(rows)


@indicator(
    "solidarity_tables",
    label=_("Solidarity tables held"),
    description=_(
        "The solidarity tables held in the period: the workshops of the kind “Cooking and solidarity table”, on "
        "a site or in a neighbourhood (shared meals cooked with the gardens' vegetables)."
    ),
    formula=_("count of workshops of the kind solidarity-table dated in the period"),
    source=WORKSHOP_SOURCE,
    section=Section.GARDENS,
    unit="workshops",
)
def solidarity_tables(scope):
    return number(_tables(scope).count())


@indicator(
    "solidarity_tables_by_neighbourhood",
    label=_("Solidarity tables, by neighbourhood"),
    description=_(
        "The solidarity tables held in the period by the neighbourhood where they took place: the neighbourhood "
        "recorded on the workshop (a table held in town), or else the neighbourhood of its site. Only the "
        "neighbourhoods with a table appear, in the order of the organisation's list; “Not known” when neither "
        "the workshop nor its site has a neighbourhood."
    ),
    formula=_(
        "count of solidarity tables dated in the period per neighbourhood (the workshop's, else its site's); "
        "share = count ÷ solidarity tables"
    ),
    source=WORKSHOP_SOURCE,
    section=Section.GARDENS,
    unit="workshops",
    table=True,
)
def solidarity_tables_by_neighbourhood(scope):
    places = (
        _tables(scope)
        .annotate(
            place_code=Coalesce("neighbourhood__code", "site__neighbourhood__code"),
            place_label=Coalesce("neighbourhood__label", "site__neighbourhood__label"),
            place_position=Coalesce("neighbourhood__position", "site__neighbourhood__position"),
        )
        .values("place_code", "place_label", "place_position")
        .annotate(tables=Count("pk"))
        .order_by()
    )
    known = sorted(
        (row for row in places if row["place_code"] is not None),
        key=lambda row: (row["place_position"], row["place_label"]),
    )
    rows = merged((row["place_code"], row["place_label"], row["tables"]) for row in known)
    unknown = sum(row["tables"] for row in places if row["place_code"] is None)
    if unknown:
        rows.append(("", NOT_KNOWN, unknown))
    return table(rows)


@indicator(
    "solidarity_table_menus",
    label=_("Diversity of the solidarity tables' menus"),
    description=_(
        "How varied the solidarity tables' menus were: the number of different menus served in the period "
        "(menus compared without regard to capitals or surrounding spaces). The base is the number of tables "
        "whose menu is recorded."
    ),
    formula=_("count of distinct menus of the solidarity tables dated in the period; base = tables with a menu"),
    source=WORKSHOP_SOURCE,
    section=Section.GARDENS,
    unit="count",
)
def solidarity_table_menus(scope):
    with_menu = ~Q(menu_text="")
    figures = (
        _tables(scope)
        .annotate(menu_text=Lower(Trim("menu")))
        .aggregate(menus=Count("menu_text", distinct=True, filter=with_menu), tables=Count("pk", filter=with_menu))
    )
    result = number(figures["menus"])
    result.base = figures["tables"]
    return result


@indicator(
    "health_workshops_by_theme",
    label=_("Health-prevention workshops, by theme"),
    description=_(
        "The health-prevention workshops held in the period (the kind “Health promotion and education”: with the "
        "CPAM, the Département's prevention service, the Institut Pasteur…) by their theme as recorded, the most "
        "frequent first; “Not known” for a workshop without a theme. The total is the number of health "
        "workshops."
    ),
    formula=_("count of workshops of the kind health dated in the period per theme; share = count ÷ health workshops"),
    source=WORKSHOP_SOURCE,
    section=Section.GARDENS,
    unit="workshops",
    table=True,
)
def health_workshops_by_theme(scope):
    themes = (
        scope.workshops()
        .filter(kind__code=HEALTH)
        .annotate(theme_text=Trim("theme"))
        .values("theme_text")
        .annotate(workshops=Count("pk"))
        .order_by()
    )
    found = sorted((row["workshops"], row["theme_text"]) for row in themes)
    rows = [(theme, theme, count) for count, theme in sorted(found, key=lambda item: (-item[0], item[1])) if theme]
    unknown = sum(count for count, theme in found if not theme)
    if unknown:
        rows.append(("", NOT_KNOWN, unknown))
    return table(rows)


@indicator(
    "health_workshop_participants",
    label=_("People present at a health-prevention workshop"),
    description=_(
        "The people reached who were present at least once at a health-prevention workshop in the period "
        "(such as the awareness meeting held before the health checks), and their share of the people reached "
        "(the base)."
    ),
    formula=_("count of distinct people reached present at a workshop of the kind health dated in the period"),
    source=PRESENCE_SOURCE,
    section=Section.GARDENS,
    unit="people",
)
def health_workshop_participants(scope):
    # The people present at a health workshop, read once (IN), rather than looked up for each person (EXISTS).
    present = scope.presences().filter(workshop__kind__code=HEALTH).values("beneficiary")
    figures = scope.people().aggregate(reached=Count("pk"), present=Count("pk", filter=Q(pk__in=present)))
    result = number(figures["present"])
    result.base = figures["reached"]
    return result


@indicator(
    "presence_hours",
    label=_("Hours of presence"),
    description=_(
        "The hours the people reached were present at the workshops of the period, added up from the registers "
        "(2 hours a workshop, less for a late arrival)."
    ),
    formula=_("sum of the hours of the presences at workshops dated in the period"),
    source=PRESENCE_SOURCE,
    section=Section.GARDENS,
    unit="hours",
)
def presence_hours(scope):
    return number(two_places(scope.presences_of_people().aggregate(hours=Sum("hours"))["hours"]))


@indicator(
    "presence_hours_per_beneficiary",
    label=_("Hours of presence per person"),
    description=_(
        "The average hours of presence of the people present at least once in the period (the base), so that "
        "the people who never came do not lower it."
    ),
    formula=_("hours of presence ÷ count of distinct people present at least once in the period"),
    source=PRESENCE_SOURCE,
    section=Section.GARDENS,
    unit="hours",
)
def presence_hours_per_beneficiary(scope):
    # Grouped by person first: one pass that hashes, where COUNT(DISTINCT) would sort every presence.
    per_person = scope.presences_of_people().values("beneficiary").annotate(person_hours=Sum("hours")).order_by()
    figures = per_person.aggregate(hours=Sum("person_hours"), people=Count("beneficiary"))
    people = figures["people"]
    average = (two_places(figures["hours"]) / people).quantize(Decimal("0.1")) if people else Decimal("0.0")
    result = number(average)
    result.base = people
    return result


@indicator(
    "presence_hours_by_site",
    label=_("Hours of presence, by site"),
    description=_(
        "The hours of presence of the period by the site of the workshop; the workshops held in town (a "
        "solidarity table in a neighbourhood) come last, under “Away from the sites”."
    ),
    formula=_("sum of the hours of the presences per site of the workshop; share = hours ÷ hours of presence"),
    source=PRESENCE_SOURCE,
    section=Section.GARDENS,
    unit="hours",
    table=True,
)
def presence_hours_by_site(scope):
    prefix = "workshop__site"
    sites = scope.presences_of_people().values(*_site_fields(scope, prefix)).annotate(total=Sum("hours")).order_by()
    return table(_by_site(scope, sites, prefix, off_site=_("Away from the sites")))


@indicator(
    "varieties_grown",
    label=_("Vegetable varieties grown"),
    description=_(
        "The number of different vegetable varieties harvested in the period (a variety harvested on two sites "
        "counts once)."
    ),
    formula=_("count of distinct varieties with a harvest dated in the period"),
    source=HARVEST_SOURCE,
    section=Section.GARDENS,
    unit="count",
)
def varieties_grown(scope):
    return number(scope.harvests().aggregate(varieties=Count("variety__code", distinct=True))["varieties"])


@indicator(
    "harvest_by_variety",
    label=_("Harvest by variety (kg)"),
    description=_(
        "The kilograms harvested in the period by variety (bunches and pieces by their weight equivalent), in "
        "the catalogue's order."
    ),
    formula=_("sum of the weights of the harvests dated in the period per variety; share = kg ÷ kg harvested"),
    source=HARVEST_SOURCE,
    section=Section.GARDENS,
    unit="kg",
    table=True,
)
def harvest_by_variety(scope):
    return table(by_variety(scope.harvests()))


@indicator(
    "harvest_by_site",
    label=_("Harvest by site (kg)"),
    description=_("The kilograms harvested in the period by site."),
    formula=_("sum of the weights of the harvests dated in the period per site; share = kg ÷ kg harvested"),
    source=HARVEST_SOURCE,
    section=Section.GARDENS,
    unit="kg",
    table=True,
)
def harvest_by_site(scope):
    sites = scope.harvests().values(*_site_fields(scope, "site")).annotate(total=Sum("weight_kg")).order_by()
    return table(_by_site(scope, sites, "site"))


def _site_fields(scope, prefix):
    """What to group by for a row per site: the site and its name (and its organisation's, in a network)."""
    fields = [prefix, f"{prefix}__name"]
    return fields + [f"{prefix}__organisation__name"] if scope.is_network else fields


def _by_site(scope, found, prefix, off_site=None):
    """[(site pk, name, total)] by name, with a network's sites named with their organisation (two organisations
    may name a site alike); no site (a workshop held in town) comes last under `off_site`."""
    rows, away = [], Decimal("0")
    for row in sorted(found, key=lambda row: (row[f"{prefix}__name"] or "", row[prefix] or 0)):
        if row[prefix] is None:
            away += two_places(row["total"])
            continue
        label = row[f"{prefix}__name"]
        if scope.is_network:
            label = f"{label} ({row[f'{prefix}__organisation__name']})"
        rows.append((str(row[prefix]), label, two_places(row["total"])))
    if away:
        rows.append(("", off_site, away))
    return rows

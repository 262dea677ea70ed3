"""Partners and redistribution: the produce given away, the partnerships formed, the referrals to partners."""

from django.db.models import Count, Sum, Value
from django.utils.translation import gettext_lazy as _

from insertion.models import PartnerTheme
from partners.enums import RecipientKind
from reporting.definitions.common import by_variety, count_of, listed, merged, two_places, with_figures
from reporting.indicators import Section, indicator, number, table

REDISTRIBUTION_SOURCE = _(
    "Distributions recorded by the technical trainers: date, site, recipient (a partner, or the growers), weight "
    "given per variety."
)


@indicator(
    "varieties_redistributed",
    label=_("Vegetable varieties redistributed"),
    description=_(
        "The number of different vegetable varieties given away in the period, to partners or shared among the "
        "growers (a variety given several times counts once)."
    ),
    formula=_("count of distinct varieties on the distributions dated in the period"),
    source=REDISTRIBUTION_SOURCE,
    section=Section.NETWORK,
    unit="count",
)
def varieties_redistributed(scope):
    return number(scope.distribution_lines().aggregate(varieties=Count("variety__code", distinct=True))["varieties"])


@indicator(
    "redistribution_by_recipient",
    label=_("Redistribution by recipient (kg)"),
    description=_(
        "The kilograms given away in the period by recipient: each partner (charities, shelters…), the most "
        "given first, then the share of the growers themselves as one row."
    ),
    formula=_(
        "sum of the weights given per recipient on the distributions dated in the period; share = kg ÷ kg given"
    ),
    source=REDISTRIBUTION_SOURCE,
    section=Section.NETWORK,
    unit="kg",
    table=True,
)
def redistribution_by_recipient(scope):
    found = (
        scope.distribution_lines()
        .values("distribution__recipient_kind", "distribution__partner__name")
        .annotate(kg=Sum("weight_kg"))
        .order_by()
    )
    partners = merged(
        (row["distribution__partner__name"], row["distribution__partner__name"], two_places(row["kg"]))
        for row in found
        if row["distribution__recipient_kind"] == RecipientKind.PARTNER
    )
    rows = sorted(partners, key=lambda row: (-row[2], row[1]))
    growers = sum(
        (two_places(row["kg"]) for row in found if row["distribution__recipient_kind"] == RecipientKind.GROWERS),
        two_places(0),
    )
    if growers:
        rows.append((RecipientKind.GROWERS.value, _("The growers"), growers))
    return table(rows)


@indicator(
    "redistribution_by_variety",
    label=_("Redistribution by variety (kg)"),
    description=_("The kilograms given away in the period by variety, in the catalogue's order."),
    formula=_("sum of the weights given per variety on the distributions dated in the period; share = kg ÷ kg given"),
    source=REDISTRIBUTION_SOURCE,
    section=Section.NETWORK,
    unit="kg",
    table=True,
)
def redistribution_by_variety(scope):
    return table(by_variety(scope.distribution_lines()))


@indicator(
    "partnerships_by_theme",
    label=_("Partnerships formed, by theme"),
    description=_(
        "The partnerships (signed conventions or informal agreements) formed in the period, that is whose start "
        "date is in the period, by their theme, in the order of the organisation's list of themes (every theme "
        "in use shown, with 0 when none was formed). A site or a programme report shows the organisation's."
    ),
    formula=_("count of partnerships whose start date is in the period per theme; share = count ÷ partnerships"),
    source=_("Partnerships recorded in the partners directory: start date, theme."),
    section=Section.NETWORK,
    unit="count",
    table=True,
)
def partnerships_by_theme(scope):
    themes = PartnerTheme.objects.filter(organisation__in=scope.organisation_ids)
    rows, _unknown, _figures = listed(scope, themes, scope.partnerships(), "theme", Count("pk"))
    return table(rows)


@indicator(
    "referrals_by_partner",
    label=_("People referred, by partner"),
    description=_(
        "The people reached who were referred to a partner in the period (France Travail, a training centre, a "
        "health check…), by partner, the most frequent first. A person referred twice to one partner counts once "
        "on its row; referred to two partners, on both rows: the rows overlap, each share is of the people "
        "reached. The total is the people referred at least once."
    ),
    formula=_(
        "per partner: count of distinct people reached with a referral to it dated in the period; "
        "share = count ÷ people reached"
    ),
    source=_("Referrals recorded by the social workers: date, partner."),
    section=Section.NETWORK,
    unit="people",
    table=True,
    overlapping=True,
)
def referrals_by_partner(scope):
    referrals = scope.referrals()
    lines, figures = with_figures(
        scope,
        [
            (
                referrals.values("partner__name").annotate(people=Count("beneficiary", distinct=True)),
                ["partner__name", "people"],
            )
        ],
        [Value(""), Value(0)],
        reached=count_of(scope.people()),
        referred=count_of(referrals, "beneficiary"),
    )
    rows = sorted(merged((name, name, people) for name, people in lines), key=lambda row: (-row[2], row[1]))
    result = table(rows, base=figures["reached"])
    result.value = figures["referred"]
    return result

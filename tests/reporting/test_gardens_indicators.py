"""The gardens indicators on hand-built data: each expected figure is written out."""

import datetime
from decimal import Decimal

import pytest

from gardens.models import Variety
from insertion.models import ExitOutcome, Neighbourhood, WorkshopKind
from reporting.indicators import Scope, compute
from tests.beneficiaries.factories import BeneficiaryFactory, EnrolmentFactory
from tests.gardens.factories import AttendanceFactory, HarvestFactory, SiteFactory, WorkshopFactory

D = datetime.date
T = datetime.time


def _year(organisation, **kwargs):
    return Scope((organisation,), D(2025, 1, 1), D(2025, 12, 31), **kwargs)


def _rows(result):
    return {row.key: (row.value, row.share) for row in result.rows}


@pytest.fixture
def sites(organisation, other_organisation):
    saint_waast = Neighbourhood.objects.get(organisation=organisation, code="saint-waast")
    return {
        "blaise": SiteFactory(organisation=organisation, name="Blaise Pascal", neighbourhood=saint_waast),
        "vignoble": SiteFactory(organisation=organisation, name="Vignoble"),
        "elsewhere": SiteFactory(organisation=other_organisation, name="Blaise Pascal"),
    }


@pytest.fixture
def workshops(organisation, other_organisation, sites):
    """The workshops of 2025 and around, by kind; another organisation's never count.

    - market gardening: 01/01/2025 at Blaise Pascal, 31/12/2025 at the Vignoble (and 31/12/2024, outside);
    - health: two on sleep and tiredness (one typed with spaces around), one on oral hygiene, one without theme;
    - solidarity tables: in Dutemple (in town), at Blaise Pascal (Saint-Waast) twice, at the Vignoble (no
      neighbourhood); menus: pumpkin soup (twice, written differently), ratatouille, and one not recorded.
    """
    kinds = {kind.code: kind for kind in WorkshopKind.objects.filter(organisation=organisation)}
    dutemple = Neighbourhood.objects.get(organisation=organisation, code="dutemple")
    blaise, vignoble = sites["blaise"], sites["vignoble"]

    def workshop(kind, day, site, **fields):
        return WorkshopFactory(organisation=organisation, site=site, kind=kinds[kind], date=day, **fields)

    made = {
        "gardening_first": workshop("market-gardening", D(2025, 1, 1), blaise),
        "gardening_last": workshop("market-gardening", D(2025, 12, 31), vignoble),
        "gardening_before": workshop("market-gardening", D(2024, 12, 31), vignoble),
        "sleep": workshop("health", D(2025, 3, 3), blaise, theme="Sommeil et fatigue"),
        "sleep_again": workshop("health", D(2025, 4, 7), vignoble, theme=" Sommeil et fatigue "),
        "teeth": workshop("health", D(2025, 5, 5), blaise, theme="Hygiène bucco-dentaire"),
        "no_theme": workshop("health", D(2025, 6, 2), blaise),
        "table_in_town": workshop(
            "solidarity-table",
            D(2025, 2, 10),
            None,
            neighbourhood=dutemple,
            menu="Soupe de potiron",
            start_time=T(11),
            end_time=T(14),
        ),
        "table_blaise": workshop("solidarity-table", D(2025, 3, 10), blaise, menu="soupe de potiron "),
        "table_vignoble": workshop("solidarity-table", D(2025, 9, 15), vignoble, menu="Ratatouille"),
        "table_no_menu": workshop("solidarity-table", D(2025, 10, 13), blaise),
    }
    their_kinds = {kind.code: kind for kind in WorkshopKind.objects.filter(organisation=other_organisation)}
    for code in ("solidarity-table", "health", "market-gardening"):
        made[f"theirs_{code}"] = WorkshopFactory(
            site=sites["elsewhere"],
            kind=their_kinds[code],
            date=D(2025, 3, 10),
            theme="Sommeil et fatigue",
            menu="Couscous aux légumes du jardin",
        )
    return made


def test_workshops_by_kind_follow_the_list_of_kinds(organisation, workshops):
    result = compute(_year(organisation), ["workshops_by_kind"])["workshops_by_kind"]
    assert [row.key for row in result.rows] == [
        "market-gardening",
        "biodiversity",
        "health",
        "solidarity-table",
        "beekeeping",
        "exhibition-chalet",
        "other",
    ]
    assert _rows(result) == {
        "market-gardening": (2, Decimal("20.0")),  # the first and the last day, not the day before
        "biodiversity": (0, Decimal("0.0")),
        "health": (4, Decimal("40.0")),
        "solidarity-table": (4, Decimal("40.0")),
        "beekeeping": (0, Decimal("0.0")),
        "exhibition-chalet": (0, Decimal("0.0")),
        "other": (0, Decimal("0.0")),
    }
    assert result.value == 10


def test_an_inactive_kind_shows_only_when_it_has_workshops_in_the_period(organisation, workshops):
    WorkshopKind.objects.filter(organisation=organisation, code__in=["health", "other"]).update(is_active=False)
    result = compute(_year(organisation), ["workshops_by_kind"])["workshops_by_kind"]
    keys = [row.key for row in result.rows]
    assert "other" not in keys  # no longer used, and nothing in the period
    assert _rows(result)["health"] == (4, Decimal("40.0"))  # no longer used, but held in the period


def test_a_site_counts_its_own_workshops(organisation, workshops, sites):
    result = compute(_year(organisation, site=sites["vignoble"]), ["workshops_by_kind", "solidarity_tables"])
    rows = _rows(result["workshops_by_kind"])
    # Three thirds: the missing tenth goes to the first (largest remainders, ties to the earliest).
    assert [rows[code] for code in ("market-gardening", "health", "solidarity-table")] == [
        (1, Decimal("33.4")),
        (1, Decimal("33.3")),
        (1, Decimal("33.3")),
    ]
    assert result["workshops_by_kind"].value == 3  # gardening on the last day, sleep again, a table
    assert result["solidarity_tables"].value == 1


def test_solidarity_tables_where_and_with_what_menus(organisation, workshops):
    figures = compute(
        _year(organisation), ["solidarity_tables", "solidarity_tables_by_neighbourhood", "solidarity_table_menus"]
    )
    assert figures["solidarity_tables"].value == 4
    by_neighbourhood = figures["solidarity_tables_by_neighbourhood"]
    # Saint-Waast: the two at Blaise Pascal (the site's neighbourhood); Dutemple: the one in town (the workshop's);
    # the Vignoble has no neighbourhood. In the order of the list, "Not known" last.
    assert [(row.key, row.value, row.share) for row in by_neighbourhood.rows] == [
        ("saint-waast", 2, Decimal("50.0")),
        ("dutemple", 1, Decimal("25.0")),
        ("", 1, Decimal("25.0")),
    ]
    menus = figures["solidarity_table_menus"]
    assert (menus.value, menus.base) == (2, 3)  # pumpkin soup (however written) and ratatouille, of 3 menus


def test_health_workshops_by_theme_most_frequent_first(organisation, workshops):
    result = compute(_year(organisation), ["health_workshops_by_theme"])["health_workshops_by_theme"]
    assert [(row.key, row.value, row.share) for row in result.rows] == [
        ("Sommeil et fatigue", 2, Decimal("50.0")),  # spaces around a theme do not make another one
        ("Hygiène bucco-dentaire", 1, Decimal("25.0")),
        ("", 1, Decimal("25.0")),  # no theme: "Not known"
    ]
    assert result.value == 4


@pytest.fixture
def presences(organisation, other_organisation, workshops):
    """Anne (enrolled twice in 2025), Bruno and Chloé at the workshops; Fatou at another organisation's.

    Anne: 2 h on the first day, 2 h on the last day, 2 h the day before the period (outside), excused on 07/04.
    Bruno: 1 h 30 on the first day (late), 2 h at the sleep workshop. Chloé: absent on the first day, 3 h at the
    solidarity table in town. 10.5 hours in all.
    """
    outcome = ExitOutcome.objects.get(organisation=organisation, code="job-seeking")
    anne = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2024, 6, 1), exit_date=D(2025, 5, 1), exit_outcome=outcome)
    EnrolmentFactory(beneficiary=anne, entry_date=D(2025, 6, 1))
    bruno = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=bruno, entry_date=D(2025, 1, 1))
    chloe = BeneficiaryFactory(organisation=organisation)
    EnrolmentFactory(beneficiary=chloe, entry_date=D(2025, 1, 1))
    fatou = BeneficiaryFactory(organisation=other_organisation)
    EnrolmentFactory(beneficiary=fatou, entry_date=D(2025, 1, 1))
    for key, person, status, hours in [
        ("gardening_first", anne, "present", "2"),
        ("gardening_last", anne, "present", "2"),
        ("gardening_before", anne, "present", "2"),
        ("sleep_again", anne, "excused", "0"),
        ("gardening_first", bruno, "present", "1.5"),
        ("sleep", bruno, "present", "2"),
        ("gardening_first", chloe, "absent", "0"),
        ("table_in_town", chloe, "present", "3"),
        ("theirs_health", fatou, "present", "2"),
    ]:
        AttendanceFactory(workshop=workshops[key], beneficiary=person, status=status, hours=Decimal(hours))
    return {"anne": anne, "bruno": bruno, "chloe": chloe}


def test_hours_of_presence_in_all_per_person_and_by_site(organisation, presences):
    figures = compute(
        _year(organisation), ["presence_hours", "presence_hours_per_beneficiary", "presence_hours_by_site"]
    )
    assert figures["presence_hours"].value == Decimal("10.50")
    per_person = figures["presence_hours_per_beneficiary"]
    assert (per_person.value, per_person.base) == (Decimal("3.5"), 3)  # 10.5 h ÷ Anne, Bruno, Chloé
    by_site = figures["presence_hours_by_site"]
    assert [(row.label, row.value, row.share) for row in by_site.rows[:2]] == [
        ("Blaise Pascal", Decimal("5.50"), Decimal("52.4")),  # Anne 2 h, Bruno 1.5 + 2 h
        ("Vignoble", Decimal("2.00"), Decimal("19.0")),  # Anne on the last day
    ]
    away = by_site.rows[2]
    assert (away.key, away.value, away.share) == ("", Decimal("3.00"), Decimal("28.6"))  # the table in town
    assert by_site.value == Decimal("10.50")


def test_people_present_at_a_health_workshop(organisation, presences):
    result = compute(_year(organisation), ["health_workshop_participants"])["health_workshop_participants"]
    assert (result.value, result.base) == (1, 3)  # Bruno; Anne was excused


def test_a_site_counts_the_hours_done_there(organisation, presences, sites):
    figures = compute(_year(organisation, site=sites["blaise"]), ["presence_hours", "presence_hours_per_beneficiary"])
    assert figures["presence_hours"].value == Decimal("5.50")
    assert (figures["presence_hours_per_beneficiary"].value, figures["presence_hours_per_beneficiary"].base) == (
        Decimal("2.8"),  # 5.5 h ÷ Anne and Bruno = 2.75
        2,
    )


@pytest.fixture
def harvests(organisation, other_organisation, sites):
    varieties = {variety.code: variety for variety in Variety.objects.filter(organisation=organisation)}
    blaise, vignoble = sites["blaise"], sites["vignoble"]
    for site, code, day, quantity, unit, weight in [
        (blaise, "tomate-coeur-de-boeuf", D(2025, 1, 1), "12.5", "kg", "12.5"),
        (blaise, "tomate-coeur-de-boeuf", D(2025, 7, 1), "7.5", "kg", "7.5"),
        (blaise, "carotte-de-colmar", D(2025, 12, 31), "10", "bunch", "5"),  # 10 bunches of 500 g
        (vignoble, "tomate-cerise", D(2025, 8, 1), "3.25", "kg", "3.25"),
        (vignoble, "tomate-coeur-de-boeuf", D(2024, 12, 31), "100", "kg", "100"),  # the day before
    ]:
        HarvestFactory(
            site=site,
            variety=varieties[code],
            date=day,
            quantity=Decimal(quantity),
            unit=unit,
            weight_kg=Decimal(weight),
        )
    theirs = Variety.objects.get(organisation=other_organisation, code="tomate-coeur-de-boeuf")
    HarvestFactory(site=sites["elsewhere"], variety=theirs, date=D(2025, 7, 1), quantity=Decimal("50"))


def test_varieties_grown_and_kilograms_by_variety_and_site(organisation, harvests):
    figures = compute(_year(organisation), ["varieties_grown", "harvest_by_variety", "harvest_by_site"])
    assert figures["varieties_grown"].value == 3  # the Cœur de bœuf counts once
    by_variety = figures["harvest_by_variety"]
    assert [(row.key, row.value, row.share) for row in by_variety.rows] == [
        ("carotte-de-colmar", Decimal("5.00"), Decimal("17.7")),  # the bunches' weight
        ("tomate-cerise", Decimal("3.25"), Decimal("11.5")),
        ("tomate-coeur-de-boeuf", Decimal("20.00"), Decimal("70.8")),
    ]
    assert str(by_variety.rows[0].label) == "Carotte — De Colmar"
    assert by_variety.value == Decimal("28.25")
    by_site = figures["harvest_by_site"]
    assert [(row.label, row.value, row.share) for row in by_site.rows] == [
        ("Blaise Pascal", Decimal("25.00"), Decimal("88.5")),
        ("Vignoble", Decimal("3.25"), Decimal("11.5")),
    ]


def test_a_site_counts_its_own_harvests(organisation, harvests, sites):
    figures = compute(_year(organisation, site=sites["vignoble"]), ["varieties_grown", "harvest_by_site"])
    assert figures["varieties_grown"].value == 1
    assert [(row.label, row.value, row.share) for row in figures["harvest_by_site"].rows] == [
        ("Vignoble", Decimal("3.25"), Decimal("100.0"))
    ]


def test_a_network_names_each_site_with_its_organisation(organisation, other_organisation, harvests):
    scope = Scope((organisation, other_organisation), D(2025, 1, 1), D(2025, 12, 31))
    figures = compute(scope, ["harvest_by_site", "varieties_grown", "harvest_by_variety"])
    assert [(row.label, row.value) for row in figures["harvest_by_site"].rows] == [
        ("Blaise Pascal (Les Jardins)", Decimal("25.00")),
        ("Blaise Pascal (Régie d'ailleurs)", Decimal("50.00")),
        ("Vignoble (Les Jardins)", Decimal("3.25")),
    ]
    assert figures["varieties_grown"].value == 3  # both organisations' Cœur de bœuf are one variety
    assert _rows(figures["harvest_by_variety"])["tomate-coeur-de-boeuf"][0] == Decimal("70.00")

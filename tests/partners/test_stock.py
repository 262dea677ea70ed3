"""The stock of produce: harvested − given, per site and variety; and what a distribution may still give."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from gardens.models import Variety
from partners.stock import StockRow, check_lines, stock_rows
from tests.gardens.factories import HarvestFactory, SiteFactory
from tests.partners.factories import DistributionFactory, PartnerFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _variety(organisation, code):
    return Variety.objects.get(organisation=organisation, code=code)


def _harvest(site, variety, day, kg):
    return HarvestFactory(site=site, variety=variety, date=day, quantity=Decimal(kg), weight_kg=Decimal(kg))


@pytest.fixture
def garden(organisation, other_organisation):
    """The Moulin harvested 25 kg of tomatoes (5 kg of them on the 20th) and 6.5 kg of leeks in November, and gave
    7 kg of tomatoes and 2.5 kg of leeks to the Restos on the 12th, 5 kg of tomatoes to the growers on the 14th.
    Around it: 30 kg of tomatoes on another site of ours, and another organisation's harvests and distributions."""
    moulin = SiteFactory(organisation=organisation, name="Jardin du Moulin")
    acacias = SiteFactory(organisation=organisation, name="Les Acacias")
    tomato = _variety(organisation, "tomate-noire-de-crimee")
    leek = _variety(organisation, "poireau-bleu-de-solaise")
    _harvest(moulin, tomato, D(2026, 11, 1), "8")
    _harvest(moulin, tomato, D(2026, 11, 10), "12")
    _harvest(moulin, tomato, D(2026, 11, 20), "5")  # after the distributions below
    _harvest(moulin, leek, D(2026, 11, 5), "6.5")
    _harvest(acacias, tomato, D(2026, 11, 3), "30")
    restos = PartnerFactory(organisation=organisation, name="Restos du Cœur", receives_produce=True)
    first = DistributionFactory(
        site=moulin, partner=restos, date=D(2026, 11, 12), lines=[(tomato, "7"), (leek, "2.5")]
    )
    second = DistributionFactory(site=moulin, to_growers=True, date=D(2026, 11, 14), lines=[(tomato, "5")])
    elsewhere = SiteFactory(organisation=other_organisation, name="Jardin du Moulin")
    their_tomato = _variety(other_organisation, "tomate-noire-de-crimee")
    _harvest(elsewhere, their_tomato, D(2026, 11, 1), "100")
    DistributionFactory(site=elsewhere, date=D(2026, 11, 2), lines=[(their_tomato, "40")])
    return {
        "moulin": moulin,
        "acacias": acacias,
        "tomato": tomato,
        "leek": leek,
        "first": first,
        "second": second,
    }


def _row(site, variety, harvested, distributed):
    return StockRow(
        site_id=site.pk,
        site=site.name,
        variety_id=variety.pk,
        variety=str(variety),
        harvested=Decimal(harvested),
        distributed=Decimal(distributed),
    )


class TestStockRows:
    def test_the_stock_is_what_was_harvested_less_what_was_given_per_site_and_variety(self, organisation, garden):
        moulin, acacias, tomato, leek = garden["moulin"], garden["acacias"], garden["tomato"], garden["leek"]
        rows = stock_rows(organisation)
        # Other organisation's 100 kg harvested and 40 kg given: not ours, not counted.
        assert rows == [
            _row(moulin, leek, "6.50", "2.50"),
            _row(moulin, tomato, "25.00", "12.00"),
            _row(acacias, tomato, "30.00", "0"),
        ]
        assert [row.available for row in rows] == [Decimal("4.00"), Decimal("13.00"), Decimal("30.00")]

    def test_the_stock_of_one_site(self, organisation, garden):
        assert stock_rows(organisation, site=garden["acacias"]) == [
            _row(garden["acacias"], garden["tomato"], "30.00", "0")
        ]

    def test_the_stock_as_of_a_day_counts_the_harvests_and_the_distributions_up_to_that_day(
        self, organisation, garden
    ):
        moulin, tomato, leek = garden["moulin"], garden["tomato"], garden["leek"]
        # On the 13th: 8 + 12 kg of tomatoes picked, 7 kg given on the 12th (the growers' 5 kg come on the 14th).
        assert stock_rows(organisation, site=moulin, on=D(2026, 11, 13)) == [
            _row(moulin, leek, "6.50", "2.50"),
            _row(moulin, tomato, "20.00", "7.00"),
        ]
        # The day of the first harvest, inclusive.
        assert stock_rows(organisation, site=moulin, on=D(2026, 11, 1)) == [_row(moulin, tomato, "8.00", "0")]

    def test_a_variety_given_but_no_longer_harvested_shows_a_negative_stock(self, organisation, garden):
        """A harvest corrected downwards after the produce was given: the stock page must show it, not hide it."""
        carrot = _variety(organisation, "carotte-de-colmar")
        DistributionFactory(site=garden["acacias"], to_growers=True, lines=[(carrot, "3")])
        rows = stock_rows(organisation, site=garden["acacias"])
        assert rows == [
            _row(garden["acacias"], carrot, "0", "3.00"),
            _row(garden["acacias"], garden["tomato"], "30", "0"),
        ]
        assert rows[0].available == Decimal("-3.00")

    def test_the_stock_takes_two_queries_whatever_the_number_of_sites_and_varieties(
        self, organisation, garden, django_assert_num_queries
    ):
        for code in ("carotte-de-colmar", "radis", "navet"):
            _harvest(SiteFactory(organisation=organisation), _variety(organisation, code), D(2026, 11, 2), "4")
        with django_assert_num_queries(2):
            rows = stock_rows(organisation)
        assert len(rows) == 6


class TestCheckLines:
    def test_asking_more_than_available_gives_the_figures(self, organisation, garden):
        shortfalls = check_lines(
            organisation, garden["moulin"], D(2026, 11, 15), [(garden["tomato"], Decimal("12.5"))]
        )
        assert [str(shortfall) for shortfall in shortfalls] == [
            "Tomate — Noire de Crimée: 12.50 kg asked, 8.00 kg available (20.00 kg harvested, 12.00 kg already given)."
        ]
        assert (shortfalls[0].asked, shortfalls[0].available) == (Decimal("12.5"), Decimal("8.00"))

    def test_the_figures_are_written_the_french_way_in_french(self, organisation, garden):
        with translation.override("fr"):
            (shortfall,) = check_lines(
                organisation, garden["moulin"], D(2026, 11, 15), [(garden["tomato"], Decimal("12.5"))]
            )
            message = str(shortfall)
        assert "12,50" in message and "8,00" in message and "20,00" in message and "12,00" in message

    def test_giving_exactly_what_is_available_is_allowed(self, organisation, garden):
        lines = [(garden["tomato"], Decimal("8")), (garden["leek"], Decimal("4"))]
        assert check_lines(organisation, garden["moulin"], D(2026, 11, 15), lines) == []

    def test_only_the_lines_over_the_stock_are_reported(self, organisation, garden):
        lines = [(garden["tomato"], Decimal("8")), (garden["leek"], Decimal("4.01"))]
        shortfalls = check_lines(organisation, garden["moulin"], D(2026, 11, 15), lines)
        assert [(s.variety, s.harvested, s.given, s.available) for s in shortfalls] == [
            (garden["leek"], Decimal("6.50"), Decimal("2.50"), Decimal("4.00"))
        ]

    def test_a_harvest_after_the_distribution_date_is_not_available(self, organisation, garden):
        # The 5 kg picked on the 20th: not there on the 15th, there on the 20th.
        assert check_lines(organisation, garden["moulin"], D(2026, 11, 15), [(garden["tomato"], Decimal("13"))])
        assert check_lines(organisation, garden["moulin"], D(2026, 11, 20), [(garden["tomato"], Decimal("13"))]) == []

    def test_a_back_dated_distribution_cannot_take_produce_given_later(self, organisation, garden):
        """On the 11th, 20 kg were picked; but 12 kg of them are already given on the 12th and 14th."""
        (shortfall,) = check_lines(organisation, garden["moulin"], D(2026, 11, 11), [(garden["tomato"], Decimal("9"))])
        assert (shortfall.harvested, shortfall.given, shortfall.available) == (
            Decimal("20.00"),
            Decimal("12.00"),
            Decimal("8.00"),
        )

    def test_other_sites_and_other_organisations_do_not_count(self, organisation, garden):
        # 30 kg of tomatoes on the Acacias, 100 kg in the other organisation's Moulin: none of it here.
        (shortfall,) = check_lines(organisation, garden["moulin"], D(2026, 11, 15), [(garden["tomato"], Decimal("9"))])
        assert shortfall.harvested == Decimal("20.00")
        assert check_lines(organisation, garden["acacias"], D(2026, 11, 15), [(garden["tomato"], Decimal("30"))]) == []

    def test_a_variety_never_harvested_on_the_site_has_nothing_available(self, organisation, garden):
        (shortfall,) = check_lines(organisation, garden["acacias"], D(2026, 11, 15), [(garden["leek"], Decimal("1"))])
        assert str(shortfall) == (
            "Poireau — Bleu de Solaise: 1.00 kg asked, 0.00 kg available (0.00 kg harvested, 0.00 kg already given)."
        )

    def test_the_distribution_being_edited_does_not_count_against_itself(self, organisation, garden):
        # Without its own 7 kg: 20 harvested by the 15th − the growers' 5 = 15 kg.
        lines = [(garden["tomato"], Decimal("15"))]
        assert check_lines(organisation, garden["moulin"], D(2026, 11, 15), lines) != []
        assert check_lines(organisation, garden["moulin"], D(2026, 11, 15), lines, garden["first"]) == []
        (shortfall,) = check_lines(
            organisation, garden["moulin"], D(2026, 11, 15), [(garden["tomato"], Decimal("15.01"))], garden["first"]
        )
        assert (shortfall.given, shortfall.available) == (Decimal("5.00"), Decimal("15.00"))

    def test_the_check_takes_two_queries_whatever_the_number_of_lines(
        self, organisation, garden, django_assert_num_queries
    ):
        tomato, leek = garden["tomato"], garden["leek"]
        others = list(Variety.objects.filter(organisation=organisation).exclude(pk__in=[tomato.pk, leek.pk])[:10])
        varieties = [*others, tomato, leek]
        with django_assert_num_queries(2):
            shortfalls = check_lines(
                organisation, garden["moulin"], D(2026, 11, 15), [(v, Decimal("1")) for v in varieties]
            )
        assert len(shortfalls) == 10  # all but the tomato and the leek of the Moulin
        with django_assert_num_queries(0):
            assert check_lines(organisation, garden["moulin"], D(2026, 11, 15), []) == []

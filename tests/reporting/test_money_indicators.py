"""The funding indicator on hand-built data: seed 001's funding table of 2016, each share written out."""

import datetime
from decimal import Decimal

import pytest

from reporting.indicators import Scope, compute
from tests.partners.factories import FundingFactory, PartnerFactory

D = datetime.date


@pytest.fixture
def funding(organisation, other_organisation):
    """Seed 001: the State 25,000 €, the Département 31,500 €, the CCAS 20,700 €, European funds 20,000 € in 2016;
    the State again in 2015; another organisation's Département in 2016."""
    funders = {
        name: PartnerFactory(organisation=organisation, name=name, funds=True)
        for name in ("État (contrat de ville)", "Département du Nord", "CCAS", "Fonds européens")
    }
    for name, amount in [
        ("État (contrat de ville)", "25000"),
        ("Département du Nord", "31500"),
        ("CCAS", "20700"),
        ("Fonds européens", "20000"),
    ]:
        FundingFactory(funder=funders[name], year=2016, amount=Decimal(amount))
    FundingFactory(funder=funders["État (contrat de ville)"], year=2015, amount=Decimal("10000"))
    theirs = PartnerFactory(organisation=other_organisation, name="Département du Nord", funds=True)
    FundingFactory(funder=theirs, year=2016, amount=Decimal("50000"))


def _rows(result):
    return [(row.key, row.value, row.share) for row in result.rows]


def test_funding_by_funder_with_shares_adding_up_to_100(organisation, funding):
    year = Scope((organisation,), D(2016, 1, 1), D(2016, 12, 31))
    result = compute(year, ["funding_by_funder"])["funding_by_funder"]
    assert _rows(result) == [
        ("Département du Nord", Decimal("31500.00"), Decimal("32.4")),
        ("État (contrat de ville)", Decimal("25000.00"), Decimal("25.7")),
        ("CCAS", Decimal("20700.00"), Decimal("21.3")),
        ("Fonds européens", Decimal("20000.00"), Decimal("20.6")),
    ]
    assert result.value == Decimal("97200.00")


def test_a_month_shows_the_funding_of_its_year(organisation, funding):
    march = Scope((organisation,), D(2016, 3, 1), D(2016, 3, 31))
    assert compute(march, ["funding_by_funder"])["funding_by_funder"].value == Decimal("97200.00")


def test_a_period_across_two_years_shows_both_years_funding(organisation, funding):
    across = Scope((organisation,), D(2015, 12, 31), D(2016, 1, 1))  # both bounds count
    result = compute(across, ["funding_by_funder"])["funding_by_funder"]
    assert result.rows[0].key == "État (contrat de ville)"
    assert result.rows[0].value == Decimal("35000.00")  # 10,000 € in 2015 and 25,000 € in 2016
    assert result.value == Decimal("107200.00")
    assert sum(row.share for row in result.rows) == Decimal("100.0")


def test_a_network_adds_up_a_funder_of_the_same_name(organisation, other_organisation, funding):
    network = Scope((organisation, other_organisation), D(2016, 1, 1), D(2016, 12, 31))
    result = compute(network, ["funding_by_funder"])["funding_by_funder"]
    assert _rows(result)[0] == ("Département du Nord", Decimal("81500.00"), Decimal("55.4"))  # 81,500 ÷ 147,200
    assert result.value == Decimal("147200.00")

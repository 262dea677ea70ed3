"""The redistribution of the harvest: recording what is given (never more than the stock), the list, the year's
totals per recipient, the stock page and the delivery slip the recipient signs."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gardens.models import Variety
from partners.figures_distribution import RecipientYear, totals_by_recipient
from partners.models import Distribution, DistributionLine
from tests.gardens.factories import HarvestFactory, SiteFactory
from tests.partners.factories import DistributionFactory, PartnerFactory
from tests.utils import form_data, page_form

pytestmark = pytest.mark.django_db

D = datetime.date
ADD = reverse("partners:distribution_add")


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def _variety(organisation, code):
    return Variety.objects.get(organisation=organisation, code=code)


def _harvest(site, variety, day, kg):
    return HarvestFactory(site=site, variety=variety, date=day, quantity=Decimal(kg), weight_kg=Decimal(kg))


@pytest.fixture
def garden(organisation):
    """The Moulin has 20 kg of tomatoes, 6.5 kg of leeks and 10 kg of potatoes picked by the 16th of November."""
    moulin = SiteFactory(organisation=organisation, name="Jardin du Moulin")
    tomato = _variety(organisation, "tomate-noire-de-crimee")
    leek = _variety(organisation, "poireau-bleu-de-solaise")
    potato = _variety(organisation, "pomme-de-terre-bintje")
    _harvest(moulin, tomato, D(2026, 11, 2), "8")
    _harvest(moulin, tomato, D(2026, 11, 10), "12")
    _harvest(moulin, leek, D(2026, 11, 5), "6.5")
    _harvest(moulin, potato, D(2026, 11, 9), "10")
    restos = PartnerFactory(
        organisation=organisation,
        name="Restos du Cœur",
        receives_produce=True,
        address="12 rue de Lille",
        postcode="59300",
        city="Valenciennes",
    )
    return {"moulin": moulin, "tomato": tomato, "leek": leek, "potato": potato, "restos": restos}


def _data(site, lines, *, date="16/11/2026", recipient_kind="partner", partner=None, notes="", initial=0):
    """What the form posts: the head, and one line per (variety or None, weight) given, then two blank lines."""
    data = {
        "date": date,
        "site": site.pk,
        "recipient_kind": recipient_kind,
        "partner": partner.pk if partner else "",
        "notes": notes,
        "lines-TOTAL_FORMS": len(lines) + 2,
        "lines-INITIAL_FORMS": initial,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 30,
    }
    for index, (variety, weight) in enumerate(lines):
        data[f"lines-{index}-variety"] = variety.pk if variety else ""
        data[f"lines-{index}-weight_kg"] = weight
    return data


def _line_errors(response):
    return [form.errors for form in response.context["lines"].forms if form.errors]


# The journey ---------------------------------------------------------------------------------------------------


def test_a_trainer_records_a_distribution_of_several_varieties_to_a_charity_and_prints_the_slip(
    trainer_client, trainer, organisation, garden, rendered_html
):
    home = trainer_client.get(reverse("gardens:home"))
    assert f'href="{ADD}"' in home.content.decode()

    page = trainer_client.get(ADD)
    assert page.status_code == 200
    assert page.context["form"]["date"].value() == D(2026, 11, 16)  # today by default
    assert page.context["form"]["site"].value() == garden["moulin"].pk  # the only site: nothing to choose

    data = form_data(page)
    data.update(recipient_kind="partner", partner=str(garden["restos"].pk), notes="Pour la distribution du mardi")
    data.update(
        {
            "lines-0-variety": str(garden["tomato"].pk),
            "lines-0-weight_kg": "12.5",
            "lines-1-variety": str(garden["leek"].pk),
            "lines-1-weight_kg": "4",
            "lines-2-variety": str(garden["potato"].pk),
            "lines-2-weight_kg": "3.25",
        }
    )
    response = trainer_client.post(ADD, data, follow=True)

    distribution = Distribution.objects.get()
    assert response.redirect_chain == [(distribution.get_absolute_url(), 302)]
    assert (distribution.organisation, distribution.site, distribution.date) == (
        organisation,
        garden["moulin"],
        D(2026, 11, 16),
    )
    assert (distribution.recipient_kind, distribution.partner, distribution.recorded_by) == (
        "partner",
        garden["restos"],
        trainer,
    )
    assert sorted((line.variety.code, line.weight_kg) for line in distribution.lines.all()) == [
        ("poireau-bleu-de-solaise", Decimal("4.00")),
        ("pomme-de-terre-bintje", Decimal("3.25")),
        ("tomate-noire-de-crimee", Decimal("12.50")),
    ]
    page = response.content.decode()
    assert "The distribution was saved: 3 varieties, 19.75 kg." in page
    assert "Restos du Cœur" in page and "19.75" in page

    slip = trainer_client.get(reverse("partners:distribution_slip", args=[distribution.pk]))
    assert slip.status_code == 200
    assert slip["Content-Type"] == "application/pdf"
    assert slip.content.startswith(b"%PDF")
    assert f"BL-{distribution.pk:06d}" in slip["Content-Disposition"]
    (html,) = rendered_html
    for expected in (
        "Les Jardins",  # the organisation, and its town
        "Valenciennes",
        f"No. BL-{distribution.pk:06d} of 16/11/2026",
        "Jardin du Moulin",
        "Restos du Cœur",
        "12 rue de Lille",
        "59300 Valenciennes",
        "Tomate — Noire de Crimée",
        "12.50",
        "19.75",  # the total
        "Received by the recipient",
        "For Les Jardins",
    ):
        assert expected in html, expected


# Recording: what is refused, and nothing half-saved -------------------------------------------------------------


class TestRecording:
    def test_going_over_the_stock_is_refused_with_the_figures_and_nothing_is_saved(self, trainer_client, garden):
        lines = [(garden["leek"], "2"), (garden["tomato"], "20.5")]
        response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
        assert response.status_code == 200
        page = response.content.decode()
        assert (
            "Tomate — Noire de Crimée: 20.50 kg asked, 20.00 kg available (20.00 kg harvested, 0.00 kg already given)."
            in page
        )
        assert "Nothing was saved: one line gives more than the stock of Jardin du Moulin on that day" in page
        assert _line_errors(response) == [
            {
                "__all__": [
                    "Tomate — Noire de Crimée: 20.50 kg asked, 20.00 kg available "
                    "(20.00 kg harvested, 0.00 kg already given)."
                ]
            }
        ]
        # The leek line was fine: it was not saved either.
        assert Distribution.objects.count() == 0
        assert DistributionLine.objects.count() == 0

    def test_what_was_already_given_is_no_longer_available(self, trainer_client, garden):
        DistributionFactory(
            site=garden["moulin"], to_growers=True, date=D(2026, 11, 12), lines=[(garden["tomato"], "12")]
        )
        response = trainer_client.post(
            ADD, _data(garden["moulin"], [(garden["tomato"], "12.5")], partner=garden["restos"])
        )
        assert (
            "Tomate — Noire de Crimée: 12.50 kg asked, 8.00 kg available (20.00 kg harvested, 12.00 kg already given)."
            in response.content.decode()
        )
        assert Distribution.objects.count() == 1

    def test_a_harvest_after_the_date_of_the_distribution_is_not_available(self, trainer_client, garden):
        response = trainer_client.post(
            ADD, _data(garden["moulin"], [(garden["tomato"], "9")], date="05/11/2026", partner=garden["restos"])
        )
        assert (
            "9.00 kg asked, 8.00 kg available (8.00 kg harvested, 0.00 kg already given)" in response.content.decode()
        )
        assert Distribution.objects.count() == 0

    def test_in_french_a_weight_is_typed_with_a_comma(self, trainer_client, garden, settings):
        settings.LANGUAGE_CODE = "fr"
        lines = [(garden["tomato"], "12,5"), (garden["leek"], "2.25")]
        response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
        assert response.status_code == 302
        assert sorted(DistributionLine.objects.values_list("weight_kg", flat=True)) == [
            Decimal("2.25"),
            Decimal("12.5"),
        ]
        edit = trainer_client.get(reverse("partners:distribution_edit", args=[Distribution.objects.get().pk]))
        assert form_data(edit)["lines-0-weight_kg"] == ["12,50"]

    @pytest.mark.parametrize("weight", ["0", "-2", "0.00"])
    def test_a_weight_of_zero_or_less_is_refused_on_its_line(self, trainer_client, garden, weight):
        lines = [(garden["leek"], "1"), (garden["tomato"], weight)]
        response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
        assert response.status_code == 200
        assert _line_errors(response) == [{"weight_kg": ["The weight must be more than zero."]}]
        assert Distribution.objects.count() == 0

    def test_the_same_variety_twice_is_refused_clearly(self, trainer_client, garden):
        lines = [(garden["tomato"], "2"), (garden["leek"], "1"), (garden["tomato"], "3")]
        response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
        assert _line_errors(response) == [
            {"variety": ["Tomate — Noire de Crimée is already on line 1: give its whole weight on one line."]}
        ]
        assert response.context["lines"].forms[2].errors  # on the third line, where the duplicate is
        assert Distribution.objects.count() == 0

    def test_a_line_needs_both_its_variety_and_its_weight(self, trainer_client, garden):
        lines = [(garden["tomato"], ""), (None, "3")]
        response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
        assert _line_errors(response) == [
            {"weight_kg": ["Give the weight in kg."]},
            {"variety": ["Choose the variety."]},
        ]
        assert Distribution.objects.count() == 0

    def test_a_distribution_without_any_line_is_refused(self, trainer_client, garden):
        response = trainer_client.post(ADD, _data(garden["moulin"], [], partner=garden["restos"]))
        assert response.context["lines"].non_form_errors() == ["Enter at least one variety and its weight."]
        assert Distribution.objects.count() == 0

    def test_a_partner_must_be_chosen_when_the_produce_goes_to_a_partner(self, trainer_client, garden):
        response = trainer_client.post(ADD, _data(garden["moulin"], [(garden["tomato"], "2")]))
        assert response.context["form"].errors == {"partner": ["Choose the partner receiving the produce."]}
        assert Distribution.objects.count() == 0

    def test_shared_among_the_growers_has_no_partner(self, trainer_client, garden):
        data = _data(garden["moulin"], [(garden["tomato"], "2")], recipient_kind="growers", partner=garden["restos"])
        response = trainer_client.post(ADD, data)
        assert response.status_code == 302
        distribution = Distribution.objects.get()
        assert (distribution.recipient_kind, distribution.partner) == ("growers", None)
        assert distribution.recipient_name == "The growers"

    def test_another_organisations_partner_site_or_variety_cannot_be_chosen(
        self, trainer_client, garden, other_organisation
    ):
        their_partner = PartnerFactory(organisation=other_organisation, receives_produce=True)
        their_site = SiteFactory(organisation=other_organisation)
        their_tomato = _variety(other_organisation, "tomate-noire-de-crimee")
        data = _data(garden["moulin"], [(their_tomato, "1")], partner=their_partner)
        data["site"] = their_site.pk
        response = trainer_client.post(ADD, data)
        assert set(response.context["form"].errors) == {"site", "partner"}
        assert set(_line_errors(response)[0]) == {"variety"}
        assert Distribution.objects.count() == 0

    def test_the_partners_offered_are_ours_in_use_with_those_receiving_produce_first(
        self, trainer_client, organisation, garden, other_organisation
    ):
        PartnerFactory(organisation=organisation, name="Auberge de jeunesse")  # does not usually receive produce
        PartnerFactory(organisation=organisation, name="Ancienne épicerie", receives_produce=True, is_archived=True)
        PartnerFactory(organisation=organisation, name="Croix-Rouge", receives_produce=True)
        PartnerFactory(organisation=other_organisation, name="Secours d'ailleurs", receives_produce=True)
        field = trainer_client.get(ADD).context["form"].fields["partner"]
        groups = [(str(group), [label for _value, label in options]) for group, options in list(field.choices)[1:]]
        assert groups == [
            ("They receive produce", ["Croix-Rouge", "Restos du Cœur"]),
            ("Other partners", ["Auberge de jeunesse"]),
        ]

    def test_the_form_can_start_from_a_site_of_the_stock_page(self, trainer_client, organisation, garden):
        acacias = SiteFactory(organisation=organisation, name="Les Acacias")
        assert trainer_client.get(ADD).context["form"]["site"].value() is None  # two sites: the trainer chooses
        assert trainer_client.get(f"{ADD}?site={acacias.pk}").context["form"]["site"].value() == acacias.pk

    def test_the_form_runs_a_fixed_number_of_queries(self, trainer_client, garden, django_assert_num_queries):
        # The session, the user and the membership; the savepoint of the request's transaction and its release; the
        # sites, the varieties for all the lines, the sites and partners offered.
        with django_assert_num_queries(9):
            trainer_client.get(ADD)
        # The same five; the varieties, the site and the partner chosen, the model's checks of them and of the
        # recipient; the lock on the site, the stock in two queries, and two writes: whatever the number of lines.
        for lines in (
            [(garden["tomato"], "2")],
            [(garden["tomato"], "2"), (garden["leek"], "1"), (garden["potato"], "1")],
        ):
            with django_assert_num_queries(21):
                response = trainer_client.post(ADD, _data(garden["moulin"], lines, partner=garden["restos"]))
            assert response.status_code == 302
        assert DistributionLine.objects.count() == 4


class TestEditing:
    @pytest.fixture
    def given(self, garden):
        """7 kg of tomatoes and 2.5 kg of leeks to the Restos on the 12th; 5 kg of tomatoes to the growers on the
        14th."""
        first = DistributionFactory(
            site=garden["moulin"],
            partner=garden["restos"],
            date=D(2026, 11, 12),
            lines=[(garden["tomato"], "7"), (garden["leek"], "2.5")],
        )
        DistributionFactory(
            site=garden["moulin"], to_growers=True, date=D(2026, 11, 14), lines=[(garden["tomato"], "5")]
        )
        return first

    def test_editing_a_distribution_does_not_count_its_own_old_lines_against_it(
        self, trainer_client, coordinator, garden, given
    ):
        url = reverse("partners:distribution_edit", args=[given.pk])
        page = trainer_client.get(url)
        data = form_data(page)
        assert (data["lines-0-variety"], data["lines-0-weight_kg"]) == ([str(garden["tomato"].pk)], ["7.00"])
        # 20 kg picked, 5 given to the growers: up to 15 kg for this one, whose own 7 kg are freed by the edit.
        data["lines-0-weight_kg"] = ["15"]
        response = trainer_client.post(url, data)
        assert response.status_code == 302
        given.refresh_from_db()
        assert sorted((line.variety_id, line.weight_kg) for line in given.lines.all()) == sorted(
            [(garden["tomato"].pk, Decimal("15.00")), (garden["leek"].pk, Decimal("2.50"))]
        )

    def test_editing_over_the_stock_is_refused_and_keeps_the_old_lines(self, trainer_client, garden, given):
        url = reverse("partners:distribution_edit", args=[given.pk])
        data = form_data(trainer_client.get(url))
        data["lines-0-weight_kg"] = ["15.01"]
        response = trainer_client.post(url, data)
        assert response.status_code == 200
        assert (
            "Tomate — Noire de Crimée: 15.01 kg asked, 15.00 kg available (20.00 kg harvested, 5.00 kg already given)."
            in response.content.decode()
        )
        assert sorted(given.lines.values_list("weight_kg", flat=True)) == [Decimal("2.50"), Decimal("7.00")]

    def test_an_emptied_line_is_removed_and_varieties_can_swap_lines(self, trainer_client, garden, given):
        url = reverse("partners:distribution_edit", args=[given.pk])
        data = form_data(trainer_client.get(url))
        data.update(
            {
                "lines-0-variety": [str(garden["leek"].pk)],
                "lines-0-weight_kg": ["3"],
                "lines-1-variety": [str(garden["tomato"].pk)],
                "lines-1-weight_kg": ["6"],
                "lines-2-variety": [str(garden["potato"].pk)],
                "lines-2-weight_kg": ["1"],
            }
        )
        assert trainer_client.post(url, data).status_code == 302
        data = form_data(trainer_client.get(url))
        data.update({"lines-2-variety": [""], "lines-2-weight_kg": [""]})  # the potatoes were not given after all
        assert trainer_client.post(url, data).status_code == 302
        assert sorted(given.lines.values_list("variety__code", "weight_kg")) == [
            ("poireau-bleu-de-solaise", Decimal("3.00")),
            ("tomate-noire-de-crimee", Decimal("6.00")),
        ]

    def test_editing_keeps_who_recorded_the_distribution(self, trainer_client, trainer, coordinator, garden, given):
        given.recorded_by = coordinator
        given.save()
        url = reverse("partners:distribution_edit", args=[given.pk])
        assert trainer_client.post(url, form_data(trainer_client.get(url))).status_code == 302
        given.refresh_from_db()
        assert given.recorded_by == coordinator

    def test_an_archived_partner_and_an_inactive_variety_stay_on_an_old_distribution(
        self, trainer_client, garden, given
    ):
        garden["restos"].is_archived = True
        garden["restos"].save()
        Variety.objects.filter(pk=garden["leek"].pk).update(is_active=False)
        url = reverse("partners:distribution_edit", args=[given.pk])
        data = form_data(trainer_client.get(url))
        assert data["partner"] == [str(garden["restos"].pk)]
        assert trainer_client.post(url, data).status_code == 302
        assert given.lines.count() == 2
        # A new distribution no longer offers them.
        form = page_form(trainer_client.get(ADD))
        assert str(garden["restos"].pk) not in form["fields"]["partner"]["choices"]
        assert str(garden["leek"].pk) not in form["fields"]["lines-0-variety"]["choices"]

    def test_the_edit_form_runs_a_fixed_number_of_queries(
        self, trainer_client, garden, given, django_assert_num_queries
    ):
        url = reverse("partners:distribution_edit", args=[given.pk])
        with django_assert_num_queries(10):
            trainer_client.get(url)


# One distribution, its deletion, permissions ----------------------------------------------------------------------


class TestOneDistribution:
    @pytest.fixture
    def distribution(self, garden, coordinator):
        return DistributionFactory(
            site=garden["moulin"],
            partner=garden["restos"],
            recorded_by=coordinator,
            lines=[(garden["tomato"], "7"), (garden["leek"], "2.5"), (garden["potato"], "1.25")],
        )

    def test_the_detail_shows_the_lines_and_the_total(self, trainer_client, distribution, django_assert_num_queries):
        url = reverse("partners:distribution_detail", args=[distribution.pk])
        with django_assert_num_queries(7):
            response = trainer_client.get(url)
        page = response.content.decode()
        assert "Restos du Cœur" in page and "Jardin du Moulin" in page and "16/11/2026" in page
        assert "Poireau — Bleu de Solaise" in page and "10.75" in page
        assert reverse("partners:distribution_slip", args=[distribution.pk]) in page

    def test_the_slip_runs_a_fixed_number_of_queries(
        self, trainer_client, distribution, rendered_html, django_assert_num_queries
    ):
        url = reverse("partners:distribution_slip", args=[distribution.pk])
        with django_assert_num_queries(7):
            response = trainer_client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert "10.75" in rendered_html[0]

    def test_the_slip_to_the_growers_says_so(self, trainer_client, garden, rendered_html):
        distribution = DistributionFactory(site=garden["moulin"], to_growers=True, lines=[(garden["tomato"], "4")])
        response = trainer_client.get(reverse("partners:distribution_slip", args=[distribution.pk]))
        assert response.status_code == 200
        assert "The growers" in rendered_html[0] and "Restos" not in rendered_html[0]

    def test_deleting_gives_the_produce_back_to_the_stock(self, trainer_client, distribution):
        url = reverse("partners:distribution_delete", args=[distribution.pk])
        assert trainer_client.get(url).status_code == 405
        response = trainer_client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse("partners:distribution_list")
        assert Distribution.objects.count() == 0 and DistributionLine.objects.count() == 0

    @pytest.mark.parametrize("persona", ["social_worker", "administrator"])
    def test_only_trainers_and_coordinators_deal_with_distributions(
        self, client, request, garden, distribution, persona
    ):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("partners:distribution_detail", args=[distribution.pk])).status_code == 403
        assert client.get(reverse("partners:stock")).status_code == 403
        response = client.post(ADD, _data(garden["moulin"], [(garden["tomato"], "1")], partner=garden["restos"]))
        assert response.status_code == 403
        assert client.post(reverse("partners:distribution_delete", args=[distribution.pk])).status_code == 403
        assert Distribution.objects.count() == 1 and DistributionLine.objects.count() == 3

    def test_a_coordinator_records_too(self, client, coordinator, garden):
        client.force_login(coordinator)
        response = client.post(ADD, _data(garden["moulin"], [(garden["tomato"], "1")], recipient_kind="growers"))
        assert response.status_code == 302
        assert Distribution.objects.get().recorded_by == coordinator

    def test_another_organisations_distribution_is_a_404(self, client, outsider, distribution):
        client.force_login(outsider)
        for name in ("distribution_detail", "distribution_edit", "distribution_slip"):
            assert client.get(reverse(f"partners:{name}", args=[distribution.pk])).status_code == 404
        assert client.post(reverse("partners:distribution_delete", args=[distribution.pk])).status_code == 404
        assert Distribution.objects.count() == 1


# The list -------------------------------------------------------------------------------------------------------


class TestList:
    URL = reverse("partners:distribution_list")

    @pytest.fixture
    def autumn(self, organisation, other_organisation, garden):
        acacias = SiteFactory(organisation=organisation, name="Les Acacias")
        croix_rouge = PartnerFactory(organisation=organisation, name="Croix-Rouge", receives_produce=True)
        tomato, leek = garden["tomato"], garden["leek"]
        DistributionFactory(
            site=garden["moulin"], partner=garden["restos"], date=D(2026, 10, 7), lines=[(tomato, "3"), (leek, "1")]
        )
        DistributionFactory(site=acacias, partner=croix_rouge, date=D(2026, 11, 3), lines=[(tomato, "2.5")])
        DistributionFactory(site=garden["moulin"], to_growers=True, date=D(2026, 11, 12), lines=[(leek, "4")])
        DistributionFactory(site=SiteFactory(organisation=other_organisation), date=D(2026, 11, 12))
        return {"acacias": acacias, "croix_rouge": croix_rouge}

    def _rows(self, response):
        return [
            (d.date, d.site.name, d.recipient_name, d.line_count, d.total_kg) for d in response.context["page_obj"]
        ]

    def test_the_list_shows_our_distributions_latest_first_with_their_count_and_weight(
        self, trainer_client, autumn, django_assert_num_queries
    ):
        with django_assert_num_queries(10):
            response = trainer_client.get(self.URL)
        assert self._rows(response) == [
            (D(2026, 11, 12), "Jardin du Moulin", "The growers", 1, Decimal("4.00")),
            (D(2026, 11, 3), "Les Acacias", "Croix-Rouge", 1, Decimal("2.50")),
            (D(2026, 10, 7), "Jardin du Moulin", "Restos du Cœur", 2, Decimal("4.00")),
        ]
        assert "3 distributions, 10.50 kg in all." in response.content.decode()

    def test_the_list_keeps_its_query_count_with_more_distributions(
        self, trainer_client, garden, autumn, django_assert_num_queries
    ):
        for _index in range(5):
            DistributionFactory(site=garden["moulin"], lines=[(garden["potato"], "1")])
        with django_assert_num_queries(10):
            response = trainer_client.get(self.URL)
        assert len(response.context["page_obj"]) == 8

    def test_filtered_by_month(self, trainer_client, autumn):
        response = trainer_client.get(self.URL, {"month": "2026-11"})
        assert [row[0] for row in self._rows(response)] == [D(2026, 11, 12), D(2026, 11, 3)]
        assert "2 distributions, 6.50 kg in all." in response.content.decode()

    def test_filtered_by_period(self, trainer_client, autumn):
        response = trainer_client.get(self.URL, {"start": "01/10/2026", "end": "03/11/2026"})
        assert [row[0] for row in self._rows(response)] == [D(2026, 11, 3), D(2026, 10, 7)]

    def test_filtered_by_site(self, trainer_client, autumn):
        response = trainer_client.get(self.URL, {"site": autumn["acacias"].pk})
        assert [row[1] for row in self._rows(response)] == ["Les Acacias"]

    def test_filtered_by_recipient(self, trainer_client, autumn, garden, django_assert_num_queries):
        assert [row[2] for row in self._rows(trainer_client.get(self.URL, {"recipient": "growers"}))] == [
            "The growers"
        ]
        assert [row[2] for row in self._rows(trainer_client.get(self.URL, {"recipient": "partners"}))] == [
            "Croix-Rouge",
            "Restos du Cœur",
        ]
        with django_assert_num_queries(10):
            response = trainer_client.get(self.URL, {"recipient": str(garden["restos"].pk)})
        assert [row[2] for row in self._rows(response)] == ["Restos du Cœur"]

    def test_an_empty_selection_says_so(self, trainer_client, autumn):
        response = trainer_client.get(self.URL, {"month": "2026-09"})
        assert "No distribution matches these filters" in response.content.decode()

    def test_an_empty_list_says_what_to_do(self, trainer_client, organisation):
        page = trainer_client.get(self.URL).content.decode()
        assert "No distribution recorded" in page and f'href="{ADD}"' in page


# The totals of the year -----------------------------------------------------------------------------------------


class TestTotals:
    @pytest.fixture
    def year(self, organisation, other_organisation, garden):
        """2026: the Restos get 3 + 1 kg in March and 2.5 kg in November; the Croix-Rouge 10 kg in March; the
        growers 4 kg in November on the Moulin and 1.5 kg in November on the Acacias. Around it: December 2025,
        January 2027, and another organisation."""
        tomato, leek = garden["tomato"], garden["leek"]
        acacias = SiteFactory(organisation=organisation, name="Les Acacias")
        croix_rouge = PartnerFactory(organisation=organisation, name="Croix-Rouge", receives_produce=True)
        moulin, restos = garden["moulin"], garden["restos"]
        DistributionFactory(site=moulin, partner=restos, date=D(2026, 3, 4), lines=[(tomato, "3"), (leek, "1")])
        DistributionFactory(site=moulin, partner=restos, date=D(2026, 11, 30), lines=[(tomato, "2.5")])
        DistributionFactory(site=acacias, partner=croix_rouge, date=D(2026, 3, 31), lines=[(leek, "10")])
        DistributionFactory(site=moulin, to_growers=True, date=D(2026, 11, 12), lines=[(leek, "4")])
        DistributionFactory(site=acacias, to_growers=True, date=D(2026, 11, 1), lines=[(tomato, "1.5")])
        DistributionFactory(site=moulin, partner=restos, date=D(2025, 12, 31), lines=[(tomato, "50")])
        DistributionFactory(site=moulin, to_growers=True, date=D(2027, 1, 1), lines=[(tomato, "60")])
        DistributionFactory(site=SiteFactory(organisation=other_organisation), date=D(2026, 3, 4))
        return {"restos": restos, "croix_rouge": croix_rouge}

    def test_the_totals_per_recipient_and_month_add_up(self, organisation, year, django_assert_num_queries):
        with django_assert_num_queries(1):
            figures = totals_by_recipient(organisation, 2026)

        def months(**kg):
            names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            return tuple(Decimal(kg.get(name, "0")) for name in names)

        assert figures.year == 2026
        assert figures.rows == (
            RecipientYear("Croix-Rouge", year["croix_rouge"].pk, months(mar="10"), Decimal("10.00"), Decimal("45.5")),
            RecipientYear(
                "Restos du Cœur", year["restos"].pk, months(mar="4", nov="2.5"), Decimal("6.50"), Decimal("29.5")
            ),
            # The growers are one recipient, whatever the site.
            RecipientYear("The growers", None, months(nov="5.5"), Decimal("5.50"), Decimal("25.0")),
        )
        assert figures.month_totals == months(mar="14", nov="8")
        assert figures.total == Decimal("22.00")
        assert sum(row.share for row in figures.rows) == Decimal("100.0")

    def test_a_year_without_distributions_is_empty(self, organisation, year):
        figures = totals_by_recipient(organisation, 2024)
        assert (figures.rows, figures.total) == ((), Decimal("0"))
        assert figures.month_totals == (Decimal("0"),) * 12

    def test_the_totals_page_shows_the_year_asked(self, trainer_client, year, django_assert_num_queries):
        url = reverse("partners:distribution_totals")
        with django_assert_num_queries(7):
            response = trainer_client.get(url, {"year": "2026"})
        page = response.content.decode()
        assert response.context["figures"].total == Decimal("22.00")
        assert "Croix-Rouge" in page and "The growers" in page and "45.5" in page
        assert "22.00 kg given to 3 recipients." in page
        # The current year by default; the years with distributions are offered.
        assert response.context["years"] == [2027, 2026, 2025]
        assert trainer_client.get(url, {"year": "1492"}).context["figures"].year == 2026


# The stock page -------------------------------------------------------------------------------------------------


class TestStockPage:
    URL = reverse("partners:stock")

    def test_the_stock_page_shows_harvested_given_and_available_per_site(
        self, trainer_client, organisation, garden, django_assert_num_queries
    ):
        acacias = SiteFactory(organisation=organisation, name="Les Acacias")
        _harvest(acacias, garden["leek"], D(2026, 11, 3), "9")
        DistributionFactory(
            site=garden["moulin"], to_growers=True, date=D(2026, 11, 12), lines=[(garden["tomato"], "12")]
        )
        with django_assert_num_queries(8):
            response = trainer_client.get(self.URL)
        sites = response.context["sites"]
        assert [(site["name"], site["harvested"], site["distributed"], site["available"]) for site in sites] == [
            ("Jardin du Moulin", Decimal("36.50"), Decimal("12.00"), Decimal("24.50")),
            ("Les Acacias", Decimal("9.00"), Decimal("0"), Decimal("9.00")),
        ]
        tomato_row = sites[0]["rows"][-1]
        assert (tomato_row.variety, tomato_row.harvested, tomato_row.distributed, tomato_row.available) == (
            "Tomate — Noire de Crimée",
            Decimal("20.00"),
            Decimal("12.00"),
            Decimal("8.00"),
        )
        assert f"{ADD}?site={acacias.pk}" in response.content.decode()

    def test_the_stock_of_one_site_as_of_a_day(self, trainer_client, organisation, garden):
        acacias = SiteFactory(organisation=organisation, name="Les Acacias")
        _harvest(acacias, garden["leek"], D(2026, 11, 3), "9")
        response = trainer_client.get(self.URL, {"site": garden["moulin"].pk, "on": "05/11/2026"})
        (moulin,) = response.context["sites"]
        assert [(row.variety, row.available) for row in moulin["rows"]] == [
            ("Poireau — Bleu de Solaise", Decimal("6.50")),
            ("Tomate — Noire de Crimée", Decimal("8.00")),
        ]
        assert "As of 05/11/2026" in response.content.decode()

    def test_a_bad_date_is_said_on_the_field(self, trainer_client, garden):
        response = trainer_client.get(self.URL, {"on": "31/02/2026"})
        assert response.context["form"].errors == {"on": ["Enter a date as dd/mm/yyyy, for example 09/03/2026."]}

    def test_without_harvests_the_page_says_what_to_do(self, trainer_client, organisation):
        assert "No harvest to give" in trainer_client.get(self.URL).content.decode()

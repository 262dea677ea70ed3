import pytest
from django.urls import reverse

from insertion.models import Neighbourhood
from tests.insertion.factories import TOTPDeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_administrator_sees_only_their_organisations_lists(
    client, administrator, organisation, other_organisation
):
    Neighbourhood.objects.create(organisation=other_organisation, label="Quartier d'ailleurs", code="ailleurs")
    client.force_login(administrator)
    response = client.get(reverse("admin:insertion_neighbourhood_changelist"))
    assert response.status_code == 200
    labels = {item.label for item in response.context["cl"].result_list}
    assert "Saint-Waast" in labels
    assert "Quartier d'ailleurs" not in labels


def test_another_organisations_entry_is_a_404_in_the_admin(client, administrator, other_organisation):
    theirs = Neighbourhood.objects.get(organisation=other_organisation, code="saint-waast")
    client.force_login(administrator)
    assert client.get(reverse("admin:insertion_neighbourhood_change", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("admin:insertion_neighbourhood_delete", args=[theirs.pk]), {"post": "yes"})
    assert response.status_code == 404
    assert Neighbourhood.objects.filter(pk=theirs.pk).exists()


def test_a_new_entry_belongs_to_the_administrators_organisation(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:insertion_neighbourhood_add"),
        {"label": "Nungesser", "code": "nungesser", "position": 20, "is_active": "on", "is_priority": "on"},
    )
    assert response.status_code == 302
    created = Neighbourhood.objects.get(code="nungesser")
    assert created.organisation == organisation
    assert created.is_priority


def test_a_duplicate_label_is_refused_on_the_form_not_with_a_crash(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:insertion_neighbourhood_add"),
        {"label": "Saint-Waast", "code": "autre-code", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert Neighbourhood.objects.filter(organisation=organisation, label="Saint-Waast").count() == 1


def test_an_administrator_cannot_reach_the_platform_pages(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:insertion_user_changelist")).status_code == 403
    assert client.get(reverse("admin:insertion_organisation_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Neighbourhoods" in index
    assert reverse("admin:insertion_organisation_changelist") not in index


def test_the_platform_staff_create_an_organisation_with_its_default_lists(client, db):
    from insertion.models import Organisation, User

    staff = User.objects.create_superuser("ops@example.org", "a-long-ops-password")
    TOTPDeviceFactory(user=staff)  # platform staff must use two-factor authentication
    client.force_login(staff)
    response = client.post(
        reverse("admin:insertion_organisation_add"),
        {
            "name": "Régie de Charleroi",
            "slug": "regie-charleroi",
            "kind": "regie",
            "city": "",
            "yearly_target": 40,
            "time_zone": "Europe/Paris",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="regie-charleroi")
    assert Neighbourhood.objects.filter(organisation=organisation).count() == 13

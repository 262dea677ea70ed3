"""The social worker's day in a real browser: sign in, find a person, log the monthly interview, add an action to
the plan, print the livret."""

import re

from playwright.sync_api import expect

from beneficiaries.models import Action, Beneficiary, Interview
from tests.browser.utils import field, pdf_text

NOTE = "Évoque des dettes de loyer auprès du bailleur : à revoir avec l'assistante sociale de secteur."
SUMMARY = "Point mensuel : bonne assiduité aux ateliers, souhaite préparer le permis B."


def followed_person(email):
    """One of the social worker's people, enrolled today, with an objective of the plan still to achieve."""
    return (
        Beneficiary.objects.filter(
            referent__email=email,
            enrolments__exit_date__isnull=True,
            objectives__achieved_on__isnull=True,
        )
        .order_by("last_name", "first_name")
        .distinct()
        .first()
    )


def test_a_social_worker_logs_the_monthly_interview_plans_an_action_and_prints_the_livret(sign_in, today):
    person = followed_person("social@demo.local")
    objective = person.objectives.filter(achieved_on__isnull=True).order_by("pk").first()

    tab = sign_in("social@demo.local")
    page = tab.page
    expect(page).to_have_url(re.compile(r"/beneficiaires/suivi/$"))
    tab.audit()

    # She finds the person by typing the start of the name in the list's search (htmx updates the results).
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Bénéficiaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bénéficiaires")
    tab.audit()
    page.get_by_role("searchbox", name="Nom").fill(person.last_name[:5])
    link = page.get_by_role("link", name=f"{person.last_name.upper()} {person.first_name}")
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(link).to_be_visible()
    tab.audit()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    tab.audit()

    # The monthly interview, with a note for the social workers only and the next appointment.
    page.get_by_role("link", name="Saisir un entretien").first.click()
    tab.audit()
    expect(field(page, "Date")).to_have_value(today.strftime("%d/%m/%Y"))
    field(page, "Type").select_option(label="Entretien individuel")
    field(page, "Compte rendu").fill(SUMMARY)
    field(page, "Note confidentielle").fill(NOTE)
    page.locator("#id_next_appointment_0").fill("02/03/2027")
    page.locator("#id_next_appointment_1").fill("10:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'entretien a été enregistré")
    tab.audit()
    interview = Interview.objects.get(beneficiary=person, date=today)
    assert (interview.summary, interview.confidential_note) == (SUMMARY, NOTE)
    assert interview.author.email == "social@demo.local"
    expect(page.get_by_text(NOTE)).to_be_visible()

    # An action under an objective of the plan.
    page.get_by_role("link", name=f"Ajouter une action — {objective.title}").click()
    tab.audit()
    field(page, "Action").fill("Rendez-vous à l'auto-école sociale pour le code de la route")
    field(page, "Date").fill("16/02/2027")
    field(page, "Statut").select_option(label="Prévue")
    field(page, "Partenaire mobilisé").fill("Auto-école sociale de Valenciennes")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'action a été ajoutée au plan")
    tab.audit()
    action = Action.objects.get(objective=objective, title__startswith="Rendez-vous à l'auto-école")
    assert action.partner == "Auto-école sociale de Valenciennes"

    # The livret: a PDF the person keeps, with their name and without the confidential note.
    content, filename = tab.download(page.get_by_role("link", name="Imprimer le livret de parcours").click)
    assert filename.endswith(".pdf")
    text = pdf_text(content)
    assert f"{person.first_name} {person.last_name}".casefold() in text.casefold()
    assert "Rendez-vous à l'auto-école sociale" in text
    assert "dettes de loyer" not in text

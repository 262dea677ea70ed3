"""Importing beneficiaries from spreadsheets: the service, the command and the upload page."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from beneficiaries import importing
from beneficiaries.import_views import SESSION_KEY
from beneficiaries.importing import import_apply, import_parse
from beneficiaries.models import Beneficiary, Enrolment
from insertion.models import Neighbourhood, Programme, SocialSituation
from partners.models import Partner
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.insertion.factories import OrganisationFactory
from tests.utils import read_response

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples"
HEADERS = ";".join(importing.COLUMN_NAMES)


@pytest.fixture(autouse=True)
def _frozen_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    with (
        time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False),
        translation.override("en"),
    ):
        yield


def _csv(*lines, headers=HEADERS):
    return ("\n".join([headers, *lines]) + "\n").encode()


def _parse(organisation, content, filename="file.csv"):
    return import_parse(organisation=organisation, file=content, filename=filename)


def _errors(result):
    return [(error.line, error.column) for error in result.errors]


def _zip_of_another_kind():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestTheSample:
    def test_the_documented_csv_sample_imports_into_an_organisation_with_the_default_lists(self):
        organisation = OrganisationFactory(with_defaults=True)
        result = _parse(organisation, (SAMPLES / "beneficiaires.csv").read_bytes(), "beneficiaires.csv")

        assert result.errors == []
        assert import_apply(organisation=organisation, result=result, user=None) == 10
        assert Beneficiary.objects.of(organisation).count() == 10
        assert Enrolment.objects.filter(beneficiary__organisation=organisation).count() == 9
        assert Enrolment.objects.filter(beneficiary__organisation=organisation, exit_date__isnull=False).count() == 4
        sylvie = Beneficiary.objects.get(organisation=organisation, last_name="Dupont")
        assert (sylvie.first_name, sylvie.sex, sylvie.birth_date) == ("Sylvie", "F", datetime.date(1968, 7, 21))
        assert sylvie.neighbourhood.code == "faubourg-de-lille"
        assert sylvie.education_level.code == "baccalaureat"
        assert sorted(sylvie.social_situations.values_list("code", flat=True)) == ["isolated", "over-50", "rsa"]
        # The organisation's directory is empty: each referring partner of the file is added to it, once.
        assert sylvie.referring_partner.name == "CCAS de Valenciennes"
        assert sorted(
            Partner.objects.filter(organisation=organisation, orients_people=True).values_list("name", flat=True)
        ) == [
            "ADOMA",
            "CCAS de Valenciennes",
            "CHRS Les Glycines",
            "Cap Emploi",
            "France Travail",
            "Mission Locale du Valenciennois",
            "Restos du Cœur",
            "Secours populaire",
        ]
        enrolment = sylvie.enrolments.get()
        assert enrolment.programme.code == "market-gardening-workshop"  # empty in the file: the first programme
        assert (enrolment.entry_date, enrolment.exit_date) == (datetime.date(2025, 3, 10), datetime.date(2025, 12, 15))
        assert enrolment.exit_outcome.code == "cdi"

    def test_the_xlsx_sample_with_real_date_cells_gives_the_same_people_as_the_csv(self):
        organisation = OrganisationFactory(with_defaults=True)
        from_csv = _parse(organisation, (SAMPLES / "beneficiaires.csv").read_bytes(), "beneficiaires.csv")
        from_xlsx = _parse(organisation, (SAMPLES / "beneficiaires.xlsx").read_bytes(), "beneficiaires.xlsx")

        assert from_xlsx.errors == []
        assert from_xlsx.rows == from_csv.rows


class TestBadRows:
    def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row_with_its_line(self, organisation):
        content = _csv(
            "Lefebvre;Nadia;F;14/03/1979;Saint-Waast;;;;;05/01/2026;;",  # 2: good
            "Benali;Karim;Q;02/11/1985;;;;;;;;",  # 3: sex
            ";Sylvie;F;21/07/1968;;;;;;;;",  # 4: no name
            "Mabiala;Grâce;F;09/09/2012;;;;;;;;",  # 5: under 16
            "Wattiez;Jean;M;30/04/2030;;;;;;;;",  # 6: born in the future
            "Morel;Camille;X;31/02/1995;;;;;;;;",  # 7: not a date
            "Delattre;Michel;M;11/01/1963;Valenciennes Nord;;;;;;;",  # 8: unknown neighbourhood
            "Bouchez;Laetitia;F;03/08/1990;;;;;;10/03/2025;01/03/2025;CDI",  # 9: exit before entry
            "Diallo;Mamadou;M;15/02/1998;;;;;;10/03/2025;01/04/2025;",  # 10: exit without outcome
            "Haddad;Yasmine;F;15/02/1998;;;;;;10/03/2025;;CDI",  # 11: outcome without exit date
            "Petit;Louis;M;15/02/1998;;;;;;;01/04/2025;CDI",  # 12: exit without entry
            "Roux;Anne;F;15/02/1998;;;;;;10/03/2025;01/01/2027;CDI",  # 13: exit in the future
        )
        result = _parse(organisation, content)

        assert _errors(result) == [
            (3, "sexe"),
            (4, "nom"),
            (5, "date_naissance"),
            (6, "date_naissance"),
            (7, "date_naissance"),
            (8, "quartier"),
            (9, "date_sortie"),
            (10, "sortie"),
            (11, "date_sortie"),
            (12, "date_sortie"),
            (12, "sortie"),
            (13, "date_sortie"),
        ]
        messages = {error.line: error.message for error in result.errors}
        assert messages[3] == "“Q” is not a sex: write F, M or X."
        assert messages[5] == "The person must be at least 16 years old."
        assert messages[6] == "The date of birth cannot be in the future."
        assert messages[7] == "“31/02/1995” is not a date: write it dd/mm/yyyy."
        assert messages[9] == "The exit cannot be before the entry."
        assert messages[10] == "An exit date needs its outcome."
        assert messages[11] == "An exit outcome needs its date."
        assert messages[13] == "The exit cannot be in the future: record it once the person has left."
        assert [row.line for row in result.rows] == [2]
        with pytest.raises(ValueError):
            import_apply(organisation=organisation, result=result, user=None)
        assert not Beneficiary.objects.exists()

    def test_every_error_of_a_row_is_reported_not_only_the_first(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;Q;1985;Nulle part;;;;;;;"))

        assert _errors(result) == [(2, "sexe"), (2, "date_naissance"), (2, "quartier")]

    def test_an_error_is_written_line_and_column_then_the_reason(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;Q;02/11/1985;;;;;;;;"))

        assert str(result.errors[0]) == "line 2, column sexe: “Q” is not a sex: write F, M or X."

    def test_an_unknown_label_names_the_value_and_suggests_labels_of_the_list(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;Saint-Wast;;;;;;;"))

        (error,) = result.errors
        assert error.message.startswith("“Saint-Wast” is not in the list of neighbourhoods. Valid values include: ")
        assert "Saint-Waast" in error.message

    def test_an_unknown_situation_among_several_is_named(self, organisation):
        result = _parse(organisation, _csv('Benali;Karim;M;02/11/1985;;;"Allocataire du RSA; Chômeur";;;;;'))

        (error,) = result.errors
        assert (error.line, error.column) == (2, "situations")
        assert "“Chômeur” is not in the list of social situations" in error.message

    def test_a_deactivated_entry_is_refused(self, organisation):
        Neighbourhood.objects.filter(organisation=organisation, code="dutemple").update(is_active=False)

        result = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;Dutemple;;;;;;;"))

        assert [error.message for error in result.errors] == [
            "“Dutemple” is no longer in use in the list of neighbourhoods."
        ]

    def test_a_programme_without_an_entry_date_is_refused_rather_than_dropped(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;;;;;Atelier maraîchage;;;"))

        assert _errors(result) == [(2, "programme")]

    def test_an_entry_date_without_any_programme_in_the_organisation_is_refused(self, organisation):
        Programme.objects.filter(organisation=organisation).update(is_active=False)

        result = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;;;;;;05/01/2026;;"))

        assert _errors(result) == [(2, "date_entree")]


class TestMatching:
    def test_labels_match_whatever_the_case_accents_hyphens_apostrophes_and_spaces(self, organisation):
        content = _csv(
            "Benali;Karim;m;02/11/1985;saint waast;SORTIE DU COLLEGE SANS DIPLOME;"
            '"allocataire de l’ass ;  resident d un  quartier prioritaire";;atelier maraichage;05/01/2026;;'
        )
        result = _parse(organisation, content)

        assert result.errors == []
        (row,) = result.rows
        assert row.neighbourhood.label == "Saint-Waast"
        assert row.education_level.code == "college-no-diploma"
        assert [situation.code for situation in row.social_situations] == ["ass", "priority-neighbourhood"]
        assert row.programme.code == "market-gardening-workshop"

    def test_the_exact_label_wins_when_two_entries_differ_only_by_punctuation(self, organisation):
        Neighbourhood.objects.create(organisation=organisation, label="Saint Waast", code="saint-waast-2")

        exact = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;Saint Waast;;;;;;;"))
        ambiguous = _parse(organisation, _csv("Benali;Karim;M;02/11/1985;SAINT WAAST;;;;;;;"))

        assert exact.rows[0].neighbourhood.code == "saint-waast-2"
        assert _errors(ambiguous) == [(2, "quartier")]

    @pytest.mark.parametrize(
        ("written", "expected"),
        [("F", "F"), ("femme", "F"), ("Homme", "M"), ("h", "M"), ("m", "M"), ("x", "X"), ("Féminin", "F")],
    )
    def test_sex_is_f_m_or_x_or_written_in_full(self, organisation, written, expected):
        result = _parse(organisation, _csv(f"Benali;Camille;{written};02/11/1985;;;;;;;;"))

        assert result.rows[0].sex == expected

    def test_dates_may_be_written_dd_mm_yyyy_or_yyyy_mm_dd(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;M;1985-11-02;;;;;;5/1/2026;;"))

        assert (result.rows[0].birth_date, result.rows[0].entry_date) == (
            datetime.date(1985, 11, 2),
            datetime.date(2026, 1, 5),
        )

    def test_the_programme_defaults_to_the_first_active_programme_when_an_entry_date_is_given(self, organisation):
        Programme.objects.filter(organisation=organisation).update(position=2)
        tremplin = Programme.objects.create(organisation=organisation, label="Chantier Tremplin", code="t", position=1)
        Programme.objects.create(
            organisation=organisation, label="Ancien chantier", code="old", position=0, is_active=False
        )

        result = _parse(
            organisation, _csv("Benali;Karim;M;02/11/1985;;;;;;05/01/2026;;", "Petit;Louis;M;02/11/1985;;;;;;;;")
        )

        assert [row.programme for row in result.rows] == [tremplin, None]


class TestColumns:
    def test_headers_are_read_whatever_their_case_accents_and_small_words(self, organisation):
        content = _csv(
            "Benali;Karim;M;02/11/1985;05/01/2026",
            headers="NOM;Prénom;Sexe;Date de naissance;Date d'entrée",
        )
        result = _parse(organisation, content)

        assert result.errors == []
        assert result.rows[0].entry_date == datetime.date(2026, 1, 5)

    def test_a_header_with_underscores_or_spaces_is_the_same_column(self, organisation):
        content = _csv("Benali;Karim;M;02/11/1985", headers="nom;prenom;sexe;DATE_NAISSANCE")
        spaced = _csv("Benali;Karim;M;02/11/1985", headers="nom;prenom;sexe;Date naissance")

        assert _parse(organisation, content).errors == _parse(organisation, spaced).errors == []

    def test_unknown_and_missing_columns_are_reported_by_name_and_no_row_is_read(self, organisation):
        content = _csv("Benali;Karim;02/11/1985;06 12 34 56 78", headers="nom;prenom;date_naissance;téléphone")
        result = _parse(organisation, content)

        assert _errors(result) == [(1, "téléphone"), (1, "sexe")]
        assert result.errors[0].message.startswith("Unknown column “téléphone”. The columns are: nom, prenom, sexe")
        assert result.errors[1].message == "The required column “sexe” is missing."
        assert result.rows == []

    def test_a_column_given_twice_is_an_error(self, organisation):
        result = _parse(
            organisation, _csv("Benali;Karim;M;02/11/1985;x", headers="nom;prenom;sexe;date_naissance;Nom")
        )

        assert _errors(result) == [(1, "Nom")]

    def test_optional_columns_may_be_left_out(self, organisation):
        result = _parse(organisation, _csv("Benali;Karim;M;02/11/1985", headers="nom;prenom;sexe;date_naissance"))

        assert result.errors == []
        assert result.rows[0].social_situations == []


class TestDuplicates:
    def test_a_person_twice_in_the_file_is_an_error_on_the_second_line(self, organisation):
        content = _csv(
            "Benali;Karim;M;02/11/1985;;;;;;;;",
            "Petit;Louis;M;02/11/1985;;;;;;;;",
            "BENALI;karim;M;02/11/1985;;;;;;;;",
        )
        result = _parse(organisation, content)

        assert _errors(result) == [(4, "nom")]
        assert "already on line 2" in result.errors[0].message

    def test_a_person_already_in_the_organisation_is_an_error(self, organisation, other_organisation):
        BeneficiaryFactory(
            organisation=organisation, last_name="Benali", first_name="Karim", birth_date=datetime.date(1985, 11, 2)
        )
        BeneficiaryFactory(
            organisation=other_organisation,
            last_name="Petit",
            first_name="Louis",
            birth_date=datetime.date(1985, 11, 2),
        )

        result = _parse(organisation, _csv("benali;KARIM;M;02/11/1985;;;;;;;;", "Petit;Louis;M;02/11/1985;;;;;;;;"))

        assert _errors(result) == [(2, "nom")]
        assert result.errors[0].message == "KARIM benali, born on 02/11/1985, already exists in the organisation."

    def test_importing_the_same_file_twice_creates_no_one_the_second_time(self, organisation):
        content = (SAMPLES / "beneficiaires.csv").read_bytes()
        import_apply(organisation=organisation, result=_parse(organisation, content), user=None)

        second = _parse(organisation, content)

        assert [error.line for error in second.errors] == list(range(2, 12))
        assert Beneficiary.objects.of(organisation).count() == 10


class TestFiles:
    def test_xlsx_dates_may_be_date_cells_or_text_and_blank_rows_keep_the_line_numbers(self, organisation):
        content = _xlsx(
            [
                ["nom", "prenom", "sexe", "date_naissance", "date_entree", "date_sortie", "sortie"],
                ["Benali", "Karim", "M", datetime.datetime(1985, 11, 2), datetime.date(2026, 1, 5), None, None],
                [],
                ["Petit", "Louis", "M", "02/11/1985", "2026-01-05", datetime.date(2026, 3, 1), "cdi"],
                ["Roux", "Anne", "F", 1985, None, None, None],
            ]
        )
        result = _parse(organisation, content, "file.xlsx")

        assert _errors(result) == [(5, "date_naissance")]
        assert result.errors[0].message == "“1985” is not a date: write it dd/mm/yyyy."
        assert [(row.line, row.birth_date) for row in result.rows] == [
            (2, datetime.date(1985, 11, 2)),
            (4, datetime.date(1985, 11, 2)),
        ]
        assert result.rows[1].exit_date == datetime.date(2026, 3, 1)

    def test_only_the_first_sheet_of_a_workbook_is_read(self, organisation):
        workbook = openpyxl.Workbook()
        workbook.active.append(["nom", "prenom", "sexe", "date_naissance"])
        workbook.active.append(["Benali", "Karim", "M", datetime.date(1985, 11, 2)])
        other = workbook.create_sheet("Notes")
        other.append(["anything"])
        workbook.active = 1
        buffer = io.BytesIO()
        workbook.save(buffer)

        result = _parse(organisation, buffer.getvalue(), "file.xlsx")

        assert result.errors == []
        assert len(result.rows) == 1

    def test_a_csv_from_excel_in_cp1252_with_commas_is_read(self, organisation):
        content = "nom,prénom,sexe,date_naissance,quartier\r\nLefèvre,Grâce,F,09/09/2001,Faubourg de Lille\r\n"

        result = _parse(organisation, content.encode("cp1252"))

        assert result.errors == []
        assert (result.rows[0].last_name, result.rows[0].first_name) == ("Lefèvre", "Grâce")

    def test_a_utf8_csv_with_a_byte_order_mark_is_read(self, organisation):
        result = _parse(organisation, "\ufeff".encode() + _csv("Benali;Karim;M;02/11/1985;;;;;;;;"))

        assert result.errors == []

    def test_empty_rows_are_skipped(self, organisation):
        result = _parse(organisation, _csv("", ";;;;;;;;;;;", "Benali;Karim;M;02/11/1985;;;;;;;;", "  ;;"))

        assert result.errors == []
        assert [row.line for row in result.rows] == [4]

    def test_a_file_with_headers_only_is_an_error(self, organisation):
        result = _parse(organisation, _csv())

        assert [error.line for error in result.errors] == [None]

    def test_a_file_over_5_mb_is_refused(self, organisation):
        content = _csv("Benali;Karim;M;02/11/1985;;;;;;;;") + b" " * (5 * 1024 * 1024)

        result = _parse(organisation, content)

        assert [str(error) for error in result.errors] == [
            "The file is larger than 5 MB: split it into several files."
        ]

    def test_a_file_over_the_row_limit_is_refused(self, organisation, monkeypatch):
        monkeypatch.setattr(importing, "MAX_ROWS", 2)
        rows = [f"Benali;Karim{n};M;02/11/1985;;;;;;;;" for n in range(3)]

        assert _parse(organisation, _csv(*rows[:2])).errors == []
        assert [str(error) for error in _parse(organisation, _csv(*rows)).errors] == [
            "The file has more than 2 rows: split it into several files."
        ]

    @pytest.mark.parametrize(
        ("content", "filename", "message"),
        [
            (b"\xd0\xcf\x11\xe0", "old.xls", "Old Excel files (.xls) cannot be read"),
            (b"%PDF-1.7", "file.pdf", "Only CSV (.csv) and Excel (.xlsx) files can be imported."),
            (b"not a workbook", "file.xlsx", "This file cannot be read as an Excel workbook (.xlsx)."),
            (b"PK\x03\x04broken", "file.xlsx", "This file cannot be read as an Excel workbook (.xlsx)."),
            (_zip_of_another_kind(), "file.docx", "This file cannot be read as an Excel workbook (.xlsx)."),
        ],
    )
    def test_files_that_are_not_csv_or_xlsx_are_refused(self, organisation, content, filename, message):
        result = _parse(organisation, content, filename)

        assert len(result.errors) == 1
        assert result.errors[0].message.startswith(message)


class TestQueries:
    @staticmethod
    def _rows(count):
        return _csv(
            *(
                f'Nom{n};Prénom;F;14/03/1979;Saint-Waast;Doctorat;"Allocataire du RSA;Parent isolé";CHRS;;'
                f"05/01/2025;30/06/2025;CDI"
                for n in range(count)
            )
        )

    @pytest.mark.parametrize("count", [5, 50])
    def test_the_queries_of_an_import_do_not_grow_with_the_number_of_rows(
        self, organisation, count, django_assert_max_num_queries
    ):
        # One per list, the partner directory, and the people already there.
        with django_assert_max_num_queries(7):
            result = _parse(organisation, self._rows(count))
        # The new partner (CHRS, once), the people, their situations, their enrolments (and savepoints), and the
        # history rows of the people and of the enrolments: one insert each, which SQLite splits in two past 999
        # parameters (about 40 people).
        with django_assert_max_num_queries(9):
            created = import_apply(organisation=organisation, result=result, user=None)

        assert created == count
        assert Partner.objects.get(organisation=organisation).referred_beneficiaries.count() == count
        assert SocialSituation.objects.filter(beneficiary__organisation=organisation).count() == count * 2
        assert (
            Enrolment.objects.filter(beneficiary__organisation=organisation, exit_outcome__code="cdi").count() == count
        )


class TestCommand:
    def test_the_command_imports_a_good_file_and_prints_the_count(self, organisation):
        out = io.StringIO()

        call_command(
            "import_beneficiaries", "--organisation", "jardins", str(SAMPLES / "beneficiaires.xlsx"), stdout=out
        )

        assert "10 people imported into “Les Jardins”." in out.getvalue()
        assert Beneficiary.objects.of(organisation).count() == 10

    def test_the_command_lists_the_errors_and_saves_nothing(self, organisation, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(_csv("Benali;Karim;M;02/11/1985;;;;;;;;", "Petit;Louis;Q;02/11/1985;;;;;;;;"))
        err = io.StringIO()

        with pytest.raises(CommandError, match="1 error in bad.csv: nothing was imported."):
            call_command("import_beneficiaries", "--organisation", "jardins", str(path), stderr=err)

        assert err.getvalue() == "line 3, column sexe: “Q” is not a sex: write F, M or X.\n"
        assert not Beneficiary.objects.exists()

    def test_the_command_in_dry_run_saves_nothing(self, organisation):
        out = io.StringIO()

        call_command(
            "import_beneficiaries",
            "--organisation",
            "jardins",
            "--dry-run",
            str(SAMPLES / "beneficiaires.csv"),
            stdout=out,
        )

        assert "10 people would be imported" in out.getvalue()
        assert not Beneficiary.objects.exists()

    def test_the_command_refuses_an_unknown_organisation(self, organisation):
        with pytest.raises(CommandError, match="No organisation has the short name “nowhere”."):
            call_command("import_beneficiaries", "--organisation", "nowhere", str(SAMPLES / "beneficiaires.csv"))

    def test_the_command_refuses_a_missing_file(self, organisation, tmp_path):
        with pytest.raises(CommandError, match="cannot be opened"):
            call_command("import_beneficiaries", "--organisation", "jardins", str(tmp_path / "missing.csv"))


class TestUploadPage:
    @pytest.fixture
    def sw_client(self, client, social_worker):
        client.force_login(social_worker)
        return client

    @staticmethod
    def _upload(client, content, name="beneficiaires.csv"):
        upload = io.BytesIO(content)
        upload.name = name
        return client.post(reverse("beneficiaries:import"), {"file": upload})

    def test_the_page_shows_the_form_and_the_expected_columns(self, sw_client):
        response = sw_client.get(reverse("beneficiaries:import"))

        assert response.status_code == 200
        page = response.content.decode()
        assert 'enctype="multipart/form-data"' in page
        assert 'accept=".csv,.xlsx"' in page
        for column in importing.COLUMN_NAMES:
            assert f"<code>{column}</code>" in page

    def test_upload_shows_a_preview_then_confirm_creates_the_people(self, sw_client, organisation, social_worker):
        response = self._upload(sw_client, (SAMPLES / "beneficiaires.csv").read_bytes())

        assert response.status_code == 200
        page = response.content.decode()
        assert "Confirm the import of 10 people" in page
        assert "Nadia LEFEBVRE" in page
        assert not Beneficiary.objects.exists()

        response = sw_client.post(reverse("beneficiaries:import_confirm"), {"token": response.context["token"]})

        assert response.status_code == 302
        assert response["Location"] == reverse("beneficiaries:list")
        assert [str(message) for message in get_messages(response.wsgi_request)] == ["10 people were imported."]
        assert Beneficiary.objects.of(organisation).count() == 10
        assert SESSION_KEY not in sw_client.session

    def test_the_preview_shows_the_first_50_rows_only(self, sw_client):
        content = _csv(*(f"Nom{n};Prénom;F;14/03/1979;;;;;;;;" for n in range(60)))

        response = self._upload(sw_client, content)

        page = response.content.decode()
        assert "The first 50 people of the 60 to import" in page
        assert "Prénom NOM49" in page
        assert "Prénom NOM50" not in page
        assert "Confirm the import of 60 people" in page

    def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(self, sw_client):
        content = _csv("Benali;Karim;M;02/11/1985;;;;;;;;", "Petit;Louis;Q;02/11/1985;;;;;;;;")

        response = self._upload(sw_client, content)

        page = response.content.decode()
        assert "Nothing was imported" in page
        assert "“Q” is not a sex: write F, M or X." in page
        assert reverse("beneficiaries:import_confirm") not in page
        assert SESSION_KEY not in sw_client.session
        assert not Beneficiary.objects.exists()

    def test_a_file_of_another_type_is_refused_by_the_form(self, sw_client):
        response = self._upload(sw_client, b"%PDF-1.7", "file.pdf")

        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert SESSION_KEY not in sw_client.session

    def test_confirm_without_a_file_waiting_goes_back_to_the_upload_page(self, sw_client):
        response = sw_client.post(reverse("beneficiaries:import_confirm"), {"token": "anything"})

        assert response.status_code == 302
        assert response["Location"] == reverse("beneficiaries:import")
        assert [str(message) for message in get_messages(response.wsgi_request)] == [
            "No file is waiting to be imported: choose it again."
        ]

    def test_confirm_with_another_token_imports_nothing(self, sw_client):
        self._upload(sw_client, (SAMPLES / "beneficiaires.csv").read_bytes())

        response = sw_client.post(reverse("beneficiaries:import_confirm"), {"token": "forged"})

        assert response["Location"] == reverse("beneficiaries:import")
        assert not Beneficiary.objects.exists()

    def test_confirm_checks_the_file_again(self, sw_client, organisation):
        response = self._upload(sw_client, (SAMPLES / "beneficiaires.csv").read_bytes())
        BeneficiaryFactory(
            organisation=organisation, last_name="Diallo", first_name="Mamadou", birth_date=datetime.date(1998, 2, 15)
        )

        response = sw_client.post(reverse("beneficiaries:import_confirm"), {"token": response.context["token"]})

        assert response.status_code == 200
        assert "already exists in the organisation" in response.content.decode()
        assert Beneficiary.objects.of(organisation).count() == 1

    def test_a_trainer_may_not_import(self, client, trainer):
        client.force_login(trainer)

        assert client.get(reverse("beneficiaries:import")).status_code == 403
        assert self._upload(client, (SAMPLES / "beneficiaires.csv").read_bytes()).status_code == 403
        assert client.post(reverse("beneficiaries:import_confirm"), {"token": "anything"}).status_code == 403


def test_the_sample_file_downloads_from_the_import_page_and_imports(client, organisation, social_worker):
    from beneficiaries.importing import import_parse as parse

    client.force_login(social_worker)
    page = client.get(reverse("beneficiaries:import")).content.decode()
    assert reverse("beneficiaries:import_sample", args=["xlsx"]) in page
    response = client.get(reverse("beneficiaries:import_sample", args=["xlsx"]))
    content = read_response(response)
    result = parse(organisation=organisation, file=content, filename="beneficiaires.xlsx")
    assert result.errors == []
    assert len(result.rows) == 10

"""Importing beneficiaries from a spreadsheet (CSV or XLSX), for structures whose files live in Excel.

Two steps, so that the upload page can show a preview before anything is written:
- `import_parse` reads the file, maps the French headers, matches the values against the organisation's
  lists and applies the models' rules; it writes nothing;
- `import_apply` creates everyone of a result without errors, in one transaction.

A file with a single bad row imports nothing: every error is reported with its line (as the spreadsheet
numbers it: the headers are line 1) so that the file can be fixed and imported again as a whole.
Importing the same file twice creates no one the second time: people already in the organisation are errors.
The referring partner (orienteur) is a partner of the organisation's directory, matched by name; a name the
directory does not know becomes a new partner when the import is applied, once however many rows name it.

Built for 10,000 rows: each reference list is read once into a dictionary, the rows are checked in Python,
and the records are created with bulk_create, so the number of queries does not depend on the file's size.
"""

import csv
import datetime
import difflib
import io
import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from beneficiaries.enums import Sex
from beneficiaries.models import MINIMUM_AGE, Beneficiary, Enrolment, age_on
from insertion.models import EducationLevel, ExitOutcome, Neighbourhood, Programme, SocialSituation
from partners.enums import PartnerKind
from partners.models import Partner

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 20_000
BATCH_SIZE = 1000
SUGGESTIONS = 5


@dataclass(frozen=True)
class Column:
    """A column of the spreadsheet, as docs/import.md documents it."""

    name: str  # the French header
    meaning: str
    format: str
    example: str
    required: bool = False


COLUMNS = (
    Column("nom", gettext_lazy("Last name"), gettext_lazy("Text"), "Lefebvre", required=True),
    Column("prenom", gettext_lazy("First name"), gettext_lazy("Text"), "Nadia", required=True),
    Column("sexe", gettext_lazy("Sex"), gettext_lazy("F, M or X (also “femme”, “homme”)"), "F", required=True),
    Column("date_naissance", gettext_lazy("Date of birth"), gettext_lazy("dd/mm/yyyy"), "14/03/1979", required=True),
    Column("quartier", gettext_lazy("Neighbourhood"), gettext_lazy("A label of the list"), "Saint-Waast"),
    Column(
        "niveau_formation",
        gettext_lazy("Education level"),
        gettext_lazy("A label of the list"),
        "CAP, BEP (ou niveau 2nde/1ère)",
    ),
    Column(
        "situations",
        gettext_lazy("Social situations at entry"),
        gettext_lazy("Labels of the list, separated by ;"),
        "Allocataire du RSA; Parent isolé",
    ),
    Column(
        "orienteur",
        gettext_lazy("Referring partner"),
        gettext_lazy("A partner of the directory; an unknown name is added to it"),
        "CHRS Les Glycines",
    ),
    Column(
        "programme",
        gettext_lazy("Programme"),
        gettext_lazy("A label of the list; the first programme when empty"),
        "Atelier maraîchage",
    ),
    Column("date_entree", gettext_lazy("Entry date in the programme"), gettext_lazy("dd/mm/yyyy"), "05/01/2026"),
    Column("date_sortie", gettext_lazy("Exit date"), gettext_lazy("dd/mm/yyyy, with the outcome"), "30/06/2026"),
    Column("sortie", gettext_lazy("Exit outcome"), gettext_lazy("A label of the list, with the exit date"), "CDI"),
)
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
DATE_COLUMNS = {"date_naissance", "date_entree", "date_sortie"}

# Small words people put in headers ("Date de naissance", "Date d'entrée") that the documented names leave out.
HEADER_FILLERS = {"de", "d", "du", "des"}
SEXES = {
    "f": Sex.FEMALE,
    "femme": Sex.FEMALE,
    "feminin": Sex.FEMALE,
    "m": Sex.MALE,
    "h": Sex.MALE,
    "homme": Sex.MALE,
    "masculin": Sex.MALE,
    "x": Sex.OTHER,
}
SEPARATORS = re.compile(r"[\s\-_'’‘`´]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae"})
FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def normalise(value):
    """The form labels are compared in: no case, no accents, and hyphens, apostrophes and spaces all alike.

    "saint waast", "SAINT-WAAST" and "Saint-Waast" are one neighbourhood; "Allocataire de l’ASS" (typographic
    apostrophe, as Word and Excel write it) is "Allocataire de l'ASS".
    """
    text = unicodedata.normalize("NFKD", str(value).translate(LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return SEPARATORS.sub(" ", text).strip()


def header_key(header):
    words = [word for word in normalise(header).split() if word not in HEADER_FILLERS]
    return "_".join(words)


@dataclass(frozen=True)
class RowError:
    """What is wrong, and where: `line` as the spreadsheet numbers it (None for the file as a whole)."""

    line: int | None
    column: str
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        if not self.column:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportRow:
    """A valid row, its values converted and its labels resolved to the organisation's entries."""

    line: int
    last_name: str
    first_name: str
    sex: str
    birth_date: datetime.date
    neighbourhood: Neighbourhood | None = None
    education_level: EducationLevel | None = None
    social_situations: list = field(default_factory=list)
    referring_partner: Partner | None = None  # a partner of the directory
    new_partner: str = ""  # or the name of a partner to add to it
    programme: Programme | None = None
    entry_date: datetime.date | None = None
    exit_date: datetime.date | None = None
    exit_outcome: ExitOutcome | None = None

    @property
    def sex_label(self):
        return Sex(self.sex).label


@dataclass
class ImportResult:
    filename: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors

    @property
    def new_partners(self):
        """The names of the partners the import adds to the directory, once each, in the file's order."""
        return list(dict.fromkeys(row.new_partner for row in self.rows if row.new_partner))

    @property
    def enrolment_count(self):
        return sum(1 for row in self.rows if row.entry_date)

    @property
    def exit_count(self):
        return sum(1 for row in self.rows if row.exit_date)


class _FileError(Exception):
    """The file as a whole cannot be read: nothing below it is worth reporting."""


class _Invalid(Exception):
    """One value cannot be used; the message says why."""


def import_parse(*, organisation, file, filename):
    """Read and check a spreadsheet without writing anything; `file` is a binary file object or bytes."""
    result = ImportResult(filename=filename)
    try:
        table = _read_table(file, filename)
        columns, result.errors = _map_headers(table[0] if table else [])
    except _FileError as error:
        result.errors.append(RowError(None, "", str(error)))
        return result
    if not result.errors:  # with wrong headers, the rows would only repeat the same error
        _RowChecker(organisation, columns).check(table, result)
    return result


@transaction.atomic
def import_apply(*, organisation, result, user):
    """Create the people of a checked result, with their situations and enrolments; returns how many."""
    if result.errors:
        raise ValueError("An import with errors cannot be applied: nothing would be consistent.")
    partners = _partners_add(organisation, result)
    # With their history rows (one more insert per model): the history says who imported each person.
    beneficiaries = bulk_create_with_history(
        [
            Beneficiary(
                organisation=organisation,
                last_name=row.last_name,
                first_name=row.first_name,
                sex=row.sex,
                birth_date=row.birth_date,
                neighbourhood=row.neighbourhood,
                education_level=row.education_level,
                referring_partner=row.referring_partner or partners.get(row.new_partner),
            )
            for row in result.rows
        ],
        Beneficiary,
        batch_size=BATCH_SIZE,
        default_user=user,
    )
    through = Beneficiary.social_situations.through
    through.objects.bulk_create(
        [
            through(beneficiary_id=beneficiary.pk, socialsituation_id=situation.pk)
            for beneficiary, row in zip(beneficiaries, result.rows, strict=True)
            for situation in row.social_situations
        ],
        batch_size=BATCH_SIZE,
    )
    bulk_create_with_history(
        [
            Enrolment(
                beneficiary=beneficiary,
                programme=row.programme,
                entry_date=row.entry_date,
                exit_date=row.exit_date,
                exit_outcome=row.exit_outcome,
            )
            for beneficiary, row in zip(beneficiaries, result.rows, strict=True)
            if row.entry_date
        ],
        Enrolment,
        batch_size=BATCH_SIZE,
        default_user=user,
    )
    # The history rows say who created each record; the log also keeps the file's name.
    logger.info(
        "%s imported %d beneficiaries from %s into %s",
        user or "a command",
        len(beneficiaries),
        result.filename,
        organisation.slug,
    )
    return len(beneficiaries)


def _partners_add(organisation, result):
    """{name: partner} of the partners the import adds to the directory, in one insert; and the partners already
    there that the file names as orienting people in get that role, in one update."""
    to_flag = {
        row.referring_partner.pk
        for row in result.rows
        if row.referring_partner is not None and not row.referring_partner.orients_people
    }
    if to_flag:
        Partner.objects.filter(pk__in=to_flag).update(orients_people=True)
    names = result.new_partners
    if not names:
        return {}
    created = Partner.objects.bulk_create(
        [Partner(organisation=organisation, name=name, kind=PartnerKind.OTHER, orients_people=True) for name in names],
        batch_size=BATCH_SIZE,
    )
    if any(partner.pk is None for partner in created):  # a database that does not return the ids of an insert
        created = Partner.objects.filter(organisation=organisation, name__in=names)
    return {partner.name: partner for partner in created}


# Reading the file into rows of cells.


def _read_table(file, filename):
    """The rows of the file, the headers first, blank rows kept so that list positions stay line numbers."""
    content = file if isinstance(file, bytes) else file.read(MAX_FILE_SIZE + 1)
    if len(content) > MAX_FILE_SIZE:
        raise _FileError(
            _("The file is larger than %(size)s MB: split it into several files.")
            % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if extension in ("csv", "txt"):
        return _read_csv(content)
    if extension == "xls":
        raise _FileError(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv and try again."))
    raise _FileError(_("Only CSV (.csv) and Excel (.xlsx) files can be imported."))


class _Table(list):
    """The rows of a file, blank ones as [] so that positions stay line numbers; refuses too many filled rows."""

    filled = 0

    def add(self, row):
        if not any(_cell_text(cell) for cell in row):
            self.append([])
            return
        self.append(list(row))
        self.filled += 1
        if self.filled > MAX_ROWS + 1:  # the headers and MAX_ROWS people
            raise _FileError(
                _("The file has more than %(count)s rows: split it into several files.") % {"count": MAX_ROWS}
            )


def _decode(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")  # decodes any byte: the values will show what went wrong


def _read_csv(content):
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    # French Excel writes ";", most other tools ","; the headers line tells which one this file uses.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    table = _Table()
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            table.add(row)
    except csv.Error as error:
        message = _("The CSV file cannot be read after line %(line)s (%(error)s).")
        raise _FileError(message % {"line": len(table), "error": error}) from None
    return table


# What openpyxl raises on a damaged or disguised file.
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, SyntaxError)


def _read_xlsx(content):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except XLSX_ERRORS:
        raise _FileError(_("This file cannot be read as an Excel workbook (.xlsx).")) from None
    table = _Table()
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write wrong dimensions: read every row there is
        for row in sheet.iter_rows(values_only=True):
            table.add(row)
    except XLSX_ERRORS:
        raise _FileError(_("This file cannot be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()
    return table


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _map_headers(headers):
    """{column name: (position, header as written)}, and what is wrong with the headers."""
    if not any(_cell_text(header) for header in headers):
        raise _FileError(
            _("The first line must hold the column headers (nom, prenom, sexe, date_naissance…); it is empty.")
        )
    columns, errors = {}, []
    expected = ", ".join(COLUMN_NAMES)
    for position, header in enumerate(headers):
        written = _cell_text(header)
        if not written:
            continue
        key = header_key(written)
        if key not in COLUMN_NAMES:
            message = _("Unknown column “%(column)s”. The columns are: %(expected)s.")
            errors.append(RowError(1, written, message % {"column": written, "expected": expected}))
        elif key in columns:
            message = _("The column “%(column)s” appears twice.")
            errors.append(RowError(1, written, message % {"column": key}))
        else:
            columns[key] = (position, written)
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            errors.append(RowError(1, name, _("The required column “%(column)s” is missing.") % {"column": name}))
    return columns, errors


# Checking each row against the organisation's lists and the models' rules.


class _ReferenceList:
    """One list of the organisation, read once and matched by normalised label."""

    def __init__(self, model, organisation):
        self.name = model._meta.verbose_name_plural
        self.entries = list(model.objects.for_organisation(organisation))
        self.by_key = defaultdict(list)
        for entry in self.entries:
            self.by_key[normalise(entry.label)].append(entry)

    def first_active(self):
        return next((entry for entry in self.entries if entry.is_active), None)

    def match(self, value):
        key = normalise(value)
        candidates = self.by_key.get(key, [])
        active = [entry for entry in candidates if entry.is_active]
        exact = [entry for entry in active if entry.label == value]
        if exact or len(active) == 1:
            return (exact or active)[0]
        if active:
            message = _("“%(value)s” matches several entries of the list of %(list)s; write one of: %(labels)s.")
            return self._fail(message, value, ", ".join(entry.label for entry in active))
        if candidates:
            message = _("“%(value)s” is no longer in use in the list of %(list)s.")
            return self._fail(message, value)
        labels = [entry.label for entry in self.entries if entry.is_active]
        if not labels:
            return self._fail(_("The list of %(list)s is empty: an administrator must fill it in first."), value)
        close = difflib.get_close_matches(key, [normalise(label) for label in labels], n=SUGGESTIONS, cutoff=0.6)
        suggested = [label for label in labels if normalise(label) in close]
        suggested += [label for label in labels if label not in suggested][: SUGGESTIONS - len(suggested)]
        message = _("“%(value)s” is not in the list of %(list)s. Valid values include: %(labels)s.")
        return self._fail(message, value, ", ".join(suggested))

    def _fail(self, message, value, labels=""):
        raise _Invalid(message % {"value": value, "list": self.name, "labels": labels})


class _Directory:
    """The organisation's partner directory, read once, names matched as the lists' labels are."""

    def __init__(self, organisation):
        self.by_key = defaultdict(list)
        for partner in Partner.objects.filter(organisation=organisation).order_by("is_archived", "name", "pk"):
            self.by_key[normalise(partner.name)].append(partner)
        self.new = {}  # normalised name → the name as the file first writes it

    def match(self, value):
        """(partner, "") for a partner of the directory, or (None, name) for a partner to add to it."""
        name = " ".join(value.split())
        if len(name) > 200:
            raise _Invalid(_("At most 200 characters."))
        key = normalise(name)
        candidates = self.by_key.get(key, [])
        exact = [partner for partner in candidates if partner.name == name]
        active = [partner for partner in candidates if not partner.is_archived]
        if exact or len(active) == 1 or len(candidates) == 1:
            # An archived partner still names who oriented the person: the file is linked to it.
            return (exact or active or candidates)[0], ""
        if candidates:
            message = _("“%(value)s” matches several partners of the directory; write one of: %(names)s.")
            names = ", ".join(partner.name for partner in active or candidates)
            raise _Invalid(message % {"value": value, "names": names})
        return None, self.new.setdefault(key, name)


def _cell(cells, position):
    return cells[position] if position < len(cells) else None


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    french, iso = FRENCH_DATE.fullmatch(text), ISO_DATE.fullmatch(text)
    try:
        if french:
            day, month, year = (int(part) for part in french.groups())
            return datetime.date(year, month, day)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise _Invalid(_("“%(value)s” is not a date: write it dd/mm/yyyy.") % {"value": text})


class _RowChecker:
    def __init__(self, organisation, columns):
        self.organisation = organisation
        self.columns = columns
        self.today = timezone.localdate()
        self.lists = {
            "quartier": _ReferenceList(Neighbourhood, organisation),
            "niveau_formation": _ReferenceList(EducationLevel, organisation),
            "situations": _ReferenceList(SocialSituation, organisation),
            "programme": _ReferenceList(Programme, organisation),
            "sortie": _ReferenceList(ExitOutcome, organisation),
        }
        self.directory = _Directory(organisation) if "orienteur" in columns else None

    def check(self, table, result):
        seen = {}
        for line, cells in enumerate(table[1:], start=2):
            if not cells:
                continue
            values = {name: _cell(cells, position) for name, (position, _header) in self.columns.items()}
            if not any(_cell_text(value) for value in values.values()):
                continue
            row, errors = self._check_row(line, values)
            if row is not None:
                key = (row.last_name.lower(), row.first_name.lower(), row.birth_date)
                if key in seen:
                    message = _("The same person (name, first name and date of birth) is already on line %(line)s.")
                    errors.append(self._error(line, "nom", message % {"line": seen[key]}))
                else:
                    seen[key] = line
            if errors:
                result.errors.extend(errors)
            else:
                result.rows.append(row)
        self._check_existing(result)
        if not result.rows and not result.errors:
            message = _("The file holds no one to import: the rows under the headers are empty.")
            result.errors.append(RowError(None, "", message))
        order = {name: position for position, name in enumerate(COLUMN_NAMES)}
        headers = {header: order[name] for name, (_position, header) in self.columns.items()}
        result.errors.sort(key=lambda error: (error.line or 0, headers.get(error.column, -1)))

    def _error(self, line, name, message):
        return RowError(line, self.columns.get(name, (None, name))[1], message)

    def _check_row(self, line, values):
        """The row, converted, or None; and the errors, one per column at most, then those across columns."""
        errors, clean = [], {}
        checks = {
            "nom": self._name,
            "prenom": self._name,
            "sexe": self._sex,
            "date_naissance": self._birth_date,
            "quartier": self.lists["quartier"].match,
            "niveau_formation": self.lists["niveau_formation"].match,
            "situations": self._situations,
            "orienteur": self.directory.match if self.directory else None,
            "programme": self.lists["programme"].match,
            "date_entree": _parse_date,
            "date_sortie": self._exit_date,
            "sortie": self.lists["sortie"].match,
        }
        for name, check in checks.items():
            value = values.get(name)
            if _cell_text(value) == "":
                if name in REQUIRED_COLUMNS:
                    errors.append(self._error(line, name, _("This value is required.")))
                continue
            try:
                clean[name] = check(value if name in DATE_COLUMNS else _cell_text(value))
            except _Invalid as error:
                errors.append(self._error(line, name, str(error)))
        errors += self._check_enrolment(line, values, clean)
        if errors:
            return None, errors
        row = ImportRow(
            line=line,
            last_name=clean["nom"],
            first_name=clean["prenom"],
            sex=clean["sexe"],
            birth_date=clean["date_naissance"],
            neighbourhood=clean.get("quartier"),
            education_level=clean.get("niveau_formation"),
            social_situations=clean.get("situations", []),
            referring_partner=clean.get("orienteur", (None, ""))[0],
            new_partner=clean.get("orienteur", (None, ""))[1],
            programme=clean.get("programme"),
            entry_date=clean.get("date_entree"),
            exit_date=clean.get("date_sortie"),
            exit_outcome=clean.get("sortie"),
        )
        if row.entry_date and row.programme is None:
            row.programme = self.lists["programme"].first_active()
        return row, []

    def _check_enrolment(self, line, values, clean):
        """The rules of Enrolment.clean and its constraints, on the columns that hold an enrolment."""
        enrolment_columns = ("programme", "date_entree", "date_sortie", "sortie")
        given = {name for name in enrolment_columns if _cell_text(values.get(name))}
        errors = []
        if "date_entree" not in given:
            for name in sorted(given, key=COLUMN_NAMES.index):
                message = _("An entry date (date_entree) is needed for this column.")
                errors.append(self._error(line, name, message))
            return errors
        if "date_sortie" in given and "sortie" not in given:
            errors.append(self._error(line, "sortie", _("An exit date needs its outcome.")))
        if "sortie" in given and "date_sortie" not in given:
            errors.append(self._error(line, "date_sortie", _("An exit outcome needs its date.")))
        entry, exit_ = clean.get("date_entree"), clean.get("date_sortie")
        if entry and exit_ and exit_ < entry:
            errors.append(self._error(line, "date_sortie", _("The exit cannot be before the entry.")))
        if "programme" not in given and self.lists["programme"].first_active() is None:
            message = _("The organisation has no programme to enrol people in: an administrator must add one first.")
            errors.append(self._error(line, "date_entree", message))
        return errors

    def _check_existing(self, result):
        """People already in the organisation: the rule of Beneficiary.objects.likely_duplicates, in one query."""
        if not result.rows:
            return
        dates = [row.birth_date for row in result.rows]
        existing = {
            (last_name.strip().lower(), first_name.strip().lower(), birth_date)
            for last_name, first_name, birth_date in Beneficiary.objects.of(self.organisation)
            .filter(birth_date__range=(min(dates), max(dates)))
            .values_list("last_name", "first_name", "birth_date")
        }
        kept = []
        for row in result.rows:
            if (row.last_name.lower(), row.first_name.lower(), row.birth_date) in existing:
                message = _("%(name)s, born on %(date)s, already exists in the organisation.")
                name = f"{row.first_name} {row.last_name}"
                date = row.birth_date.strftime("%d/%m/%Y")
                result.errors.append(self._error(row.line, "nom", message % {"name": name, "date": date}))
            else:
                kept.append(row)
        result.rows = kept

    def _name(self, value):
        text = " ".join(value.split())
        if len(text) > 150:
            raise _Invalid(_("At most 150 characters."))
        return text

    def _sex(self, value):
        sex = SEXES.get(normalise(value))
        if sex is None:
            raise _Invalid(_("“%(value)s” is not a sex: write F, M or X.") % {"value": value})
        return sex.value

    def _birth_date(self, value):
        date = _parse_date(value)
        if date > self.today:
            raise _Invalid(_("The date of birth cannot be in the future."))
        if age_on(date, self.today) < MINIMUM_AGE:
            raise _Invalid(_("The person must be at least %(age)s years old.") % {"age": MINIMUM_AGE})
        return date

    def _exit_date(self, value):
        date = _parse_date(value)
        if date > self.today:
            raise _Invalid(_("The exit cannot be in the future: record it once the person has left."))
        return date

    def _situations(self, value):
        situations, errors = [], []
        for label in re.split(r"[;\n]", value):
            label = label.strip()
            if not label:
                continue
            try:
                situation = self.lists["situations"].match(label)
            except _Invalid as error:
                errors.append(str(error))
                continue
            if situation not in situations:
                situations.append(situation)
        if errors:
            raise _Invalid(" ".join(errors))
        return situations

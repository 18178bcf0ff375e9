"""Importing mentors or mentees from a spreadsheet saved as CSV.

The file goes through three stages:

1. ``read_upload`` and the header checks refuse a file that is too large, not UTF-8 (a byte
   order mark, as Excel writes it, is fine), has too many rows, or whose header misses a
   required column or names one we do not know. No row is looked at before these pass.
2. ``preview_import`` runs the whole import inside a transaction and rolls it back, so the
   preview applies exactly the rules the real import applies: each row goes through
   ``services.register_mentee`` or ``services.create_mentor`` and every ``DomainError`` becomes
   an error of that row.
3. ``run_import`` does the same and commits only when no row has an error: all or nothing.

Between the preview and the confirmation the CSV text travels in the page, signed with
``django.core.signing`` for this user and program (``sign_payload`` / ``unsign_payload``), so
nothing is stored on the server and a changed or stale payload is refused.

Row numbers are spreadsheet row numbers: the header is row 1, the first person row 2.
Cell values are shown to the person importing and never written to logs.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core import signing
from django.db import DataError, IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services
from accounts.models import (
    AVAILABILITY_SLOTS,
    Gender,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    MenteeProfile,
    MentorProfile,
    Modality,
    User,
)
from accounts.services.errors import DomainError

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
PAYLOAD_MAX_AGE = 60 * 60  # seconds a preview stays valid for confirmation

MENTEE = "mentee"
MENTOR = "mentor"
KINDS = (MENTEE, MENTOR)
KIND_CHOICES = [(MENTEE, gettext_lazy("Mentees")), (MENTOR, gettext_lazy("Mentors"))]

REQUIRED_COLUMNS = ("name",)
COMMON_COLUMNS = (
    "name",
    "email",
    "phone",
    "language",
    "life_goals",
    "lived_experience",
    "languages",
    "interests",
    "availability",
    "modalities",
    "location",
    "gender",
    "recovery_start",
)
COLUMNS = {
    MENTEE: COMMON_COLUMNS
    + (
        "birth_date",
        "idd_mh",
        "referral_source",
        "referrer_name",
        "referrer_contact",
        "status",
    ),
    MENTOR: COMMON_COLUMNS + ("capacity", "idd_mh_experience", "status"),
}

TAXONOMY_COLUMNS = {
    "life_goals": LifeGoalArea,
    "lived_experience": LivedExperience,
    "languages": Language,
    "interests": Interest,
}
MENTEE_IMPORT_STATUSES = (MenteeProfile.Status.REFERRED, MenteeProfile.Status.WAITING)

# Column documentation for the upload page: (column, which files, what to write).
BOTH = (MENTEE, MENTOR)
COLUMN_HELP = [
    ("name", BOTH, gettext_lazy("Required. The person's full name.")),
    (
        "email",
        BOTH,
        gettext_lazy(
            "Email address. When an account already uses it, the new role is added to that "
            "account and its name and contact details stay as they are."
        ),
    ),
    ("phone", BOTH, gettext_lazy("Phone number.")),
    (
        "language",
        BOTH,
        gettext_lazy("Preferred language: en (English) or es (Spanish). Empty means en."),
    ),
    (
        "life_goals",
        BOTH,
        gettext_lazy("Life-goal areas, separated by semicolons, by name or short name."),
    ),
    ("lived_experience", BOTH, gettext_lazy("Lived-experience areas, separated by semicolons.")),
    ("languages", BOTH, gettext_lazy("Languages spoken, separated by semicolons.")),
    ("interests", BOTH, gettext_lazy("Interests, separated by semicolons.")),
    (
        "availability",
        BOTH,
        gettext_lazy(
            "Weekly times, separated by semicolons: a day (mon to sun), a dash and a part of "
            "the day (morning, afternoon, evening), for example tue-evening;sat-morning."
        ),
    ),
    (
        "modalities",
        BOTH,
        gettext_lazy("Ways to meet, separated by semicolons: in_person, phone, video."),
    ),
    ("location", BOTH, gettext_lazy("Town or neighbourhood.")),
    (
        "gender",
        BOTH,
        gettext_lazy("woman, man, non_binary, self_described, or empty (prefer not to say)."),
    ),
    ("recovery_start", BOTH, gettext_lazy("When recovery began, as YYYY-MM-DD.")),
    (
        "birth_date",
        (MENTEE,),
        gettext_lazy("As YYYY-MM-DD. Participants must be at least 14 years old."),
    ),
    ("idd_mh", (MENTEE,), gettext_lazy("yes or no: a young adult with IDD-MH. Empty means no.")),
    ("referral_source", (MENTEE,), gettext_lazy("The referring agency.")),
    ("referrer_name", (MENTEE,), gettext_lazy("The referring clinician or case manager.")),
    ("referrer_contact", (MENTEE,), gettext_lazy("Their phone or email.")),
    ("status", (MENTEE,), gettext_lazy("referred or waiting. Empty means referred.")),
    ("capacity", (MENTOR,), gettext_lazy("How many mentees at once, 1 to 10. Empty means 2.")),
    (
        "idd_mh_experience",
        (MENTOR,),
        gettext_lazy("yes or no: experienced with young adults with IDD-MH. Empty means no."),
    ),
    (
        "status",
        (MENTOR,),
        gettext_lazy(
            "applicant, screening, in_training, active, on_hold or inactive. Empty means active."
        ),
    ),
]

# Service field names that are spelled differently as columns.
FIELD_TO_COLUMN = {"display_name": "name", "preferred_language": "language"}

YES = {"yes", "y", "true", "1", "sí", "si", "x"}
NO = {"no", "n", "false", "0", ""}
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; ``messages`` says why, one problem each."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages), field="file")
        self.messages = list(messages)


class ImportPayloadError(DomainError):
    """The signed preview sent back for confirmation was changed or is too old."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class CsvRow:
    number: int
    cells: dict[str, str]
    has_extra_cells: bool = False


@dataclass
class PreviewRow:
    row: int
    name: str
    email: str
    status: str
    existing_account: bool
    life_goals: list[str]
    capacity: int | None = None


@dataclass
class ImportResult:
    kind: str
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_by_row(self) -> list[tuple[int, list[RowError]]]:
        grouped: dict[int, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.row, []).append(error)
        return sorted(grouped.items())


# --- The file ----------------------------------------------------------------------------


def template_csv(kind: str) -> str:
    """The header row for a kind of file, with a byte order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(COLUMNS[kind])
    return "\ufeff" + buffer.getvalue()


def read_upload(upload) -> str:
    """The text of an uploaded file, refusing one over the size limit or not in UTF-8."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 1 MB. Split it into smaller files."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 1 MB. Split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not saved as UTF-8 text. In Excel, use Save As and choose "
                "“CSV UTF-8 (comma delimited)”."
            )
        ) from None


def _normalize_header(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def parse_csv(text: str, kind: str) -> list[CsvRow]:
    """The person rows of the file, after the checks of the file as a whole."""
    if kind not in KINDS:
        raise ImportFileError(_("Choose whether the file lists mentors or mentees."))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportFileError(
            _("The file could not be read as CSV. Save it again as “CSV UTF-8”.")
        ) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    header = [_normalize_header(cell) for cell in records[0]]
    while not header[-1]:
        header.pop()  # spreadsheets often save trailing empty columns
    if len(header) == 1 and ";" in header[0]:
        raise ImportFileError(
            _(
                "The columns are separated by semicolons. Save the file as "
                "“CSV UTF-8 (comma delimited)” so that columns are separated by commas."
            )
        )
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(
            _("These required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    allowed = set(COLUMNS[kind])
    unknown = [column or _("(empty)") for column in header if column not in allowed]
    if unknown:
        problems.append(
            _("These columns are not known for this kind of file: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        problems.append(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    if problems:
        raise ImportFileError(*problems)

    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines, as spreadsheets often leave at the end
        cells = {
            column: (record[i].strip() if i < len(record) else "")
            for i, column in enumerate(header)
        }
        extra = any(cell.strip() for cell in record[len(header) :])
        rows.append(CsvRow(number=index, cells=cells, has_extra_cells=extra))
    if not rows:
        raise ImportFileError(_("The file has a header but no people in it."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)d people; at most %(max)d can be imported at once.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    return rows


def active_term_names() -> dict[str, list[str]]:
    """The names a file may use in each taxonomy column, for the upload page."""
    return {
        column: list(model.objects.filter(is_active=True).values_list("name", flat=True))
        for column, model in TAXONOMY_COLUMNS.items()
    }


# --- Signed payload between preview and confirmation ------------------------------------


def _salt(actor: User, program) -> str:
    return f"accounts.imports:{actor.pk}:{program.pk}"


def payload_error_message() -> str:
    return _("This import could not be verified, so nothing was imported. Upload the file again.")


def sign_payload(*, actor: User, program, kind: str, text: str) -> str:
    return signing.dumps({"kind": kind, "csv": text}, salt=_salt(actor, program), compress=True)


def unsign_payload(*, actor: User, program, payload: str) -> tuple[str, str]:
    """(kind, CSV text) of a preview signed for this person and program within the hour."""
    try:
        value = signing.loads(payload, salt=_salt(actor, program), max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportPayloadError(
            _("This preview is more than an hour old. Nothing was imported; upload the file again.")
        ) from None
    except signing.BadSignature:
        raise ImportPayloadError(payload_error_message()) from None
    if not isinstance(value, dict) or value.get("kind") not in KINDS:
        raise ImportPayloadError(payload_error_message())
    return value["kind"], str(value.get("csv", ""))


# --- Rows --------------------------------------------------------------------------------


class _Terms:
    """The active terms of each taxonomy, by lower-cased name, slug (and language code)."""

    def __init__(self):
        self.by_column: dict[str, dict[str, object]] = {}
        for column, model in TAXONOMY_COLUMNS.items():
            lookup = {}
            for term in model.objects.filter(is_active=True):
                lookup[term.name.lower()] = term
                lookup[term.slug.lower()] = term
                if isinstance(term, Language):
                    lookup[term.code.lower()] = term
            self.by_column[column] = lookup

    def resolve(self, column: str, value: str) -> tuple[list, list[str]]:
        terms, unknown = [], []
        for item in _split(value):
            term = self.by_column[column].get(item.lower())
            if term is None:
                unknown.append(item)
            elif term not in terms:
                terms.append(term)
        return terms, unknown


UNKNOWN_TERM_MESSAGES = {
    "life_goals": gettext_lazy("Unknown life-goal area: %(terms)s."),
    "lived_experience": gettext_lazy("Unknown lived-experience area: %(terms)s."),
    "languages": gettext_lazy("Unknown language: %(terms)s."),
    "interests": gettext_lazy("Unknown interest: %(terms)s."),
}


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _quoted(items) -> str:
    return ", ".join(f"“{item}”" for item in items)


def _choice(value: str, choices) -> str | None:
    """The choice code for a value given as the code or its label, in any case."""
    wanted = _normalize_header(value)
    for code, label in choices:
        if wanted in (_normalize_header(code), _normalize_header(str(label))):
            return code
    return None


def _date(value: str) -> datetime.date | None:
    if not DATE_PATTERN.match(value):
        raise ValueError
    return datetime.date.fromisoformat(value)


class _Row:
    """Turns one row's cells into the service's ``person`` and ``profile`` arguments,
    collecting a message per cell that cannot be understood."""

    def __init__(self, csv_row: CsvRow, kind: str, terms: _Terms):
        self.number = csv_row.number
        self.errors: list[RowError] = []
        self.person: dict = {}
        self.profile: dict = {}
        self.life_goal_names: list[str] = []
        if csv_row.has_extra_cells:
            self.error("", _("This row has more cells than the header has columns."))
        self._parse(csv_row.cells, kind, terms)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def _parse(self, cells: dict[str, str], kind: str, terms: _Terms) -> None:
        get = cells.get
        self.person["display_name"] = get("name", "")
        for column in ("email", "phone"):
            if get(column):
                self.person[column] = get(column)
        if get("language"):
            language = _choice(get("language"), User.Language.choices)
            if language is None:
                self.error("language", _("Use en (English) or es (Spanish)."))
            self.person["preferred_language"] = language

        for column in TAXONOMY_COLUMNS:
            if get(column):
                found, unknown = terms.resolve(column, get(column))
                if unknown:
                    self.error(column, UNKNOWN_TERM_MESSAGES[column] % {"terms": _quoted(unknown)})
                self.profile[column] = found
                if column == "life_goals":
                    self.life_goal_names = [term.name for term in found]

        if get("availability"):
            slots = [slot.lower() for slot in _split(get("availability"))]
            unknown = [slot for slot in slots if slot not in AVAILABILITY_SLOTS]
            if unknown:
                self.error(
                    "availability",
                    _(
                        "Unknown time: %(slots)s. "
                        "Write a day and a part of the day, like tue-evening."
                    )
                    % {"slots": _quoted(unknown)},
                )
            self.profile["availability"] = list(dict.fromkeys(slots))
        if get("modalities"):
            modes = [_choice(item, Modality.choices) for item in _split(get("modalities"))]
            unknown = [
                item
                for item, mode in zip(_split(get("modalities")), modes, strict=True)
                if not mode
            ]
            if unknown:
                self.error(
                    "modalities",
                    _("Unknown way to meet: %(items)s. Use in_person, phone or video.")
                    % {"items": _quoted(unknown)},
                )
            self.profile["modalities"] = list(dict.fromkeys(mode for mode in modes if mode))
        if get("gender"):
            gender = _choice(get("gender"), Gender.choices)
            if gender is None:
                self.error(
                    "gender", _("Use woman, man, non_binary, self_described, or leave it empty.")
                )
            self.profile["gender"] = gender or ""
        if get("location"):
            self.profile["location"] = get("location")

        self._date(cells, "recovery_start")
        if kind == MENTEE:
            self._date(cells, "birth_date")
            self._yes_no(cells, "idd_mh")
            for column in ("referral_source", "referrer_name", "referrer_contact"):
                if get(column):
                    self.profile[column] = get(column)
            self._status(cells, MENTEE_IMPORT_STATUSES, _("Use referred or waiting."))
        else:
            self._yes_no(cells, "idd_mh_experience")
            self._status(
                cells,
                MentorProfile.Status.values,
                _("Use applicant, screening, in_training, active, on_hold or inactive."),
            )
            if get("capacity"):
                try:
                    self.profile["capacity"] = int(get("capacity"))
                except ValueError:
                    self.error("capacity", _("Write the capacity as a whole number from 1 to 10."))

    def _date(self, cells, column: str) -> None:
        if not cells.get(column):
            return
        try:
            self.profile[column] = _date(cells[column])
        except ValueError:
            self.error(column, _("Write the date as YYYY-MM-DD, for example 2024-03-15."))

    def _yes_no(self, cells, column: str) -> None:
        value = (cells.get(column) or "").lower()
        if value in YES:
            self.profile[column] = True
        elif value in NO:
            self.profile[column] = False
        else:
            self.error(column, _("Write yes or no."))

    def _status(self, cells, allowed, message: str) -> None:
        if not cells.get("status"):
            return
        status = cells["status"].lower().replace(" ", "_").replace("-", "_")
        if status not in allowed:
            self.error("status", message)
        self.profile["status"] = status


def _import_rows(*, actor: User, program, kind: str, rows) -> ImportResult:
    result = ImportResult(kind=kind, total_rows=len(rows))
    terms = _Terms()
    emails = [row.cells["email"].lower() for row in rows if row.cells.get("email")]
    known_emails = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    first_row_of_email: dict[str, int] = {}
    create = services.register_mentee if kind == MENTEE else services.create_mentor

    for csv_row in rows:
        number = csv_row.number
        row = _Row(csv_row, kind, terms)
        email = row.person.get("email", "").lower()
        if email:
            if email in first_row_of_email:
                row.error(
                    "email",
                    _("The same email address is on row %(row)d.")
                    % {"row": first_row_of_email[email]},
                )
            else:
                first_row_of_email[email] = number
        if row.errors:
            result.errors.extend(row.errors)
            continue
        try:
            with transaction.atomic():
                profile = create(
                    actor=actor, program=program, person=row.person, profile=row.profile
                )
        except DomainError as error:
            column = FIELD_TO_COLUMN.get(error.field or "", error.field or "")
            result.errors.append(RowError(number, column, error.message))
            continue
        except (IntegrityError, DataError):
            result.errors.append(
                RowError(number, "", _("This row could not be saved. Check it for unusual values."))
            )
            continue
        result.rows.append(
            PreviewRow(
                row=number,
                name=profile.user.display_name,
                email=profile.user.email or "",
                status=profile.get_status_display(),
                existing_account=email in known_emails,
                life_goals=row.life_goal_names,
                capacity=profile.capacity if kind == MENTOR else None,
            )
        )
    return result


def preview_import(*, actor: User, program, kind: str, text: str) -> ImportResult:
    """What importing the file would do, with every row's errors; nothing is saved."""
    rows = parse_csv(text, kind)
    with transaction.atomic():
        result = _import_rows(actor=actor, program=program, kind=kind, rows=rows)
        transaction.set_rollback(True)
    return result


def run_import(*, actor: User, program, kind: str, text: str) -> ImportResult:
    """Import every row in one transaction, or none of them when any row has an error."""
    rows = parse_csv(text, kind)
    with transaction.atomic():
        result = _import_rows(actor=actor, program=program, kind=kind, rows=rows)
        if result.errors:
            transaction.set_rollback(True)
        else:
            result.imported = len(result.rows)
    return result

"""Importing people from a CSV file: validate the whole file, then write all or nothing.

Used by ``python manage.py import_people`` and the "Import people" screen in the admin.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from .models import Department, PrivacySettings, Profile, Team, User, Visibility, normalise_email
from .reporting import manager_cycles
from .services import Role, role_add_many
from .signals import people_joined, people_moved
from .tasks import invitations_queue
from .worktime import zone_valid

REQUIRED_COLUMNS = ("email", "first_name", "last_name")
OPTIONAL_COLUMNS = (
    *("department", "team", "manager_email", "location", "job_role", "cohort"),
    # Working time (portal/people/worktime.py): "yes"/"no", and a zone like Europe/Berlin.
    *("hourly", "time_zone"),
)
YES = frozenset({"yes", "y", "true", "1", "ja", "oui", "si", "sí"})
NO = frozenset({"no", "n", "false", "0", "nein", "non"})
MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "department": 120,
    "team": 120,
    "location": 120,
    "job_role": 120,
    "cohort": 60,
    "time_zone": 64,
}


@dataclass(frozen=True)
class Problem:
    line: int  # 0: the file as a whole; 1: the header; 2 on: data rows
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class PersonRow:
    line: int
    email: str
    first_name: str
    last_name: str
    department: str = ""
    team: str = ""
    manager_email: str = ""
    location: str = ""
    job_role: str = ""
    cohort: str = ""
    hourly: str = ""
    time_zone: str = ""


def _hourly_problem(value: str) -> bool:
    return bool(value) and value.lower() not in YES | NO


def _zone_problem(value: str) -> bool:
    return bool(value) and not zone_valid(value)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invited: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


class PeopleImportError(Exception):
    """The file was refused; ``problems`` lists every reason with its line number."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file")


def _column_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def parse_people_csv(data: bytes) -> tuple[list[PersonRow], list[str]]:
    """Read and check the rows of a people CSV; returns (rows, ignored column names).

    Raises ``PeopleImportError`` listing every problem found in the whole file.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PeopleImportError(
            [Problem(0, f"The file is not UTF-8 text (byte {error.start}). Save it as CSV UTF-8.")]
        ) from None
    if "\x00" in text:
        raise PeopleImportError([Problem(0, "The file is not a CSV text file.")])
    if not text.strip():
        raise PeopleImportError([Problem(0, "The file is empty.")])
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except csv.Error as error:
        raise PeopleImportError([Problem(1, f"Cannot read the header: {error}")]) from None
    keys = [_column_key(name) for name in header]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    seen: set[str] = set()
    for key in keys:
        if key in seen and key in known:
            problems.append(Problem(1, f"The column {key!r} appears twice."))
        seen.add(key)
    missing = [column for column in REQUIRED_COLUMNS if column not in keys]
    if missing:
        problems.append(Problem(1, f"Missing required column(s): {', '.join(missing)}."))
    if problems:
        raise PeopleImportError(problems)
    ignored = [name for name, key in zip(header, keys, strict=True) if key not in known]
    index = {key: position for position, key in enumerate(keys) if key in known}

    rows: list[PersonRow] = []
    first_line_of: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # blank lines are harmless
            if len(values) != len(header):
                problems.append(
                    Problem(line, f"Expected {len(header)} fields, found {len(values)}.")
                )
                continue
            record = {key: values[position].strip() for key, position in index.items()}
            row = PersonRow(line=line, **dict(record.items()))
            row.email = normalise_email(row.email)
            row.manager_email = normalise_email(row.manager_email)
            problems.extend(_row_problems(row, first_line_of))
            first_line_of.setdefault(row.email, line)
            rows.append(row)
    except csv.Error as error:
        problems.append(Problem(reader.line_num, f"Cannot read this line: {error}"))
    if not rows and not problems:
        problems.append(Problem(0, "The file has a header but no people."))
    problems.extend(_manager_problems(rows))
    if problems:
        raise PeopleImportError(sorted(problems, key=lambda problem: problem.line))
    return rows, ignored


def _row_problems(row: PersonRow, first_line_of: dict[str, int]) -> list[Problem]:
    problems = []
    if not row.email:
        problems.append(Problem(row.line, "The email is empty."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            problems.append(Problem(row.line, f"{row.email!r} is not a valid email address."))
        if row.email in first_line_of:
            problems.append(
                Problem(
                    row.line,
                    f"{row.email} appears twice (first on line {first_line_of[row.email]}).",
                )
            )
    for column in ("first_name", "last_name"):
        if not getattr(row, column):
            problems.append(Problem(row.line, f"The {column} is empty."))
    for column, limit in MAX_LENGTHS.items():
        if len(getattr(row, column)) > limit:
            problems.append(Problem(row.line, f"The {column} is longer than {limit} characters."))
    if row.team and not row.department:
        problems.append(Problem(row.line, f"The team {row.team!r} needs a department."))
    if _hourly_problem(row.hourly):
        problems.append(Problem(row.line, f"hourly is {row.hourly!r}; write yes or no."))
    if _zone_problem(row.time_zone):
        problems.append(
            Problem(row.line, f"{row.time_zone!r} is not a time zone (such as Europe/Berlin).")
        )
    if row.manager_email:
        try:
            validate_email(row.manager_email)
        except ValidationError:
            problems.append(
                Problem(row.line, f"{row.manager_email!r} is not a valid manager email address.")
            )
        if row.manager_email == row.email:
            problems.append(Problem(row.line, "A person cannot be their own manager."))
    return problems


def _manager_problems(rows: list[PersonRow]) -> list[Problem]:
    """Unknown managers, and cycles in the reporting lines the file would create."""
    in_file = {row.email: row for row in rows}
    wanted = sorted({row.manager_email for row in rows if row.manager_email} - set(in_file))
    known: set[str] = set()
    for chunk in _chunks(wanted):
        known.update(User.objects.filter(email__in=chunk).values_list("email", flat=True))
    problems = [
        Problem(
            row.line,
            f"The manager {row.manager_email} is neither in the file nor in the portal.",
        )
        for row in rows
        if row.manager_email and row.manager_email not in in_file and row.manager_email not in known
    ]
    if problems:
        return problems  # cycles are checked once every manager is known
    # Reporting lines after the import: the file's, then the portal's for everyone else.
    manager_of: dict[str, str | None] = dict(
        Profile.objects.filter(manager__isnull=False).values_list("user__email", "manager__email")
    )
    manager_of.update({row.email: row.manager_email or None for row in rows})
    for cycle in manager_cycles([row.email for row in rows], manager_of.get):
        lines = sorted(in_file[email].line for email in cycle if email in in_file)
        problems.append(
            Problem(
                lines[0],
                "Managers form a cycle: "
                + " -> ".join([*cycle, cycle[0]])
                + f" (lines {', '.join(map(str, lines))}).",
            )
        )
    return problems


def import_people(*, data: bytes, dry_run: bool = False, invite: bool = False) -> ImportReport:
    """Validate the whole file, then create or update everyone.

    Raises ``PeopleImportError`` (nothing written) if any row is invalid. With
    ``dry_run`` the changes are computed and rolled back. With ``invite`` each newly
    created person is emailed an invitation by a background task after the import commits.

    On PostgreSQL the writes are one transaction. On SQLite, whose one write lock every
    other writer waits for, they commit in parts of ``PEOPLE_IMPORT_WRITE_CHUNK`` people,
    managers before the people they manage, so no part holds the lock for long; the whole
    file was checked first, and importing the same file again mends a half-done import.
    """
    rows, ignored = parse_people_csv(data)
    report = ImportReport(dry_run=dry_run, ignored_columns=ignored)
    if dry_run or connection.vendor != "sqlite":
        parts = [rows]
    else:
        parts = list(_chunks(_managers_first(rows), settings.PEOPLE_IMPORT_WRITE_CHUNK))
    for part in parts:
        with transaction.atomic():
            created_users = _write_people(part, report)
            if dry_run:
                transaction.set_rollback(True)
            elif invite:
                report.invited += len(created_users)
                # Queued, not sent here: mail being down must not fail the import after
                # its commit; the worker sends them, and retries while mail is down.
                ids = [user.pk for user in created_users]
                transaction.on_commit(partial(invitations_queue, user_ids=ids))
    return report


def _managers_first(rows: list[PersonRow]) -> list[PersonRow]:
    """The rows ordered so that everyone's manager (when in the file) comes before them:
    by depth in the file's reporting lines, which has no cycles once the file is valid."""
    manager_in_file = {row.email: row.manager_email for row in rows}
    depth: dict[str, int] = {}
    for row in rows:
        path, current = [], row.email
        while current in manager_in_file and current not in depth:
            path.append(current)
            current = manager_in_file[current]
        base = depth.get(current, -1) if current in manager_in_file else -1
        for email in reversed(path):
            base += 1
            depth[email] = base
    return sorted(rows, key=lambda row: depth[row.email])


CHUNK = 500  # rows per query: well under SQLite's limit on query parameters


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_people(rows: list[PersonRow], report: ImportReport) -> list[User]:
    """Create or update everyone in bulk; a few queries per 500 people, not per person."""
    departments = _departments_for(rows)
    teams = _teams_for(rows, departments)
    emails = [row.email for row in rows]
    users: dict[str, User] = {}
    for chunk in _chunks(emails):
        users.update(
            (user.email, user)
            for user in User.objects.filter(email__in=chunk).select_related("profile")
        )
    changed: set[str] = set()

    # People: new ones in bulk, changed names in bulk.
    new_users = []
    renamed = []
    for row in rows:
        user = users.get(row.email)
        if user is None:
            user = User(email=row.email, first_name=row.first_name, last_name=row.last_name)
            # set_unusable_password() draws its 40 characters one by one (a quarter of
            # a 20,000-person import); one token per person is as random, and as unusable.
            user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
            new_users.append(user)
            users[row.email] = user
        elif (user.first_name, user.last_name) != (row.first_name, row.last_name):
            user.first_name, user.last_name = row.first_name, row.last_name
            renamed.append(user)
            changed.add(row.email)
    User.objects.bulk_create(new_users, batch_size=CHUNK)
    created_emails = {user.email for user in new_users}
    User.objects.bulk_update(renamed, ["first_name", "last_name"], batch_size=CHUNK)

    # Managers may be in the file or already in the portal.
    managers = dict(users)
    outside = sorted({row.manager_email for row in rows if row.manager_email} - set(users))
    for chunk in _chunks(outside):
        managers.update((user.email, user) for user in User.objects.filter(email__in=chunk))

    # Profiles: create the missing ones, update only the fields that differ.
    new_profiles, updated_profiles, updated_fields, moved = [], [], set(), []
    team_managers: dict[int, set[int]] = {}
    # In works-council mode new people start hidden on leaderboards.
    starting = (
        {"leaderboard_visibility": Visibility.HIDDEN}
        if PrivacySettings.load().works_council_mode
        else {}
    )
    for row in rows:
        user = users[row.email]
        department = departments.get(row.department.lower()) if row.department else None
        team = teams.get((row.department.lower(), row.team.lower())) if row.team else None
        manager = managers.get(row.manager_email) if row.manager_email else None
        wanted = {
            "department_id": department.pk if department else None,
            "team_id": team.pk if team else None,
            "manager_id": manager.pk if manager else None,
            "location": row.location,
            "job_role": row.job_role,
        }
        if row.cohort:  # a cohort, once given, stays when a later file leaves it empty
            wanted["cohort"] = row.cohort
        if row.hourly:  # likewise the working-time columns
            wanted["hourly"] = row.hourly.lower() in YES
        if row.time_zone:
            wanted["time_zone"] = row.time_zone
        profile = None if row.email in created_emails else _existing_profile(user)
        if profile is None:
            new_profiles.append(Profile(user=user, **wanted, **starting))
        else:
            differing = [name for name, value in wanted.items() if getattr(profile, name) != value]
            if differing:
                for name in differing:
                    setattr(profile, name, wanted[name])
                if {"department_id", "team_id"} & set(differing):
                    moved.append(user.pk)
                updated_profiles.append(profile)
                updated_fields.update(differing)
                changed.add(row.email)
        if manager is not None and team is not None:
            # Whoever manages a member of a team manages that team.
            team_managers.setdefault(team.pk, set()).add(manager.pk)
    Profile.objects.bulk_create(new_profiles, batch_size=CHUNK)
    if new_users:
        people_joined.send(sender=User, user_ids=[user.pk for user in new_users])
    if updated_profiles:
        Profile.objects.bulk_update(updated_profiles, sorted(updated_fields), batch_size=CHUNK)
        if moved:
            people_moved.send(sender=Profile, user_ids=moved)

    for team in Team.objects.filter(pk__in=team_managers):
        team.managers.add(*team_managers[team.pk])
    role_add_many(user_ids=[users[email].pk for email in emails], role=Role.ADVOCATE)
    role_add_many(user_ids=sorted(set().union(*team_managers.values())), role=Role.MANAGER)
    created, updated = len(new_users), len(changed - created_emails)
    report.created += created
    report.updated += updated
    report.unchanged += len(rows) - created - updated
    return new_users


def _existing_profile(user: User) -> Profile | None:
    """The profile fetched with the user (select_related), without another query."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _departments_for(rows: list[PersonRow]) -> dict[str, Department]:
    names = {row.department.lower(): row.department for row in rows if row.department}
    found = {
        department.name.lower(): department
        for department in Department.objects.all()
        if department.name.lower() in names
    }
    slugs = SlugAllocator(Department)
    for key, name in names.items():
        if key not in found:
            found[key] = Department.objects.create(name=name, slug=slugs.new(name))
    return found


def _teams_for(
    rows: list[PersonRow], departments: dict[str, Department]
) -> dict[tuple[str, str], Team]:
    wanted = {(row.department.lower(), row.team.lower()): row for row in rows if row.team}
    existing = {
        (team.department_id, team.name.lower()): team
        for team in Team.objects.filter(department__in=list(departments.values()))
    }
    slugs = SlugAllocator(Team)
    found: dict[tuple[str, str], Team] = {}
    new_teams = []
    for key, row in wanted.items():
        department = departments[key[0]]
        team = existing.get((department.pk, key[1]))
        if team is None:
            team = Team(
                department=department,
                name=row.team,
                slug=slugs.new(f"{department.slug} {row.team}"),
            )
            new_teams.append(team)
        found[key] = team
    Team.objects.bulk_create(new_teams, batch_size=CHUNK)
    return found


class SlugAllocator:
    """Unique slugs for many new rows of ``model``: the slugs taken under each base are
    read once and the next free number is kept, so 1,000 names that slugify alike cost
    one query, not a query for every number tried for every name."""

    def __init__(self, model):
        self.model = model
        self.taken: dict[str, set[str]] = {}
        self.next_number: dict[str, int] = {}

    def new(self, text: str) -> str:
        base = slugify(text)[:100] or "unnamed"
        taken = self.taken.get(base)
        if taken is None:
            taken = self.taken[base] = set(
                self.model.objects.filter(slug__startswith=base).values_list("slug", flat=True)
            )
        slug, number = base, self.next_number.get(base, 2)
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        if slug != base:
            self.next_number[base] = number
        taken.add(slug)
        return slug


# --- one person, from a company system (single sign-on, SCIM) --------------------------

# The attributes an identity provider or a SCIM client may set, beside the email.
PERSON_ATTRIBUTES = ("first_name", "last_name", *OPTIONAL_COLUMNS)


@dataclass
class SyncResult:
    user: User
    created: bool
    # Attributes that were sent but could not apply (an unknown manager, a team without a
    # department), by name: the person is still synced, without them.
    dropped: list[str] = field(default_factory=list)


def person_sync(*, email: str, **attributes: str | None) -> SyncResult:
    """Create or update one person as the company's systems describe them, with the same
    rules as an import (``_write_people``): what a sign-in or a provisioning client sends
    is one row of a file. An attribute that is absent (None) keeps its current value; an
    empty string clears it. Unlike a file, nothing here refuses the person: an attribute
    that cannot apply is dropped (``SyncResult.dropped``), the rest applies.

    Raises ``ValidationError`` only for an unusable email address.
    """
    unknown = set(attributes) - set(PERSON_ATTRIBUTES)
    if unknown:
        raise TypeError(f"Unknown person attribute(s): {', '.join(sorted(unknown))}")
    email = normalise_email(email)
    validate_email(email)
    try:
        return _person_sync(email, attributes)
    except IntegrityError:
        # The same new person arrived twice at once (a double sign-in, a SCIM retry):
        # the other one created them; this one now updates them.
        return _person_sync(email, attributes)


def _person_sync(email: str, attributes: dict[str, str | None]) -> SyncResult:
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .filter(email=email)
            .select_related("profile__department", "profile__team", "profile__manager")
            .first()
        )
        row = PersonRow(line=0, email=email, first_name="", last_name="")
        current = _current_attributes(user)
        for name in PERSON_ATTRIBUTES:
            value = attributes.get(name)
            text = current.get(name, "") if value is None else _clean(value)
            setattr(row, name, text[: MAX_LENGTHS.get(name, 150)])
        row.manager_email = normalise_email(row.manager_email)
        dropped: list[str] = []
        if row.team and not row.department:
            row.team, dropped = "", [*dropped, "team"]
        if _hourly_problem(row.hourly):
            row.hourly, dropped = "", [*dropped, "hourly"]
        if _zone_problem(row.time_zone):
            row.time_zone, dropped = "", [*dropped, "time_zone"]
        if row.manager_email and (
            row.manager_email == email
            or _invalid_email(row.manager_email)
            or _manager_problems([row])
        ):
            row.manager_email, dropped = "", [*dropped, "manager_email"]
        created = _write_people([row], ImportReport())
    return SyncResult(
        user=created[0] if created else User.objects.select_related("profile").get(email=email),
        created=bool(created),
        dropped=dropped,
    )


def _current_attributes(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    profile = _existing_profile(user)
    values = {"first_name": user.first_name, "last_name": user.last_name}
    if profile is not None:
        values |= {
            "department": profile.department.name if profile.department else "",
            "team": profile.team.name if profile.team else "",
            "manager_email": profile.manager.email if profile.manager else "",
            "location": profile.location,
            "job_role": profile.job_role,
            "cohort": profile.cohort,
            "hourly": "yes" if profile.hourly else "no",
            "time_zone": profile.time_zone,
        }
    return values


def _invalid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return True
    return False


def _clean(value: object) -> str:
    """One line of text: no NUL (PostgreSQL refuses it), no runs of whitespace."""
    return " ".join(str(value).replace("\x00", " ").split())

"""Every figure of the dashboard is in a table, and every table downloads as CSV.

A section builds ``Table`` objects; the page renders them (``measurement/_table.html``)
and ``?csv=<slug>`` answers the same table as a file, so the file holds exactly what the
page shows (the small-group rule included).
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext

from portal.exports import safe_cell


def day(value) -> str:
    """A day as the reader's language writes it ("3 Dec 2026", "3. Dez. 2026")."""
    return date_format(value, "j M Y")


def span(start, end) -> str:
    """A period in the reader's words: "1 Dec to 3 Dec 2026"."""
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(start, "j M"),
        "end": date_format(end, "j M Y"),
    }


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere (the CSV holds the address)."""

    url: str
    text: str

    def __str__(self) -> str:
        return self.url


@dataclass
class Table:
    slug: str  # its name in ?csv=
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # The first column names the row (a <th>); the others are figures.
    note: str = ""  # what was hidden or merged, and why
    folded: bool = False  # long detail: shown folded, under its caption

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass
class Section:
    slug: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list = field(default_factory=list)  # charts.Chart
    hidden: str = ""  # why the section shows nothing
    action: Link | None = None  # where programme admins change what it shows


def change(now, before) -> str:
    """A figure's change from the period before: "+12%", "-3%", "new", or nothing."""
    if not isinstance(now, int | float | Decimal) or not isinstance(before, int | float | Decimal):
        return ""
    if not before:
        return "new" if now else ""
    return f"{(float(now) - float(before)) / float(before):+.0%}"


def csv_response(table: Table, *, file_stem: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_stem}-{table.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(_cell(value) for value in row)
    return response


def _cell(value):
    if isinstance(value, Link):
        return settings.SITE_URL.rstrip("/") + value.url if value.url.startswith("/") else value.url
    if isinstance(value, str):
        return safe_cell(value)
    return "" if value is None else value

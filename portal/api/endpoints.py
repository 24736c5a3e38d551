"""The public API (django-ninja): /api/v1/, with its OpenAPI schema at
/api/v1/openapi.json and documentation at /api/v1/docs (served from the portal's own
static files).

- ``GET /me/progress``: the token owner's own progress (personal tokens).
- ``GET /programme/tables`` and ``/programme/tables/{slug}``: the programme dashboard's
  tables, as the owner sees them on /programme/ (the small-group rule included), for BI.
- ``GET /content/items`` and ``/content/items/{id}``: hub items; ``POST /content/items``:
  a suggestion, which lands in moderation like an advocate's.
"""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from courses.selectors import course_overview
from portal.activity.selectors import level_progress, streak_weeks
from portal.errors import ServiceError
from portal.locales import originals
from portal.measurement import selectors as measurement
from portal.measurement.report import report
from portal.sharing.models import ContentItem
from portal.sharing.services import item_suggest

from .auth import TokenAuth, require
from .models import Scope

api = NinjaAPI(
    title="Advocate Portal API",
    version="1",
    description="Programme figures for BI, hub content for marketing tools, and each "
    "person's own progress. Authenticate with `Authorization: Bearer <token>`: a personal "
    "token (your profile's Sign-in security page) or a service token (programme admins, "
    "Sign-on and provisioning in the admin).",
    auth=TokenAuth(),
    urls_namespace="api",
)


class Problem(Schema):
    detail: str


class CourseOut(Schema):
    id: int
    title: str
    started: bool
    completed: bool
    percentage: int


class ProgressOut(Schema):
    points: int
    level: str | None
    next_level: str | None
    points_to_next_level: int | None
    streak_weeks: int
    courses: list[CourseOut]


@api.get("/me/progress", response={200: ProgressOut, 403: Problem}, tags=["progress"])
def my_progress(request):
    """The token owner's points, level, weekly streak and courses."""
    require(request, Scope.PROGRESS_READ)
    user = request.auth.owner
    level = level_progress(user=user)
    return {
        "points": level.points,
        "level": level.level.name if level.level else None,
        "next_level": level.next_level.name if level.next_level else None,
        "points_to_next_level": level.to_next,
        "streak_weeks": streak_weeks(user=user),
        "courses": [
            {
                "id": summary.course.pk,
                "title": summary.course.title,
                "started": summary.started,
                "completed": summary.completed,
                "percentage": summary.percentage,
            }
            for summary in course_overview(user=user)
        ],
    }


class PeriodQuery(Schema):
    period: Literal["week", "month", "quarter", "custom"] = "month"
    start: date | None = Field(None, description="First day, with period=custom.")
    end: date | None = Field(None, description="Last day, with period=custom.")


class TableRef(Schema):
    slug: str
    caption: str
    section: str


class TableOut(Schema):
    slug: str
    caption: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    note: str
    start: date
    end: date


def _report(request, query: PeriodQuery):
    require(request, Scope.FIGURES_READ)
    owner = request.auth.owner
    scope = measurement.scope_for(viewer=owner, filters={})
    if scope is None:
        raise HttpError(403, "The token's owner may not read programme figures.")
    if query.period == "custom" and not (query.start and query.end and query.start <= query.end):
        raise HttpError(422, "A custom period needs a start and an end, in that order.")
    if query.end and (query.end - (query.start or query.end)).days > 366 * 3:
        raise HttpError(422, "A period covers at most three years.")
    period = measurement.period_for(
        query.period, today=timezone.localdate(), start=query.start, end=query.end
    )
    return report(viewer=owner, scope=scope, period=period), period


@api.get(
    "/programme/tables", response={200: list[TableRef], 403: Problem, 422: Problem},
    tags=["figures"],
)  # fmt: skip
def programme_tables(request, query: Query[PeriodQuery]):
    """The tables of the programme dashboard the token's owner may read."""
    result, _ = _report(request, query)
    return [
        {"slug": table.slug, "caption": table.caption, "section": section.title}
        for section in result.sections
        for table in section.tables
    ]


def _cell(value):
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int | float):
        return value
    return str(value)


@api.get(
    "/programme/tables/{slug}", response={200: TableOut, 403: Problem, 404: Problem, 422: Problem},
    tags=["figures"],
)  # fmt: skip
def programme_table(request, slug: str, query: Query[PeriodQuery]):
    """One table, with the same rows as the page and its CSV download."""
    result, period = _report(request, query)
    table = result.table(slug)
    if table is None:
        raise HttpError(404, "No such table for this period.")
    return {
        "slug": table.slug,
        "caption": table.caption,
        "columns": table.columns,
        "rows": [[_cell(cell) for cell in row] for row in table.rows],
        "note": table.note,
        "start": period.start,
        "end": period.end,
    }


class ItemOut(Schema):
    id: int
    title: str
    url: str
    kind: str
    summary: str
    topics: list[str]
    live: bool
    caption_linkedin: str
    caption_x: str
    caption_facebook: str

    @staticmethod
    def resolve_topics(item):
        return sorted(tag.name for tag in item.tags.all())


class ItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    url: str = Field(..., min_length=1, max_length=500)
    kind: Literal["own", "curated"] = "curated"
    summary: str = Field("", max_length=500)
    topics: list[str] = Field(default_factory=list, max_length=10)


class Pages(LimitOffsetPagination):
    """Pages of at most 500 items, from an offset a database can take."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=2**31 - 1)


@api.get("/content/items", response={200: list[ItemOut], 403: Problem}, tags=["content"])
@paginate(Pages)
def content_items(request, live: bool | None = None):
    """Hub items, newest first (``live``: only published ones, or only drafts)."""
    require(request, Scope.CONTENT_READ)
    items = originals(ContentItem.objects.order_by("-created_at", "-pk")).prefetch_related("tags")
    return items if live is None else items.filter(live=live)


@api.get(
    "/content/items/{item_id}", response={200: ItemOut, 403: Problem, 404: Problem},
    tags=["content"],
)  # fmt: skip
def content_item(request, item_id: int):
    require(request, Scope.CONTENT_READ)
    if not 0 < item_id < 2**63:
        raise HttpError(404, "No such item.")
    item = originals(ContentItem.objects.prefetch_related("tags")).filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, "No such item.")
    return item


@api.post("/content/items", response={201: ItemOut, 400: Problem, 403: Problem}, tags=["content"])
def content_suggest(request, payload: ItemIn):
    """Suggest an item: a draft that moderators approve before anyone sees it."""
    require(request, Scope.CONTENT_WRITE)
    clean = [topic.replace("\x00", "") for topic in payload.topics]
    try:
        item = item_suggest(
            user=request.auth.owner,
            title=payload.title.replace("\x00", ""),
            url=payload.url.replace("\x00", ""),
            kind=payload.kind,
            summary=payload.summary.replace("\x00", ""),
            tags=clean,
        )
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return Status(201, ContentItem.objects.prefetch_related("tags").get(pk=item.pk))

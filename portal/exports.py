"""Exports are prepared by the worker, not in the request: the person asks, a task writes
the file to private storage (``EXPORT_ROOT``, never served as media), they get a
notification with the link, and only they can download it, for ``EXPORT_KEEP_HOURS``;
then the worker deletes it. A builder that fails fails the task, which the worker runs
again later (admins see it under Reports → Background work).

Builders are named in ``EXPORT_BUILDERS`` (kind -> dotted path of
``builder(out, **params) -> rows``, named by ``@export_builder(file_name=, title=)``), so
this module knows no feature.
"""

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from portal.people.models import User

from .models import Export
from .notifications.services import notification_send, notification_text


def safe_cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab or return) as formulas:
    quote them. Every text cell of a CSV goes through it: emails, team names and titles
    can start so."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_builder(*, file_name: str, title: str):
    """Name a builder's file and what it is (``Your export is ready: <title>``)."""

    def mark(function):
        vars(function).update(file_name=file_name, title=title)
        return function

    return mark


def export_request(*, user: User, kind: str, params: dict) -> Export:
    """Queue the export ``kind`` for ``user``; the task runs after this commit."""
    if kind not in settings.EXPORT_BUILDERS:
        raise ValueError(f"No export called {kind!r}")
    export = Export.objects.create(
        id=uuid.uuid4(),
        kind=kind,
        params=params,
        requested_by=user,
        created_at=timezone.now(),
    )
    transaction.on_commit(lambda: export_build.enqueue(str(export.pk)))
    return export


def export_path(export: Export) -> Path:
    return Path(settings.EXPORT_ROOT) / f"{export.pk}.{export.file_name.rsplit('.', 1)[-1]}"


@task()
def export_build(export_id: str) -> int:
    export = Export.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.status == Export.Status.READY:
        return 0  # gone (the person was erased) or built by an earlier run
    builder = import_string(settings.EXPORT_BUILDERS[export.kind])
    export.file_name = builder.file_name
    Path(settings.EXPORT_ROOT).mkdir(parents=True, exist_ok=True)
    target = export_path(export)
    partial = target.with_suffix(".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            rows = builder(out, **export.params)
        partial.replace(target)
    except Exception as error:
        partial.unlink(missing_ok=True)
        export.error = f"{type(error).__name__}: {error}"[:1000]  # shown; the task retries
        export.save(update_fields=["error"])
        raise
    export.status, export.rows, export.finished_at = Export.Status.READY, rows, timezone.now()
    export.save(update_fields=["file_name", "status", "rows", "finished_at"])
    notification_send(
        user=export.requested_by,
        kind="export",
        **notification_text(
            "export_ready",
            to=export.requested_by,
            title=builder.title,
            rows=rows,
            hours=settings.EXPORT_KEEP_HOURS,
        ),
        url=reverse("export_download", args=[export.pk]),
    )
    return rows


def export_download(request, pk):
    """The file, for the person who asked for it, while it is kept."""
    if not request.user.is_authenticated:
        raise Http404("No such export.")
    export = get_object_or_404(Export, pk=pk, requested_by=request.user, status=Export.Status.READY)
    path = export_path(export)
    if not path.exists():
        raise Http404("This export was deleted; ask for a new one.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=export.file_name)


def exports_recent(*, user: User, kind: str) -> list[Export]:
    cutoff = timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS)
    return list(Export.objects.filter(requested_by=user, kind=kind, created_at__gte=cutoff)[:5])


def exports_prune(*, now=None) -> int:
    """A worker job: delete exports older than ``EXPORT_KEEP_HOURS``, files included,
    and files whose row is gone (an erased requester)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.EXPORT_KEEP_HOURS)
    old = list(Export.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file_name:
            export_path(export).unlink(missing_ok=True)
    Export.objects.filter(pk__in=[export.pk for export in old]).delete()
    root = Path(settings.EXPORT_ROOT)
    if root.exists():
        known = {str(pk) for pk in Export.objects.values_list("pk", flat=True)}
        for path in root.iterdir():
            if path.stem not in known and path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
    return len(old)

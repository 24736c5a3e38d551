"""Exports are prepared by the worker: asked for once, built by a task (retried when it
fails), downloadable only by the person who asked, and deleted after the keep time."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.exports import export_build, export_path, exports_prune
from portal.models import Export
from portal.notifications.models import Notification
from tests.forms import once
from tests.people.factories import UserFactory
from tests.recognition.factories import recognise, team_with_manager

pytestmark = pytest.mark.django_db
AUDIT = "/recognition/audit/"


def test_a_double_click_queues_one_export_and_only_its_owner_downloads_it(
    client, programme_admin, django_capture_on_commit_callbacks
):
    _team, manager, [member] = team_with_manager()
    recognise(manager, member, points=10, message="Great launch")
    client.force_login(programme_admin)
    data = once({})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post(AUDIT, data).status_code == 302
    export = Export.objects.get()
    assert (export.status, export.rows) == ("ready", 1)
    note = Notification.objects.get(user=programme_admin, kind="export")
    assert note.url == reverse("export_download", args=[export.pk])
    page = client.get(AUDIT).content.decode()
    assert "recognition-audit.csv" in page
    assert client.get(note.url).status_code == 200

    other = UserFactory(profile__onboarded=True)
    client.force_login(other)
    assert client.get(note.url).status_code == 404  # not theirs
    client.logout()
    assert client.get(note.url).status_code == 404
    assert not str(export_path(export)).startswith(str(Path(__file__).parents[2] / "media"))


def test_a_failing_build_keeps_its_error_and_is_run_again(settings, programme_admin):
    settings.EXPORT_BUILDERS = {
        **settings.EXPORT_BUILDERS,
        "broken": "tests.integrity.test_exports.broken",
    }
    export = Export.objects.create(
        id="00000000-0000-0000-0000-000000000001",
        kind="broken",
        requested_by=programme_admin,
        created_at=timezone.now(),
    )
    with pytest.raises(RuntimeError):
        export_build.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == "queued"
    assert export.error == "RuntimeError: the disk is full"
    assert not list(Path(settings.EXPORT_ROOT).glob(f"{export.pk}*"))


def broken(out, **params):
    out.write("half a file")
    raise RuntimeError("the disk is full")


broken.file_name = "broken.csv"
broken.title = "a broken export"


def test_exports_are_deleted_after_the_keep_time(
    client, programme_admin, django_capture_on_commit_callbacks
):
    client.force_login(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(AUDIT, once({}))
    export = Export.objects.get()
    path = export_path(export)
    assert path.exists()
    assert exports_prune() == 0
    later = timezone.now() + timedelta(hours=25)
    assert exports_prune(now=later) == 1
    assert not path.exists()
    assert not Export.objects.exists()


def test_a_post_without_its_token_is_refused(client, programme_admin):
    client.force_login(programme_admin)
    assert client.post(AUDIT, {}).status_code == 400
    assert client.post(AUDIT, {"submission": "\x00"}).status_code == 400
    assert not Export.objects.exists()

"""Content items in the Wagtail admin: editing, and moderation before anyone sees them."""

import pytest
from wagtail.models import WorkflowState

from portal.sharing import selectors
from portal.sharing.models import ContentItem
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db
URL = "/admin/snippets/sharing/contentitem/"


def form(**fields):
    data = {
        "title": "Offshore wind, explained",
        "url": "https://www.example.com/wind",
        "kind": "curated",
        "summary": "A clear explainer.",
        "caption_linkedin": "Worth a read.",
        "caption_x": "Worth a read.",
        "caption_facebook": "",
        "tags": "wind, research",
        "locations": "",
        "job_roles": "",
        "show_from": "",
        "show_until": "",
    }
    return data | fields


def test_content_items_are_moderated_by_the_programme_team():
    workflow = ContentItem().get_workflow()
    assert workflow.name == "Content hub moderation"
    [task] = workflow.tasks
    assert [group.name for group in task.specific.groups.all()] == ["Programme admin"]


def test_programme_admins_list_add_and_edit_items(client, programme_admin):
    client.force_login(programme_admin)
    item = content_item(title="Already here")
    assert client.get(URL).status_code == 200
    assert b"Already here" in client.get(URL).content
    assert client.get(f"{URL}add/").status_code == 200
    assert client.get(f"{URL}edit/{item.pk}/").status_code == 200


def test_an_admin_draft_is_submitted_and_approved_before_anyone_sees_it(client, programme_admin):
    client.force_login(programme_admin)
    response = client.post(f"{URL}add/", form(**{"action-submit": "Submit"}))
    assert response.status_code == 302, response.content[:2000]
    item = ContentItem.objects.get(title="Offshore wind, explained")
    assert not item.live
    assert not selectors.offered_items().filter(pk=item.pk).exists()
    state = WorkflowState.objects.get(object_id=str(item.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, programme_admin, "approve")
    item.refresh_from_db()
    assert item.live
    assert selectors.offered_items().filter(pk=item.pk).exists()
    assert sorted(item.tags.names()) == ["research", "wind"]


def test_bad_links_and_windows_are_refused_in_the_admin(client, programme_admin):
    client.force_login(programme_admin)
    bad = client.post(f"{URL}add/", form(url="javascript:alert(1)"))
    assert bad.status_code == 200
    backwards = client.post(
        f"{URL}add/", form(show_from="2026-12-01 10:00", show_until="2026-11-01 10:00")
    )
    assert backwards.status_code == 200
    assert b"The window must end after it starts." in backwards.content
    too_long = client.post(f"{URL}add/", form(caption_x="x" * 300))
    assert too_long.status_code == 200
    assert not ContentItem.objects.exists()

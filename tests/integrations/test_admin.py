"""The integrations' admin screens: secrets go in and never come back out."""

import pytest

from portal.integrations.models import ChatChannel, Delivery, DeliveryState, Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, programme_admin):
    client.force_login(programme_admin)
    session = client.session
    session["two_factor"] = {"device": False, "required": False}
    session.save()
    return client


def test_a_webhook_is_added_and_its_secret_never_shown(admin_client):
    answer = admin_client.post(
        "/admin/integrations/webhooks/new/",
        {
            "name": "CRM",
            "url": "https://crm.example.com/hooks/advocates",
            "secret": "a-shared-secret-of-some-length",
            "events": ["badge.earned", "share.made"],
            "active": "on",
        },
    )
    assert answer.status_code == 302, answer.content[:2000]
    hook = Webhook.objects.get(name="CRM")
    assert hook.events == ["badge.earned", "share.made"]
    edit = admin_client.get(f"/admin/integrations/webhooks/edit/{hook.pk}/")
    assert b"a-shared-secret-of-some-length" not in edit.content
    # Saved again with the secret left empty: it keeps its secret.
    admin_client.post(
        f"/admin/integrations/webhooks/edit/{hook.pk}/",
        {"name": "CRM", "url": hook.url, "secret": "", "events": ["badge.earned"], "active": "on"},
    )
    hook.refresh_from_db()
    assert (hook.secret, hook.events) == ("a-shared-secret-of-some-length", ["badge.earned"])
    short = admin_client.post(
        "/admin/integrations/webhooks/new/",
        {"name": "BI", "url": "ftp://bi.example.com/", "secret": "short", "events": []},
    )
    assert short.status_code == 200  # the form again, with its errors
    assert not Webhook.objects.filter(name="BI").exists()


def test_a_channel_address_is_masked_and_the_log_sends_again(
    admin_client, django_capture_on_commit_callbacks
):
    channel = ChatChannel.objects.create(
        name="Wins", kind="slack", url="https://hooks.slack.com/services/T0/B0/SECRETTOKEN"
    )
    listing = admin_client.get("/admin/integrations/chat/")
    assert b"hooks.slack.com" in listing.content
    assert b"SECRETTOKEN" not in listing.content
    assert (
        b"SECRETTOKEN"
        not in admin_client.get(f"/admin/integrations/chat/edit/{channel.pk}/").content
    )

    off = ChatChannel.objects.create(
        name="Off", kind="teams", url="https://x.example/h", active=False
    )
    failed = Delivery.objects.create(
        channel=off, event="badge.earned", key="k1", payload={}, state=DeliveryState.FAILED,
        attempts=6,
    )  # fmt: skip
    assert admin_client.get("/admin/integrations/deliveries/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/integrations/deliveries/edit/{failed.pk}/", {"state": "pending"})
    failed.refresh_from_db()
    # Sent again at once: the channel is switched off, so it fails again, with the reason.
    assert failed.attempts == 0
    assert failed.state == DeliveryState.FAILED
    assert failed.error == "The webhook or channel was switched off."


def test_the_lrs_push_shows_how_far_it_came(admin_client):
    from portal.integrations.models import XapiCursor

    XapiCursor.objects.create(name="activity", sent=12, problem="The LRS answered 401.")
    page = admin_client.get("/admin/integrations/lrs/")
    assert page.status_code == 200
    assert b"The LRS answered 401." in page.content

"""New hub content on people's topics: when an item is published, the people who follow
one of its topics, may see it, and chose "New content on my topics" for their phone get
a notification (in their list, and pushed in their working hours). Once per item."""

from django.urls import reverse
from django.utils import translation

from portal.locales import is_original, localised_one, reading_language
from portal.notifications.models import Notification
from portal.notifications.services import notification_send_many, notification_text
from portal.people.models import Profile
from portal.people.selectors import language_of

from .models import ContentItem
from .selectors import audience_match, item_offered


def item_published(sender, instance, **kwargs) -> int:
    """Wagtail's ``published``. Returns how many people it told."""
    # Translations are announced with their original: once, in each person's language.
    if (
        not isinstance(instance, ContentItem)
        or not is_original(instance)
        or not item_offered(instance)
    ):
        return 0
    topics = {tag.name.lower() for tag in instance.tags.all()}
    if not topics:
        return 0
    url = reverse("sharing:share", args=[instance.pk])
    told = set(
        Notification.objects.filter(kind="content", url=url).values_list("user_id", flat=True)
    )
    followers = (
        Profile.objects.filter(
            user__push_choice__content=True,
            user__is_active=True,
            onboarded_at__isnull=False,
            left_at__isnull=True,
            interests__name__in=topics,
        )
        .exclude(user_id__in=told)
        .select_related("user", "department")
        .distinct()
    )
    readers = [
        profile.user
        for profile in followers
        if audience_match(item=instance, profile=profile).visible
    ]
    versions = {
        language: localised_one(instance, language)
        for language in {language_content(reader) for reader in readers}
    }
    items = []
    for reader in readers:
        shown = versions[language_content(reader)]
        items.append(
            {"user": reader, "kind": "content", "url": url,
             **notification_text("content_new", to=reader, title=shown.title,
                                 summary=shown.summary[:300])}
        )  # fmt: skip
    if items:
        notification_send_many(items)
    return len(items)


def language_content(user) -> str:
    """The content language ``user`` reads in (their own choice, else the portal's)."""
    with translation.override(language_of(user)):
        return reading_language()

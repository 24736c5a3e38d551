"""Hub content and shares for tests."""

from django.utils import timezone

from portal.sharing import services
from portal.sharing.models import ContentItem, Kind, Network


def content_item(
    *,
    title="Our wind farm is live",
    kind=Kind.OWN,
    url="https://www.example.com/news/wind?ref=home&utm_source=old",
    tags=(),
    departments=(),
    live=True,
    caption_linkedin="Our new wind farm powers 200,000 homes.",
    **fields,
) -> ContentItem:
    item = ContentItem(
        title=title,
        url=url,
        kind=kind,
        live=live,
        caption_linkedin=caption_linkedin,
        caption_x=fields.pop("caption_x", "Wind farm live: 200,000 homes."),
        **fields,
    )
    item.save()
    if tags:
        item.tags.set(list(tags))
    if departments:
        item.departments.set(list(departments))
    item.save()
    return item


def share(*, user, item=None, network=Network.LINKEDIN, caption=None, at=None):
    item = item or content_item()
    return services.share_create(
        user=user,
        item=item,
        network=network,
        caption=caption or "I helped build this: " + item.caption_for(network),
        at=at or timezone.now(),
    )

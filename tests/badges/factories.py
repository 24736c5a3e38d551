import factory

from badges.models import Badge


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    name = factory.Sequence(lambda n: f"Badge {n}")
    slug = factory.Sequence(lambda n: f"badge-{n}")
    description = "For doing the thing well."
    criteria_text = "Do the thing three times."
    tier = "bronze"
    criteria = factory.LazyFunction(lambda: [("manual", {"note": ""})])


def badge(kind="manual", *, name=None, criteria_text=None, **params):
    """A badge of criteria ``kind`` with ``params``, e.g. ``badge("points", count=100)``."""
    values = {"manual": {"note": ""}}.get(kind, params)
    named = {"name": name} if name else {}
    if criteria_text:
        named["criteria_text"] = criteria_text
    return BadgeFactory(criteria=[(kind, values)], **named)

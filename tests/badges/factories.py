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


def badge(kind="manual", **params):
    values = {"manual": {"note": ""}}.get(kind, params)
    return BadgeFactory(criteria=[(kind, values)])

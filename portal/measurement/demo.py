"""Demo targets for ``seed_demo``: one or two KPIs for each objective the demo's purpose
workshop published."""

from datetime import timedelta

from django.utils import timezone

from .models import Kpi, Target
from .objectives import objectives


def demo_targets_create() -> int:
    today = timezone.localdate()
    quarter_end = (today.replace(day=1) + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    published = objectives()
    if len(published) < 3:
        return 0
    understand, reach, skills = published[:3]
    targets = [
        Target(objective=understand, kpi=Kpi.SHARES, value=60, cadence=Target.Cadence.MONTHLY,
               starts=today.replace(day=1)),
        Target(objective=reach, kpi=Kpi.CLICKS, value=2000, cadence=Target.Cadence.MONTHLY,
               starts=today.replace(day=1)),
        Target(objective=reach, kpi=Kpi.ACTIVE, value=30, cadence=Target.Cadence.BY_DATE,
               starts=today - timedelta(days=60), due=quarter_end),
        Target(objective=skills, kpi=Kpi.UNLOCKED, value=35, cadence=Target.Cadence.BY_DATE,
               starts=today - timedelta(days=150), due=quarter_end),
    ]  # fmt: skip
    Target.objects.bulk_create(targets)
    return len(targets)

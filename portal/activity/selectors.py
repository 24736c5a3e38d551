"""Reads from the activity ledger and its projections."""

from django.db.models import QuerySet

from .models import Activity, PointsTotal


def points_total(*, user) -> int:
    return PointsTotal.objects.filter(user_id=user.pk).values_list("points", flat=True).first() or 0


def activity_recent(*, user, limit: int = 20) -> QuerySet[Activity]:
    return Activity.objects.filter(actor_id=user.pk).select_related("object_type")[:limit]

from portal.people.models import User

from .models import Notification


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_recent(*, user: User, limit: int = 50):
    return Notification.objects.filter(user_id=user.pk)[:limit]

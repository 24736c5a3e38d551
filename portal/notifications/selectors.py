from .models import Notification


def notifications_unread_count(*, user) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_recent(*, user, limit: int = 50):
    return Notification.objects.filter(user_id=user.pk)[:limit]

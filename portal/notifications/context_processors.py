from .selectors import notifications_unread_count


def unread_notifications(request):
    """The unread count for the header, for signed-in people only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notifications_unread_count(user=user)}

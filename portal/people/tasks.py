"""Background tasks of the people side (run by ``python manage.py worker``)."""

from django_tasks import task

from .models import User
from .services import people_invite


@task()
def invitation_send(user_id: int) -> int:
    """Email one person their invitation, unless they have signed in since (a retry after
    a mail outage must not invite someone who already joined). A failure (mail down)
    fails the task; the worker runs it again later, and admins see it meanwhile."""
    user = User.objects.filter(pk=user_id, is_active=True, last_login__isnull=True).first()
    if user is None:
        return 0
    return people_invite(users=[user])


def invitations_queue(*, user_ids: list[int]) -> None:
    """Queue an invitation per person; called after the commit that created them."""
    for user_id in user_ids:
        invitation_send.enqueue(user_id)

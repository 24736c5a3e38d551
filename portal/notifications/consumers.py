"""Personal notifications over a WebSocket (group ``user.<id>``), for the live toast."""

from portal.consumers import PortalConsumer
from portal.people.models import User
from portal.realtime import group_name


class NotificationConsumer(PortalConsumer):
    async def authorise(self, user: User):
        return [group_name("user", user.pk)]

    async def notifications_notification_sent(self, event):
        """Relayed as they are (they carry no one else's data)."""
        await self.send_json(
            {"type": "notification"}
            | {key: event.get(key, "") for key in ("kind", "title", "body", "url", "created")}
        )

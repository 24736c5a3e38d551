"""The facilitators' live workshop wall over a WebSocket (group ``workshop.<page id>``)."""

from channels.db import database_sync_to_async

from portal.consumers import PortalConsumer
from portal.people.models import User
from portal.realtime import group_name

from .models import WorkshopPage
from .selectors import workshop_can_facilitate


def _may_facilitate(user: User, workshop_id: int) -> bool:
    workshop = WorkshopPage.objects.live().filter(pk=workshop_id).first()
    return workshop is not None and workshop_can_facilitate(user=user, workshop=workshop)


class WorkshopWallConsumer(PortalConsumer):
    async def authorise(self, user: User):
        workshop_id = self.scope["url_route"]["kwargs"]["workshop_id"]
        if not await database_sync_to_async(_may_facilitate)(user, workshop_id):
            return None
        return [group_name("workshop", workshop_id)]

    async def courses_answer_changed(self, event):
        """A new or changed answer, relayed as it is."""
        await self.send_json({"type": "answer", "answer": event["answer"]})

"""A mentor's live dashboard (group ``mentor.<id>``): mentee rows as they change.

Every update is checked against the object permission before it is sent, so a pairing
that has ended sends nothing more, even to a socket opened before it ended.
"""

from channels.db import database_sync_to_async

from portal.consumers import PortalConsumer
from portal.people.models import User

from . import selectors
from .selectors import mentor_group


class MentorDashboardConsumer(PortalConsumer):
    async def authorise(self, user: User):
        return [mentor_group(user.pk)]

    async def mentoring_mentee_changed(self, event):
        row = await database_sync_to_async(selectors.mentee_row)(
            mentor=self.scope["user"], mentee_id=event["mentee"]
        )
        if row is None:
            await self.send_json({"type": "removed", "mentee": event["mentee"]})
        else:
            await self.send_json({"type": "mentee", "row": row})

    async def mentoring_mentee_removed(self, event):
        await self.send_json({"type": "removed", "mentee": event["mentee"]})

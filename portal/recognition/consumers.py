"""The public recognition feed, live (group ``recognition``): any signed-in person."""

from portal.consumers import PortalConsumer
from portal.people.models import User

from .services import FEED_GROUP


class RecognitionFeedConsumer(PortalConsumer):
    async def authorise(self, user: User):
        return [FEED_GROUP]

    async def recognition_entry_added(self, event):
        """A new recognition or kudos, as the public sees it."""
        await self.send_json({"type": "recognition", "entry": event["entry"]})

    async def recognition_entries_retracted(self, event):
        """Entries redrawn after someone withdrew consent or left: the page replaces them
        in place."""
        await self.send_json(
            {
                "type": "retraction",
                "entries": event["entries"],
                "removed": event.get("removed", []),
            }
        )

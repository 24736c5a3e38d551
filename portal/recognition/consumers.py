"""The public recognition feed, live (group ``recognition``): any signed-in person."""

from portal.consumers import PortalConsumer

from .services import FEED_GROUP


class RecognitionFeedConsumer(PortalConsumer):
    async def authorise(self, user):
        return [FEED_GROUP]

    async def recognition_new(self, event):
        """A new recognition or kudos (``recognition.new``), as the public sees it."""
        await self.send_json({"type": "recognition", "entry": event["entry"]})

    async def recognition_entries_retracted(self, event):
        """Entries redrawn after someone withdrew consent or left
        (``recognition.entries_retracted``): the page replaces them in place."""
        await self.send_json(
            {
                "type": "retraction",
                "entries": event["entries"],
                "removed": event.get("removed", []),
            }
        )

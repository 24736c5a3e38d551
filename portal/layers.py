"""The in-process channel layer used without ``REDIS_URL`` (one daphne worker).

channels' ``InMemoryChannelLayer`` sweeps every channel and every group membership for
expired entries on each receive and each group send. A broadcast to N sockets makes N
receives, so one update costs N² steps: about a second of the worker's time at 1,000
sockets (``bench/leaderboard_fanout.py``). Expiry is about messages nobody read for a
minute and memberships a day old; sweeping once a second keeps that meaning and makes
a broadcast linear.
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0  # seconds

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._swept_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept_at < self.sweep_interval:
            return
        self._swept_at = now
        super()._clean_expired()

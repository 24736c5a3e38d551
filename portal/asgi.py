"""ASGI entry point: HTTP through Django, WebSockets through Channels (served by daphne).

Once everything is loaded, the start-up heap (Django, Wagtail, the apps, the URLconf:
about 300,000 objects) is frozen out of the cyclic garbage collector: nothing made at
start-up is ever garbage, and before, each full collection walked all of it again,
about 0.2 s of CPU each, a quarter of a worker's CPU on tracked links under load
(docs/PERFORMANCE.md).
"""

import gc
import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Django must be set up before anything imports models (consumers, middleware).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from portal.routing import websocket_urlpatterns  # noqa: E402
from portal.sharing.tracking import with_tracked_links  # noqa: E402
from portal.wire import with_wire  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": with_tracked_links(django_asgi_app),
        # Outermost, to see daphne's own send (portal.wire: one frame for many sockets).
        "websocket": with_wire(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

# The URLconf and the views it imports are loaded now rather than on the first request,
# so that they are frozen with the rest.
get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()

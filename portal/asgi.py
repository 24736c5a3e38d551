"""ASGI entry point: HTTP through Django, WebSockets through Channels (served by daphne)."""

import os

from django.core.asgi import get_asgi_application

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

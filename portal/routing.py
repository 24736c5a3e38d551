"""WebSocket routes; each app adds its consumers here as it gains them."""

from django.urls import path

from courses.consumers import WorkshopWallConsumer

websocket_urlpatterns: list = [
    path("ws/workshops/<int:workshop_id>/wall/", WorkshopWallConsumer.as_asgi()),
]

"""WebSocket routes; each app adds its consumers here as it gains them."""

from django.urls import path, re_path

from courses.consumers import WorkshopWallConsumer
from leaderboards.consumers import LeaderboardConsumer
from portal.consumers import NoRouteConsumer
from portal.mentoring.consumers import MentorDashboardConsumer
from portal.notifications.consumers import NotificationConsumer
from portal.recognition.consumers import RecognitionFeedConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/leaderboards/<str:board>/", LeaderboardConsumer.as_asgi()),
    path("ws/workshops/<id:workshop_id>/wall/", WorkshopWallConsumer.as_asgi()),
    path("ws/recognition/", RecognitionFeedConsumer.as_asgi()),
    path("ws/mentoring/", MentorDashboardConsumer.as_asgi()),
    re_path(r"", NoRouteConsumer.as_asgi()),  # last: everything else is refused
]

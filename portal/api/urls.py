from django.urls import path

from . import views
from .endpoints import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("me/api-tokens/", views.my_tokens, name="api_tokens"),
]

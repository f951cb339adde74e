"""The read API's token pages (HR admins) and the API itself (``/api/v1/...``, ``/api/docs``,
``/api/openapi.json``), all in the ``api`` namespace."""

from django.urls import path

from . import views
from .endpoints import read_api

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    *read_api.urls[0],
]

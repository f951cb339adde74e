from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.feed_page, name="feed"),
    path("create/", views.feed_create_view, name="create"),
    path("replace/", views.feed_replace_view, name="replace"),
    path("turn-off/", views.feed_turn_off_view, name="turn_off"),
    path("<str:token>.ics", views.feed_ics, name="ics"),
]

"""Feedback URLs, one module per area, all in the ``feedback`` namespace, under /pairs/."""

from . import checkins, health, pairs, sessions

app_name = "feedback"

urlpatterns = [*pairs.urlpatterns, *sessions.urlpatterns, *checkins.urlpatterns, *health.urlpatterns]

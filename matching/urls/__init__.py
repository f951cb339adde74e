"""Matching URLs, one module per area, all in the ``matching`` namespace, under /matching/<program slug>/."""

from . import choice, runs

app_name = "matching"

urlpatterns = [*runs.urlpatterns, *choice.urlpatterns]

"""Mentee choice: suggestions and requests for mentees, answers for mentors, and everyone's own pairs.

``pairs/`` has no program slug; it comes before any ``<slug>/`` path of this module.
"""

from django.urls import path

from matching.views import choice

urlpatterns = [
    path("pairs/", choice.my_pairs, name="my_pairs"),
    path("<slug:slug>/choose/", choice.choose, name="choose"),
    path("<slug:slug>/requests/", choice.mentor_requests, name="mentor_requests"),
    path(
        "<slug:slug>/requests/<int:pk>/accept/",
        choice.mentor_request_accept_view,
        name="mentor_request_accept",
    ),
    path(
        "<slug:slug>/requests/<int:pk>/decline/",
        choice.mentor_request_decline_view,
        name="mentor_request_decline",
    ),
]

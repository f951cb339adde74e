"""URLs of the checkins area of feedback: a member's check-in, the closure survey and completing a pair
(under the pair), and a program's check-in answers and flags (for its coordinators and HR admins)."""

from django.urls import path

from feedback.views import checkins

urlpatterns = [
    path("<int:pair_pk>/checkins/<int:pk>/", checkins.checkin, name="checkin"),
    path("<int:pair_pk>/closure/", checkins.closure, name="closure"),
    path("<int:pair_pk>/complete/", checkins.pair_complete_view, name="pair_complete"),
    path("programs/<slug:slug>/checkins/", checkins.checkin_answers, name="checkin_answers"),
    path("programs/<slug:slug>/checkins/open/", checkins.checkins_open_view, name="checkins_open"),
    path("programs/<slug:slug>/checkins/<int:pk>/handled/", checkins.checkin_handled, name="checkin_handled"),
    path(
        "programs/<slug:slug>/checkins/complete-pairs/",
        checkins.program_pairs_complete,
        name="program_pairs_complete",
    ),
]

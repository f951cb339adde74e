"""Nomination cycles for HR admins: /master-mentors/cycles/…"""

from django.urls import path

from cohorts.views import cycles as views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/status/", views.cycle_transition, name="cycle_transition"),
    path("cycles/<int:pk>/next/", views.cycle_start_next, name="cycle_start_next"),
    path("cycles/<int:pk>/seats/", views.cycle_seats, name="cycle_seats"),
    path("cycles/<int:pk>/committee/", views.cycle_committee, name="cycle_committee"),
    path(
        "cycles/<int:pk>/committee/<int:member_pk>/remove/", views.committee_remove, name="committee_remove"
    ),
    path("cycles/<int:pk>/committee/<int:member_pk>/chair/", views.committee_chair, name="committee_chair"),
    path("cycles/<int:pk>/rubric/", views.cycle_rubric, name="cycle_rubric"),
    path("cycles/<int:pk>/rubric/order/", views.criteria_reorder, name="criteria_reorder"),
    path("cycles/<int:pk>/rubric/<int:criterion_pk>/", views.criterion_edit, name="criterion_edit"),
    path(
        "cycles/<int:pk>/rubric/<int:criterion_pk>/remove/", views.criterion_remove, name="criterion_remove"
    ),
]

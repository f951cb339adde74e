"""URLs of the health area of feedback: a program's health board and its actions, and the mentors whose
pairs keep struggling (for the program's coordinators and HR admins)."""

from django.urls import path

from feedback.views import health

urlpatterns = [
    path("health/<slug:slug>/", health.health_board, name="health_board"),
    path("health/<slug:slug>/pairs/<int:pk>/nudge/", health.health_nudge, name="health_nudge"),
    path("health/<slug:slug>/pairs/<int:pk>/handled/", health.health_handled, name="health_handled"),
    path("health/<slug:slug>/pairs/<int:pk>/end/", health.health_end, name="health_end"),
    path("health/<slug:slug>/mentors/", health.health_mentors, name="health_mentors"),
    path("health/<slug:slug>/mentors/<int:person_pk>/coach/", health.mentor_coach, name="mentor_coach"),
    path("health/<slug:slug>/coaching/<int:pk>/end/", health.coaching_end, name="coaching_end"),
]

from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("programs/<slug:slug>/", views.program, name="program"),
    path("programs/<slug:slug>/impact/", views.impact, name="impact"),
    path("programs/<slug:slug>/equity/", views.equity, name="equity"),
    path("master-mentors/", views.master_mentors, name="master_mentors"),
    path("settings/", views.outcome_settings, name="settings"),
]

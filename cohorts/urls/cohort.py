"""The cohort: events, attendance, progress, graduation, certificates and the Master Mentor roster."""

from django.urls import path

from ..views import cohort as views

urlpatterns = [
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cycles/<int:cycle_pk>/cohort/new/", views.cohort_create_view, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/events/new/", views.event_add_view, name="event_add"),
    path("cohorts/<int:pk>/events/<int:event_pk>/", views.event_detail, name="event_detail"),
    path("cohorts/<int:pk>/events/<int:event_pk>/edit/", views.event_edit, name="event_edit"),
    path("cohorts/<int:pk>/events/<int:event_pk>/cancel/", views.event_cancel_view, name="event_cancel"),
    path("cohorts/<int:pk>/events/<int:event_pk>/invite.ics", views.event_ics_download, name="event_ics"),
    path("cohorts/<int:pk>/events/<int:event_pk>/attendance/", views.attendance_take, name="attendance_take"),
    path("cohorts/<int:pk>/members/<int:member_pk>/", views.member_detail, name="member_detail"),
    path("cohorts/<int:pk>/graduation/", views.graduation, name="cohort_graduation"),
    path("certificates/<int:pk>/certificate.pdf", views.certificate_download, name="certificate_download"),
    path("certificates/export/", views.certificate_export, name="certificate_export"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("roster/", views.roster, name="roster"),
]

"""URLs of the sessions area of feedback, under the pair: its sessions, scheduling and logging them, and on
each session its invite, changes, the viewer's private note and feedback."""

from django.urls import path

from ..views import sessions

urlpatterns = [
    path("<int:pair_pk>/sessions/", sessions.session_list, name="session_list"),
    path("<int:pair_pk>/sessions/schedule/", sessions.session_schedule_view, name="session_schedule"),
    path("<int:pair_pk>/sessions/log/", sessions.session_log_view, name="session_log"),
    path("<int:pair_pk>/sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("<int:pair_pk>/sessions/<int:pk>/invite.ics", sessions.session_ics_download, name="session_ics"),
    path("<int:pair_pk>/sessions/<int:pk>/change/", sessions.session_edit, name="session_edit"),
    path("<int:pair_pk>/sessions/<int:pk>/cancel/", sessions.session_cancel_view, name="session_cancel"),
    path("<int:pair_pk>/sessions/<int:pk>/held/", sessions.session_held, name="session_held"),
    path("<int:pair_pk>/sessions/<int:pk>/note/", sessions.session_note, name="session_note"),
    path("<int:pair_pk>/sessions/<int:pk>/feedback/", sessions.session_feedback, name="session_feedback"),
]

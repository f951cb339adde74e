"""Enrollment: the employee's program pages, applications, decisions, invitations and manager approvals.

``approvals/`` comes before ``<slug>/``, so no program may take the slug "approvals".
"""

from django.urls import path

from programs.views import approvals, enrollment

urlpatterns = [
    path("", enrollment.program_list, name="program_list"),
    path("approvals/", approvals.manager_approvals, name="manager_approvals"),
    path("approvals/<int:pk>/", approvals.manager_approval_decide_view, name="manager_approval_decide"),
    path("<slug:slug>/", enrollment.program_detail, name="program_detail"),
    path("<slug:slug>/apply/<str:role>/", enrollment.program_apply, name="program_apply"),
    path("<slug:slug>/answers/<str:role>/", enrollment.participant_answers, name="participant_answers"),
    path(
        "<slug:slug>/withdraw/<str:role>/", enrollment.participant_withdraw_view, name="participant_withdraw"
    ),
    path("<slug:slug>/manage/participants/", approvals.participant_list, name="participant_list"),
    path("<slug:slug>/manage/participants/decide/", approvals.participant_bulk, name="participant_bulk"),
    path("<slug:slug>/manage/participants/invite/", approvals.participant_invite, name="participant_invite"),
    path(
        "<slug:slug>/manage/participants/<int:pk>/",
        approvals.participant_detail,
        name="participant_detail",
    ),
]

"""URLs of the pairs area of feedback: the list, the pair page, its agreement and goals, ending early."""

from django.urls import path

from ..views import pairs

urlpatterns = [
    path("", pairs.pair_list, name="pair_list"),
    path("<int:pk>/", pairs.pair_detail, name="pair_detail"),
    path("<int:pk>/agreement/", pairs.agreement_edit, name="agreement_edit"),
    path("<int:pk>/agreement/confirm/", pairs.agreement_confirm, name="agreement_confirm"),
    path("<int:pk>/goals/new/", pairs.goal_create, name="goal_create"),
    path("<int:pk>/goals/<int:goal_pk>/", pairs.goal_edit, name="goal_edit"),
    path("<int:pk>/goals/<int:goal_pk>/status/", pairs.goal_status, name="goal_status"),
    path("<int:pk>/goals/<int:goal_pk>/milestones/", pairs.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/goals/<int:goal_pk>/milestones/<int:milestone_pk>/done/",
        pairs.milestone_done,
        name="milestone_done",
    ),
    path(
        "<int:pk>/goals/<int:goal_pk>/milestones/<int:milestone_pk>/undone/",
        pairs.milestone_undone,
        name="milestone_undone",
    ),
    path("<int:pk>/goals/<int:goal_pk>/comments/", pairs.goal_comment, name="goal_comment"),
    path("<int:pk>/end/", pairs.pair_end, name="pair_end"),
]

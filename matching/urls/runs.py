"""Match runs of one program, for its HR admins and coordinators."""

from django.urls import path

from matching.views import runs

urlpatterns = [
    path("<slug:slug>/runs/", runs.run_list, name="run_list"),
    path("<slug:slug>/runs/start/", runs.run_start, name="run_start"),
    path("<slug:slug>/runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("<slug:slug>/runs/<int:pk>/progress/", runs.run_progress, name="run_progress"),
    path("<slug:slug>/runs/<int:pk>/pin/", runs.proposal_pin_view, name="proposal_pin"),
    path("<slug:slug>/runs/<int:pk>/forbid/", runs.proposal_forbid_view, name="proposal_forbid"),
    path(
        "<slug:slug>/runs/<int:pk>/proposals/<int:proposal_pk>/swap/",
        runs.proposal_swap_view,
        name="proposal_swap",
    ),
    path("<slug:slug>/runs/<int:pk>/rerun/", runs.run_rerun_view, name="run_rerun"),
    path("<slug:slug>/runs/<int:pk>/discard/", runs.run_discard_view, name="run_discard"),
    path("<slug:slug>/runs/<int:pk>/publish/", runs.run_publish_view, name="run_publish"),
    path(
        "<slug:slug>/mentees/<int:participant_pk>/rematch/", runs.mentee_rematch_view, name="mentee_rematch"
    ),
]

from django.urls import path

from ..views import nominations as views

urlpatterns = [
    path("nominations/", views.nominations_home, name="nominations_home"),
    path("nominations/<int:cycle_pk>/endorse/", views.endorse, name="endorse"),
    path(
        "nominations/endorsements/<int:pk>/withdraw/",
        views.endorsement_withdraw_view,
        name="endorsement_withdraw",
    ),
    path("nominations/<int:cycle_pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:cycle_pk>/team-advice/", views.team_advice_view, name="team_advice"),
    path("nominations/<int:cycle_pk>/hr/", views.cycle_nominations_hr, name="cycle_nominations_hr"),
    path("nominations/candidacies/<int:pk>/", views.candidacy, name="candidacy"),
]

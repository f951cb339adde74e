"""URLs of blind review and selection: the committee's candidacies and reviews, the chair's ranking,
decisions and publication, the review's progress board, and a person's history across cycles."""

from django.urls import path

from ..views import review

urlpatterns = [
    path("cycles/<int:cycle_pk>/review/", review.review_list, name="review_list"),
    path("cycles/<int:cycle_pk>/review/<int:pk>/", review.review_candidacy, name="review_candidacy"),
    path("cycles/<int:cycle_pk>/review/<int:pk>/conflict/", review.review_conflict, name="review_conflict"),
    path("cycles/<int:cycle_pk>/review-progress/", review.review_progress_view, name="review_progress"),
    path("cycles/<int:cycle_pk>/ranking/", review.ranking, name="ranking"),
    path("cycles/<int:cycle_pk>/ranking/<int:pk>/decide/", review.selection_decide, name="selection_decide"),
    path("cycles/<int:cycle_pk>/publish/", review.publish, name="publish_decisions"),
    path("people/<int:person_pk>/history/", review.person_history, name="person_history"),
]

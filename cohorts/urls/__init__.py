"""URLs of the cohorts app, one module per area."""

from . import cohort, cycles, nominations, review

app_name = "cohorts"

urlpatterns = [
    *cycles.urlpatterns,
    *nominations.urlpatterns,
    *review.urlpatterns,
    *cohort.urlpatterns,
]

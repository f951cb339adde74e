"""Program URLs, one module per area; all share the ``programs`` namespace."""

from . import enrollment, manage, questionnaire, resources

app_name = "programs"

urlpatterns = [
    *manage.urlpatterns,
    *questionnaire.urlpatterns,
    *resources.urlpatterns,
    *enrollment.urlpatterns,
]

from django.urls import path

from .views import account, audit, directory, imports

app_name = "people"

urlpatterns = [
    path("", directory.person_list, name="person_list"),
    path("<int:pk>/", directory.person_detail, name="person_detail"),
    path("me/settings/", account.account_settings, name="account_settings"),
    path("hr-admins/", directory.hr_admins, name="hr_admins"),
    path("hr-admins/<int:user_id>/remove/", directory.hr_admin_remove, name="hr_admin_remove"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/format/<str:kind>.csv", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/apply/", imports.import_apply, name="import_apply"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("audit-log/", audit.audit_log, name="audit_log"),
]

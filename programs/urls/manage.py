"""Pages for HR admins and coordinators who configure and run programs."""

from django.urls import path

from programs.views import manage

urlpatterns = [
    path("manage/", manage.manage_list, name="manage_list"),
    path("new/", manage.program_create, name="program_create"),
    path("<slug:slug>/manage/", manage.program_overview, name="program_overview"),
    path("<slug:slug>/manage/status/", manage.program_transition, name="program_transition"),
    path("<slug:slug>/manage/duplicate/", manage.program_duplicate, name="program_duplicate"),
    path("<slug:slug>/manage/settings/", manage.program_settings, name="program_settings"),
    path(
        "<slug:slug>/manage/settings/<slug:section>/",
        manage.program_settings_section,
        name="program_settings_section",
    ),
    path("<slug:slug>/manage/key-results/", manage.key_result_create, name="key_result_create"),
    path("<slug:slug>/manage/key-results/<int:pk>/", manage.key_result_update, name="key_result_update"),
    path(
        "<slug:slug>/manage/key-results/<int:pk>/delete/", manage.key_result_delete, name="key_result_delete"
    ),
]

"""The playbook (global and per program), the participants' playbook page and the mentor training record."""

from django.urls import path

from programs.views import playbook, training

urlpatterns = [
    path("playbook/", playbook.global_resource_list, name="global_resource_list"),
    path("playbook/add/", playbook.global_resource_create, name="global_resource_create"),
    path(
        "playbook/install-defaults/",
        playbook.global_resource_install_defaults,
        name="global_resource_install_defaults",
    ),
    path("playbook/<int:pk>/", playbook.global_resource_edit, name="global_resource_edit"),
    path("playbook/<int:pk>/delete/", playbook.global_resource_delete, name="global_resource_delete"),
    path("training/", training.training_list, name="training_list"),
    path("training/import/", training.training_import, name="training_import"),
    path("training/<int:pk>/delete/", training.training_delete, name="training_delete"),
    path("<slug:slug>/playbook/", playbook.playbook, name="playbook"),
    path("<slug:slug>/manage/playbook/", playbook.resource_list, name="resource_list"),
    path("<slug:slug>/manage/playbook/add/", playbook.resource_create, name="resource_create"),
    path("<slug:slug>/manage/playbook/<int:pk>/", playbook.resource_edit, name="resource_edit"),
    path("<slug:slug>/manage/playbook/<int:pk>/delete/", playbook.resource_delete, name="resource_delete"),
]

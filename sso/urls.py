from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("sign-in/", views.start, name="start"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/<str:protocol>/", views.provider_create, name="provider_create"),
    path("providers/<int:pk>/", views.provider_edit, name="provider_edit"),
    path("providers/<int:pk>/delete/", views.provider_delete, name="provider_delete"),
]

"""The registration questionnaire builder: /programs/<slug>/manage/questions/…"""

from django.urls import path

from programs.views import questionnaire as views

urlpatterns = [
    path("<slug:slug>/manage/questions/", views.question_list, name="question_list"),
    path("<slug:slug>/manage/questions/add/", views.question_create, name="question_create"),
    path("<slug:slug>/manage/questions/order/", views.question_reorder, name="question_reorder"),
    path("<slug:slug>/manage/questions/preview/", views.question_preview, name="question_preview"),
    path("<slug:slug>/manage/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("<slug:slug>/manage/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
]

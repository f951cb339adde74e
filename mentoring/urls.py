from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("people.urls")),
    path("programs/", include("programs.urls")),
    path("matching/", include("matching.urls")),
    path("pairs/", include("feedback.urls")),
    path("master-mentors/", include("cohorts.urls")),
    path("notifications/", include("notifications.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("sso/", include("sso.urls")),
    path("scim/v2/", include("scim.urls")),
    path("calendar/", include("calendars.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "mentoring.views.permission_denied"
handler404 = "mentoring.views.page_not_found"

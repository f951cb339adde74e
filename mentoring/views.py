from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from people.permissions import person_for_user

from .home import panels_for


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/home.html",
        {"panels": panels_for(request), "person": person_for_user(request.user)},
    )


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and compose health checks: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)

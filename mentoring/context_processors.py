from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.models import Notification
from people.permissions import person_for_user

from .navigation import navigation_for


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_items": navigation_for(request),
        # Counted only when a page shows the bell (htmx partials do not).
        "unread_notifications": SimpleLazyObject(lambda: unread_count(request)),
    }


def unread_count(request: HttpRequest) -> int:
    person = person_for_user(getattr(request, "user", None))
    if person is None:
        return 0
    return Notification.objects.unread().filter(recipient=person).count()

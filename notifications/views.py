from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from people.permissions import person_for_user

from .models import Notification
from .services import notifications_mark_read


def _person(request: HttpRequest):
    person = person_for_user(request.user)
    if person is None:
        raise Http404("Notifications belong to people in the directory.")
    return person


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    page = Paginator(Notification.objects.filter(recipient=person), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(recipient=_person(request))
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    notification = Notification.objects.filter(recipient=person, pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    notifications_mark_read(recipient=person, ids=[notification.pk])
    return redirect(notification.url or "notifications:list")

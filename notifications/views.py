"""The notification centre, each person's notification settings, and the HR admins' operations page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from people.permissions import person_for_user, require_hr_admin

from .forms import NotificationSettingsForm
from .jobruns import scheduled_job_names
from .kinds import category_choices
from .models import JobRun, Notification, NotificationSettings
from .services import SettingsError, notification_settings_save, notifications_mark_read


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


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """How the signed-in person wants their notifications e-mailed."""
    person = _person(request)
    chosen = NotificationSettings.objects.filter(person=person).first()
    every = [key for key, _ in category_choices()]
    initial = {
        "email": chosen.email if chosen else NotificationSettings.Email.EACH,
        "emailed": [key for key in every if not chosen or key not in chosen.muted],
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                notification_settings_save(
                    person=person, email=form.cleaned_data["email"], muted=form.muted()
                )
            except SettingsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your notification settings are saved.")
                return redirect("notifications:settings")
        messages.error(request, "Nothing was saved. Correct the fields marked below.")
    return render(request, "notifications/settings.html", {"form": form})


FAILURES_SPAN = datetime.timedelta(days=7)


@login_required
def operations(request: HttpRequest) -> HttpResponse:
    """HR admins: each scheduled job's last run, what it sent, and its failures of the past week."""
    require_hr_admin(request.user)
    names = scheduled_job_names()
    since = timezone.now() - FAILURES_SPAN
    runs = JobRun.objects.filter(name__in=names)
    latest = JobRun.objects.filter(name=OuterRef("name")).order_by("-started_at", "-pk")
    failed = latest.filter(status=JobRun.Status.FAILED)
    last = {run.name: run for run in runs.filter(pk=Subquery(latest.values("pk")[:1]))}
    last_failure = {run.name: run for run in runs.filter(pk=Subquery(failed.values("pk")[:1]))}
    failures = dict(
        runs.filter(status=JobRun.Status.FAILED, started_at__gte=since)
        .values("name")
        .annotate(n=Count("pk"))
        .values_list("name", "n")
    )
    rows = [
        {
            "name": name,
            "last": last.get(name),
            "failures": failures.get(name, 0),
            "last_failure": last_failure.get(name),
        }
        for name in names
    ]
    recent = runs.order_by("-started_at", "-pk")[:30]
    return render(request, "notifications/operations.html", {"rows": rows, "recent": recent})

"""The cohort in the browser: creating it from a decided cycle, its events with calendar invites, the
attendance grid, each member's progress and the cohort's overview, graduation, certificates (PDF download,
public verification, HRIS export) and the roster of Master Mentors.

Objects resolve through ``cohorts.permissions.cohort`` (404 for what the user may not see); every write is
a call of ``cohorts.services.cohort`` or ``cohorts.services.graduation``, which refuse a crafted POST with a
message and save nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.audit import log_export

from ..certificates import certificate_filename, certificate_pdf
from ..forms.cohort import AttendanceForm, CancelForm, CohortForm, EventForm, SinceForm
from ..ics import event_ics, invite_filename
from ..models import Attendance, Certificate, Cohort, CohortEvent, CohortMember, NominationCycle
from ..permissions.cohort import (
    CohortAccess,
    can_view_roster,
    cohorts_visible_to,
    get_certificate_for_user,
    get_cohort_for_manager,
    get_cohort_for_user,
    get_cycle_for_cohort_create,
    get_event_for_manager,
    get_event_for_user,
    get_member_for_user,
    require_hr_admin_or_404,
)
from ..services import CohortError
from ..services.cohort import (
    CohortInvalid,
    attendance_members,
    attendance_record,
    cohort_create,
    cohort_events,
    cohort_progress,
    default_ends_on,
    event_add,
    event_cancel,
    event_change,
    event_end,
    member_progress,
    when,
)
from ..services.graduation import (
    certificates_csv,
    cohort_graduate,
    graduation_preview,
    master_mentor_roster,
)

ROSTER_PER_PAGE = 50
# The overview grid shows withdrawn members too, so their record stays visible.
ALL_MEMBERS = tuple(CohortMember.Status.values)
# Verification codes are 32 characters; anything much shorter is not worth a query.
MIN_CODE_LENGTH = 16


def _cohort_url(cohort: Cohort, anchor: str = "") -> str:
    url = cohort.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def _event_url(event: CohortEvent) -> str:
    return reverse("cohorts:event_detail", args=[event.cohort_id, event.pk])


# --- Cohorts -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = list(cohorts_visible_to(request.user).order_by("-starts_on", "pk"))
    return render(request, "cohorts/cohort/list.html", {"cohorts": cohorts})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_cycle_for_cohort_create(request.user, cycle_pk)
    existing = Cohort.objects.filter(cycle=cycle).first()
    if existing is not None:
        messages.info(request, "This cycle already has its cohort.")
        return redirect(existing.get_absolute_url())
    ready = cycle.status == NominationCycle.Status.DECIDED and cycle.decisions_published
    form = CohortForm(request.POST or None, initial={"name": f"{cycle.name} {cycle.year}"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = cohort_create(
                cycle=cycle,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                min_attendance_percent=data["min_attendance_percent"],
                coordinators=data["coordinators"],
                by=request.user,
            )
        except CohortInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            form.add_error(None, str(exc))
        else:
            count = cohort.members.count()
            members = "1 member" if count == 1 else f"{count} members"
            messages.success(request, f"Cohort created with {members}; they were told. Add its events.")
            return redirect(cohort.get_absolute_url())
    context = {"cycle": cycle, "form": form, "ready": ready, "months_hint": default_ends_on}
    return render(request, "cohorts/cohort/create.html", context)


def _overview(access: CohortAccess) -> dict[str, Any]:
    """The events, and for managers every member's progress as a grid: a fixed number of queries."""
    events = cohort_events(access.cohort)
    context: dict[str, Any] = {"events": events, "now": timezone.now()}
    if access.can_manage:
        held = [e for e in events if e.attendance_taken and not e.cancelled]  # type: ignore[attr-defined]
        progress = cohort_progress(access.cohort, events=events, statuses=ALL_MEMBERS)
        context["held_events"] = held
        context["grid"] = [
            {"progress": p, "cells": [p.statuses.get(e.pk, "") for e in held]} for p in progress
        ]
        context["to_record"] = [
            e
            for e in events
            if not e.cancelled and e.starts_at <= context["now"] and not e.attendance_taken  # type: ignore[attr-defined]
        ]
    elif access.member is not None:
        access.member.cohort = access.cohort
        context["own_progress"] = member_progress(access.member, events=events)
    return context


@login_required
@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_cohort_for_user(request.user, pk)
    context = {"access": access, "cohort": access.cohort, **_overview(access)}
    return render(request, "cohorts/cohort/detail.html", context)


# --- Events ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_cohort_for_manager(request.user, pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_add(cohort=access.cohort, data=form.service_data(), by=request.user)
        except CohortInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{event.title} added for {when(event.starts_at)}. Members were sent the invite."
            )
            return redirect(_event_url(event))
    context = {"access": access, "cohort": access.cohort, "form": form, "event": None}
    return render(request, "cohorts/cohort/event_form.html", context)


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    access, event = get_event_for_user(request.user, pk, event_pk)
    taken = Attendance.objects.filter(event=event).exists()
    context = {
        "access": access,
        "cohort": access.cohort,
        "event": event,
        "ends_at": event_end(event),
        "attendance_taken": taken,
        "can_change": access.can_manage and not event.cancelled and not taken,
        "can_take_attendance": access.can_manage
        and not event.cancelled
        and event.starts_at <= timezone.now(),
        "cancel_form": CancelForm(),
        "time_zone": timezone.get_current_timezone_name(),
    }
    if access.member is not None and taken:
        context["own_status"] = (
            Attendance.objects.filter(event=event, member=access.member)
            .values_list("status", flat=True)
            .first()
        )
    return render(request, "cohorts/cohort/event_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    access, event = get_event_for_manager(request.user, pk, event_pk)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        before = event.sequence
        try:
            event = event_change(event=event, data=form.service_data(), by=request.user)
        except CohortInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            messages.error(request, str(exc))
            return redirect(_event_url(event))
        else:
            if event.sequence == before:
                messages.info(request, "Nothing changed in the event.")
            else:
                messages.success(request, "Event changed. Members were sent the updated invite.")
            return redirect(_event_url(event))
    context = {"access": access, "cohort": access.cohort, "form": form, "event": event}
    return render(request, "cohorts/cohort/event_form.html", context)


@login_required
@require_POST
def event_cancel_view(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    access, event = get_event_for_manager(request.user, pk, event_pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The event was not cancelled: {form.errors['why'][0]}")
        return redirect(_event_url(event))
    try:
        event_cancel(event=event, by=request.user, why=form.cleaned_data["why"])
    except CohortError as exc:
        messages.error(request, str(exc))
        return redirect(_event_url(event))
    messages.success(request, f"{event.title} is cancelled. Members were sent the cancellation.")
    return redirect(_cohort_url(access.cohort, "events"))


@login_required
@require_GET
def event_ics_download(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    _access, event = get_event_for_user(request.user, pk, event_pk)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invite_filename(event)}"'
    return response


# --- Attendance and progress -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance_take(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    access, event = get_event_for_manager(request.user, pk, event_pk)
    if event.cancelled:
        messages.error(request, "This event was cancelled: there is no attendance to take.")
        return redirect(_event_url(event))
    if event.starts_at > timezone.now():
        messages.error(
            request, f"This event starts on {when(event.starts_at)}: take attendance once it begins."
        )
        return redirect(_event_url(event))
    members = attendance_members(access.cohort)
    current = dict(Attendance.objects.filter(event=event).values_list("member_id", "status"))
    form = AttendanceForm(request.POST or None, members=members, current=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                attendance_record(event=event, grid=form.grid(), by=request.user)
            except CohortInvalid as exc:
                for problems in exc.errors.values():
                    for problem in problems:
                        form.add_error(None, problem)
            except CohortError as exc:
                form.add_error(None, str(exc))
            else:
                saved = "1 member" if len(members) == 1 else f"{len(members)} members"
                messages.success(request, f"Attendance for {event.title} saved for {saved}.")
                return redirect(_cohort_url(access.cohort, "progress"))
        messages.error(request, "Nothing was saved: correct the grid and save it again.")
    context = {
        "access": access,
        "cohort": access.cohort,
        "event": event,
        "form": form,
        "statuses": Attendance.Status.choices,
        "retaking": bool(current),
    }
    return render(request, "cohorts/cohort/attendance.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    access, member = get_member_for_user(request.user, pk, member_pk)
    events = cohort_events(access.cohort)
    progress = member_progress(member, events=events)
    rows = [
        {"event": e, "status": progress.statuses.get(e.pk, ""), "taken": e.attendance_taken}  # type: ignore[attr-defined]
        for e in events
    ]
    certificate = getattr(member, "certificate", None)
    context = {
        "access": access,
        "cohort": access.cohort,
        "member": member,
        "progress": progress,
        "rows": rows,
        "certificate": certificate,
    }
    return render(request, "cohorts/cohort/member_detail.html", context)


# --- Graduation ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def graduation(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_cohort_for_manager(request.user, pk)
    if request.method == "POST":
        try:
            result = cohort_graduate(cohort=access.cohort, by=request.user)
        except CohortError as exc:
            messages.error(request, str(exc))
        else:
            if result.graduated:
                messages.success(
                    request,
                    f"{len(result.graduated)} graduated, each with a certificate in their personnel file; "
                    "they were told.",
                )
            else:
                messages.info(request, "Nobody new meets the threshold: nothing was changed.")
            return redirect(reverse("cohorts:cohort_graduation", args=[access.cohort.pk]))
    preview = graduation_preview(access.cohort)
    graduates = list(
        access.cohort.members.filter(status=CohortMember.Status.GRADUATED)
        .select_related("person", "certificate")
        .order_by("person__full_name", "pk")
    )
    context = {
        "access": access,
        "cohort": access.cohort,
        "preview": preview,
        "graduates": graduates,
    }
    return render(request, "cohorts/cohort/graduation.html", context)


# --- Certificates -------------------------------------------------------------------------------------------


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, pk)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code sees the name, the certificate's title and its date, and nothing else.
    A wrong code is a plain 404."""
    if len(code) < MIN_CODE_LENGTH:
        raise Http404("No such page.")
    certificate = (
        Certificate.objects.select_related("member__person")
        .only("title", "issued_on", "verification_code", "member__person__full_name")
        .filter(verification_code=code)
        .first()
    )
    if certificate is None:
        raise Http404("No such page.")
    context = {
        "name": certificate.member.person.full_name,
        "title": certificate.title,
        "issued_on": certificate.issued_on,
    }
    response = render(request, "cohorts/cohort/certificate_verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def certificate_export(request: HttpRequest) -> HttpResponse:
    """HR admins: certificates issued since a day, as CSV for the HRIS."""
    require_hr_admin_or_404(request.user)
    form = SinceForm(request.GET or None)
    if request.GET and form.is_valid():
        since = form.cleaned_data["since"]
        response = HttpResponse(certificates_csv(since=since), content_type="text/csv; charset=utf-8")
        file_name = f"master-mentor-certificates-since-{since}.csv"
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        log_export(request=request, subject=Certificate, file_name=file_name, filters=f"since={since}")
        return response
    return render(
        request, "cohorts/cohort/certificate_export.html", {"form": form}, status=400 if form.errors else 200
    )


# --- The roster ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    if not can_view_roster(request.user):
        raise PermissionDenied("The roster is for HR admins and coordinators.")
    page = Paginator(master_mentor_roster(), ROSTER_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cohorts/cohort/roster.html", {"page": page})

"""Sessions in the browser: the pair page's sessions section, a session's page, scheduling, rescheduling and
cancelling with calendar invites, logging a session as held, each member's private note, and the feedback
after a session.

Pairs and sessions resolve through ``feedback.permissions`` (404 for anyone but the pair, its program's
coordinators and HR admins; another pair's session is 404 too). Every write is a call of
``feedback.services.sessions`` or ``feedback.services.session_feedback``, which refuse a coordinator's or
an ended pair's crafted POST with a message and save nothing. Private notes are read only through
``own_private_notes``, so a page shows the viewer's own note and never anyone else's; session feedback is
shown to its author and to coordinators and HR admins, never to the partner.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.audit import log_reads

from ..forms.sessions import CancelForm, LogForm, PrivateNoteForm, ScheduleForm, SessionFeedbackForm
from ..ics import invite_filename, session_ics
from ..models import Session, SessionFeedback
from ..permissions import COORDINATOR, PairAccess, get_pair_for_user, get_session_for_user, own_private_notes
from ..sections import PageSection
from ..services import FeedbackError
from ..services.session_feedback import (
    FEEDBACK_WINDOW,
    FeedbackInvalid,
    asks_fit,
    rating_open,
    session_feedback_submit,
)
from ..services.sessions import (
    SessionInvalid,
    private_note_save,
    session_cancel,
    session_end,
    session_log,
    session_reschedule,
    session_schedule,
    when,
)

S = Session.Status
UPCOMING_SHOWN = 10
HISTORY_SHOWN = 10
PENDING_SHOWN = 5
SESSIONS_PER_PAGE = 20


def _pair_url(access: PairAccess, anchor: str = "sessions") -> str:
    url = reverse("feedback:pair_detail", args=[access.mentorship.pk])
    return f"{url}#{anchor}" if anchor else url


def _session_url(session: Session, anchor: str = "") -> str:
    url = session.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def _require_writer(access: PairAccess) -> None:
    """Pages with a form that changes the pair's sessions: its members while the pair is current."""
    if not access.is_member:
        raise PermissionDenied("Only the mentor and the mentee plan and log their sessions.")
    if not access.can_write:
        raise PermissionDenied("This pair has ended; its sessions stay as they were.")


def _names(access: PairAccess) -> dict[int, str]:
    """The members' names by login, to say who scheduled or logged a session without another query."""
    mentorship = access.mentorship
    people = (mentorship.mentor.person, mentorship.mentee.person)
    return {p.user_id: p.full_name for p in people if p.user_id is not None}


def _who(names: dict[int, str], user_id: int | None) -> str:
    if user_id is None:
        return ""
    return names.get(user_id, "someone no longer in the pair")


def _with_feedback_summary(sessions: QuerySet[Session], access: PairAccess) -> QuerySet[Session]:
    """Coordinators see how many gave feedback and the average rating; a member whether they gave theirs.
    Neither learns a member's rating from the other side."""
    if access.role == COORDINATOR:
        return sessions.annotate(feedback_count=Count("feedback"), rating_avg=Avg("feedback__rating"))
    return sessions.annotate(
        own_feedback=Exists(
            SessionFeedback.objects.filter(session=OuterRef("pk"), participant=access.participant)
        )
    )


def _topics(access: PairAccess) -> list[str]:
    return list(access.mentorship.program.session_topics or [])


# --- The pair page's section --------------------------------------------------------------------------------


def sessions_section(request: HttpRequest, access: PairAccess) -> PageSection:
    """Upcoming sessions with their invites, sessions waiting to be logged, the latest held ones, the
    viewer's pending feedback, and the forms to schedule and log: a fixed number of queries."""
    mentorship = access.mentorship
    now = timezone.now()
    sessions = Session.objects.filter(mentorship=mentorship)
    upcoming = list(
        sessions.filter(status=S.SCHEDULED, starts_at__gte=now).order_by("starts_at", "pk")[
            : UPCOMING_SHOWN + 1
        ]
    )
    to_log = list(
        sessions.filter(status=S.SCHEDULED, starts_at__lt=now).order_by("starts_at", "pk")[
            : UPCOMING_SHOWN + 1
        ]
    )
    held = list(_with_feedback_summary(sessions.held(), access).order_by("-starts_at", "-pk")[:HISTORY_SHOWN])
    counts = sessions.aggregate(
        held=Count("pk", filter=Q(status=S.HELD)), cancelled=Count("pk", filter=Q(status=S.CANCELLED))
    )
    pending: list[Session] = []
    if access.is_member and access.can_write:
        pending = list(
            sessions.held()
            .filter(starts_at__gte=now - FEEDBACK_WINDOW)
            .exclude(feedback__participant=access.participant)
            .order_by("starts_at", "pk")[: PENDING_SHOWN + 1]
        )
    notes: dict[int, Any] = {}
    if access.is_member:
        # The viewer's own notes on the sessions from the oldest one shown: one query, made whether or not
        # anything is shown, so the page's query count is the same with no sessions and with many.
        shown = [s.starts_at for s in (*upcoming, *to_log, *held)]
        noted = sessions.filter(starts_at__gte=min(shown)) if shown else sessions
        notes = own_private_notes(request.user, noted)
    names = _names(access)
    context: dict[str, Any] = {
        "access": access,
        "pair": mentorship,
        "can_write": access.can_write,
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
        "to_log": to_log[:UPCOMING_SHOWN],
        "more_to_log": len(to_log) > UPCOMING_SHOWN,
        "held": [
            {"session": s, "logged_by": _who(names, s.logged_by_id), "has_note": s.pk in notes} for s in held
        ],
        "held_total": counts["held"],
        "cancelled_total": counts["cancelled"],
        "pending": pending[:PENDING_SHOWN],
        "more_pending": len(pending) > PENDING_SHOWN,
        "list_url": reverse("feedback:session_list", args=[mentorship.pk]),
    }
    if access.can_write:
        context["schedule_form"] = ScheduleForm(auto_id="schedule_%s", initial={"duration_minutes": 60})
        context["log_form"] = LogForm(
            topics=_topics(access), auto_id="log_%s", initial={"duration_minutes": 60}
        )
        context["schedule_url"] = reverse("feedback:session_schedule", args=[mentorship.pk])
        context["log_url"] = reverse("feedback:session_log", args=[mentorship.pk])
    return PageSection("sessions", "Sessions", "feedback/sessions/_section.html", context, order=30)


# --- A session's page ---------------------------------------------------------------------------------------


def _session_page(
    request: HttpRequest,
    access: PairAccess,
    session: Session,
    *,
    held_form: LogForm | None = None,
    feedback_form: SessionFeedbackForm | None = None,
    note_form: PrivateNoteForm | None = None,
    cancel_form: CancelForm | None = None,
) -> HttpResponse:
    session.mentorship = access.mentorship
    now = timezone.now()
    names = _names(access)
    changes = [
        (change, _who(names, change.by_id) or "—")
        for change in session.status_changes.all()  # type: ignore[attr-defined]
    ]
    context: dict[str, Any] = {
        "access": access,
        "pair": access.mentorship,
        "program": access.mentorship.program,
        "session": session,
        "ends_at": session_end(session),
        "scheduled_by": _who(names, session.scheduled_by_id),
        "logged_by": _who(names, session.logged_by_id),
        "changes": changes,
        "started": session.starts_at <= now,
        "time_zone": timezone.get_current_timezone_name(),
        "can_write": access.can_write,
        "fit_asked": False,
    }
    if session.status == S.HELD:
        context["fit_asked"] = asks_fit(session)
    if access.is_member:
        note = own_private_notes(request.user, [session.pk]).get(session.pk)
        own_feedback = SessionFeedback.objects.filter(session=session, participant=access.participant).first()
        context |= {
            "note": note,
            "note_form": note_form or PrivateNoteForm(initial={"body": note.body if note else ""}),
            "own_feedback": own_feedback,
            "can_invite": session.status in (S.SCHEDULED, S.CANCELLED),
        }
        if access.can_write and session.status == S.SCHEDULED:
            context["cancel_form"] = cancel_form or CancelForm()
            if session.starts_at <= now:
                context["held_form"] = held_form or LogForm(
                    topics=_topics(access), session=session, auto_id="held_%s"
                )
        if own_feedback is None and rating_open(access, session, now):
            context["feedback_form"] = feedback_form or SessionFeedbackForm(asks_fit=context["fit_asked"])
    else:
        context["all_feedback"] = list(session.feedback.select_related("participant__person"))  # type: ignore[attr-defined]
        log_reads(context["all_feedback"], request=request, what="session feedback")
    return render(request, "feedback/sessions/detail.html", context)


@login_required
@require_GET
def session_detail(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    return _session_page(request, access, session)


@login_required
@require_GET
def session_ics_download(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    if not access.is_member:
        raise PermissionDenied("The invite is for the mentor and the mentee.")
    session.mentorship = access.mentorship
    response = HttpResponse(session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invite_filename(session)}"'
    return response


@login_required
@require_GET
def session_list(request: HttpRequest, pair_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pair_pk)
    sessions = _with_feedback_summary(Session.objects.filter(mentorship=access.mentorship), access).order_by(
        "-starts_at", "-pk"
    )
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    notes = own_private_notes(request.user, [s.pk for s in page]) if access.is_member else {}
    names = _names(access)
    rows = [{"session": s, "logged_by": _who(names, s.logged_by_id), "has_note": s.pk in notes} for s in page]
    context = {
        "access": access,
        "pair": access.mentorship,
        "program": access.mentorship.program,
        "page": page,
        "rows": rows,
    }
    return render(request, "feedback/sessions/list.html", context)


# --- Scheduling, changing and cancelling -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_schedule_view(request: HttpRequest, pair_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pair_pk)
    _require_writer(access)
    form = ScheduleForm(request.POST or None, initial={"duration_minutes": 60})
    if request.method == "POST" and form.is_valid():
        try:
            session = session_schedule(access=access, data=form.service_data(), by=request.user)
        except SessionInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_pair_url(access))
        else:
            partner = access.partner.person.full_name if access.partner else "your partner"
            messages.success(
                request,
                f"Session scheduled for {when(session.starts_at)}. You and {partner} were both sent the "
                "calendar invite; you can also download it here.",
            )
            return redirect(_session_url(session))
    context = {"access": access, "pair": access.mentorship, "form": form, "session": None}
    return render(request, "feedback/sessions/schedule.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    _require_writer(access)
    if session.status != S.SCHEDULED:
        messages.error(
            request, f"This session is {session.get_status_display().lower()}; it cannot be changed."
        )
        return redirect(_session_url(session))
    form = ScheduleForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        before = session.sequence
        try:
            session = session_reschedule(
                access=access, session=session, data=form.service_data(), by=request.user
            )
        except SessionInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_session_url(session))
        else:
            if session.sequence == before:
                messages.info(request, "Nothing changed in the session.")
            else:
                messages.success(request, "Session changed. You were both sent the updated invite.")
            return redirect(_session_url(session))
    context = {"access": access, "pair": access.mentorship, "form": form, "session": session}
    return render(request, "feedback/sessions/schedule.html", context)


@login_required
@require_POST
def session_cancel_view(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The session was not cancelled: {form.errors['why'][0]}")
        return _session_page(request, access, session, cancel_form=form)
    try:
        session_cancel(access=access, session=session, by=request.user, why=form.cleaned_data["why"])
    except FeedbackError as exc:
        messages.error(request, str(exc))
        return redirect(_session_url(session))
    messages.success(request, "Session cancelled. You were both sent the cancellation for your calendars.")
    return redirect(_pair_url(access))


# --- Logging ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_log_view(request: HttpRequest, pair_pk: int) -> HttpResponse:
    """Log a meeting that took place without being scheduled here."""
    access = get_pair_for_user(request.user, pair_pk)
    _require_writer(access)
    form = LogForm(request.POST or None, topics=_topics(access), initial={"duration_minutes": 60})
    if request.method == "POST" and form.is_valid():
        try:
            session = session_log(access=access, data=form.service_data(), by=request.user)
        except SessionInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_pair_url(access))
        else:
            messages.success(request, "Session logged. Tell the coordinators how it went: rate it below.")
            return redirect(_session_url(session, "feedback"))
    context = {"access": access, "pair": access.mentorship, "form": form}
    return render(request, "feedback/sessions/log.html", context)


@login_required
@require_POST
def session_held(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    """Log a scheduled session as held, once it has started."""
    access, session = get_session_for_user(request.user, pair_pk, pk)
    form = LogForm(request.POST, topics=_topics(access), auto_id="held_%s")
    if form.is_valid():
        try:
            session = session_log(access=access, session=session, data=form.service_data(), by=request.user)
        except SessionInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_session_url(session))
        else:
            messages.success(
                request, "Session logged as held. Tell the coordinators how it went: rate it below."
            )
            return redirect(_session_url(session, "feedback"))
    messages.error(request, "The session was not logged. Correct the fields marked below.")
    return _session_page(request, access, session, held_form=form)


# --- Private notes and feedback -----------------------------------------------------------------------------


@login_required
@require_POST
def session_note(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    form = PrivateNoteForm(request.POST)
    notice = error = ""
    note = None
    if form.is_valid():
        try:
            note = private_note_save(
                access=access, session=session, body=form.cleaned_data["body"], by=request.user
            )
        except SessionInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            # Someone else's crafted POST: the note is its author's alone, so there is nothing to show.
            messages.error(request, str(exc))
            return redirect(_session_url(session))
        else:
            notice = "Your private note is saved." if note else "Your private note is removed."
            form = PrivateNoteForm(initial={"body": note.body if note else ""})
    if form.errors:
        error = "The note was not saved. Correct it below."
    if request.htmx:
        context = {"session": session, "note_form": form, "note": note, "notice": notice, "error": error}
        return render(request, "feedback/sessions/_note.html", context)
    if error:
        messages.error(request, error)
        return _session_page(request, access, session, note_form=form)
    messages.success(request, notice)
    return redirect(_session_url(session, "note"))


@login_required
@require_POST
def session_feedback(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access, session = get_session_for_user(request.user, pair_pk, pk)
    session.mentorship = access.mentorship
    form = SessionFeedbackForm(request.POST, asks_fit=asks_fit(session))
    if form.is_valid():
        try:
            feedback = session_feedback_submit(
                access=access, session=session, by=request.user, **form.service_data()
            )
        except FeedbackInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_session_url(session))
        else:
            if feedback.fit == SessionFeedback.Fit.NOT_GOOD:
                messages.info(
                    request,
                    "Thank you for saying so. The coordinators were told. If you would rather stop, you can "
                    "end the pair without fault from the pair's page.",
                )
            else:
                messages.success(request, "Thank you: your feedback is sent to the coordinators.")
            return redirect(_session_url(session, "feedback"))
    messages.error(request, "Your feedback was not sent. Correct the fields marked below.")
    return _session_page(request, access, session, feedback_form=form)

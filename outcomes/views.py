"""Outcome dashboards. Every view resolves what it shows through ``outcomes.permissions``; every figure
comes from ``outcomes.dashboards`` already suppressed, so pages, CSV and XLSX show the same thing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.models import NominationCycle
from mentoring.audit import log_export
from people.permissions import is_hr_admin
from programs.models import Program

from . import dashboards, exports, permissions
from .filters import FilterForm, Filters
from .forms import OutcomeSettingsForm
from .models import OutcomeSettings
from .services import OutcomeSettingsError, outcome_settings_update
from .tables import Dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FILTER_NAMES = ("start", "end", "division", "level", "cohort")


def _filters(request: HttpRequest, *, with_cohort: bool = True) -> tuple[FilterForm, Filters | None]:
    form = FilterForm(request.GET or None, with_cohort=with_cohort)
    if not request.GET:
        return form, Filters()
    if form.is_valid():
        return form, Filters.from_form(form)
    return form, None


def _tidy_url(request: HttpRequest, filters: Filters | None) -> HttpResponse | None:
    """The filter form sends empty fields too; a shared link should carry only the filters in force."""
    if filters is None or request.GET.get("format"):
        return None
    if not any(name in request.GET and not request.GET[name] for name in FILTER_NAMES):
        return None
    query = filters.querystring()
    return redirect(f"{request.path}?{query}" if query else request.path)


def _respond(
    request: HttpRequest,
    template: str,
    dashboard: Dashboard | None,
    context: dict,
    file_stem: str,
    subject: Model | type[Model],
) -> HttpResponse:
    """The page, or with ``format`` its figures as a file; each file downloaded is in the audit log, under
    ``subject`` (the program, or the kind of thing a page about many describes)."""
    wanted = request.GET.get("format", "")
    if wanted and dashboard is not None:
        if wanted == "xlsx":
            file_name = f"{file_stem}.xlsx"
            response = HttpResponse(exports.dashboard_xlsx(dashboard), content_type=XLSX)
        elif wanted == "csv":
            table = dashboard.table(request.GET.get("table", ""))
            if table is None:
                raise Http404("No such table.")
            file_name = f"{file_stem}-{table.key}.csv"
            response = HttpResponse(exports.table_csv(table), content_type="text/csv; charset=utf-8")
        else:
            raise Http404("No such format.")
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        log_export(request=request, subject=subject, file_name=file_name, filters=context["querystring"])
        return response
    return render(request, template, {"dashboard": dashboard, **context})


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    programs = permissions.require_dashboard_reader(request.user)
    form, filters = _filters(request)
    if tidy := _tidy_url(request, filters):
        return tidy
    everything = is_hr_admin(request.user)
    dashboard = None
    if filters is not None:
        dashboard = dashboards.overview_dashboard(
            programs, filters, OutcomeSettings.load(), everything=everything
        )
    context = {
        "form": form,
        "programs": programs.order_by("name").only("name", "slug"),
        "querystring": filters.querystring() if filters else "",
        "is_hr": everything,
    }
    return _respond(request, "outcomes/overview.html", dashboard, context, "outcomes-overview", Program)


def _program_page(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    program = permissions.get_program_for_dashboard(request.user, slug)
    form, filters = _filters(request)
    if tidy := _tidy_url(request, filters):
        return tidy
    dashboard = None
    if filters is not None:
        dashboard = dashboards.program_dashboard(program, page, filters, OutcomeSettings.load())
    context = {
        "form": form,
        "program": program,
        "page": page,
        "pages": dashboards.PAGES,
        "programs": permissions.programs_for_dashboards(request.user).order_by("name").only("name", "slug"),
        "querystring": filters.querystring() if filters else "",
        "is_hr": is_hr_admin(request.user),
    }
    file_stem = f"{program.slug}-{slugify(page)}"
    return _respond(request, "outcomes/program.html", dashboard, context, file_stem, program)


@login_required
@require_GET
def program(request: HttpRequest, slug: str) -> HttpResponse:
    return _program_page(request, slug, "program")


@login_required
@require_GET
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    return _program_page(request, slug, "impact")


@login_required
@require_GET
def equity(request: HttpRequest, slug: str) -> HttpResponse:
    return _program_page(request, slug, "equity")


@login_required
@require_GET
def master_mentors(request: HttpRequest) -> HttpResponse:
    permissions.require_master_mentor_reader(request.user)
    form, filters = _filters(request)
    if tidy := _tidy_url(request, filters):
        return tidy
    dashboard = None
    if filters is not None:
        dashboard = dashboards.master_mentor_dashboard(filters, OutcomeSettings.load())
    context = {"form": form, "querystring": filters.querystring() if filters else "", "is_hr": True}
    return _respond(
        request, "outcomes/master_mentors.html", dashboard, context, "master-mentors", NominationCycle
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_settings(request: HttpRequest) -> HttpResponse:
    permissions.require_settings_editor(request.user)
    current = OutcomeSettings.load()
    form = OutcomeSettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome_settings_update(
                    by=request.user,
                    min_group_size=form.cleaned_data["min_group_size"],
                    external_hire_cost=form.cleaned_data["external_hire_cost"],
                    currency=form.cleaned_data["currency"],
                )
            except OutcomeSettingsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Saved. Dashboards use the new settings from now on.")
                return redirect("outcomes:settings")
        messages.error(request, "Nothing was saved. Correct the fields marked below.")
    return render(request, "outcomes/settings.html", {"form": form, "current": current})

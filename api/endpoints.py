"""The read API (django-ninja), version 1: programs as configured and their dashboards' figures, for BI tools.

Every operation needs a bearer token (``auth``); a program outside the token's programs answers 404 as a
missing one does, the Master Mentor results answer 403 to a token without that scope. Figures come only
from ``outcomes.dashboards`` (built, suppressed and cached as the dashboard pages), and every read of
figures is in the audit log under the token.
"""

# No ``from __future__ import annotations``: ninja reads the operations' annotations at import time.

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination, paginate

from cohorts.models import NominationCycle
from outcomes import dashboards
from outcomes.filters import FilterForm, Filters
from outcomes.models import OutcomeSettings
from outcomes.tables import Dashboard
from programs.models import KeyResult, Program

from . import figures, permissions
from .audit import log_api_read
from .auth import ApiTokenAuth, TokenRateThrottle
from .models import ApiToken
from .schemas import CohortOut, CycleOut, DashboardOut, ErrorOut, FiltersIn, ProgramOut

MAX_PAGE = 100

DESCRIPTION = """
Read-only figures of the mentoring programs, for BI tools (Power BI, Tableau, scripts).

**Authentication.** Every endpoint needs `Authorization: Bearer <token>`. HR admins make tokens on the
*API tokens* page; a missing, unknown or revoked token answers **401**.

**Scope.** A token reads the programs it was given: any other program answers **404**, exactly like one
that does not exist. The Master Mentor endpoints answer **403** to a token without the Master Mentor scope.

**Suppression.** Figures are those of the dashboards, suppressed the same way for every reader: a figure
describing fewer people than the smallest group (`min_group_size`) is `null`, with `suppressed: true` and
its `reason`. Names, e-mail addresses and anything people wrote are never part of an answer.

**Pagination.** Lists take `limit` (at most 100) and `offset`, and give `count`, the number of items in all.

**Rate limit.** Calls per token are limited (429 with `Retry-After` past it).
"""


class ApiDocs(Swagger):
    """Swagger UI from the site's own static files, started by a static script (no inline code, as the
    Content Security Policy demands): see templates/ninja/swagger.html and static/api/swagger-init.js."""

    def __init__(self) -> None:
        super().__init__(
            settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": True}
        )


class FigurePagination(LimitOffsetPagination):
    """``limit``/``offset`` over a dashboard table's rows, with the dashboard's "as of" and smallest group."""

    class Output(LimitOffsetPagination.Output):  # type: ignore[name-defined]
        as_of: datetime.datetime
        min_group_size: int
        withheld: str | None

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        dashboard: Dashboard = queryset.dashboard
        return {
            **page,
            "as_of": dashboard.as_of,
            "min_group_size": dashboard.min_group_size,
            "withheld": dashboard.withheld or None,
        }


read_api = NinjaAPI(
    title="Mentoring read API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="docs",
    openapi_url="openapi.json",
    docs=ApiDocs(),
    auth=ApiTokenAuth(),
    throttle=[TokenRateThrottle()],
)


@read_api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = read_api.create_response(
        request, {"detail": "A valid API token is required: Authorization: Bearer <token>."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _token(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)  # the API's ``auth`` let the call through
    return token


def _filters(given: FiltersIn) -> Filters:
    """The query's filters, checked by the dashboards' own form (an unknown division or cohort, a period
    that ends before it starts) so the API accepts exactly what the pages accept."""
    data = {name: value for name, value in given.dict().items() if value is not None}
    form = FilterForm({name: str(value) for name, value in data.items()})
    if not form.is_valid():
        raise ValidationError(
            [
                {
                    "loc": ["query", field if field != "__all__" else "start"],
                    "msg": message,
                    "type": "value_error",
                }
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    return Filters.from_form(form)


def _programs(token: ApiToken) -> QuerySet[Program]:
    key_results = KeyResult.objects.order_by("pk")
    return (
        permissions.programs_for_token(token)
        .prefetch_related(Prefetch("key_results", queryset=key_results))
        .order_by("name", "pk")
    )


def _program_document(program: Program) -> dict[str, Any]:
    return {
        "slug": program.slug,
        "name": program.name,
        "kind": program.kind,
        "purpose": program.purpose,
        "status": program.status,
        "enrollment_opens_on": program.enrollment_opens_on,
        "enrollment_closes_on": program.enrollment_closes_on,
        "matching_on": program.matching_on,
        "starts_on": program.starts_on,
        "ends_on": program.ends_on,
        "meeting_cadence_days": program.meeting_cadence_days,
        "checkin_cadence_months": program.checkin_cadence_months,
        "key_results": [
            {
                "metric": kr.metric,
                "metric_label": kr.get_metric_display(),
                "objective": kr.objective,
                "baseline": None if kr.baseline is None else float(kr.baseline),
                "target": float(kr.target),
                "due_on": kr.due_on,
            }
            for kr in program.key_results.all()
        ],
    }


# --- Programs -----------------------------------------------------------------------------------------------

programs_router = Router(tags=["Programs"])
REFUSED_PROGRAM = {401: ErrorOut, 404: ErrorOut, 422: Any, 429: ErrorOut}


@programs_router.get(
    "",
    response={200: list[ProgramOut], 401: ErrorOut, 429: ErrorOut},
    url_name="programs",
    summary="Programs of the token",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def list_programs(request: HttpRequest) -> list[dict[str, Any]]:
    """The programs the token reads, by name, with their timeline and key results as configured."""
    return [_program_document(program) for program in _programs(_token(request))]


@programs_router.get(
    "/{slug}", response={200: ProgramOut, **REFUSED_PROGRAM}, url_name="program", summary="One program"
)
def get_program(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A program's configuration (404 for a program outside the token's programs)."""
    program = permissions.get_program_for_token(_token(request), slug)
    return _program_document(_programs(_token(request)).get(pk=program.pk))


def _program_figures(request: HttpRequest, slug: str, page: str, given: FiltersIn) -> dict[str, Any]:
    token = _token(request)
    program = permissions.get_program_for_token(token, slug)
    filters = _filters(given)
    dashboard = dashboards.program_dashboard(program, page, filters, OutcomeSettings.load())
    log_api_read(request=request, token=token, subject=program, filters=filters.querystring())
    return figures.dashboard_document(dashboard)


@programs_router.get(
    "/{slug}/activity",
    response={200: DashboardOut, **REFUSED_PROGRAM},
    url_name="program_activity",
    summary="Activity figures",
)
def program_activity(request: HttpRequest, slug: str, filters: Query[FiltersIn]) -> dict[str, Any]:
    """The program's *Activity* dashboard: enrollment, matching, engagement, check-ins, goals, closure and key
    results, with the dashboard's suppression."""
    return _program_figures(request, slug, "program", filters)


@programs_router.get(
    "/{slug}/impact",
    response={200: DashboardOut, **REFUSED_PROGRAM},
    url_name="program_impact",
    summary="Impact figures",
)
def program_impact(request: HttpRequest, slug: str, filters: Query[FiltersIn]) -> dict[str, Any]:
    """The program's *Impact* dashboard: promotion and retention against comparable non-participants, and
    cost, with the dashboard's suppression."""
    return _program_figures(request, slug, "impact", filters)


@programs_router.get(
    "/{slug}/equity",
    response={200: DashboardOut, **REFUSED_PROGRAM},
    url_name="program_equity",
    summary="Equity figures",
)
def program_equity(request: HttpRequest, slug: str, filters: Query[FiltersIn]) -> dict[str, Any]:
    """The program's *Equity* dashboard: participation, matching and outcomes by group, with the dashboard's
    suppression (self-identified groups only as suppressed aggregates)."""
    return _program_figures(request, slug, "equity", filters)


# --- Master Mentors -----------------------------------------------------------------------------------------

master_router = Router(tags=["Master Mentors"])
REFUSED_SCOPE = {401: ErrorOut, 403: ErrorOut, 422: Any, 429: ErrorOut}


def _master_dashboard(request: HttpRequest, given: FiltersIn) -> Dashboard:
    token = _token(request)
    permissions.require_master_mentor_scope(token)
    filters = _filters(given)
    dashboard = dashboards.master_mentor_dashboard(filters, OutcomeSettings.load())
    log_api_read(request=request, token=token, subject=NominationCycle, filters=filters.querystring())
    return dashboard


@master_router.get(
    "",
    response={200: DashboardOut, **REFUSED_SCOPE},
    url_name="master_mentors",
    summary="Master Mentor results",
)
def master_mentors(request: HttpRequest, filters: Query[FiltersIn]) -> dict[str, Any]:
    """The whole Master Mentor dashboard: cycles, divisions, cohorts, attendance and Master Mentors as mentors
    (needs the Master Mentor scope)."""
    return figures.dashboard_document(_master_dashboard(request, filters))


@master_router.get(
    "/cycles",
    response={200: list[CycleOut], **REFUSED_SCOPE},
    url_name="master_mentor_cycles",
    summary="Nomination cycles",
)
@paginate(FigurePagination, max_limit=MAX_PAGE)
def master_mentor_cycles(request: HttpRequest, filters: Query[FiltersIn]) -> figures.DashboardRows:
    """Each nomination cycle of the period (latest first) with its endorsements, nominations, acceptance,
    review progress and selection (needs the Master Mentor scope)."""
    return figures.table_rows(_master_dashboard(request, filters), "cycles", "cycle")


@master_router.get(
    "/cohorts",
    response={200: list[CohortOut], **REFUSED_SCOPE},
    url_name="master_mentor_cohorts",
    summary="Cohorts",
)
@paginate(FigurePagination, max_limit=MAX_PAGE)
def master_mentor_cohorts(request: HttpRequest, filters: Query[FiltersIn]) -> figures.DashboardRows:
    """Each cohort training in the period with its members, graduates, certificates and attendance (needs the
    Master Mentor scope)."""
    return figures.table_rows(_master_dashboard(request, filters), "cohorts", "cohort")


read_api.add_router("v1/programs", programs_router)
read_api.add_router("v1/master-mentors", master_router)

"""Figures through the API are the dashboards' figures: hidden exactly where the pages hide them, never a
name or anything people wrote; each read is in the audit log under the token; lists are paginated; the
number of queries does not grow with the data."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.factories import CohortFactory, NominationCycleFactory
from feedback.models import CheckIn, ClosureSurvey, Goal, PrivateNote, Session, SessionFeedback
from matching.models import Mentorship
from outcomes import dashboards
from outcomes.filters import FilterForm, Filters
from outcomes.models import OutcomeSettings
from outcomes.tables import Dashboard
from people.models import Person
from programs.factories import KeyResultFactory, ProgramFactory
from programs.models import Participant, Program
from tests.factories import UserFactory
from tests.outcomes.conftest import Built, build

pytestmark = pytest.mark.django_db

PAGES = {"activity": "program", "impact": "impact", "equity": "equity"}
MARKERS = {
    "note": "Zq-private-note-1A",
    "useful": "Zq-feedback-useful-2B",
    "goal": "Zq-goal-title-3C",
    "checkin": "Zq-checkin-comments-4D",
    "closure": "Zq-closure-what-changed-5E",
    "end_reason": "Zq-end-reason-6F",
    "decline": "Zq-decline-reason-7G",
}


def _cells(document: dict) -> dict[tuple[str, int, str], dict]:
    return {
        (table["key"], index, figure["column"]): figure
        for table in document["tables"]
        for index, row in enumerate(table["rows"])
        for figure in row["figures"]
    }


def _assert_same_as_dashboard(document: dict, dashboard: Dashboard) -> None:
    assert document["min_group_size"] == dashboard.min_group_size
    assert [t["key"] for t in document["tables"]] == [t.key for t in dashboard.tables]
    figures = _cells(document)
    for table in dashboard.tables:
        api_table = next(t for t in document["tables"] if t["key"] == table.key)
        assert [r["label"] for r in api_table["rows"]] == [r.label for r in table.rows]
        for index, row in enumerate(table.rows):
            for column, cell in zip(table.columns, row.cells, strict=True):
                figure = figures[(table.key, index, column.key)]
                assert figure["suppressed"] is cell.suppressed, (table.key, row.label, column.key)
                if cell.suppressed:
                    assert figure["value"] is None
                    assert figure["reason"] in ("small_group", "withheld")
                else:
                    shown = cell.shown
                    expected = None if shown == "" and cell.value is None else shown
                    if isinstance(expected, float):
                        assert figure["value"] == pytest.approx(expected, abs=0.01)
                    else:
                        assert figure["value"] == expected, (table.key, row.label, column.key)


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(
    "params",
    [{}, {"start": "2026-09-01", "end": "2026-10-30"}, {"level": "1-3"}],
    ids=["all", "period", "level"],
)
def test_a_figure_is_null_exactly_where_the_dashboard_hides_it(built, make_token, api_client, page, params):
    response = api_client(make_token([built.program])).get(
        f"/api/v1/programs/{built.program.slug}/{page}", params
    )
    assert response.status_code == 200, response.content
    document = response.json()
    # Built again from nothing, as the dashboard page would build it.
    cache.clear()
    form = FilterForm(params)
    assert form.is_valid()
    dashboard = dashboards.program_dashboard(
        built.program, PAGES[page], Filters.from_form(form), OutcomeSettings.load()
    )
    _assert_same_as_dashboard(document, dashboard)


def test_a_small_group_is_hidden_and_a_large_one_shown(built, make_token, api_client):
    """The program's one pair in another division is two people: the equity rows about it are hidden."""
    document = (
        api_client(make_token([built.program])).get(f"/api/v1/programs/{built.program.slug}/equity").json()
    )
    figures = list(_cells(document).values())
    assert any(f["suppressed"] and f["value"] is None and f["reason"] == "small_group" for f in figures)
    assert any(not f["suppressed"] and isinstance(f["value"], int) and f["value"] >= 5 for f in figures)
    assert document["withheld"] is None
    assert document["as_of"].startswith("2026-11-20")


def test_a_selection_too_small_to_show_is_withheld_whole(built, make_token, api_client):
    division = built.other_department.division
    client = api_client(make_token([built.program]))
    document = client.get(f"/api/v1/programs/{built.program.slug}/activity", {"division": division.pk}).json()
    assert document["withheld"]
    assert document["filters"] == [{"name": "Division", "value": division.name}]
    people = [f for f in _cells(document).values() if f["suppressed"]]
    assert people
    assert all(f["value"] is None and f["reason"] == "withheld" for f in people)


def test_a_higher_smallest_group_hides_more_for_the_api_as_for_the_pages(built, make_token, api_client):
    OutcomeSettings.objects.create(pk=1, min_group_size=50)
    document = (
        api_client(make_token([built.program])).get(f"/api/v1/programs/{built.program.slug}/activity").json()
    )
    assert document["min_group_size"] == 50
    counts = [f for f in _cells(document).values() if f["column"] == "people" and not f["suppressed"]]
    assert all(f["value"] in (0, None) or f["value"] >= 50 for f in counts)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-10-30", "end": "2026-09-01"}, "start"),
        ({"division": 999999}, "division"),
        ({"cohort": 999999}, "cohort"),
        ({"level": "99"}, "level"),
        ({"start": "yesterday"}, "start"),
    ],
)
def test_bad_filters_get_a_clear_422(built, make_token, api_client, params, field):
    response = api_client(make_token([built.program])).get(
        f"/api/v1/programs/{built.program.slug}/activity", params
    )
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors and any(field in error["loc"] for error in errors)
    assert all(error["msg"] for error in errors)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def _plant_personal_text(built: Built) -> None:
    pair = built.pairs[0]
    session = Session.objects.filter(mentorship=pair).first()
    assert session is not None
    PrivateNote.objects.create(
        session=session, author=UserFactory(email="author@example.com"), body=MARKERS["note"]
    )
    SessionFeedback.objects.filter(session__mentorship=pair).update(useful=MARKERS["useful"])
    Goal.objects.filter(mentorship=pair).update(title=MARKERS["goal"])
    CheckIn.objects.filter(mentorship=pair).update(comments=MARKERS["checkin"])
    ClosureSurvey.objects.all().update(what_changed=MARKERS["closure"])
    Mentorship.objects.filter(pk=built.pairs[5].pk).update(end_reason=MARKERS["end_reason"])
    Participant.objects.filter(program=built.program, status="declined").update(reason=MARKERS["decline"])


def test_no_answer_holds_a_name_an_address_or_anything_people_wrote(
    built, make_token, api_client, department
):
    _plant_personal_text(built)
    cycle = NominationCycleFactory()
    CohortFactory(cycle=cycle)
    client = api_client(make_token([built.program], master_mentors=True))
    urls = [
        "/api/v1/programs",
        f"/api/v1/programs/{built.program.slug}",
        *[f"/api/v1/programs/{built.program.slug}/{page}" for page in PAGES],
        "/api/v1/master-mentors",
        "/api/v1/master-mentors/cycles",
        "/api/v1/master-mentors/cohorts",
    ]
    people = list(Person.objects.values_list("full_name", "email"))
    assert len(people) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for marker in MARKERS.values():
            assert marker not in content, (url, marker)
        for name, email in people:
            assert name not in content, (url, name)
            assert email not in content, (url, email)
        assert "@" not in content, url


def test_programs_show_their_configuration_and_key_results(program, make_token, api_client):
    document = api_client(make_token([program])).get(f"/api/v1/programs/{program.slug}").json()
    assert document["slug"] == program.slug
    assert document["status"] == "draft"
    assert document["starts_on"] == program.starts_on.isoformat()
    assert document["key_results"] == [
        {
            "metric": "match_rate",
            "metric_label": "Match rate (%)",
            "objective": "Most people who apply get a mentor",
            "baseline": 60.0,
            "target": 90.0,
            "due_on": None,
        }
    ]
    assert "description" not in document


def test_program_lists_are_paginated(make_token, api_client):
    programs = [ProgramFactory(name=f"Program {n:02}", slug=f"program-{n:02}") for n in range(7)]
    ProgramFactory(name="Program not granted", slug="not-granted")
    client = api_client(make_token(programs))
    first = client.get("/api/v1/programs", {"limit": 3}).json()
    assert first["count"] == 7
    assert [p["slug"] for p in first["items"]] == ["program-00", "program-01", "program-02"]
    last = client.get("/api/v1/programs", {"limit": 3, "offset": 6}).json()
    assert [p["slug"] for p in last["items"]] == ["program-06"]
    assert client.get("/api/v1/programs", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/programs", {"offset": -1}).status_code == 422
    assert len(client.get("/api/v1/programs", {"limit": 1000}).json()["items"]) == 7


def test_master_mentor_lists_are_paginated_with_as_of_and_smallest_group(make_token, api_client):
    cycles = [NominationCycleFactory(name=f"Cycle {n}", year=2020 + n) for n in range(3)]
    CohortFactory(cycle=cycles[0], name="Cohort A")
    client = api_client(make_token([], master_mentors=True))
    page = client.get("/api/v1/master-mentors/cycles", {"limit": 2}).json()
    assert page["count"] == 3
    assert [item["cycle"] for item in page["items"]] == ["Cycle 2 (2022)", "Cycle 1 (2021)"]
    assert page["min_group_size"] == 5
    assert page["as_of"].startswith("2026-11-20")
    assert {f["column"] for f in page["items"][0]["figures"]} >= {"candidates", "selected"}
    cohorts = client.get("/api/v1/master-mentors/cohorts").json()
    assert [item["cohort"] for item in cohorts["items"]] == ["Cohort A"]
    # A cohort of nobody: zero is shown, it singles nobody out.
    members = next(f for f in cohorts["items"][0]["figures"] if f["column"] == "members")
    assert members == {"column": "members", "value": 0, "suppressed": False, "reason": None, "status": None}


def test_each_read_of_figures_is_in_the_audit_log_under_the_token(built, make_token, api_client):
    client = api_client(make_token([built.program], master_mentors=True, name="Power BI leadership"))
    client.get(f"/api/v1/programs/{built.program.slug}/impact", {"level": "1-3"})
    client.get("/api/v1/master-mentors/cycles")
    client.get("/api/v1/programs")  # configuration only: no figures read
    entries = list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk"))
    assert len(entries) == 2
    program_read, master_read = entries
    assert program_read.object_pk == str(built.program.pk)
    assert program_read.actor is None
    assert program_read.actor_email.startswith("API token “Power BI leadership” (…")
    assert program_read.additional_data["export"] == f"API /api/v1/programs/{built.program.slug}/impact"
    assert program_read.additional_data["filters"] == "level=1-3"
    assert "Power BI leadership" in program_read.additional_data["token"]
    assert master_read.content_type.model == "nominationcycle"


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_data(program, department, make_token, api_client):
    programs = [ProgramFactory() for _ in range(2)]
    client = api_client(make_token([program, *programs]))
    small_list = _queries(client, "/api/v1/programs")
    small_figures = _queries(client, f"/api/v1/programs/{program.slug}/activity")
    for extra in [ProgramFactory() for _ in range(5)]:
        KeyResultFactory(program=extra)
    build(program, department, scale=3)
    client = api_client(make_token([program, *programs, *Program.objects.all()]))
    assert _queries(client, "/api/v1/programs") == small_list
    assert _queries(client, f"/api/v1/programs/{program.slug}/activity") <= small_figures + 2

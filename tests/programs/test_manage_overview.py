"""The program overview: status and its changes, what is missing, pending work, the enrollment funnel,
the timeline and the history."""

import pytest
from django.urls import reverse

from programs.factories import ParticipantFactory, ProgramFactory
from programs.models import Participant, Program, ProgramStatusChange
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def overview_url(program):
    return reverse("programs:program_overview", args=[program.slug])


def status_url(program):
    return reverse("programs:program_transition", args=[program.slug])


def test_the_overview_shows_status_timeline_links_and_the_next_step(client, hr_admin, program):
    client.force_login(hr_admin)
    content = client.get(overview_url(program)).content.decode()
    assert "A draft: only HR admins and coordinators see it." in content
    assert (
        '<button type="submit" name="to" value="enrolling" class="btn btn-primary">Open enrollment</button>'
        in content
    )
    assert '<time datetime="2027-01-10">10 Jan 2027</time>' in content
    assert reverse("programs:program_settings", args=[program.slug]) in content
    assert "Duplicate program" in content
    for name in ("question_list", "resource_list", "participant_list"):
        assert reverse(f"programs:{name}", args=[program.slug]) in content


def test_an_incomplete_program_lists_what_is_missing_with_links_to_fix_it(client, hr_admin, program):
    program.description = ""
    program.starts_on = None
    program.save()
    program.coordinators.clear()
    program.key_results.all().delete()
    program.questions.all().delete()
    client.force_login(hr_admin)
    content = client.get(overview_url(program)).content.decode()
    settings = reverse("programs:program_settings", args=[program.slug])
    assert "Before enrollment can open" in content
    for target in ("basics", "timeline", "key-results", "governance"):
        assert f'href="{settings}#section-{target}"' in content
    assert "At least one registration question" in content
    assert f'href="{reverse("programs:question_list", args=[program.slug])}">Fix in Questionnaire' in content
    assert 'value="enrolling" class="btn btn-primary" disabled aria-describedby="missing-heading"' in content
    assert "The configuration is incomplete: 5 things to do" in content


def test_every_missing_item_points_to_the_place_that_fixes_it(hr_admin):
    from programs.views.manage import missing_with_targets

    blank = ProgramFactory(description="", enrollment_opens_on=None, enrollment_closes_on=None,
                           matching_on=None, starts_on=None, ends_on=None)  # fmt: skip
    items = missing_with_targets(blank)
    assert len(items) == 9
    assert all(item["target"] and item["label"] for item in items)


def test_opening_enrollment_records_who_when_and_why(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(status_url(program), {"to": "enrolling", "why": "Board approved the budget"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Program.Status.ENROLLING
    change = ProgramStatusChange.objects.get(program=program)
    assert (change.by, change.why) == (coordinator, "Board approved the budget")
    content = client.get(response.url).content.decode()
    assert "Career mentoring is now enrolling." in content
    assert "Draft → Enrolling" in content
    assert "Board approved the budget" in content
    assert coordinator.person.full_name in content


def test_an_incomplete_program_is_refused_with_the_list_of_what_is_missing(client, hr_admin, program):
    program.description = ""
    program.save()
    program.key_results.all().delete()
    client.force_login(hr_admin)
    response = client.post(status_url(program), {"to": "enrolling"}, follow=True)
    content = response.content.decode()
    assert "The program is not complete yet:" in content
    assert "A description of why the program exists." in content
    assert "At least one key result" in content
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    assert not ProgramStatusChange.objects.exists()


def test_a_move_the_lifecycle_does_not_allow_is_refused(client, hr_admin, program):
    client.force_login(hr_admin)
    content = client.post(status_url(program), {"to": "running"}, follow=True).content.decode()
    assert "A draft program cannot move to running." in content
    content = client.post(status_url(program), {"to": "sideways"}, follow=True).content.decode()
    assert "Choose one of the status changes offered on this page." in content
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


def test_the_buttons_follow_the_allowed_transitions(client, hr_admin, program):
    client.force_login(hr_admin)
    for status, expected in [
        ("enrolling", {"matching", "draft", "closed"}),
        ("matching", {"running", "enrolling", "closed"}),
        ("running", {"closed"}),
        ("closed", set()),
    ]:
        program.status = status
        program.save()
        response = client.get(overview_url(program))
        assert {t["to"] for t in response.context["transitions"]} == expected


def test_a_program_goes_through_its_whole_life_over_http(client, hr_admin, program):
    client.force_login(hr_admin)
    for to in ("enrolling", "matching", "running", "closed"):
        client.post(status_url(program), {"to": to, "why": f"to {to}"})
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED
    changes = list(program.status_changes.values_list("from_status", "to_status"))
    assert changes == [
        ("draft", "enrolling"),
        ("enrolling", "matching"),
        ("matching", "running"),
        ("running", "closed"),
    ]
    content = client.get(overview_url(program)).content.decode()
    assert content.index("Draft → Enrolling") < content.index("Running → Closed")


def test_the_funnel_counts_people_by_role_and_status_and_names_pending_work(
    client, hr_admin, program, department
):
    statuses = {"applied": 3, "approved": 2, "waitlisted": 1, "declined": 1, "withdrawn": 1}
    for status, count in statuses.items():
        ParticipantFactory.create_batch(count, program=program, role="mentee", status=status)
    ParticipantFactory.create_batch(2, program=program, role="mentor", status="approved")
    ParticipantFactory(
        program=program, role="mentor", status="applied", manager_approval=Participant.ManagerApproval.PENDING
    )
    client.force_login(hr_admin)
    response = client.get(overview_url(program))
    funnel = response.context["funnel"]
    counts = {row.key: (row.mentors, row.mentees) for row in funnel.rows}
    assert counts["applied_total"] == (3, 8)
    assert counts["applied"] == (1, 3)
    assert counts["approved"] == (2, 2)
    assert counts["waitlisted"] == (0, 1)
    assert (funnel.waiting_for_approval, funnel.waiting_for_manager) == (3, 1)
    content = response.content.decode()
    assert "3 applications waiting for approval." in content
    assert f"{reverse('programs:participant_list', args=[program.slug])}?status=applied" in content
    assert "1 application waiting for the applicant's manager." in content


def test_the_eligible_count_follows_the_eligibility_rules(client, hr_admin, program, department):
    PersonFactory.create_batch(3, department=department, job_level=2)
    PersonFactory.create_batch(2, department=department, job_level=9)
    program.min_job_level, program.max_job_level = 1, 5
    program.save()
    client.force_login(hr_admin)
    response = client.get(overview_url(program))
    # Besides the three at level 2, the coordinator (4) is in range; the HR admin (6) and sponsor (8) are not.
    assert response.context["funnel"].eligible == 4
    assert "4 people, as mentor or mentee" in response.content.decode()


def test_the_overview_query_count_does_not_grow_with_participants(
    client, hr_admin, program, django_assert_max_num_queries
):
    for n in range(5):
        program.status_changes.create(from_status="draft", to_status="enrolling", by=hr_admin, why=str(n))
    ParticipantFactory.create_batch(40, program=program)
    ParticipantFactory.create_batch(20, program=program, role="mentor", status="approved")
    client.force_login(hr_admin)
    with django_assert_max_num_queries(20):
        assert client.get(overview_url(program)).status_code == 200


@pytest.mark.parametrize("persona", ["other_coordinator", "sponsor", "employee", "mentee", "outsider"])
def test_people_who_do_not_manage_the_program_get_not_found(client, request, program, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(overview_url(program)).status_code == 404
    assert client.post(status_url(program), {"to": "enrolling"}).status_code == 404
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


def test_a_missing_program_is_not_found(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("programs:program_overview", args=["no-such-program"])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, program):
    for response in (
        client.get(overview_url(program)),
        client.post(status_url(program), {"to": "enrolling"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_status_changes_are_made_by_post_only(client, hr_admin, program):
    client.force_login(hr_admin)
    assert client.get(status_url(program)).status_code == 405

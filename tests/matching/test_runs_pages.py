"""The match-run pages: start and watch a run, review, publish, re-match; only for the program's managers."""

# The tiny pools are fixtures of the service tests, imported here; pytest passes them in by name.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from matching.models import MatchRun, Mentorship, PairRule, Proposal
from matching.services.runs import match_run_publish, match_run_start
from notifications.models import Notification
from programs.factories import ParticipantFactory
from programs.models import Participant, Program
from tests.matching.test_runs_services import (  # noqa: F401
    C,
    L,
    T,
    blocking_pool,
    language_clash,
    matching_program,
    person_with,
    run_now,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def done_run(blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks):
    return run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)


def test_a_coordinator_starts_a_run_and_reads_proposals_and_the_quality_report(
    client,
    coordinator,
    blocking_pool,
    matching_program,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    page = client.get(reverse("matching:run_list", args=[matching_program.slug]))
    assert page.status_code == 200 and b"Start a match run" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:run_start", args=[matching_program.slug]))
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    listed = client.get(reverse("matching:run_list", args=[matching_program.slug])).content.decode()
    assert '<td class="text-end">2</td>' in listed and '<td class="text-end">70.8</td>' in listed
    page = client.get(run.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and MatchRun.objects.get().status == "done"
    assert 'Blocking pairs</dt><dd class="h5 mb-0">1</dd>' in text
    assert "100% <span" in text  # every mentee matched
    assert text.count("+</span> Which skills do you want to develop?") == 2  # each pair's strongest reason
    assert "Weakest: Which skills do you want to develop?" in text  # neither pair overlaps fully
    assert text.index(">75<") < text.index(">67<")  # best score first
    assert "Publish…" in text and "Re-run with the pins and forbids" in text


def test_a_run_under_way_shows_a_progress_bar_that_polls_until_it_ends(
    client,
    coordinator,
    blocking_pool,
    matching_program,
    hr_admin,
    django_capture_on_commit_callbacks,
):
    run = match_run_start(program=matching_program, by=hr_admin)  # queued: no worker ran it yet
    client.force_login(coordinator)
    page = client.get(run.get_absolute_url())
    assert b'role="progressbar"' in page.content and b'aria-valuenow="0"' in page.content
    progress_url = reverse("matching:run_progress", args=[matching_program.slug, run.pk])
    assert b'hx-trigger="every 2s"' in page.content and progress_url.encode() in page.content
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert (
        partial.status_code == 200 and b"progressbar" in partial.content and b"<html" not in partial.content
    )
    from matching.services.runs import match_run_execute

    match_run_execute(run_id=run.pk)
    ended = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert ended.status_code == 204 and ended["HX-Refresh"] == "true"
    assert client.get(progress_url).status_code == 302  # without HTMX: the run page


def test_starting_a_run_outside_matching_says_why(client, coordinator, matching_program):
    matching_program.status = Program.Status.ENROLLING
    matching_program.save()
    client.force_login(coordinator)
    page = client.get(reverse("matching:run_list", args=[matching_program.slug]))
    assert b"Start a match run" not in page.content
    response = client.post(reverse("matching:run_start", args=[matching_program.slug]), follow=True)
    assert "is enrolling" in messages_of(response) and not MatchRun.objects.exists()


def test_pinning_a_pair_that_breaks_a_hard_rule_is_refused_on_the_page_naming_the_rule(
    client, coordinator, language_clash, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    mentor, mentee = language_clash
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    url = reverse("matching:proposal_pin", args=[matching_program.slug, run.pk])
    response = client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk}, follow=True)
    assert "hard rule “Which language do you prefer?”" in messages_of(response)
    assert not PairRule.objects.exists()


def test_pin_and_forbid_reject_bad_input_and_strangers(
    client,
    coordinator,
    done_run,
    blocking_pool,
    matching_program,
    other_program,
):
    _a, b, x, _y = blocking_pool
    client.force_login(coordinator)
    url = reverse("matching:proposal_forbid", args=[matching_program.slug, done_run.pk])
    response = client.post(url, {"mentee": "", "mentor": "abc"}, follow=True)
    assert "Choose a mentee." in messages_of(response) and "Choose a mentor." in messages_of(response)
    stranger = ParticipantFactory(program=other_program, role="mentor", status="approved")
    response = client.post(url, {"mentee": x.pk, "mentor": stranger.pk}, follow=True)
    assert "Choose an approved mentor of Career mentoring" in messages_of(response)
    assert client.post(url, {"mentee": x.pk, "mentor": 999999}).status_code == 404
    response = client.post(url, {"mentee": x.pk, "mentor": b.pk, "reason": "r" * 301}, follow=True)
    assert "at most 300 characters" in messages_of(response)
    assert not PairRule.objects.exists()
    response = client.post(url, {"mentee": x.pk, "mentor": b.pk, "reason": "Same team"}, follow=True)
    assert "will never be paired" in messages_of(response)
    assert PairRule.objects.get().kind == "forbid"


def test_a_swap_lists_alternatives_with_scores_and_swaps(
    client,
    coordinator,
    person_with,
    matching_program,
    hr_admin,
    django_capture_on_commit_callbacks,
):
    person_with("mentor", [L], capacity=1, name="Best Mentor")
    spare = person_with("mentor", [L, C], capacity=1, name="Spare Mentor")
    person_with("mentee", [L], name="Only Mentee")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal = run.proposals.get()
    client.force_login(coordinator)
    url = reverse("matching:proposal_swap", args=[matching_program.slug, run.pk, proposal.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"Swap to Spare Mentor" in partial.content and b"score 50" in partial.content
    assert b"<html" not in partial.content
    assert b"Swap to Spare Mentor" in client.get(url).content  # a full page without HTMX
    response = client.post(url, {"mentor": "x"}, follow=True)
    assert "Choose the new mentor." in messages_of(response)
    response = client.post(url, {"mentor": spare.pk}, follow=True)
    assert "Spare Mentor now mentors Only Mentee (score 50)" in messages_of(response)
    proposal.refresh_from_db()
    assert proposal.mentor == spare
    other = reverse("matching:proposal_swap", args=[matching_program.slug, run.pk, 999999])
    assert client.get(other).status_code == 404


def test_publishing_asks_first_then_makes_the_pairs_and_refuses_a_second_time(
    client,
    hr_admin,
    done_run,
    matching_program,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client.force_login(hr_admin)
    url = reverse("matching:run_publish", args=[matching_program.slug, done_run.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"Publish 2 pairs" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Published: 2 pairs are active" in messages_of(response)
    assert Mentorship.objects.filter(run=done_run).count() == 2
    matching_program.refresh_from_db()
    assert matching_program.status == Program.Status.RUNNING
    assert len(mailoutbox) == 4
    response = client.post(url, follow=True)
    assert "already published" in messages_of(response)
    assert Mentorship.objects.count() == 2 and Notification.objects.count() == 4


def test_a_rerun_from_the_page_starts_a_new_run(
    client,
    coordinator,
    done_run,
    matching_program,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:run_rerun", args=[matching_program.slug, done_run.pk]))
    new = MatchRun.objects.exclude(pk=done_run.pk).get()
    assert response.url == new.get_absolute_url()
    done_run.refresh_from_db()
    assert done_run.status == "discarded" and new.status == "done"
    response = client.post(reverse("matching:run_rerun", args=[matching_program.slug, 999999]))
    assert response.status_code == 404


def test_a_coordinator_rematches_one_mentee_in_one_click(
    client,
    coordinator,
    person_with,
    matching_program,
    hr_admin,
    django_capture_on_commit_callbacks,
):
    person_with("mentor", [L], capacity=1, name="First Mentor")
    person_with("mentor", [L, C], capacity=2, name="Second Mentor")
    person_with("mentee", [L], name="Early Mentee")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    match_run_publish(run=run, by=hr_admin)
    late = person_with("mentee", [L, T], name="Late Mentee")
    client.force_login(coordinator)
    page = client.get(reverse("matching:run_list", args=[matching_program.slug]))
    url = reverse("matching:mentee_rematch", args=[matching_program.slug, late.pk])
    assert url.encode() in page.content and b"Late Mentee" in page.content
    response = client.post(url, {"next": "https://evil.example.com/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("matching:run_list", args=[matching_program.slug])
    assert "Late Mentee is now paired with Second Mentor (score 33" in messages_of(response)
    assert Mentorship.objects.get(mentee=late).source == "rematch"
    response = client.post(url, follow=True)
    assert "already has a current mentor" in messages_of(response)
    mentor = Mentorship.objects.get(mentee=late).mentor
    assert (
        client.post(reverse("matching:mentee_rematch", args=[matching_program.slug, mentor.pk])).status_code
        == 404
    )


def _urls(program, run, proposal, mentee):
    slug = program.slug
    return [
        ("get", reverse("matching:run_list", args=[slug])),
        ("post", reverse("matching:run_start", args=[slug])),
        ("get", reverse("matching:run_detail", args=[slug, run.pk])),
        ("get", reverse("matching:run_progress", args=[slug, run.pk])),
        ("post", reverse("matching:proposal_pin", args=[slug, run.pk])),
        ("post", reverse("matching:proposal_forbid", args=[slug, run.pk])),
        ("get", reverse("matching:proposal_swap", args=[slug, run.pk, proposal.pk])),
        ("post", reverse("matching:proposal_swap", args=[slug, run.pk, proposal.pk])),
        ("post", reverse("matching:run_rerun", args=[slug, run.pk])),
        ("get", reverse("matching:run_publish", args=[slug, run.pk])),
        ("post", reverse("matching:run_publish", args=[slug, run.pk])),
        ("post", reverse("matching:mentee_rematch", args=[slug, mentee.pk])),
    ]


def test_every_page_is_for_the_program_managers_only(
    client,
    done_run,
    blocking_pool,
    matching_program,
    outsider,
    employee,
    other_coordinator,
    sponsor,
):
    _a, _b, x, _y = blocking_pool
    urls = _urls(matching_program, done_run, done_run.proposals.first(), x)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    for user in (outsider, employee, other_coordinator, sponsor):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, method, url)
    assert MatchRun.objects.count() == 1 and not PairRule.objects.exists() and not Mentorship.objects.exists()
    done_run.refresh_from_db()
    assert done_run.status == "done"


def test_a_run_of_another_program_is_not_found_through_this_one(
    client, coordinator, done_run, other_program, hr_admin
):
    client.force_login(hr_admin)
    assert (
        client.get(reverse("matching:run_detail", args=[other_program.slug, done_run.pk])).status_code == 404
    )


def _big_run(program, n):
    from people.factories import PersonFactory

    run = MatchRun.objects.create(program=program, status="done", progress=100, stats={"unmatched": []})
    mentors = [
        ParticipantFactory(program=program, role="mentor", status="approved", person=PersonFactory())
        for _ in range(n)
    ]
    mentees = [
        ParticipantFactory(program=program, role="mentee", status="approved", person=PersonFactory())
        for _ in range(n)
    ]
    breakdown = [{"criterion": "Skills", "weight": 8.0, "similarity": 0.5, "points": 50.0}]
    Proposal.objects.bulk_create(
        Proposal(run=run, mentor=m, mentee=e, score=50.0, breakdown=breakdown)
        for m, e in zip(mentors, mentees, strict=True)
    )
    run.stats = {
        "unmatched": [
            {"participant": e.pk, "name": "n", "role": "mentee", "reason": "no eligible mentor"}
            for e in mentees
        ],
        "share_matched": 1.0,
        "matched": n,
        "mentees": n,
        "blocking_pairs": 0,
        "load_histogram": [[1, n]],
        "by_division": [],
        "by_gender": [],
    }
    run.save()
    return run


@pytest.mark.parametrize("n", [10, 100])
def test_the_run_page_runs_a_bounded_number_of_queries(
    client,
    coordinator,
    matching_program,
    n,
    django_assert_max_num_queries,
):
    run = _big_run(matching_program, n)
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(run.get_absolute_url() + "?page=2&upage=2").status_code == 200
    MatchRun.objects.filter(pk=run.pk).update(status="published")
    Program.objects.filter(pk=matching_program.pk).update(status="running")
    with django_assert_max_num_queries(16):  # the run, and every unpaired mentee with a re-match button
        page = client.get(reverse("matching:run_list", args=[matching_program.slug]))
    assert page.content.count(b">Re-match<") == min(n, 50)
    with django_assert_max_num_queries(16):
        assert client.get(run.get_absolute_url() + "?upage=2").status_code == 200


def test_a_published_run_offers_a_rematch_to_its_unmatched_mentees(
    client, coordinator, person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    mentor = person_with("mentor", [L], capacity=1, name="Only Mentor")
    person_with("mentee", [L], name="Paired Mentee")
    waiting = person_with("mentee", [L, C], name="Waiting Mentee")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    # While the run waits for review, a re-match could take a place its proposals count on.
    assert b">Re-match<" not in client.get(run.get_absolute_url()).content
    url = reverse("matching:mentee_rematch", args=[matching_program.slug, waiting.pk])
    response = client.post(url, follow=True)
    assert "A run is waiting for review" in messages_of(response) and not Mentorship.objects.exists()
    match_run_publish(run=run, by=hr_admin)
    page = client.get(run.get_absolute_url()).content.decode()
    assert (
        'Waiting Mentee</strong> <span class="small text-body-secondary">(mentee)</span>: capacity exhausted'
        in page
    )
    assert url in page
    Participant.objects.filter(pk=mentor.pk).update(capacity=2)  # the mentor makes room
    response = client.post(url, {"next": run.get_absolute_url()}, follow=True)
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    assert "Waiting Mentee is now paired with Only Mentor (score 50" in messages_of(response)


def test_a_later_run_of_a_published_program_pairs_newcomers_and_holds_rematch_until_reviewed(
    client, coordinator, person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    person_with("mentor", [L], capacity=2, name="Only Mentor")
    person_with("mentee", [L], name="First Mentee")
    match_run_publish(
        run=run_now(matching_program, hr_admin, django_capture_on_commit_callbacks), by=hr_admin
    )
    late = person_with("mentee", [L], name="Late Mentee")
    later = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Late Mentee" in page and "Publish…" in page and "out of date" not in page
    rematch = reverse("matching:mentee_rematch", args=[matching_program.slug, late.pk])
    runs_page = client.get(reverse("matching:run_list", args=[matching_program.slug])).content.decode()
    assert f"Run {later.pk}</a> is waiting for review" in runs_page and rematch not in runs_page
    response = client.post(
        reverse("matching:run_discard", args=[matching_program.slug, later.pk]), follow=True
    )
    assert f"Run {later.pk} was discarded" in messages_of(response)
    later.refresh_from_db()
    assert later.status == MatchRun.Status.DISCARDED
    runs_page = client.get(reverse("matching:run_list", args=[matching_program.slug])).content.decode()
    assert rematch in runs_page and "is waiting for review" not in runs_page
    response = client.post(
        reverse("matching:run_discard", args=[matching_program.slug, later.pk]), follow=True
    )
    assert "Only a run ready for review can be discarded" in messages_of(response)

"""The nomination window's scheduled work: managers hear when it opens and just before it closes; once it has
closed, candidates who have not answered are asked to decide and HR admins are told. Each notification is
sent once however often beat runs, and the cycle's status is never moved by the clock."""

import datetime

import pytest
import time_machine
from celery import current_app
from django.conf import settings

from cohorts.factories import CandidacyFactory, NominationCycleFactory
from cohorts.models import Candidacy, NominationCycle
from cohorts.services.nominations import nomination_windows_notify
from cohorts.tasks import nomination_windows
from notifications.models import Notification

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
AFTER_DEADLINE = datetime.datetime(2026, 12, 16, 9, 0, tzinfo=UTC)


def sent(kind: str) -> list:
    return list(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True).order_by("pk"))


def test_beat_wakes_the_dispatcher_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts.nomination_windows"]
    assert entry["task"] == nomination_windows.name == "cohorts.nomination_windows"


def test_every_cohorts_task_beat_wakes_is_registered_through_the_discovered_module():
    import cohorts.tasks  # noqa: F401 - what Celery's autodiscovery imports

    names = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].startswith("cohorts.")}
    assert names and names <= set(current_app.tasks)


def test_managers_hear_once_that_the_window_opened(cycle, manager, employee, hr_admin):
    assert nomination_windows() >= 1
    nomination_windows()
    assert sent("cohort_nominations_open") == [manager.person.pk]
    notification = Notification.objects.get(kind="cohort_nominations_open")
    assert "until 15 December 2026" in notification.subject


def test_nobody_hears_of_a_draft_cycle_or_a_window_not_yet_open(manager, employee):
    NominationCycleFactory(name="Draft")
    NominationCycleFactory(
        name="Later",
        status=NominationCycle.Status.OPEN,
        nominations_open_on=datetime.date(2026, 12, 1),
        nominations_close_on=datetime.date(2026, 12, 20),
    )
    assert nomination_windows_notify() == 0
    assert not Notification.objects.exists()


def test_managers_are_reminded_once_a_week_before_the_window_closes(cycle, manager, employee):
    nomination_windows_notify()
    assert sent("cohort_nominations_closing") == []
    with time_machine.travel(datetime.datetime(2026, 12, 9, 9, 0, tzinfo=UTC)):
        nomination_windows_notify()
        nomination_windows_notify()
    assert sent("cohort_nominations_closing") == [manager.person.pk]


def test_after_the_deadline_candidates_still_invited_are_asked_to_decide_once(
    cycle, manager, employee, hr_admin
):
    invited = CandidacyFactory(cycle=cycle, person=employee.person, status=Candidacy.Status.INVITED)
    CandidacyFactory(cycle=cycle, status=Candidacy.Status.ACCEPTED)
    CandidacyFactory(cycle=cycle, status=Candidacy.Status.DECLINED)
    nomination_windows_notify()
    assert sent("candidacy_decide") == [] and sent("cohort_nominations_closed") == []
    with time_machine.travel(AFTER_DEADLINE):
        nomination_windows()
        nomination_windows()
    assert sent("candidacy_decide") == [employee.person.pk]
    assert Notification.objects.get(kind="candidacy_decide").url.endswith(f"/candidacies/{invited.pk}/")
    assert sent("cohort_nominations_closed") == [hr_admin.person.pk]
    closed = Notification.objects.get(kind="cohort_nominations_closed")
    assert (
        "closed on 15 December 2026" in closed.subject
        and "3 people were nominated and 1 accepted" in closed.body
    )
    cycle.refresh_from_db()
    assert cycle.status == NominationCycle.Status.OPEN


def test_a_cycle_already_in_review_sends_nothing_more(cycle, employee, hr_admin):
    CandidacyFactory(cycle=cycle, person=employee.person, status=Candidacy.Status.INVITED)
    NominationCycle.objects.filter(pk=cycle.pk).update(status=NominationCycle.Status.REVIEWING)
    with time_machine.travel(AFTER_DEADLINE):
        assert nomination_windows_notify() == 0

"""Two requests accepted at the same moment never take a mentor past capacity (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from matching.models import MentorRequest, Mentorship
from matching.services import MatchingError
from matching.services.choice import mentor_request_accept, mentor_requests_create
from programs.models import Program
from tests.factories import PersonFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_for_the_last_place_make_exactly_one_pair(program, approved, mentor):
    program.matching_mode, program.status = Program.MatchingMode.MENTEE_CHOICE, Program.Status.MATCHING
    program.save(update_fields=["matching_mode", "status"])
    only_place = approved("mentor", person=mentor.person, capacity=1)
    requests = []
    for _ in range(2):
        mentee = approved("mentee", person=PersonFactory(job_level=2))
        requests += mentor_requests_create(mentee=mentee, mentors=[only_place], by=None)
    assert [r.status for r in requests] == [MentorRequest.Status.PENDING] * 2

    start = threading.Barrier(2)
    outcomes: list[object] = []

    def accept(pk: int) -> None:
        try:
            request = MentorRequest.objects.get(pk=pk)
            start.wait(timeout=30)
            outcomes.append(mentor_request_accept(request=request, by=mentor))
        except MatchingError as exc:
            outcomes.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=accept, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Mentorship.objects.filter(mentor=only_place).count() == 1
    refused = [o for o in outcomes if isinstance(o, MatchingError)]
    made = [o for o in outcomes if isinstance(o, Mentorship)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert "at capacity" in str(refused[0])
    statuses = sorted(MentorRequest.objects.values_list("status", flat=True))
    # The winner's request is accepted; the loser's moved on (the mentor became full), nothing else.
    assert statuses == [MentorRequest.Status.ACCEPTED, MentorRequest.Status.CANCELLED]

"""`manage.py bench_matching`, as an engineer measuring the matcher would run it."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matching.models import MatchRun, Proposal
from people.models import Person
from programs.models import Answer, Participant, Program
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TINY = ("--mentees", "60", "--mentors", "30", "--capacity", "2", "--questions", "4")
LAST_LINE = re.compile(
    r"^mentees=(\d+) mentors=(\d+) seconds=\d+\.\d\d solve_s=\d+\.\d\d score=(\d+\.\d\d) "
    r"greedy_score=(\d+\.\d\d) gap=(\S+) blocking_pairs=(\d+) peak_mb=\d+$"
)


def bench(*args: str) -> list[str]:
    out = StringIO()
    call_command("bench_matching", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()


def test_a_tiny_benchmark_prints_its_figures_on_the_last_line_with_no_gap_to_the_optimum():
    lines = bench(*TINY)

    found = LAST_LINE.match(lines[-1])
    assert found, lines[-1]
    mentees, mentors, score, greedy_score, gap, blocking = found.groups()
    assert (mentees, mentors, gap) == ("60", "30", "0")
    assert float(greedy_score) <= float(score)
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE
    proposals = Proposal.objects.filter(run=run)
    # The total is counted in points of 0.01, each pair's score rounded.
    assert sum(p.score for p in proposals) == pytest.approx(float(score), abs=0.005 * len(proposals) + 0.01)
    # Every proposal explains itself, a mentor never exceeds capacity, a mentee has one mentor.
    for proposal in proposals:
        assert sum(part["points"] for part in proposal.breakdown) == pytest.approx(proposal.score, abs=1e-3)
    loads = [proposals.filter(mentor=m).count() for m in {p.mentor_id for p in proposals}]
    assert max(loads) <= 2
    assert proposals.count() == len({p.mentee_id for p in proposals})
    assert int(blocking) >= 0
    # The synthetic people are marked, and the reporting line is real: a chain of managers.
    people = Person.objects.all()
    assert people.count() == 90
    assert all(p.employee_id.startswith("BM") and p.email.endswith("@bench.invalid") for p in people)
    assert people.filter(manager__manager__isnull=False).exists()


def test_no_proposal_pairs_a_mentee_with_someone_in_their_reporting_line():
    bench(*TINY)
    for proposal in Proposal.objects.select_related("mentee__person", "mentor__person"):
        chain, boss = set(), proposal.mentee.person.manager_id
        while boss is not None:
            chain.add(boss)
            boss = Person.objects.get(pk=boss).manager_id
        assert proposal.mentor.person_id not in chain


def test_running_again_reuses_the_program_and_replaces_the_earlier_run():
    bench(*TINY)
    answers = Answer.objects.count()
    first_run = MatchRun.objects.get()

    lines = bench(*TINY)

    assert "Reusing the program bench-matching-60x30-c2-q4-s1" in "\n".join(lines)
    assert LAST_LINE.match(lines[-1]).group(5) == "0"
    assert Program.objects.count() == 1
    assert Person.objects.count() == 90
    assert Participant.objects.count() == 90
    assert Answer.objects.count() == answers
    assert list(MatchRun.objects.values_list("pk", flat=True)) != [first_run.pk]
    assert MatchRun.objects.count() == 1


def test_other_arguments_make_another_program():
    bench(*TINY)
    bench("--mentees", "20", "--mentors", "10", "--capacity", "2", "--questions", "13", "--seed", "2")
    assert Program.objects.count() == 2
    assert Person.objects.count() == 120


def test_it_refuses_a_directory_with_other_people_unless_forced():
    PersonFactory(email="real.person@example.com")

    with pytest.raises(CommandError, match="holds 1 people who are not synthetic benchmark people"):
        bench(*TINY)
    assert not Program.objects.exists()
    assert Person.objects.count() == 1

    lines = bench(*TINY, "--force")
    assert LAST_LINE.match(lines[-1])
    assert Person.objects.count() == 91


def test_a_reference_over_the_memory_budget_is_skipped_with_the_reason():
    lines = bench(*TINY, "--reference-mb", "0")
    assert "over the 0 MB budget" in "\n".join(lines)
    assert LAST_LINE.match(lines[-1]).group(5) == "na"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--mentees", "0"), "--mentees must be at least 1; got 0."),
        (("--capacity", "21"), "--capacity must be at most 20; got 21."),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_created(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        bench(*args)
    assert not Person.objects.exists()

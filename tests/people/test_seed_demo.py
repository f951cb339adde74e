"""seed_demo builds a realistic organization, deterministically and idempotently."""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from people.demo import PERSONAS, generate_directory
from people.models import Department, Division, Person, PersonnelRecord, User
from programs.models import Answer, Participant, Program, Resource

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "divisions": sorted(Division.objects.values_list("pk", "name")),
        "departments": sorted(Department.objects.values_list("pk", "division_id", "name")),
        "people": sorted(
            Person.objects.values_list(
                "pk",
                "employee_id",
                "full_name",
                "email",
                "title",
                "job_level",
                "department_id",
                "manager_id",
                "location",
                "hire_date",
                "status",
                "left_on",
                "left_reason",
                "user_id",
                "updated_at",
            )
        ),
        "records": sorted(
            PersonnelRecord.objects.values_list("pk", "person_id", "kind", "effective_on", "title")
        ),
        "users": sorted(User.objects.values_list("pk", "email", "password", "is_staff")),
        "addresses": sorted(EmailAddress.objects.values_list("pk", "email", "verified")),
        "groups": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "programs": sorted(Program.objects.values_list("pk", "slug", "status", "updated_at")),
        "participants": sorted(
            Participant.objects.values_list("pk", "person_id", "role", "status", "updated_at")
        ),
        "answers": sorted(Answer.objects.values_list("pk", "participant_id", "question_id", "updated_at")),
        "resources": sorted(Resource.objects.values_list("pk", "title", "updated_at")),
        "notifications": Notification.objects.count(),
    }


def test_it_builds_a_realistic_organization_and_running_it_again_changes_nothing(capsys):
    call_command("seed_demo")
    first = _snapshot()
    assert Person.objects.count() == 600
    assert Division.objects.count() == 4
    assert Department.objects.count() == 12
    levels = set(Person.objects.values_list("job_level", flat=True))
    assert levels == set(range(1, 10))
    statuses = Counter(Person.objects.values_list("status", flat=True))
    assert statuses["left"] > 10 and statuses["on_leave"] > 0
    assert PersonnelRecord.objects.filter(kind="promotion").count() > 30
    # A consistent tree: one root, everyone else has a manager senior to them.
    assert Person.objects.filter(manager__isnull=True).count() == 1
    for level, manager_level in Person.objects.filter(manager__isnull=False).values_list(
        "job_level", "manager__job_level"
    ):
        assert manager_level > level
    for persona in PERSONAS:
        user = User.objects.get(email=persona.email)
        assert user.person.status == "active"
        assert user.check_password("mentoring-demo-2026")
    assert User.objects.get(email="hr.admin@example.com").is_hr_admin
    assert not User.objects.get(email="mentee@example.com").is_hr_admin
    manager = User.objects.get(email="manager@example.com").person
    assert manager.reports.count() >= 3
    out = capsys.readouterr().out
    assert "hr.admin@example.com" in out and "mentoring-demo-2026" in out

    programs = dict(Program.objects.values_list("slug", "status"))
    assert sorted(programs.values()) == ["draft", "enrolling", "matching", "running"]
    assert 370 <= Participant.objects.count() <= 420
    assert Answer.objects.count() > Participant.objects.count() * 3
    enrolling = Program.objects.get(status="enrolling")
    mentee = User.objects.get(email="mentee@example.com").person
    assert not Participant.objects.filter(program=enrolling, person=mentee).exists()
    assert Participant.objects.filter(person=mentee, role="mentee", status="approved").exists()
    coordinator = User.objects.get(email="coordinator@example.com").person
    assert all(p.coordinators.filter(pk=coordinator.pk).exists() for p in Program.objects.all())

    # Master Mentors: last year's cycle closed and graduated, this year's decided and half-way through.
    from cohorts.models import Certificate, CohortMember, NominationCycle
    from programs.services.training import is_certified_master_mentor

    cycles = dict(NominationCycle.objects.values_list("year", "status"))
    assert sorted(cycles.values()) == ["closed", "decided"]
    graduates = CohortMember.objects.filter(status="graduated")
    assert graduates.count() == Certificate.objects.count() >= 5
    assert PersonnelRecord.objects.filter(kind="certificate").count() >= graduates.count()
    assert is_certified_master_mentor(User.objects.get(email="mentor@example.com").person)
    current = CohortMember.objects.get(person__email="second.mentor@example.com")
    assert current.status == "active" and current.cohort.cycle.status == "decided"
    events = list(current.cohort.events.order_by("starts_at"))
    assert any(e.starts_at < timezone.now() for e in events) and any(
        e.starts_at > timezone.now() for e in events
    )

    call_command("seed_demo")
    assert _snapshot() == first
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 600 unchanged" in out
    assert "already there, left as it is" in out


def test_the_same_seed_gives_the_same_organization_and_another_seed_another():
    assert generate_directory(people=200, seed=7) == generate_directory(people=200, seed=7)
    assert generate_directory(people=200, seed=7) != generate_directory(people=200, seed=8)


def test_if_empty_leaves_an_existing_directory_alone(capsys, employee):
    call_command("seed_demo", "--if-empty")
    assert Person.objects.count() == 2
    assert "left as it is" in capsys.readouterr().out


def test_a_large_organization_keeps_managers_senior_and_spans_bounded():
    rows, _ = generate_directory(people=5000, seed=3)
    by_id = {r["employee_id"]: r for r in rows}
    spans = Counter(r["manager_employee_id"] for r in rows if r["manager_employee_id"])
    assert max(spans.values()) < 60
    for row in rows:
        if row["manager_employee_id"]:
            assert int(by_id[row["manager_employee_id"]]["job_level"]) > int(row["job_level"])
    assert len({r["email"] for r in rows}) == 5000

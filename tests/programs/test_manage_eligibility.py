"""Who is eligible for a program: the queryset the funnel counts and enrollment filters with, and the
reasons given to someone who is not."""

import datetime

import pytest

from people.models import Person
from programs.factories import ProgramFactory
from programs.services.eligibility import eligibility_problems, eligible_people, months_before
from tests.factories import DepartmentFactory, DivisionFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def org():
    clinical, research = DivisionFactory(name="Clinical"), DivisionFactory(name="Research")
    wards = DepartmentFactory(name="Wards", division=clinical)
    theatre = DepartmentFactory(name="Theatre", division=clinical)
    lab = DepartmentFactory(name="Lab", division=research)
    baltimore, bethesda = {"location": "Baltimore"}, {"location": "Bethesda"}
    people = {
        "nurse": PersonFactory(
            department=wards, job_level=3, hire_date=datetime.date(2020, 1, 1), **baltimore
        ),
        "surgeon": PersonFactory(
            department=theatre, job_level=9, hire_date=datetime.date(2015, 5, 5), **bethesda
        ),
        "scientist": PersonFactory(
            department=lab, job_level=5, hire_date=datetime.date(2026, 6, 1), **baltimore
        ),
        "leaver": PersonFactory(
            department=wards,
            job_level=3,
            status=Person.Status.LEFT,
            left_on=datetime.date(2026, 1, 1),
            **baltimore,
        ),
    }
    return {
        "clinical": clinical,
        "research": research,
        "wards": wards,
        "theatre": theatre,
        "lab": lab,
        **people,
    }


def names(program, org):
    found = set(eligible_people(program, on=TODAY))
    return {key for key, value in org.items() if isinstance(value, Person) and value in found}


def test_with_no_rules_every_active_person_is_eligible(org):
    assert names(ProgramFactory(), org) == {"nurse", "surgeon", "scientist"}


def test_each_rule_narrows_the_pool(org):
    program = ProgramFactory()
    program.eligible_divisions.set([org["clinical"]])
    assert names(program, org) == {"nurse", "surgeon"}
    program.eligible_departments.set([org["theatre"]])
    assert names(program, org) == {"surgeon"}

    program = ProgramFactory(min_job_level=4)
    assert names(program, org) == {"surgeon", "scientist"}
    program = ProgramFactory(max_job_level=5)
    assert names(program, org) == {"nurse", "scientist"}
    program = ProgramFactory(min_tenure_months=12)
    assert names(program, org) == {"nurse", "surgeon"}
    program = ProgramFactory(eligible_locations=["Baltimore"])
    assert names(program, org) == {"nurse", "scientist"}


def test_the_pool_agrees_with_the_enrollment_check_person_by_person(org):
    """The funnel counts exactly the people enrollment would let apply (before mentor requirements)."""
    on_leave = PersonFactory(department=org["wards"], job_level=5, status=Person.Status.ON_LEAVE)
    shouty = PersonFactory(department=org["lab"], job_level=5, location=" BETHESDA ")
    rules = [
        {},
        {"min_job_level": 4, "max_job_level": 8},
        {"min_tenure_months": 12},
        {"eligible_locations": ["Bethesda"]},
        {"min_job_level": 4, "min_tenure_months": 12, "eligible_locations": ["Bethesda", "Baltimore"]},
    ]
    everyone = [org[k] for k in ("nurse", "surgeon", "scientist", "leaver")] + [on_leave, shouty]
    for n, fields in enumerate(rules):
        places = [
            ([], []),
            ([org["clinical"]], []),
            ([org["clinical"], org["research"]], [org["theatre"], org["lab"]]),
            ([], [org["wards"]]),
        ]
        for divisions, departments in places:
            program = ProgramFactory(**fields)
            program.eligible_divisions.set(divisions)
            program.eligible_departments.set(departments)
            pool = set(eligible_people(program, on=TODAY))
            for person in everyone:
                problems = eligibility_problems(program=program, person=person, role="mentee", today=TODAY)
                assert (person in pool) == (not problems), (n, divisions, person, problems)
    assert on_leave not in pool and org["leaver"] not in pool


def test_locations_compare_alike_in_the_pool_and_the_check_beyond_plain_letters(department):
    """Trimmed and without case, accented capitals included, whatever the database's own LOWER does."""
    zurich = PersonFactory(department=department, location="Zürich")
    shouty = PersonFactory(department=department, location=" ZÜRICH ")
    elsewhere = PersonFactory(department=department, location="Zug")
    program = ProgramFactory(eligible_locations=["zürich"])
    pool = set(eligible_people(program, on=TODAY))
    for person in (zurich, shouty, elsewhere):
        problems = eligibility_problems(program=program, person=person, role="mentee", today=TODAY)
        assert (person in pool) == (not problems), (person.location, problems)
    assert {zurich, shouty} <= pool and elsewhere not in pool


def test_the_tenure_filter_agrees_with_the_directory_on_every_day(department):
    """Month ends and leap years included: the queryset and Person.tenure_months never disagree."""
    hires = [datetime.date(2024, 1, 1) + datetime.timedelta(days=n) for n in range(0, 800, 7)]
    people = [PersonFactory(department=department, hire_date=day) for day in hires]
    for on in (datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2028, 2, 29)):
        for months in (1, 6, 13, 24):
            program = ProgramFactory(min_tenure_months=months)
            pool = set(eligible_people(program, on=on).filter(pk__in=[p.pk for p in people]))
            assert pool == {p for p in people if p.tenure_months(on) >= months}, (on, months)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)
    assert months_before(datetime.date(2028, 3, 29), 1) == datetime.date(2028, 2, 29)

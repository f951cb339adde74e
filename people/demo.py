"""A realistic, deterministic organization for the demo (``seed_demo``) and benchmarks (``bench_import``).

``generate_directory`` returns rows in the documented HR import format, so the demo and the benchmarks go
through the same import as a real HR file does. The same seed always gives the same organization; dates
are anchored to a fixed day, not to today, so the data does not drift from one run to the next.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from .factories import DEMO_PASSWORD
from .importing import PEOPLE_COLUMNS, PEOPLE_OPTIONAL_COLUMNS
from .models import Person

ANCHOR = date(2026, 6, 30)

DIVISIONS: dict[str, list[tuple[str, str]]] = {
    # division: [(department, job family)]
    "Clinical Services": [
        ("Cardiology", "Clinician"),
        ("Oncology", "Clinician"),
        ("Nursing", "Nurse"),
    ],
    "Research": [
        ("Genomics", "Scientist"),
        ("Clinical Trials", "Research Coordinator"),
        ("Data Science", "Data Scientist"),
    ],
    "Operations": [
        ("Finance", "Financial Analyst"),
        ("People and Culture", "HR Partner"),
        ("Facilities", "Operations Specialist"),
    ],
    "Technology": [
        ("Platform Engineering", "Engineer"),
        ("Product", "Product Manager"),
        ("Security", "Security Engineer"),
    ],
}
LOCATIONS = ["Baltimore", "Boston", "Chicago", "Denver", "Remote", "Seattle"]
SENIORITY = {
    1: "Associate",
    2: "Junior",
    3: "",
    4: "Senior",
    5: "Lead",
    6: "Principal",
    7: "Head of",
    8: "Vice President,",
    9: "Chief Executive Officer",
}
# Individual contributors and first-line managers, most junior first.
STAFF_LEVEL_WEIGHTS = {1: 16, 2: 22, 3: 24, 4: 18, 5: 12, 6: 8}
GENDERS = ["Woman", "Man", "Non-binary", ""]
GENDER_WEIGHTS = [46, 46, 2, 6]
ETHNICITIES = ["Asian", "Black", "Hispanic or Latino", "White", "Two or more", ""]
ETHNICITY_WEIGHTS = [14, 13, 15, 44, 5, 9]

# The import format is defined once, by the import itself.
COLUMNS = [*PEOPLE_COLUMNS, *PEOPLE_OPTIONAL_COLUMNS]


@dataclass
class _Person:
    number: int
    level: int
    division: str
    department: str
    family: str
    manager: _Person | None = None
    reports: list[_Person] = field(default_factory=list)


def _title(level: int, division: str, department: str, family: str) -> str:
    if level == 9:
        return SENIORITY[9]
    if level == 8:
        return f"Vice President, {division}"
    if level == 7:
        return f"Head of {department}" if family != "Director" else f"Director, {department}"
    prefix = SENIORITY[level]
    if level >= 5:
        return f"{prefix} {family}" if level == 6 else f"{family} Team Lead"
    return f"{prefix} {family}".strip()


def generate_directory(
    people: int = 600, seed: int = 1, email_domain: str = "example.com"
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return (people rows, promotion rows) for an organization of ``people`` employees."""
    if people < 1 + len(DIVISIONS) * 4:
        raise ValueError(f"An organization needs at least {1 + len(DIVISIONS) * 4} people.")
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)

    departments = [(div, dept, fam) for div, depts in DIVISIONS.items() for dept, fam in depts]
    counter = iter(range(1, people + 1))
    ceo = _Person(next(counter), 9, "Operations", "People and Culture", "Executive")
    everyone = [ceo]
    heads: dict[str, _Person] = {}
    for division in DIVISIONS:
        vp = _Person(next(counter), 8, division, DIVISIONS[division][0][0], "Executive", manager=ceo)
        ceo.reports.append(vp)
        heads[division] = vp
        everyone.append(vp)
    pools: dict[str, dict[int, list[_Person]]] = {}
    for division, department, family in departments:
        head = _Person(next(counter), 7, division, department, family, manager=heads[division])
        heads[division].reports.append(head)
        everyone.append(head)
        pools[department] = {7: [head], 8: [heads[division]]}

    remaining = people - len(everyone)
    level_weights = dict(STAFF_LEVEL_WEIGHTS)
    if people >= 3000:
        # Large organizations have directors between department heads and principals.
        level_weights[7] = 1
    levels = list(level_weights)
    weights = list(level_weights.values())
    staff: list[_Person] = []
    for i in range(remaining):
        division, department, family = departments[i % len(departments)]
        level = rng.choices(levels, weights)[0]
        staff.append(
            _Person(next(counter), level, division, department, "Director" if level == 7 else family)
        )
    # Place the most senior first so everyone finds a manager above them in their department.
    for person in sorted(staff, key=lambda p: (-p.level, p.number)):
        pool = pools[person.department]
        for manager_level in range(person.level + 1, 9):
            candidates = pool.get(manager_level)
            if candidates:
                manager = rng.choice(candidates[-40:])
                break
        person.manager = manager
        manager.reports.append(person)
        pool.setdefault(person.level, []).append(person)
        everyone.append(person)

    everyone.sort(key=lambda p: p.number)
    width = max(5, len(str(people)))
    used_emails: set[str] = set()
    rows: list[dict[str, str]] = []
    promotions: list[dict[str, str]] = []
    for person in everyone:
        first, last = fake.first_name(), fake.last_name()
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        email = f"{local}@{email_domain}"
        suffix = 2
        while email in used_emails:
            email = f"{local}{suffix}@{email_domain}"
            suffix += 1
        used_emails.add(email)
        # Senior people have been here longer, on average.
        max_years = 3 + person.level * 2
        hire_date = ANCHOR - timedelta(days=rng.randint(60, int(max_years * 365.25)))
        status, left_on, left_reason = "active", "", ""
        roll = rng.random()
        if not person.reports and person.level <= 6:
            if roll < 0.07:
                status = "left"
                left_date = ANCHOR - timedelta(days=rng.randint(1, 700))
                left_date = max(left_date, hire_date + timedelta(days=30))
                left_on = left_date.isoformat()
                left_reason = rng.choices(
                    ["voluntary", "involuntary", "retirement", "end_of_contract"], [70, 15, 10, 5]
                )[0]
            elif roll < 0.09:
                status = "on_leave"
        row = {
            "employee_id": f"E{person.number:0{width}d}",
            "full_name": f"{first} {last}",
            "email": email,
            "title": _title(person.level, person.division, person.department, person.family),
            "job_level": str(person.level),
            "division": person.division,
            "department": person.department,
            "manager_employee_id": f"E{person.manager.number:0{width}d}" if person.manager else "",
            "location": rng.choice(LOCATIONS),
            "hire_date": hire_date.isoformat(),
            "status": status,
            "left_on": left_on,
            "left_reason": left_reason,
            "gender": rng.choices(GENDERS, GENDER_WEIGHTS)[0],
            "ethnicity": rng.choices(ETHNICITIES, ETHNICITY_WEIGHTS)[0],
        }
        rows.append(row)
        tenure_days = (ANCHOR - hire_date).days
        if 1 < person.level < 9 and tenure_days > 400 and rng.random() < 0.18:
            effective = ANCHOR - timedelta(days=rng.randint(30, min(tenure_days - 200, 1100)))
            promotions.append(
                {
                    "employee_id": row["employee_id"],
                    "effective_on": effective.isoformat(),
                    "new_title": row["title"],
                    "new_level": row["job_level"],
                }
            )
    return rows, promotions


@dataclass(frozen=True)
class DemoPersona:
    key: str
    email: str
    label: str
    department: str | None  # None: any department
    levels: tuple[int, ...]
    needs_reports: bool = False


# One login per persona, each linked to a real person of the demo organization.
PERSONAS = [
    DemoPersona("hr_admin", "hr.admin@example.com", "HR admin", "People and Culture", (5, 6)),
    DemoPersona("coordinator", "coordinator@example.com", "Coordinator", "People and Culture", (4,)),
    DemoPersona("mentor", "mentor@example.com", "Mentor", "Oncology", (5, 6)),
    DemoPersona("second_mentor", "second.mentor@example.com", "Second mentor", None, (5, 6)),
    DemoPersona("mentee", "mentee@example.com", "Mentee", "Platform Engineering", (2,)),
    DemoPersona("committee", "committee@example.com", "Committee member", "Genomics", (7,)),
    DemoPersona("sponsor", "sponsor@example.com", "Sponsor", None, (8,)),
    DemoPersona("manager", "manager@example.com", "Manager", None, (5, 6), True),
]


def assign_personas(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Give each persona's e-mail to a fitting person in ``rows`` (in place); return key → row."""
    reports: dict[str, int] = {}
    for row in rows:
        if row["manager_employee_id"]:
            reports[row["manager_employee_id"]] = reports.get(row["manager_employee_id"], 0) + 1
    taken: set[str] = set()
    chosen: dict[str, dict[str, str]] = {}
    for persona in PERSONAS:
        for row in rows:
            fits = (
                row["employee_id"] not in taken
                and row["status"] == "active"
                and int(row["job_level"]) in persona.levels
                and persona.department in (None, row["department"])
                and (not persona.needs_reports or reports.get(row["employee_id"], 0) >= 3)
            )
            if fits:
                row["email"] = persona.email
                taken.add(row["employee_id"])
                chosen[persona.key] = row
                break
        else:
            raise ValueError(f"The demo organization has nobody to play the {persona.label}.")
    return chosen


def print_demo_logins(stdout) -> None:
    """The demo personas' logins and who plays each, as `make run` prints them."""
    people = {p.email: p for p in Person.objects.filter(email__in=[x.email for x in PERSONAS])}
    stdout.write("")
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for persona in PERSONAS:
        person = people.get(persona.email)
        who = f"{person.full_name}, {person.title}" if person else "not in the directory"
        stdout.write(f"  {persona.label:<17} {persona.email:<26} {who}")

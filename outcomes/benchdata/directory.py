"""The HR directory: divisions, departments, people with their reporting lines, the two logins, and the
promotions in their personnel files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from people.models import Department, Division, Person, PersonnelRecord, User
from people.services import hr_admin_add

from .dataset import DIVISION_PREFIX, DOMAIN, HR_EMAIL, PREFIX, SPONSOR_EMAIL
from .rows import NEVER, day, moment, pick
from .shapes import (
    DIVISIONS,
    ETHNICITIES,
    FIRST_NAMES,
    GENDERS,
    HR_DIVISION,
    LAST_NAMES,
    LEFT_REASONS,
    LEVEL_SHARE,
    LOCATIONS,
    TEAMS,
    TITLES,
)

if TYPE_CHECKING:
    from .seeder import Seeder

SPAN = 7  # direct reports per manager


def seed_people(s: Seeder) -> None:
    n, rng, t = s.sizes.people, s.rng, s.t
    divisions = Division.objects.bulk_create([Division(name=DIVISION_PREFIX + name) for name, _ in DIVISIONS])
    departments = Department.objects.bulk_create(
        [Department(division=division, name=team) for division in divisions for team in TEAMS]
    )
    share = np.repeat([share for _, share in DIVISIONS], len(TEAMS))
    share *= rng.dirichlet(np.full(len(TEAMS), 3.0), len(DIVISIONS)).ravel()
    dept = rng.choice(len(departments), size=n, p=share / share.sum())
    level = rng.choice(np.arange(1, 13), size=n, p=LEVEL_SHARE)
    # Hired over 25 years, most of them recently; the senior longer ago.
    tenure = np.clip(rng.exponential(600 + 280 * level), 14, 25 * 365 - 1).astype(np.int64)
    dept[0], level[0], tenure[0] = HR_DIVISION * len(TEAMS), 9, 8 * 365  # the HR admin
    dept[1], level[1], tenure[1] = 0, 12, 15 * 365  # the sponsor, an executive
    hire = t - tenure
    draw = rng.random(n)
    leaving = (draw < 0.08) & (hire < t - 60)
    leaving[:2] = False
    since = np.maximum(hire + 30, t - 3 * 365)  # leavers left within the last three years
    left = np.where(leaving, since + (rng.random(n) * (t - 1 - since)).astype(np.int64), NEVER)
    status = np.where(leaving, "left", np.where(draw < 0.10, "on_leave", "active"))
    manager = _reporting_lines(s, dept, level)

    s.hr_user, s.sponsor_user = _login(HR_EMAIL), _login(SPONSOR_EMAIL)
    hr_admin_add(user=s.hr_user, by=None)
    logins = {0: (s.hr_user, "Bench HR Admin"), 1: (s.sponsor_user, "Bench Sponsor")}
    first = rng.integers(len(FIRST_NAMES), size=n).tolist()
    last = rng.integers(len(LAST_NAMES), size=n).tolist()
    gender, ethnicity = pick(rng, GENDERS, n), pick(rng, ETHNICITIES, n)
    says_gender, says_ethnicity = (rng.random(n) < 0.8).tolist(), (rng.random(n) < 0.8).tolist()
    reasons, location = pick(rng, LEFT_REASONS, n), pick(rng, LOCATIONS, n)
    levels, managers, lefts = level.tolist(), manager.tolist(), left.tolist()
    hires, depts, statuses = hire.tolist(), dept.tolist(), status.tolist()
    dept_ids = [department.pk for department in departments]
    base = s.writer.next_id(Person)

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            user, name = logins.get(i, (None, f"{FIRST_NAMES[first[i]]} {LAST_NAMES[last[i]]}"))
            gone = lefts[i] < NEVER
            yield {
                "id": base + i,
                "employee_id": f"{PREFIX}{i:06d}",
                "full_name": name,
                "email": user.email if user else f"bd.{i}@{DOMAIN}",
                "title": TITLES[levels[i] - 1],
                "job_level": levels[i],
                "department_id": dept_ids[depts[i]],
                "manager_id": base + managers[i] if managers[i] >= 0 else None,
                "location": location[i],
                "hire_date": day(hires[i]),
                "status": statuses[i],
                "left_on": day(lefts[i]) if gone else None,
                "left_reason": reasons[i] if gone else "",
                "gender": gender[i] if says_gender[i] else "",
                "ethnicity": ethnicity[i] if says_ethnicity[i] else "",
                "user_id": user.pk if user else None,
            }

    s.write("people", Person, rows())
    s.pid = base + np.arange(n)
    s.level, s.hire, s.left, s.manager = level, hire, left, manager
    s.division = dept // len(TEAMS)
    s.division_ids = [division.pk for division in divisions]


def _reporting_lines(s: Seeder, dept: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Each person's manager (an index, or -1): within a department the most senior first, SPAN reports
    each; department heads report to the most senior head of their division."""
    manager = np.full(len(dept), -1, dtype=np.int64)
    order = np.lexsort((s.rng.random(len(dept)), -level, dept))
    heads = {}
    for group in np.split(order, np.flatnonzero(np.diff(dept[order])) + 1):
        manager[group[1:]] = group[(np.arange(1, len(group)) - 1) // SPAN]
        heads[int(dept[group[0]])] = int(group[0])
    for d in range(len(DIVISIONS)):
        division_heads = [heads[k] for k in range(d * len(TEAMS), (d + 1) * len(TEAMS)) if k in heads]
        top = max(division_heads, key=lambda p: level[p])
        manager[[head for head in division_heads if head != top]] = top
    return manager


def _login(email: str) -> User:
    """A benchmark login without a password: bench_dashboards signs in with ``force_login``."""
    return User.objects.filter(email=email).first() or User.objects.create_user(email)


def seed_promotions(s: Seeder) -> None:
    """About one employee in ten promoted in each of the last three years; participants a little more often
    once their first pair has begun."""
    n, rng, t, pid = s.sizes.people, s.rng, s.t, s.pid.tolist()
    since = np.full(n, NEVER)
    np.minimum.at(since, s.pairs.mentee_person, s.pairs.start)
    np.minimum.at(since, s.pairs.mentor_person, s.pairs.start)
    days = np.stack([t - 365 * (3 - k) + rng.integers(0, 365, n) for k in range(3)])  # oldest year first
    rate = np.where(since < days, 0.18, 0.14)  # of everyone: about 0.10 of those employed and promotable
    promoted = (s.hire < days) & (s.left > days) & (rng.random((3, n)) < rate)
    rows = []
    for p in np.flatnonzero(promoted.any(axis=0)).tolist():
        level = int(s.level[p])
        when = days[promoted[:, p], p].tolist()
        when = when[len(when) - min(len(when), level - 1) :]  # nobody was promoted from below level 1
        for j, effective in enumerate(when):
            new = level - (len(when) - 1 - j)
            rows.append(
                {
                    "person_id": pid[p],
                    "kind": PersonnelRecord.Kind.PROMOTION,
                    "effective_on": day(effective),
                    "title": f"Promoted to {TITLES[new - 1]}",
                    "job_level": new,
                    "created_at": moment(effective),
                }
            )
    s.write("promotions", PersonnelRecord, rows)

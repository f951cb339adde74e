"""Logged-in personas of the demo organization using the site the way they do on a working day.

Each persona signs in once through the real login form (``/accounts/login/``), then, between pauses of one
to three seconds, visits what its role uses:

- mentee and mentor: the home page, their pairs, a pair's page, and now and then log a session that took
  place (the form is read, then posted; every post creates a held session);
- coordinator: the home page, the programs they run and a program's overview (``/programs/<slug>/manage/``);
- sponsor and HR admin: the home page and the outcome dashboards (overview, a program's activity, impact
  and equity; the Master Mentor dashboard for HR admins).

The figures describe the working day, not the rush to sign in: every user signs in and finds its pairs or
programs, then waits until all have done so; the statistics start afresh at that moment and the users set
off a pause apart. Twenty simultaneous sign-ins are a burst of password hashing (about half a second of CPU
each) that no working day has; the sign-in phase is logged on one line of its own, starting
``sign-in phase:``, with its failures, which ``loadtest/run.py`` counts as errors.

Every response's status is checked (a redirect to the login page is a failure, not a success), and requests
are named by route, not by id, so the statistics group by page. Written for the throwaway database that
``loadtest/run.py`` builds with ``seed_demo``: it logs sessions into free evening slots of the past, which a
database already loaded by an earlier run may hold, and a clash then counts as a failure.

Environment: ``LOADTEST_PASSWORD`` (the demo password by default).
"""

from __future__ import annotations

import datetime
import itertools
import logging
import os
import random
import re
import time
import zoneinfo

import gevent
import gevent.event
from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "mentoring-demo-2026")
LOGIN_ATTEMPTS = 5
LOGIN_RETRY_SECONDS = 15

HOME = re.compile(r"^(https?://[^/]+)?/$")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAIR_LINK = re.compile(r'href="(/pairs/\d+/)"')
MANAGE_LINK = re.compile(r'href="/programs/([\w-]+)/manage/"')
OUTCOMES_LINK = re.compile(r'href="/outcomes/programs/([\w-]+)/"')
TIME_ZONE_HINT = re.compile(r"In your time zone \(([^)]+)\)")
TOPIC_BOX = re.compile(r'name="topics" value="([^"]+)"')
# A field's error as crispy-forms (Bootstrap 5) shows it.
FORM_ERROR = re.compile(r'<p id="error_\d+_[^"]*"[^>]*>\s*<strong>([^<]+)</strong>')
# Where a logged session sends its author: the new session's page, at its feedback form.
LOGGED = re.compile(r"/pairs/\d+/sessions/\d+/")

# Logged sessions go into evening slots (starting 19:00 to 04:30 in the member's time zone, half an hour
# apart, 25 minutes long), from the evening before last back one evening at a time: the demo's own sessions
# are in working hours, and a pair's two sessions may not overlap. One counter for every simulated user of
# this process, so two users logging for the same pair never pick the same slot.
SLOT_MINUTES = 30
SESSION_MINUTES = 25
SLOTS_PER_EVENING = 20
FIRST_SLOT = datetime.time(19, 0)
_slots = itertools.count()


def session_slot(time_zone: str) -> datetime.datetime:
    """The next free start, in ``time_zone``, at least a day in the past."""
    number = next(_slots)
    evening, slot = divmod(number, SLOTS_PER_EVENING)
    zone = zoneinfo.ZoneInfo(time_zone)
    day = datetime.datetime.now(tz=zone).date() - datetime.timedelta(days=2 + evening)
    start = datetime.datetime.combine(day, FIRST_SLOT, tzinfo=zone)
    return start + datetime.timedelta(minutes=slot * SLOT_MINUTES)


def problem(response) -> str:
    """What went wrong with a response, for the failure report (ids left out, so failures group)."""
    if not response.status_code:
        return f"no response: {type(response.error).__name__}: {response.error}"
    where = re.sub(r"/\d+/", "/[id]/", response.headers.get("Location", ""))
    return f"{response.status_code} {where}".strip()


class SignInPhase:
    """Every user arrives here once signed in (or failing to); the last one to arrive logs the phase, starts
    the statistics afresh and lets everyone go."""

    def __init__(self) -> None:
        self.arrived = 0
        self.started: float | None = None
        self.over = gevent.event.Event()

    def start(self) -> None:
        if self.started is None:
            self.started = time.monotonic()

    def arrive(self, user: HttpUser) -> None:
        self.arrived += 1
        if self.arrived < user.environment.runner.target_user_count:
            return
        stats = user.environment.stats
        sign_in = stats.get("/accounts/login/", "POST")
        logging.getLogger("loadtest").warning(
            "sign-in phase: users=%d seconds=%.1f requests=%d failures=%d "
            "sign_in_p50_ms=%d sign_in_max_ms=%d",
            self.arrived,
            time.monotonic() - (self.started or time.monotonic()),
            stats.total.num_requests,
            stats.total.num_failures,
            sign_in.get_response_time_percentile(0.5) or 0,
            sign_in.max_response_time or 0,
        )
        stats.clear_all()
        self.over.set()


sign_in_phase = SignInPhase()


class Persona(HttpUser):
    """A signed-in person; subclasses give the login and the tasks."""

    abstract = True
    email = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in_phase.start()
        try:
            self.sign_in()
            self.prepare()
        finally:
            sign_in_phase.arrive(self)
        sign_in_phase.over.wait()
        # Set off a pause apart, as people do, rather than all at the same instant.
        gevent.sleep(self.wait_time())

    def prepare(self) -> None:
        """Find what this persona works on (its pairs, its programs), before the figures start."""

    # --- helpers --------------------------------------------------------------------------------------

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200 (not a redirect: the login page would be one); returns its HTML."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(problem(response))
                return ""
            response.success()
            return response.text

    def post_form(self, path: str, name: str, data: dict, *, then: re.Pattern[str]) -> bool:
        """POST a form that must redirect to a URL matching ``then`` (a form shown again has errors)."""
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            where = response.headers.get("Location", "")
            if response.status_code == 302 and then.search(where):
                response.success()
                return True
            if response.status_code == 200:
                errors = FORM_ERROR.findall(response.text)
                response.failure(f"form refused: {'; '.join(errors) or 'no message found'}")
            else:
                response.failure(problem(response))
            return False

    def sign_in(self) -> None:
        """Sign in through the login form. The login rate limit (30 a minute from one address) can refuse
        a fast ramp of many users: a refusal is waited out, outside the figures, and tried again."""
        for _attempt in range(LOGIN_ATTEMPTS):
            html = self.page("/accounts/login/", name="/accounts/login/")
            token = CSRF_FIELD.search(html)
            if token is None:
                raise RuntimeError("The login page has no CSRF token.")
            data = {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
            with self.client.post(
                "/accounts/login/",
                data=data,
                name="/accounts/login/",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code == 302 and HOME.match(response.headers.get("Location", "")):
                    response.success()
                    return
                if response.status_code != 429:
                    response.failure(f"{self.email} could not sign in ({response.status_code})")
                    raise RuntimeError(f"{self.email} could not sign in.")
                response.request_meta["name"] = "/accounts/login/ (rate limited, retried)"
                response.success()
            gevent.sleep(LOGIN_RETRY_SECONDS)
        raise RuntimeError(f"{self.email} was refused by the login rate limit {LOGIN_ATTEMPTS} times.")

    @task(3)
    def home(self) -> None:
        self.page("/", name="/")


class PairMember(Persona):
    """A mentee or a mentor: their pairs, a pair's page, logging a session."""

    abstract = True

    def prepare(self) -> None:
        self.pairs = self.current_pairs()
        if not self.pairs:
            raise RuntimeError(f"{self.email} has no current pair in the demo data.")

    def current_pairs(self) -> list[str]:
        html = self.page("/pairs/", name="/pairs/")
        current = html.split('aria-label="Current pairs"', 1)[-1].split("</ul>", 1)[0]
        return sorted(set(PAIR_LINK.findall(current)))

    @task(1)
    def pair_list(self) -> None:
        self.current_pairs()

    @task(4)
    def pair_page(self) -> None:
        self.page(random.choice(self.pairs), name="/pairs/[pair]/")  # noqa: S311 - a load mix, not security

    @task(1)
    def log_session(self) -> None:
        url = f"{random.choice(self.pairs)}sessions/log/"  # noqa: S311 - a load mix, not security
        html = self.page(url, name="/pairs/[pair]/sessions/log/")
        token = CSRF_FIELD.search(html)
        if token is None:
            return
        hint = TIME_ZONE_HINT.search(html)
        starts = session_slot(hint.group(1) if hint else "UTC")
        topics = TOPIC_BOX.findall(html)
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "date": starts.date().isoformat(),
            "time": starts.strftime("%H:%M"),
            "duration_minutes": str(SESSION_MINUTES),
            "format": random.choice(["in_person", "video", "phone"]),  # noqa: S311
            "topics": random.sample(topics, k=min(2, len(topics))),
            "shared_notes": "Went through the goals and agreed the next steps.",
        }
        self.post_form(url, "/pairs/[pair]/sessions/log/", data, then=LOGGED)


class Mentee(PairMember):
    weight = 6
    email = "mentee@example.com"


class Mentor(PairMember):
    weight = 4
    email = "mentor@example.com"


class Coordinator(Persona):
    """A coordinator: the programs they run and a program's overview."""

    weight = 3
    email = "coordinator@example.com"

    def prepare(self) -> None:
        self.programs = self.managed_programs()
        if not self.programs:
            raise RuntimeError(f"{self.email} runs no program in the demo data.")

    def managed_programs(self) -> list[str]:
        return sorted(set(MANAGE_LINK.findall(self.page("/programs/manage/", name="/programs/manage/"))))

    @task(1)
    def program_list(self) -> None:
        self.managed_programs()

    @task(4)
    def program_overview(self) -> None:
        slug = random.choice(self.programs)  # noqa: S311 - a load mix, not security
        self.page(f"/programs/{slug}/manage/", name="/programs/[slug]/manage/")


class DashboardReader(Persona):
    """Someone who reads the outcome dashboards of the programs they may see."""

    abstract = True

    def prepare(self) -> None:
        self.programs = self.readable_programs()
        if not self.programs:
            raise RuntimeError(f"{self.email} may read no program's dashboards in the demo data.")

    def readable_programs(self) -> list[str]:
        return sorted(set(OUTCOMES_LINK.findall(self.page("/outcomes/", name="/outcomes/"))))

    @task(2)
    def overview(self) -> None:
        self.readable_programs()

    @task(3)
    def program_activity(self) -> None:
        slug = random.choice(self.programs)  # noqa: S311 - a load mix, not security
        self.page(f"/outcomes/programs/{slug}/", name="/outcomes/programs/[slug]/")

    @task(2)
    def program_impact(self) -> None:
        slug = random.choice(self.programs)  # noqa: S311 - a load mix, not security
        self.page(f"/outcomes/programs/{slug}/impact/", name="/outcomes/programs/[slug]/impact/")

    @task(2)
    def program_equity(self) -> None:
        slug = random.choice(self.programs)  # noqa: S311 - a load mix, not security
        self.page(f"/outcomes/programs/{slug}/equity/", name="/outcomes/programs/[slug]/equity/")


class Sponsor(DashboardReader):
    weight = 4
    email = "sponsor@example.com"


class HRAdmin(DashboardReader):
    weight = 3
    email = "hr.admin@example.com"

    @task(1)
    def master_mentors(self) -> None:
        self.page("/outcomes/master-mentors/", name="/outcomes/master-mentors/")

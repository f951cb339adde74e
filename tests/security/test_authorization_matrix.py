"""The authorization matrix: every URL pattern of the project, requested by every persona with objects that
belong to someone else (see ``world`` and ``matrix``).

The answer is a redirect to the login page, 403 or 404, never a page with the other party's data, and a
POST changes nothing. Pages that are public or the viewer's own by design say so in the matrix, with why;
they may answer, but never show a victim's secret. A URL pattern without an entry fails the suite, so a new
page cannot skip the matrix.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.models import User

from .matrix import MATRIX, Entry
from .world import HR_NEVER, PERSONAS, SECRETS, VICTIM_NAMES, World, victim_email

pytestmark = pytest.mark.django_db

# The tables a request could change: the project's apps, the HR admins group, and the logins' addresses,
# authenticators and social accounts.
SNAPSHOT_APPS = (
    "people",
    "programs",
    "matching",
    "feedback",
    "cohorts",
    "notifications",
    "scim",
    "calendars",
    "api",
    "outcomes",
    "auth",
    "account",
    "mfa",
    "socialaccount",
)
ADMIN = "admin:"


# --- URL patterns -------------------------------------------------------------------------------------------


def _walk(
    resolver: URLResolver, namespaces: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            # A pattern without a name (allauth's legacy redirects, the admin's per-model redirects and
            # catch-all) is known by its route.
            yield ":".join((*namespaces, pattern.name or route)), route


def url_patterns() -> dict[str, str]:
    """Every URL pattern of the project, by fully qualified name (or route), with its route."""
    return dict(_walk(get_resolver()))


# --- What a request changed ---------------------------------------------------------------------------------


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every model a request could change."""
    return [
        (model._meta.db_table, model._meta.pk.column)
        for label in SNAPSHOT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def snapshot() -> dict[str, str]:
    """A digest of every row of every table a request could change, by table (raw SQL: it runs twice per
    POST, for over a thousand POSTs)."""
    digests = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608 - model tables
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()
            ]
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(table for table, digest in after.items() if before.get(table) != digest)


# --- Answers ------------------------------------------------------------------------------------------------


def body(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def forbidden_markers(persona: str, entry: Entry) -> tuple[str, ...]:
    """What ``persona`` may never see on this entry's page."""
    if persona == "hr_admin":
        return HR_NEVER
    markers = (*SECRETS, *entry.markers, *(victim_email(key) for key in VICTIM_NAMES))
    if not entry.names_ok:
        markers += tuple(VICTIM_NAMES.values())
    return markers


def leaks(response: HttpResponse, markers: tuple[str, ...]) -> list[str]:
    content = body(response)
    return [m for m in markers if m.encode() in content]


def is_login_redirect(response: HttpResponse, login_url: str) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(login_url)


def refused(response: HttpResponse, login_url: str) -> bool:
    # 401: endpoints for machines (SCIM, the read API) ask for their bearer token, never for a session.
    return response.status_code in (401, 403, 404) or is_login_redirect(response, login_url)


def client_for(world: World, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def mode_of(entry: Entry, persona: str) -> str:
    if persona in entry.own:
        return "own"
    if persona in entry.reads:
        return "reads"
    return "refused"


def _describe(method: str, url: str, persona: str, response: HttpResponse) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{method} {url} as {persona}: {response.status_code}{where}"


def url_of(world: World, name: str, entry: Entry) -> str:
    if "/" in name:  # a pattern without a name, known by its (literal) route
        return "/" + name
    return reverse(name, kwargs=entry.kwargs(world))


# --- The matrix ---------------------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry():
    patterns = url_patterns()
    missing = sorted(name for name in patterns if name not in MATRIX and not name.startswith(ADMIN))
    stale = sorted(name for name in MATRIX if name not in patterns)
    assert not missing, f"URL patterns with no entry in the authorization matrix: {missing}"
    assert not stale, f"Matrix entries for URL patterns that no longer exist: {stale}"
    assert any(name.startswith(ADMIN) for name in patterns), "the Django admin is covered as a group below"


def test_every_exception_to_the_matrix_says_why():
    unexplained = sorted(
        name for name, entry in MATRIX.items() if (entry.own or entry.reads) and not entry.why
    )
    assert not unexplained, f"Entries letting a persona in without saying why: {unexplained}"
    unknown = sorted(name for name, entry in MATRIX.items() if not (entry.own | entry.reads) <= set(PERSONAS))
    assert not unknown, f"Entries naming an unknown persona: {unknown}"


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_no_persona_reaches_what_belongs_to_someone_else(world: World, name: str, persona: str):
    entry = MATRIX[name]
    url = url_of(world, name, entry)
    login_url = reverse("account_login")
    mode = mode_of(entry, persona)
    markers = forbidden_markers(persona, entry)
    client = client_for(world, persona)
    problems: list[str] = []

    # A POST-only page may answer a GET with 405; its POST is tried below.
    post_only = not entry.get
    response = client.get(url)
    what = _describe("GET", url, persona, response)
    if found := leaks(response, markers):
        problems.append(f"{what} shows {found}")
    if response.status_code >= 500:
        problems.append(f"{what}: server error")
    elif (
        mode == "refused"
        and not refused(response, login_url)
        and not (post_only and response.status_code == 405)
    ):
        problems.append(f"{what}, expected a redirect to the login page, 401, 403 or 404")

    if entry.post is not None and (mode != "own" or entry.post_as_own):
        before = snapshot()
        response = client.post(url, data=entry.post(world))
        after = snapshot()
        what = _describe("POST", url, persona, response)
        if found := leaks(response, markers):
            problems.append(f"{what} shows {found}")
        if response.status_code >= 500:
            problems.append(f"{what}: server error")
        elif mode == "refused" and not refused(response, login_url):
            problems.append(f"{what}, expected a redirect to the login page, 401, 403 or 404")
        if tables := changed(before, after):
            problems.append(f"{what} changed {tables}")

    assert not problems, "\n".join(problems)


OWNED = sorted(name for name, entry in MATRIX.items() if entry.owner)


@pytest.mark.parametrize("name", OWNED)
def test_the_victims_own_pages_work_for_them(world: World, name: str):
    """The control: each URL reaches a real object that its owner can use, and the POST data really changes
    something, so a refusal in the matrix is a refusal and not a wrong URL or a form error."""
    entry = MATRIX[name]
    url = url_of(world, name, entry)
    client = client_for(world, entry.owner)
    if entry.get:
        response = client.get(url)
        assert response.status_code == entry.owner_get, _describe("GET", url, entry.owner, response)
        # The markers are found where they are shown: what the matrix reports absent really is absent.
        assert not (missing := [m for m in entry.owner_sees if m.encode() not in body(response)]), missing
    if entry.post is not None:
        before = snapshot()
        response = client.post(url, data=entry.post(world))
        after = snapshot()
        assert response.status_code < 500, _describe("POST", url, entry.owner, response)
        if entry.changes:
            assert changed(before, after), f"{_describe('POST', url, entry.owner, response)} changed nothing"


# --- The Django admin, as a group ---------------------------------------------------------------------------

_ADMIN_KWARGS = {
    "id": "1",
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "people",
    "url": "people/nothing/",
}
# HR admins hold the Django admin permissions of the directory (``people``) and nothing else.
HR_ADMIN_APPS = ("people",)


def admin_urls() -> dict[str, str]:
    urls = {}
    for name, route in url_patterns().items():
        if not name.startswith(ADMIN):
            continue
        if "/" in name:  # unnamed: the per-model redirects and the catch-all
            path = "/" + re.sub(r"<path:object_id>", "1", route)
            path = path.replace("(?P<url>.*)$", "people/nothing/")
            urls[name] = path
        else:
            groups = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
            kwargs = {a or b: _ADMIN_KWARGS[a or b] for a, b in groups}
            urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _admin_app(path: str) -> str | None:
    """The app whose model pages ``path`` belongs to (None for the admin's own pages)."""
    labels = {model._meta.app_label for model in admin.site._registry}
    match = re.match(r"/admin/(\w+)/", path)
    return match.group(1) if match and match.group(1) in labels else None


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "hr_admin"])
def test_the_django_admin_sends_everyone_but_staff_to_its_login(world: World, persona: str):
    client = client_for(world, persona)
    admin_login = reverse("admin:login")
    problems = []
    for name, path in admin_urls().items():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if name == "admin:login":
                ok = response.status_code in (200, 302)
            elif name == "admin:logout":  # signs out whoever asks, and sends them away
                ok = response.status_code in (302, 405)
            else:
                ok = is_login_redirect(response, admin_login)
            if not ok:
                problems.append(_describe(method.upper(), path, persona, response))
    assert not problems, "\n".join(problems)


def test_hr_admins_reach_only_the_directorys_admin_pages(world: World):
    client = client_for(world, "hr_admin")
    problems = []
    for path in admin_urls().values():
        app = _admin_app(path)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(_describe("GET", path, "hr_admin", response) + ": server error")
        elif app is not None and app not in HR_ADMIN_APPS and response.status_code not in (302, 403, 404):
            problems.append(_describe("GET", path, "hr_admin", response) + ", expected 403 or 404")
        if found := leaks(response, HR_NEVER):
            problems.append(_describe("GET", path, "hr_admin", response) + f" shows {found}")
    assert not problems, "\n".join(problems)


# --- HR admins in the Django admin: the directory, not the keys to everyone's account -----------------------


def test_hr_admins_cannot_make_a_login_superuser_in_the_django_admin(world: World):
    """A superuser reads every notification in the admin and counts as an HR admin everywhere; making one
    is not part of running the directory."""
    hr_admin = User.objects.get(pk=world.users["hr_admin"].pk)  # a copy: the world's logins stay as built
    client = client_for(world, "hr_admin")
    url = reverse("admin:people_user_change", args=[hr_admin.pk])
    client.post(
        url,
        {
            "email": hr_admin.email,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in hr_admin.groups.all()],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    hr_admin.refresh_from_db()
    assert not hr_admin.is_superuser


def test_hr_admins_cannot_set_a_pair_members_password_in_the_django_admin(world: World):
    """Whoever sets the password signs in as the mentor and reads their private notes, which no admin may
    ever read."""
    mentor = User.objects.get(pk=world.users["v_mentor"].pk)
    client = client_for(world, "hr_admin")
    url = reverse("admin:auth_user_password_change", args=[mentor.pk])
    client.post(
        url,
        {"password1": "Vx-taken-over-2026!", "password2": "Vx-taken-over-2026!", "usable_password": "true"},
    )
    mentor.refresh_from_db()
    assert not mentor.check_password("Vx-taken-over-2026!")

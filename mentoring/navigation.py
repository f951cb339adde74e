"""Role-aware navigation: each entry says who sees it. HR tools are grouped under one menu."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse

from cohorts.models import Cohort, CohortMember
from people.models import Person
from people.permissions import is_employee, is_hr_admin, person_for_user
from programs.models import Program


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False
    children: list[NavItem] = field(default_factory=list)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    hr = is_hr_admin(user)
    employee = is_employee(user)
    entries: list[tuple[str, str]] = [("Home", reverse("home"))]
    if employee:
        entries.append(("Programs", reverse("programs:program_list")))
        entries.append(("Your pairs", reverse("feedback:pair_list")))
        entries.append(("Master Mentors", reverse("cohorts:nominations_home")))
    roles = _person_roles(person_for_user(user))
    if hr or roles["coordinates"]:
        entries.append(("Manage programs", reverse("programs:manage_list")))
    if roles["manages"]:
        entries.append(("Approvals", reverse("programs:manager_approvals")))
    if hr or roles["coordinates"] or roles["sponsors"]:
        entries.append(("Outcomes", reverse("outcomes:overview")))
    if roles["in_cohort"] and not hr:
        entries.append(("Cohorts", reverse("cohorts:cohort_list")))
    if hr or employee:
        entries.append(("Directory", reverse("people:person_list")))
    hr_tools: list[tuple[str, str]] = []
    if hr:
        hr_tools = [
            ("HR imports", reverse("people:import_list")),
            ("Mentor training", reverse("programs:training_list")),
            ("Master Mentor cycles", reverse("cohorts:cycle_list")),
            ("Cohorts", reverse("cohorts:cohort_list")),
            ("Master Mentor roster", reverse("cohorts:roster")),
            ("Playbook", reverse("programs:global_resource_list")),
            ("HR admins", reverse("people:hr_admins")),
            ("Single sign-on", reverse("sso:provider_list")),
            ("SCIM provisioning", reverse("scim:token_list")),
            ("API tokens", reverse("api:token_list")),
            ("Audit log", reverse("people:audit_log")),
            ("Scheduled jobs", reverse("notifications:operations")),
        ]
    # The entry whose URL is the longest prefix of the current path is the one we are in.
    path = request.path
    urls = [url for _, url in entries + hr_tools]
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    items = [NavItem(label, url, url == current) for label, url in entries]
    if hr_tools:
        children = [NavItem(label, url, url == current) for label, url in hr_tools]
        items.append(NavItem("HR", "", any(c.active for c in children), children))
    return items


def _person_roles(person: Person | None) -> dict[str, bool]:
    """Whether the person coordinates a program, has reports, and trains in or coordinates a Master Mentor
    cohort, in one query."""
    if person is None:
        return {"coordinates": False, "sponsors": False, "manages": False, "in_cohort": False}
    return (
        Person.objects.filter(pk=person.pk)
        .annotate(
            coordinates=Exists(Program.coordinators.through.objects.filter(person_id=OuterRef("pk"))),
            sponsors=Exists(Program.sponsors.through.objects.filter(person_id=OuterRef("pk"))),
            manages=Exists(Person.objects.filter(manager_id=OuterRef("pk"))),
            in_cohort=Exists(CohortMember.objects.filter(person_id=OuterRef("pk")))
            | Exists(Cohort.coordinators.through.objects.filter(person_id=OuterRef("pk"))),
        )
        .values("coordinates", "sponsors", "manages", "in_cohort")
        .get()
    )

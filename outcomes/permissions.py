"""Who reads which dashboard. Dashboards show suppressed aggregates only, to everyone who may read them:

- HR admins: every program, the organization overview, the Master Mentor dashboard and the settings;
- coordinators: the programs they coordinate;
- sponsors: the programs they sponsor (no page of theirs names a person or a pair).

Program dashboards answer 404 both for a program that does not exist and for one the user may not read;
pages for a role answer 403 to everyone else.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from people.models import User
from people.permissions import is_hr_admin, person_for_user, require_hr_admin
from programs.models import Program

# HR admins change the smallest group shown and the external-hire cost.
rules.add_perm("outcomes.change_settings", is_hr_admin)
# HR admins read the Master Mentor dashboard (it covers the whole organization).
rules.add_perm("outcomes.view_master_mentors", is_hr_admin)


def programs_for_dashboards(user: User) -> QuerySet[Program]:
    """The programs whose dashboards ``user`` may read."""
    if is_hr_admin(user):
        return Program.objects.all()
    person = person_for_user(user)
    if person is None:
        return Program.objects.none()
    return Program.objects.filter(Q(sponsors=person) | Q(coordinators=person)).distinct()


def require_dashboard_reader(user: User) -> QuerySet[Program]:
    """The outcomes area is for HR admins, sponsors and coordinators: 403 for everyone else."""
    programs = programs_for_dashboards(user)
    if not is_hr_admin(user) and not programs.exists():
        raise PermissionDenied("Outcome dashboards are for HR admins, program sponsors and coordinators.")
    return programs


def get_program_for_dashboard(user: User, slug: str) -> Program:
    """A program whose dashboard ``user`` reads; 404 for anything else."""
    program = programs_for_dashboards(user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    return program


def require_master_mentor_reader(user: User) -> None:
    if not user.has_perm("outcomes.view_master_mentors"):
        raise PermissionDenied("The Master Mentor dashboard is for HR admins.")


def require_settings_editor(user: User) -> None:
    require_hr_admin(user)

"""Goals and milestones of a pair, and the members' comments on them.

A goal has a title, why it matters, how progress is measured and a target date; it is open, achieved or
dropped, and moves between these only as ``ALLOWED_TRANSITIONS`` says, each move recorded in
``GoalStatusChange``. Milestones (a title and a due date) are marked done on a date that is not in the
future, and undone. A goal's progress is its done milestones over its milestones; an achieved goal is at
100 %. Every rule is checked here, whatever the form let through: a crafted request changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching.models import Mentorship
from notifications.services import notify
from people.models import User
from programs.models import Resource
from programs.services.playbook import AUDIENCES_FOR_ROLE

from ..models import Goal, GoalComment, GoalStatusChange, Milestone
from ..permissions import PairAccess
from . import FeedbackError
from .agreement import lock_pair, require_writer

G = Goal.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    G.OPEN: {G.ACHIEVED, G.DROPPED},
    # Reopened when it was closed too early, or picked up again.
    G.ACHIEVED: {G.OPEN},
    G.DROPPED: {G.OPEN},
}
GOAL_FIELDS = ("title", "why", "measure", "target_on")
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 4000
WHY_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 4000
MAX_GOALS = 50
MAX_MILESTONES = 30
# How far ahead a target or due date may sensibly lie.
HORIZON_DAYS = 5 * 366


class GoalInvalid(FeedbackError):
    """A goal or milestone cannot be saved; ``errors`` maps a field (or None) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


def goal_progress(goal: Goal, milestones: Iterable[Milestone] | None = None) -> int | None:
    """Percent done: 100 for an achieved goal, else done milestones over milestones; None without any."""
    if goal.status == G.ACHIEVED:
        return 100
    items = list(goal.milestones.all() if milestones is None else milestones)
    if not items:
        return None
    done = sum(1 for m in items if m.done_on is not None)
    return round(done * 100 / len(items))


def goal_templates_for(access: PairAccess) -> list[Resource]:
    """The goal templates a viewer may start from: the program's, else the global ones, for their role."""
    templates = Resource.objects.filter(
        Q(program=access.mentorship.program_id) | Q(program__isnull=True), kind=Resource.Kind.GOAL_TEMPLATE
    )
    if access.is_member:
        templates = templates.filter(audience__in=AUDIENCES_FOR_ROLE[access.role])
    found = sorted(templates, key=lambda r: (r.program_id is None, r.order, r.title.casefold()))
    own = [r for r in found if r.program_id is not None]
    return own or found


def _date_problem(value: Any, label: str) -> str:
    if value is not None and type(value) is not datetime.date:
        return f"The {label} must be a date."
    return ""


def _pair_start(mentorship: Mentorship) -> datetime.date:
    return mentorship.started_on or timezone.localdate(mentorship.created_at)


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def goal_problems(data: Mapping[str, Any], *, goal: Goal | None = None) -> dict[str | None, list[str]]:
    problems: dict[str | None, list[str]] = {}

    def refuse(field: str | None, message: str) -> None:
        problems.setdefault(field, []).append(message)

    unknown = sorted(set(data) - set(GOAL_FIELDS))
    if unknown:
        refuse(None, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not part of a goal.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        refuse("title", "Give the goal a title.")
    elif len(title.strip()) > TITLE_MAX_LENGTH:
        refuse(
            "title", f"Keep the title to at most {TITLE_MAX_LENGTH} characters (it has {len(title.strip())})."
        )
    for field, label in (("why", "why it matters"), ("measure", "how progress is measured")):
        value = data.get(field) or ""
        if not isinstance(value, str):
            refuse(field, f"Say {label} in words.")
        elif len(value.strip()) > TEXT_MAX_LENGTH:
            refuse(field, f"Keep {label} to at most {TEXT_MAX_LENGTH:,} characters (it has {len(value):,}).")
    target_on = data.get("target_on")
    problem = _date_problem(target_on, "target date")
    if problem:
        refuse("target_on", problem)
    elif target_on is not None and (goal is None or target_on != goal.target_on):
        today = timezone.localdate()
        if target_on < today:
            refuse("target_on", f"The target date {_day(target_on)} has passed; choose today or later.")
        elif (target_on - today).days > HORIZON_DAYS:
            refuse("target_on", "Choose a target date within five years.")
    return problems


def _goal_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"].strip(),
        "why": (data.get("why") or "").strip(),
        "measure": (data.get("measure") or "").strip(),
        "target_on": data.get("target_on"),
    }


@transaction.atomic
def goal_create(
    *, access: PairAccess, data: Mapping[str, Any], by: User, template: Resource | None = None
) -> Goal:
    """A new open goal of the pair, blank or started from one of the program's goal templates."""
    require_writer(access)
    problems = goal_problems(data)
    if template is not None and template.pk not in {t.pk for t in goal_templates_for(access)}:
        problems.setdefault(None, []).append("Start from one of the goal templates offered for this pair.")
    if problems:
        raise GoalInvalid(problems)
    mentorship = lock_pair(access)
    if Goal.objects.filter(mentorship=mentorship).count() >= MAX_GOALS:
        raise FeedbackError(f"A pair keeps at most {MAX_GOALS} goals; drop or reuse one of yours.")
    goal = Goal.objects.create(mentorship=mentorship, template=template, created_by=by, **_goal_values(data))
    GoalStatusChange.objects.create(goal=goal, from_status="", to_status=G.OPEN, by=by, why="Goal set.")
    return goal


@transaction.atomic
def goal_update(*, access: PairAccess, goal: Goal, data: Mapping[str, Any], by: User) -> Goal:
    """Change what the goal says (not its status: see ``goal_set_status``)."""
    require_writer(access)
    _own_goal(access, goal)
    problems = goal_problems(data, goal=goal)
    if problems:
        raise GoalInvalid(problems)
    lock_pair(access)
    values = _goal_values(data)
    for field, value in values.items():
        setattr(goal, field, value)
    goal.save(update_fields=[*values, "updated_at"])
    return goal


def _own_goal(access: PairAccess, goal: Goal) -> None:
    if goal.mentorship_id != access.mentorship.pk:
        raise FeedbackError("That goal belongs to another pair; nothing was changed.")


@transaction.atomic
def goal_set_status(*, access: PairAccess, goal: Goal, to: str, by: User, why: str = "") -> Goal:
    """Move a goal to ``to`` if ``ALLOWED_TRANSITIONS`` allows it from where it is; the move is recorded."""
    require_writer(access)
    _own_goal(access, goal)
    if to not in G.values:
        raise FeedbackError("Choose open, achieved or dropped.")
    why = (why or "").strip() if isinstance(why, str) else ""
    if len(why) > WHY_MAX_LENGTH:
        raise FeedbackError(
            f"Keep the reason to at most {WHY_MAX_LENGTH:,} characters (it has {len(why):,})."
        )
    lock_pair(access)
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    current = locked.status
    if to not in ALLOWED_TRANSITIONS[current]:
        if to == current:
            raise FeedbackError(f"“{locked.title}” is already {G(to).label.lower()}.")
        raise FeedbackError(
            f"A goal that is {G(current).label.lower()} cannot become {G(to).label.lower()}; reopen it first."
        )
    locked.status = to
    locked.closed_at = timezone.now() if to in (G.ACHIEVED, G.DROPPED) else None
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    GoalStatusChange.objects.create(goal=locked, from_status=current, to_status=to, by=by, why=why)
    goal.status, goal.closed_at = locked.status, locked.closed_at
    return locked


def _open_goal(goal: Goal) -> None:
    if goal.status != G.OPEN:
        raise FeedbackError(
            f"“{goal.title}” is {goal.get_status_display().lower()}; reopen it to change its milestones."
        )


def _own_milestone(goal: Goal, milestone: Milestone) -> None:
    if milestone.goal_id != goal.pk:
        raise FeedbackError("That milestone belongs to another goal; nothing was changed.")


@transaction.atomic
def milestone_add(
    *, access: PairAccess, goal: Goal, title: str, due_on: datetime.date | None, by: User
) -> Milestone:
    """A step towards an open goal, with an optional due date between the pair's start and the goal's
    target date."""
    require_writer(access)
    _own_goal(access, goal)
    problems: dict[str | None, list[str]] = {}
    if not isinstance(title, str) or not title.strip():
        problems["title"] = ["Give the milestone a title."]
    elif len(title.strip()) > TITLE_MAX_LENGTH:
        length = len(title.strip())
        problems["title"] = [
            f"Keep the milestone's title to at most {TITLE_MAX_LENGTH} characters (it has {length})."
        ]
    problem = _date_problem(due_on, "due date")
    if problem:
        problems["due_on"] = [problem]
    elif due_on is not None:
        start = _pair_start(access.mentorship)
        if due_on < start:
            problems["due_on"] = [f"The due date is before the pair started ({_day(start)})."]
        elif goal.target_on is not None and due_on > goal.target_on:
            problems["due_on"] = [
                f"The due date is after the goal's target date ({_day(goal.target_on)}); move the target "
                "first or choose an earlier date."
            ]
        elif (due_on - timezone.localdate()).days > HORIZON_DAYS:
            problems["due_on"] = ["Choose a due date within five years."]
    if problems:
        raise GoalInvalid(problems)
    lock_pair(access)
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    _open_goal(locked)
    existing = Milestone.objects.filter(goal=locked)
    if existing.count() >= MAX_MILESTONES:
        raise FeedbackError(f"A goal has at most {MAX_MILESTONES} milestones.")
    last = existing.aggregate(last=Max("order"))["last"]
    return Milestone.objects.create(
        goal=locked, title=title.strip(), due_on=due_on, order=0 if last is None else last + 1
    )


@transaction.atomic
def milestone_mark_done(
    *, access: PairAccess, goal: Goal, milestone: Milestone, done_on: datetime.date, by: User
) -> Milestone:
    """Mark a milestone of an open goal done on ``done_on``: not in the future, not before the pair."""
    require_writer(access)
    _own_goal(access, goal)
    _own_milestone(goal, milestone)
    problem = _date_problem(done_on, "date it was done") if done_on is not None else "Say when it was done."
    if problem:
        raise GoalInvalid({"done_on": [problem]})
    if done_on > timezone.localdate():
        raise GoalInvalid({"done_on": ["A milestone cannot be done in the future; mark it when it is."]})
    start = _pair_start(access.mentorship)
    if done_on < start:
        raise GoalInvalid({"done_on": [f"That is before the pair started ({_day(start)})."]})
    lock_pair(access)
    _open_goal(Goal.objects.select_for_update().get(pk=goal.pk))
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.done_on is not None:
        raise FeedbackError(f"“{locked.title}” was already marked done on {_day(locked.done_on)}.")
    locked.done_on = done_on
    locked.save(update_fields=["done_on"])
    return locked


@transaction.atomic
def milestone_mark_undone(*, access: PairAccess, goal: Goal, milestone: Milestone, by: User) -> Milestone:
    require_writer(access)
    _own_goal(access, goal)
    _own_milestone(goal, milestone)
    lock_pair(access)
    _open_goal(Goal.objects.select_for_update().get(pk=goal.pk))
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.done_on is None:
        raise FeedbackError(f"“{locked.title}” is not marked done.")
    locked.done_on = None
    locked.save(update_fields=["done_on"])
    return locked


@transaction.atomic
def goal_comment_add(*, access: PairAccess, goal: Goal, body: str, by: User) -> GoalComment:
    """A member's comment on one of the pair's goals; the partner is told in the app."""
    require_writer(access)
    _own_goal(access, goal)
    body = body.strip() if isinstance(body, str) else ""
    if not body:
        raise GoalInvalid({"body": ["Write the comment before posting it."]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise GoalInvalid(
            {
                "body": [
                    f"Keep the comment to at most {COMMENT_MAX_LENGTH:,} characters (it has {len(body):,})."
                ]
            }
        )
    lock_pair(access)
    comment = GoalComment.objects.create(goal=goal, author=by, body=body)
    partner, own = access.partner, access.participant
    if partner is not None and own is not None:
        notify(
            recipient=partner.person,
            kind="goal_comment",
            key=f"goal-comment:{comment.pk}",
            subject=f"{own.person.full_name} commented on “{goal.title}”",
            body=body[:500],
            url=reverse("feedback:pair_detail", args=[access.mentorship.pk]) + f"#goal-{goal.pk}",
            # Comments come and go in a conversation: in the app only, not one e-mail each.
            email=False,
        )
    return comment

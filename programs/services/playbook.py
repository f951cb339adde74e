"""The playbook: resources in Markdown, global (no program) or per program, shown to participants by role.

Writes: ``resource_create``, ``resource_update``, ``resource_delete`` and ``resources_install_defaults``
(the global defaults, keyed by title, so installing twice changes nothing). Reads: ``playbook_for`` gives
what a viewer of a program's playbook sees, grouped by kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from people.models import User
from programs.models import Program, Resource

from . import ProgramError

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_ORDER = 10_000
FIELDS = ("kind", "audience", "title", "body", "order")
# The order in which a playbook shows its kinds: how to go about it first, then what to talk about.
KIND_ORDER = (
    Resource.Kind.GUIDE,
    Resource.Kind.FIRST_MEETING,
    Resource.Kind.PROMPT,
    Resource.Kind.GOAL_TEMPLATE,
)
A = Resource.Audience
AUDIENCES_FOR_ROLE = {"mentor": {A.EVERYONE, A.MENTORS}, "mentee": {A.EVERYONE, A.MENTEES}}


class ResourceError(ProgramError):
    """A rule of the playbook was broken; ``errors`` maps a field (or "") to messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


# --- The rules ----------------------------------------------------------------------------------------------


def resource_problems(
    *, program: Program | None, data: Mapping[str, Any], resource: Resource | None = None
) -> dict[str, list[str]]:
    """Every reason ``data`` cannot be saved as a resource of ``program`` (None: the global playbook)."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    values = _merged(data, resource)
    if values["kind"] not in Resource.Kind.values:
        refuse(
            "kind", "Choose the kind: conversation prompt, first-meeting questions, goal template or guide."
        )
    if values["audience"] not in A.values:
        refuse("audience", "Choose who sees it: mentors and mentees, mentors only, or mentees only.")
    title = values["title"]
    if not isinstance(title, str) or not title:
        refuse("title", "Give the resource a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        refuse("title", f"Keep the title to at most {TITLE_MAX_LENGTH} characters (it has {len(title)}).")
    else:
        same = Resource.objects.filter(program=program, title__iexact=title)
        if resource is not None:
            same = same.exclude(pk=resource.pk)
        if same.exists():
            where = "this program's playbook" if program is not None else "the global playbook"
            refuse("title", f"{where.capitalize()} already has a resource called “{title}”.")
    body = values["body"]
    if not isinstance(body, str) or not body:
        refuse("body", "Write the text of the resource (Markdown is fine).")
    elif len(body) > BODY_MAX_LENGTH:
        refuse("body", f"Keep the text to at most {BODY_MAX_LENGTH:,} characters (it has {len(body):,}).")
    order = values["order"]
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_ORDER:
        refuse("order", f"The position is a whole number from 0 to {MAX_ORDER:,}.")
    return problems


def _merged(data: Mapping[str, Any], resource: Resource | None) -> dict[str, Any]:
    base: dict[str, Any] = (
        {f: getattr(resource, f) for f in FIELDS}
        if resource is not None
        else {"kind": None, "audience": A.EVERYONE, "title": "", "body": "", "order": 0}
    )
    values = {**base, **{f: data[f] for f in FIELDS if f in data}}
    for field in ("title", "body"):
        if isinstance(values[field], str):
            values[field] = values[field].strip()
    return values


# --- Writing ------------------------------------------------------------------------------------------------


@transaction.atomic
def resource_create(*, program: Program | None, data: Mapping[str, Any], by: User | None) -> Resource:
    problems = resource_problems(program=program, data=data)
    if problems:
        raise ResourceError(problems)
    values = _merged(data, None)
    return Resource.objects.create(program=program, **values)


@transaction.atomic
def resource_update(*, resource: Resource, data: Mapping[str, Any], by: User | None) -> Resource:
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    problems = resource_problems(program=locked.program, data=data, resource=locked)
    if problems:
        raise ResourceError(problems)
    values = _merged(data, locked)
    changed = [f for f in FIELDS if values[f] != getattr(locked, f)]
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def resource_delete(*, resource: Resource, by: User | None) -> None:
    Resource.objects.filter(pk=resource.pk).delete()


@transaction.atomic
def resources_install_defaults() -> list[Resource]:
    """Create the global default resources that are not there yet (matched by title); returns the new ones."""
    existing = {t.casefold() for t in Resource.objects.filter(program=None).values_list("title", flat=True)}
    missing = [d for d in DEFAULT_RESOURCES if d["title"].casefold() not in existing]
    for default in missing:
        problems = resource_problems(program=None, data=default)
        if problems:  # the defaults are ours: a broken one is a bug, not bad input
            raise ResourceError(problems)
    return Resource.objects.bulk_create([Resource(program=None, **default) for default in missing])


# --- Reading ------------------------------------------------------------------------------------------------


@dataclass
class PlaybookSection:
    kind: str
    label: str
    resources: list[Resource]


def playbook_for(*, program: Program, roles: Iterable[str] | None) -> list[PlaybookSection]:
    """The program's resources and the global ones, grouped by kind, program ones first in each kind.

    ``roles`` are the viewer's roles in the program; ``None`` means everything (HR admins, coordinators).
    """
    resources = Resource.objects.filter(Q(program=program) | Q(program__isnull=True))
    if roles is not None:
        audiences: set[str] = set()
        for role in roles:
            audiences |= AUDIENCES_FOR_ROLE.get(role, set())
        resources = resources.filter(audience__in=audiences)
    return group_by_kind(sorted(resources, key=lambda r: (r.program_id is None, r.order, r.title.casefold())))


def group_by_kind(resources: Iterable[Resource]) -> list[PlaybookSection]:
    by_kind: dict[str, list[Resource]] = {}
    for resource in resources:
        by_kind.setdefault(resource.kind, []).append(resource)
    return [
        PlaybookSection(kind=kind, label=_section_label(kind), resources=by_kind[kind])
        for kind in KIND_ORDER
        if kind in by_kind
    ]


def _section_label(kind: str) -> str:
    return {
        Resource.Kind.GUIDE: "Guides",
        Resource.Kind.FIRST_MEETING: "First-meeting questions",
        Resource.Kind.PROMPT: "Conversation prompts",
        Resource.Kind.GOAL_TEMPLATE: "Goal templates",
    }[Resource.Kind(kind)]


# --- The defaults -------------------------------------------------------------------------------------------

K = Resource.Kind
DEFAULT_RESOURCES: list[dict[str, Any]] = [
    {
        "kind": K.GUIDE,
        "audience": A.MENTORS,
        "order": 10,
        "title": "A short guide for mentors",
        "body": """\
Mentoring works when it is **regular, focused on the mentee and honest**.

## Before the first meeting
- Read what your mentee answered in the questionnaire.
- Block a recurring slot in your calendar, at the program's cadence, and protect it.

## In every meeting
- Let your mentee set the agenda; listen more than you speak.
- Ask open questions before you offer advice, and share your own setbacks as well as your successes.
- End with one or two concrete next steps, and log the session so the program can support you.

## Along the way
- Help your mentee write goals with milestones, and come back to them every few meetings.
- Open doors: introduce your mentee to people who can help.
- If the pair does not work, say so early. Ending a pair is no-fault, and your coordinator can re-match.
- What your mentee tells you stays between you, unless someone is at risk.
""",
    },
    {
        "kind": K.GUIDE,
        "audience": A.MENTEES,
        "order": 10,
        "title": "A short guide for mentees",
        "body": """\
This relationship is **yours to drive**: your mentor brings experience; you bring the questions.

## Before the first meeting
- Think about what you want from the next year: skills, a role, a network, confidence.
- Suggest a recurring meeting time and send the invitation yourself.

## In every meeting
- Come with a short agenda: one success, one challenge, one question.
- Ask for stories and for feedback, not only for answers.
- Write down what you agreed to try, and report back next time.

## Along the way
- Turn what you want into goals with milestones, and review them with your mentor.
- Thank your mentor for their time, and tell them what helped.
- If the pair does not work for you, tell your coordinator. It is no-fault, and you can be re-matched.
""",
    },
    {
        "kind": K.FIRST_MEETING,
        "audience": A.MENTEES,
        "order": 10,
        "title": "Questions to ask your mentor in the first meeting",
        "body": """\
1. Why did you decide to be a mentor?
2. What are your goals for this relationship?
3. How did you move into your current role?
4. What challenges did you face there?
5. What skills would be most useful for me to work on?
6. How do you prefer to keep in touch between meetings?
""",
    },
    {
        "kind": K.FIRST_MEETING,
        "audience": A.MENTORS,
        "order": 10,
        "title": "Questions to ask your mentee in the first meeting",
        "body": """\
1. What made you join the program, and what would make it worth your time?
2. What are your goals for this relationship?
3. Where would you like to be in two or three years?
4. Which skills would you most like to work on first?
5. How do you like to receive feedback?
6. How often should we meet, and how do we keep in touch between meetings?
""",
    },
    {
        "kind": K.FIRST_MEETING,
        "audience": A.EVERYONE,
        "order": 20,
        "title": "Agreeing how you will work together",
        "body": """\
Agree on these in your first meeting, and write them down in your agreement:

- **Cadence**: how often you meet, for how long, in person or online.
- **Confidentiality**: what stays between you.
- **Preparation**: who sets the agenda, and what each of you brings.
- **Feedback**: how you will tell each other what works and what does not.
- **Ending**: when you will review the relationship, and that either of you may end it without blame.
""",
    },
    {
        "kind": K.PROMPT,
        "audience": A.EVERYONE,
        "order": 10,
        "title": "Talk about a setback",
        "body": """\
Ask about a time things went wrong.

- What happened, and what did you do in the first days after?
- What did you learn that you still use?
- What would you do differently today?
""",
    },
    {
        "kind": K.PROMPT,
        "audience": A.EVERYONE,
        "order": 20,
        "title": "Map the network",
        "body": """\
Draw together who the mentee works with, who they would like to know, and who could help.

- Who decides on the work you care about?
- Whom could you learn from, inside or outside the organization?
- Which one introduction would help most this quarter?
""",
    },
    {
        "kind": K.PROMPT,
        "audience": A.EVERYONE,
        "order": 30,
        "title": "Look back on the last month",
        "body": """\
- What went better than expected, and why?
- Where did you get stuck?
- What did you try from our last meeting, and what happened?
- What is the one thing to focus on until we meet again?
""",
    },
    {
        "kind": K.PROMPT,
        "audience": A.MENTORS,
        "order": 40,
        "title": "When the conversation stalls",
        "body": """\
- Ask: "What would make our next meeting really useful to you?"
- Share a decision you are facing yourself and ask how they would approach it.
- Suggest shadowing you in a meeting, then talk about what they noticed.
- Go back to the goals: which one has not moved, and what is in the way?
""",
    },
    {
        "kind": K.GOAL_TEMPLATE,
        "audience": A.EVERYONE,
        "order": 10,
        "title": "A SMART goal",
        "body": """\
**Goal**: what you will achieve, in one sentence.

- **Specific**: what exactly will be different?
- **Measurable**: how will you and your mentor know it is done?
- **Achievable**: what makes it realistic in this program?
- **Relevant**: why does it matter for you now?
- **Time-bound**: by when?

**Milestones**: two to four steps, each with a date.
""",
    },
    {
        "kind": K.GOAL_TEMPLATE,
        "audience": A.MENTEES,
        "order": 20,
        "title": "Develop a skill",
        "body": """\
**Skill**: the skill you want to develop, and why.

1. Where you are today, in your own words (and your manager's, if you ask them).
2. One way to practise it at work in the next month.
3. Someone who does it well, whom you could watch or ask.
4. How you will show progress by the end of the program.
""",
    },
    {
        "kind": K.GOAL_TEMPLATE,
        "audience": A.MENTEES,
        "order": 30,
        "title": "Prepare for a next role",
        "body": """\
**Role**: the role you are aiming for, and when.

1. What the role asks for that you already show.
2. The two biggest gaps, and how you will close them.
3. The people who decide on the role, and how they can see your work.
4. A first conversation with your manager about it, and when.
""",
    },
]

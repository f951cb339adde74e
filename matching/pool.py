"""Load a program's approved mentors and mentees, their answers and HR data into a scoring ``Pool``.

A fixed handful of set-based queries, whatever the program's size: participants, questions, answers and
the org chart's manager links.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np

from matching.scoring import MENTOR_HIGHER, MISSING, OVERLAP, Pool, QuestionCriterion
from people.models import Person
from programs.models import Answer, Participant, Program, Question
from programs.services.training import certified_master_mentors

PERSON_FIELDS = ("person_id", "person__department_id", "person__department__division_id", "person__location")


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def _comparable(value: Any) -> Hashable:
    """Answers equal for ``same``/``different``: text ignores case and outer spaces, lists their order."""
    if isinstance(value, str):
        return value.strip().casefold()
    if isinstance(value, list):
        return tuple(sorted(str(v) for v in value))
    return value


def _chains(person_ids: np.ndarray, manager_of: Mapping[int, int | None]) -> np.ndarray:
    chains = []
    for person in person_ids.tolist():
        chain, seen, boss = [], {person}, manager_of.get(person)
        while boss is not None and boss not in seen:  # a loop in bad HR data must not hang matching
            chain.append(boss)
            seen.add(boss)
            boss = manager_of.get(boss)
        chains.append(chain)
    out = np.full((len(chains), max((len(c) for c in chains), default=0)), MISSING, dtype=np.int64)
    for row, chain in enumerate(chains):
        out[row, : len(chain)] = chain
    return out


def _encode(question: Question, mentors: list[Any], mentees: list[Any]) -> QuestionCriterion:
    both = mentors + mentees
    if question.match_rule == OVERLAP:
        options = {o: n for n, o in enumerate(question.choices)}
        for value in both:
            for option in value if isinstance(value, list) else [] if _is_missing(value) else [value]:
                options.setdefault(option, len(options))

        def hot(values: list[Any]) -> np.ndarray:
            out = np.zeros((len(values), len(options)), dtype=bool)
            for row, value in enumerate(values):
                if not _is_missing(value):
                    out[row, [options[o] for o in (value if isinstance(value, list) else [value])]] = True
            return out

        encoded = hot(mentors), hot(mentees)
    elif question.match_rule == MENTOR_HIGHER:

        def number(value: Any) -> float:
            try:
                return float(value)
            except (TypeError, ValueError):
                return float("nan")

        encoded = (np.array([number(v) for v in mentors]), np.array([number(v) for v in mentees]))
    else:
        codes: dict[Hashable, int] = {}

        def code(value: Any) -> int:
            return MISSING if _is_missing(value) else codes.setdefault(_comparable(value), len(codes))

        encoded = (
            np.array([code(v) for v in mentors], dtype=np.int64),
            np.array([code(v) for v in mentees], dtype=np.int64),
        )
    return QuestionCriterion(
        question.mentee_text, question.match_rule, question.weight, question.hard, *encoded
    )


def load_pool(program: Program, *, forbidden: Iterable[tuple[int, int]] = ()) -> Pool:
    """The approved participants of ``program``; ``forbidden`` holds (mentee, mentor) participant ids."""
    rows = list(
        Participant.objects.filter(program=program)
        .approved()
        .order_by("pk")
        .values_list("pk", "role", "capacity", "person__job_level", *PERSON_FIELDS)
    )
    mentors = [r for r in rows if r[1] == Participant.Role.MENTOR]
    mentees = [r for r in rows if r[1] == Participant.Role.MENTEE]
    questions = list(
        program.questions.filter(archived_at__isnull=True, weight__gt=0).exclude(
            match_rule=Question.MatchRule.NONE
        )
    )
    answers: dict[tuple[int, int], Any] = {
        (participant, question): value
        for participant, question, value in Answer.objects.filter(
            question__in=questions, participant_id__in=[r[0] for r in rows]
        ).values_list("participant_id", "question_id", "value")
    }
    manager_of = dict(Person.objects.values_list("pk", "manager_id"))
    locations: dict[str, int] = {}

    def side(prefix: str, people: list[tuple]) -> dict[str, np.ndarray]:
        def column(n: int) -> np.ndarray:
            return np.array([MISSING if r[n] is None else r[n] for r in people], dtype=np.int64)

        person = column(4)
        return {
            f"{prefix}_ids": column(0),
            f"{prefix}_person": person,
            f"{prefix}_chain": _chains(person, manager_of),
            f"{prefix}_department": column(5),
            f"{prefix}_division": column(6),
            f"{prefix}_location": np.array(
                [
                    locations.setdefault(r[7].strip().casefold(), len(locations)) if r[7].strip() else MISSING
                    for r in people
                ],
                dtype=np.int64,
            ),
            f"{prefix}_level": column(3),
        }

    mentor_index = {r[0]: n for n, r in enumerate(mentors)}
    mentee_index = {r[0]: n for n, r in enumerate(mentees)}
    forbidden_pairs = [
        (mentee_index[i], mentor_index[j]) for i, j in forbidden if i in mentee_index and j in mentor_index
    ]
    # "Master Mentors preferred" makes the certificate a weighted criterion.
    master_weight = 0
    mentor_master = None
    if program.mentor_requirement == Program.MentorRequirement.MASTER_PREFERRED:
        master_weight = program.weight_master_mentor
        certified = certified_master_mentors(r[4] for r in mentors) if master_weight else set()
        mentor_master = np.array([r[4] in certified for r in mentors], dtype=bool)
    return Pool(
        **side("mentor", mentors),
        **side("mentee", mentees),
        mentor_capacity=np.array([r[2] or program.default_mentor_capacity for r in mentors], dtype=np.int64),
        questions=tuple(
            _encode(
                q,
                [answers.get((r[0], q.pk)) for r in mentors],
                [answers.get((r[0], q.pk)) for r in mentees],
            )
            for q in questions
        ),
        weight_different_department=program.weight_different_department,
        weight_different_division=program.weight_different_division,
        weight_mentor_senior=program.weight_mentor_senior,
        weight_same_location=program.weight_same_location,
        mentor_master=mentor_master,
        weight_master_mentor=master_weight,
        reverse=program.kind == Program.Kind.REVERSE,
        forbidden=np.asarray(forbidden_pairs, dtype=np.int64).reshape(-1, 2),
    )

"""The registration questionnaire: add, change, archive and reorder a program's questions.

Answers are never lost silently. Once a question has answers, deleting it archives it (the answers stay),
its kind cannot change, and a choice that answers use can only be removed or renamed with an explicit
mapping of those answers to a remaining choice, applied in the same transaction and recorded as a
``QuestionRevision``. Any other change to a question with answers is recorded as a revision too.

The rules are checked by ``question_problems``, which the builder's form calls for its messages and the
services call again, under a lock, before writing anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from people.models import User
from programs.models import Answer, Program, Question, QuestionRevision

from . import ProgramError

# Questions may change freely until matching starts; after that only their wording.
EDITABLE_STATUSES = frozenset({Program.Status.DRAFT, Program.Status.ENROLLING})
WORDING_FIELDS = ("mentor_text", "mentee_text", "help_text")
# How answers are shown: may change at any time, like the wording.
DISPLAY_FIELDS = ("shown_to_mentees",)
STRUCTURE_FIELDS = ("kind", "choices", "required", "match_rule", "weight", "hard")
FIELDS = WORDING_FIELDS + DISPLAY_FIELDS + STRUCTURE_FIELDS

TEXT_MAX_LENGTH = 300
CHOICE_MAX_LENGTH = 100
MAX_CHOICES = 40
MAX_WEIGHT = 10

K = Question.Kind
R = Question.MatchRule
CHOICE_KINDS = frozenset({K.SINGLE, K.MULTI})
RULES_FOR_KIND: dict[str, tuple[str, ...]] = {
    K.SINGLE: (R.NONE, R.SAME, R.DIFFERENT, R.OVERLAP),
    K.MULTI: (R.NONE, R.OVERLAP),
    K.SCALE: (R.NONE, R.SAME, R.DIFFERENT, R.MENTOR_HIGHER),
    K.NUMBER: (R.NONE, R.SAME, R.DIFFERENT, R.MENTOR_HIGHER),
    K.TEXT: (R.NONE,),
}
RULE_NEEDS = {
    R.SAME: "a single choice, scale or number question",
    R.DIFFERENT: "a single choice, scale or number question",
    R.OVERLAP: "a single or multiple choice question",
    R.MENTOR_HIGHER: "a scale or number question",
}
FIELD_LABELS = {
    "mentor_text": "mentor wording",
    "mentee_text": "mentee wording",
    "help_text": "help text",
    "kind": "kind",
    "choices": "choices",
    "required": "required",
    "match_rule": "matching rule",
    "weight": "weight",
    "hard": "must hold",
    "shown_to_mentees": "shown to mentees choosing a mentor",
}
DEFAULTS: dict[str, Any] = {
    "help_text": "",
    "kind": K.SINGLE,
    "choices": [],
    "required": True,
    "match_rule": R.NONE,
    "weight": 5,
    "hard": False,
    "shown_to_mentees": False,
}


class QuestionError(ProgramError):
    """One or more rules of the questionnaire were broken; ``errors`` maps a field (or "") to messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


@dataclass(frozen=True)
class DeleteOutcome:
    archived: bool
    answers: int

    @property
    def message(self) -> str:
        if not self.archived:
            return "The question was deleted. Nobody had answered it."
        people = "1 person" if self.answers == 1 else f"{self.answers} people"
        return f"{people} answered this question; it was archived, and their answers are kept."


# --- Reading answers ----------------------------------------------------------------------------------------


def choice_usage(question: Question) -> Counter[str]:
    """How many answers use each choice of a choice question (one query)."""
    usage: Counter[str] = Counter()
    if question.pk is None or question.kind not in CHOICE_KINDS:
        return usage
    for value in Answer.objects.filter(question=question).values_list("value", flat=True):
        usage.update(_chosen(value))
    return usage


def _chosen(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def parse_choices(text: str) -> list[str]:
    """Choices typed one per line: blank lines dropped, spaces trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- The rules ----------------------------------------------------------------------------------------------


def question_problems(
    *,
    program: Program,
    data: Mapping[str, Any],
    question: Question | None = None,
    answer_count: int | None = None,
    usage: Counter[str] | None = None,
) -> dict[str, list[str]]:
    """Every reason ``data`` cannot be saved as a new question of ``program`` (or as ``question``).

    ``data`` holds the question's fields plus, for a change, ``choice_mapping`` ({old choice: new
    choice}) for choices that answers use and that the change removes. Keys are field names, or "" for
    problems of the question as a whole.
    """
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    values = _merged(data, question)
    _check_fields(values, refuse)
    if question is not None and question.program_id != program.pk:
        refuse("", "This question belongs to another program.")
        return problems
    if question is not None and question.archived_at is not None:
        refuse("", "This question is archived; it and its answers are kept as they are.")
        return problems
    _check_status(program, values, question, refuse)
    if question is not None and not problems:
        if answer_count is None:
            answer_count = question.answers.count()
        if usage is None:
            usage = choice_usage(question)
        _check_answers(question, values, data.get("choice_mapping") or {}, answer_count, usage, refuse)
    return problems


def _merged(data: Mapping[str, Any], question: Question | None) -> dict[str, Any]:
    """The question as it would be: given fields over the current (or default) ones, text trimmed."""
    base = {f: getattr(question, f) for f in FIELDS} if question is not None else dict(DEFAULTS)
    values = {**base, **{f: data[f] for f in FIELDS if f in data}}
    for field in (*WORDING_FIELDS, "kind", "match_rule"):
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    if isinstance(values.get("choices"), str):
        values["choices"] = parse_choices(values["choices"])
    if isinstance(values.get("choices"), list):
        values["choices"] = [c.strip() if isinstance(c, str) else c for c in values["choices"]]
    return values


def _check_fields(values: dict[str, Any], refuse) -> None:
    for field, label in (("mentor_text", "mentors"), ("mentee_text", "mentees")):
        text = values.get(field)
        if not isinstance(text, str) or not text:
            refuse(field, f"Write the question as {label} will read it.")
        elif len(text) > TEXT_MAX_LENGTH:
            refuse(field, f"Keep the wording to at most {TEXT_MAX_LENGTH} characters (it has {len(text)}).")
    help_text = values.get("help_text")
    if not isinstance(help_text, str):
        refuse("help_text", "The help text must be text.")
    elif len(help_text) > TEXT_MAX_LENGTH:
        refuse(
            "help_text",
            f"Keep the help text to at most {TEXT_MAX_LENGTH} characters (it has {len(help_text)}).",
        )
    for field in ("required", "hard", "shown_to_mentees"):
        if not isinstance(values.get(field), bool):
            refuse(field, f"'{FIELD_LABELS[field].capitalize()}' is either on or off.")
    weight = values.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
        refuse("weight", f"The weight is a whole number from 0 to {MAX_WEIGHT}.")

    kind = values.get("kind")
    if kind not in K.values:
        refuse("kind", "Choose the kind of question: single choice, multiple choice, scale, number or text.")
        return
    _check_choices(kind, values.get("choices"), refuse)
    _check_rule(kind, values.get("match_rule"), values.get("hard"), refuse)


def _check_choices(kind: str, choices: Any, refuse) -> None:
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        refuse("choices", "Choices are lines of text.")
        return
    if kind not in CHOICE_KINDS:
        if choices:
            refuse(
                "choices",
                f"A {K(kind).label.lower()} question has no choices to pick from; clear the choices, or "
                "make it a single or multiple choice question.",
            )
        return
    seen: dict[str, str] = {}
    for choice in choices:
        if not choice:
            refuse("choices", "A choice cannot be empty.")
        elif len(choice) > CHOICE_MAX_LENGTH:
            refuse(
                "choices",
                f"Keep each choice to at most {CHOICE_MAX_LENGTH} characters: '{choice[:40]}…' is longer.",
            )
        elif choice.casefold() in seen:
            refuse("choices", f"'{choice}' is listed twice; each choice must be different.")
        seen.setdefault(choice.casefold(), choice)
    if len(seen) < 2:
        refuse("choices", "Give at least two different choices, one per line.")
    if len(choices) > MAX_CHOICES:
        refuse("choices", f"Offer at most {MAX_CHOICES} choices (there are {len(choices)}).")


def _check_rule(kind: str, rule: Any, hard: Any, refuse) -> None:
    if rule not in R.values:
        refuse("match_rule", "Choose how the question is used for matching.")
        return
    if rule not in RULES_FOR_KIND[kind]:
        if kind == K.TEXT:
            refuse(
                "match_rule",
                "Free-text answers cannot be compared, so a text question is not used for matching.",
            )
        else:
            refuse("match_rule", f"'{R(rule).label}' needs {RULE_NEEDS[rule]}.")
    if hard is True and rule == R.NONE:
        refuse("hard", "Only a matching rule can be made to hold: choose a rule, or untick 'must hold'.")


def _check_status(program: Program, values: dict[str, Any], question: Question | None, refuse) -> None:
    if program.status in EDITABLE_STATUSES:
        return
    status = program.get_status_display().lower()
    if question is None:
        refuse("", f"The program is {status}: questions can no longer be added.")
        return
    changed = [FIELD_LABELS[f] for f in STRUCTURE_FIELDS if values.get(f) != getattr(question, f)]
    if changed:
        refuse(
            "",
            f"The program is {status}: only the wording and help text of a question can change now, not its "
            f"{', '.join(changed)}.",
        )


def _check_answers(
    question: Question,
    values: dict[str, Any],
    mapping: Mapping[str, str],
    answer_count: int,
    usage: Counter[str],
    refuse,
) -> None:
    if answer_count and values["kind"] != question.kind:
        people = "1 person has" if answer_count == 1 else f"{answer_count} people have"
        refuse(
            "kind",
            f"{people} answered this question as {question.get_kind_display().lower()}, so its kind cannot "
            "change. Delete it (it will be archived with its answers) and add a new question instead.",
        )
        return
    if not isinstance(mapping, Mapping):
        refuse("", "The mapping of existing answers is not readable.")
        return
    new_choices = values["choices"] if question.kind in CHOICE_KINDS else []
    removed = [c for c in question.choices if c not in new_choices]
    for old, new in mapping.items():
        if old not in removed:
            refuse("", f"'{old}' is not a choice this change removes, so its answers cannot be mapped.")
        elif new not in new_choices:
            refuse("", f"Answers of '{old}' can only be mapped to one of the new choices, not to '{new}'.")
    for old in removed:
        if usage.get(old) and old not in mapping:
            count = usage[old]
            answers = "1 answer uses" if count == 1 else f"{count} answers use"
            refuse(
                "",
                f"{answers} '{old}'. Choose which of the new choices they become, or keep '{old}' "
                "as a choice.",
            )


# --- Writing ------------------------------------------------------------------------------------------------


def _lock(program: Program) -> Program:
    """The program row, locked: its status cannot change while the questionnaire does."""
    return Program.objects.select_for_update().get(pk=program.pk)


@transaction.atomic
def question_create(*, program: Program, data: Mapping[str, Any], by: User | None) -> Question:
    locked = _lock(program)
    problems = question_problems(program=locked, data=data)
    if problems:
        raise QuestionError(problems)
    values = _merged(data, None)
    last = locked.questions.aggregate(last=Max("order"))["last"]
    return Question.objects.create(
        program=locked, order=0 if last is None else last + 1, **{f: values[f] for f in FIELDS}
    )


@transaction.atomic
def question_update(*, question: Question, data: Mapping[str, Any], by: User | None) -> Question:
    """Change ``question``; with ``data["choice_mapping"]``, rewrite the answers of removed choices."""
    program = _lock(question.program)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    answer_count = locked.answers.count()
    usage = choice_usage(locked)
    problems = question_problems(
        program=program, data=data, question=locked, answer_count=answer_count, usage=usage
    )
    if problems:
        raise QuestionError(problems)
    values = _merged(data, locked)
    changes = {f: [getattr(locked, f), values[f]] for f in FIELDS if values[f] != getattr(locked, f)}
    mapping = {
        old: new
        for old, new in (data.get("choice_mapping") or {}).items()
        if old not in values["choices"] and usage.get(old)
    }
    if mapping:
        counts = _map_answers(locked, mapping)
        QuestionRevision.objects.create(
            question=locked, by=by, action="choices_mapped", details={"mapping": mapping, "counts": counts}
        )
    if changes:
        for field, (_old, new) in changes.items():
            setattr(locked, field, new)
        locked.save(update_fields=list(changes))
        if answer_count:
            QuestionRevision.objects.create(
                question=locked,
                by=by,
                action="updated",
                details={"answers": answer_count, "changes": changes},
            )
    return locked


def _map_answers(question: Question, mapping: Mapping[str, str]) -> dict[str, int]:
    """Rewrite every answer that chose a mapped choice; returns how many answers each old choice had."""
    counts = dict.fromkeys(mapping, 0)
    changed: list[Answer] = []
    now = timezone.now()
    for answer in Answer.objects.filter(question=question).only("pk", "value"):
        chosen = _chosen(answer.value)
        hits = [c for c in chosen if c in mapping]
        if not hits:
            continue
        for old in hits:
            counts[old] += 1
        if isinstance(answer.value, list):
            # Two chosen options mapped onto the same one count once.
            answer.value = list(dict.fromkeys(mapping.get(c, c) for c in answer.value))
        else:
            answer.value = mapping[answer.value]
        answer.updated_at = now
        changed.append(answer)
    Answer.objects.bulk_update(changed, ["value", "updated_at"])
    return counts


@transaction.atomic
def question_delete(*, question: Question, by: User | None) -> DeleteOutcome:
    """Delete a question nobody answered; archive one with answers, keeping them and saying so."""
    program = _lock(question.program)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.archived_at is not None:
        raise QuestionError({"": ["This question is already archived; its answers are kept."]})
    if program.status not in EDITABLE_STATUSES:
        status = program.get_status_display().lower()
        raise QuestionError({"": [f"The program is {status}: its questions can no longer be removed."]})
    answers = locked.answers.count()
    if not answers:
        locked.delete()
        return DeleteOutcome(archived=False, answers=0)
    locked.archived_at = timezone.now()
    locked.save(update_fields=["archived_at"])
    QuestionRevision.objects.create(question=locked, by=by, action="archived", details={"answers": answers})
    question.archived_at = locked.archived_at
    return DeleteOutcome(archived=True, answers=answers)


@transaction.atomic
def questions_reorder(*, program: Program, ordered_ids: Iterable[Any], by: User | None) -> list[Question]:
    """Put the program's active questions in the order of ``ordered_ids``, each named exactly once."""
    locked = _lock(program)
    if locked.status not in EDITABLE_STATUSES:
        status = locked.get_status_display().lower()
        raise QuestionError({"": [f"The program is {status}: the order of its questions is fixed now."]})
    ids: list[int] = []
    for raw in ordered_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise QuestionError({"": [f"'{raw}' is not a question of this program."]}) from None
    questions = {q.pk: q for q in locked.questions.filter(archived_at__isnull=True).select_for_update()}
    if len(set(ids)) != len(ids) or set(ids) != set(questions):
        raise QuestionError(
            {
                "": [
                    "The order sent does not list each question of this program exactly once; the "
                    "questionnaire may have changed since the page was loaded. Reload it and try again."
                ]
            }
        )
    ordered = [questions[pk] for pk in ids]
    for position, question in enumerate(ordered):
        question.order = position
    Question.objects.bulk_update(ordered, ["order"])
    return ordered


def questions_can_change(program: Program) -> bool:
    """Whether questions may still be added, removed, reordered or restructured."""
    return program.status in EDITABLE_STATUSES

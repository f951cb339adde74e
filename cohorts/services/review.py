"""Blind committee review: a member scores each accepted candidacy on every criterion of the rubric (1 to 5,
with an optional comment per criterion and an overall comment), saving a draft or submitting; a submitted
review may be changed while the cycle is reviewing. A member in the candidate's management chain, a
nominator and the candidate themself are recused automatically; a member may declare a conflict.

Also here: what the blind pages show about a candidacy (the tenure band), the progress of
the review per member, and the reminder of outstanding reviews near the deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.services import notify
from people.models import Person, User

from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Candidacy,
    CommitteeMember,
    Criterion,
    NominationCycle,
    Review,
    ReviewScore,
)
from ..permissions.review import accepted_candidacies, automatic_recusal, recusal_map
from . import CohortError

S = NominationCycle.Status
Recusal = Review.Recusal
COMMENT_MAX_LENGTH = 2000
OVERALL_COMMENT_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 1000
# Members with outstanding reviews are reminded from this many days before the deadline.
REMIND_DAYS_BEFORE = 3
TENURE_BANDS = ((24, "Under 2 years"), (60, "2–5 years"), (120, "5–10 years"))  # noqa: RUF001 - en dashes of ranges


def tenure_band(person: Person, on: datetime.date | None = None) -> str:
    """A coarse band of the candidate's tenure: precise enough to weigh experience, too coarse to tell
    people apart by their hire date."""
    months = person.tenure_months(on)
    for below, label in TENURE_BANDS:
        if months < below:
            return label
    return "10+ years"


class ReviewInvalid(CohortError):
    """A review cannot be saved as given; ``errors`` maps a field (or None) to messages."""

    def __init__(self, errors: dict[str | None, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(m for messages in errors.values() for m in messages))


def _score_problems(
    criteria: list[Criterion],
    scores: Mapping[int, Any],
    comments: Mapping[int, Any],
    comment: Any,
    *,
    submit: bool,
) -> dict[str | None, list[str]]:
    problems: dict[str | None, list[str]] = {}
    known = {c.pk for c in criteria}
    unknown = [key for key in list(scores) + list(comments) if key not in known]
    if unknown:
        problems[None] = ["Score only the criteria of this cycle's rubric."]
    for criterion in criteria:
        score = scores.get(criterion.pk)
        field = f"score_{criterion.pk}"
        if score is None or score == "":
            if submit:
                problems[field] = [f"Score “{criterion.name}” from {SCORE_MIN} to {SCORE_MAX} to submit."]
        elif isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
            problems[field] = [f"Score “{criterion.name}” from {SCORE_MIN} to {SCORE_MAX}."]
        note = comments.get(criterion.pk, "")
        if not isinstance(note, str) or len(note.strip()) > COMMENT_MAX_LENGTH:
            problems[f"comment_{criterion.pk}"] = [
                f"Keep the comment on “{criterion.name}” to at most {COMMENT_MAX_LENGTH:,} characters."
            ]
    if not isinstance(comment, str) or len(comment.strip()) > OVERALL_COMMENT_MAX_LENGTH:
        problems["comment"] = [
            f"Keep the overall comment to at most {OVERALL_COMMENT_MAX_LENGTH:,} characters."
        ]
    return problems


def review_write_refusal(*, cycle: NominationCycle, candidacy: Candidacy, reviewer: Person) -> str | None:
    """Why ``reviewer`` may not write a review of ``candidacy`` (or declare a conflict) now, in the words
    shown to them; None when they may. The view asks before showing a form, the services again after
    locking, so a crafted POST meets the same rules."""
    if cycle.status != S.REVIEWING or cycle.decisions_published:
        return (
            f"The cycle is {cycle.get_status_display().lower()}: reviews are written while the committee "
            "is reviewing. Nothing was saved."
        )
    if not CommitteeMember.objects.filter(cycle=cycle, person=reviewer).exists():
        return "Only the cycle's committee members review its candidacies. Nothing was saved."
    if candidacy.cycle_id != cycle.pk or candidacy.status != Candidacy.Status.ACCEPTED:
        return f"{candidacy.blind_label} is not an accepted candidacy of this cycle: it is not reviewed."
    reason = automatic_recusal(candidacy, reviewer)
    if reason:
        return (
            f"You are recused from {candidacy.blind_label} ({Recusal(reason).label.lower()}): you do not "
            "review this candidacy. Nothing was saved."
        )
    declared = Review.objects.filter(candidacy=candidacy, reviewer=reviewer, recusal=Recusal.DECLARED)
    if declared.exists():
        return (
            f"You declared a conflict with {candidacy.blind_label}: you do not review this candidacy. "
            "Nothing was saved."
        )
    return None


def _check_may_review(candidacy: Candidacy, reviewer: Person) -> NominationCycle:
    """Lock the cycle (a review and the publication of decisions never interleave), then check the rules
    on fresh rows; CohortError otherwise."""
    cycle = NominationCycle.objects.select_for_update().get(pk=candidacy.cycle_id)
    fresh = Candidacy.objects.select_related("person").get(pk=candidacy.pk)
    refusal = review_write_refusal(cycle=cycle, candidacy=fresh, reviewer=reviewer)
    if refusal:
        raise CohortError(refusal)
    return cycle


@transaction.atomic
def review_save(
    *,
    candidacy: Candidacy,
    reviewer: Person,
    scores: Mapping[int, Any],
    comments: Mapping[int, Any] | None = None,
    comment: Any = "",
    submit: bool,
    by: User,
) -> Review:
    """Save ``reviewer``'s review of ``candidacy``: a draft (any scores given, each 1 to 5) or, with
    ``submit``, complete (every criterion scored). A submitted review stays submitted: changing it requires
    every score again. Refused, with nothing saved, for a recused reviewer or outside the review."""
    comments = comments or {}
    cycle = _check_may_review(candidacy, reviewer)
    review = Review.objects.select_for_update().filter(candidacy=candidacy, reviewer=reviewer).first()
    submit = submit or (review is not None and review.submitted_at is not None)
    criteria = list(Criterion.objects.filter(cycle=cycle))
    if not criteria:
        raise CohortError("This cycle has no rubric yet: there is nothing to score.")
    problems = _score_problems(criteria, scores, comments, comment, submit=submit)
    if problems:
        raise ReviewInvalid(problems)
    if review is None:
        review = Review.objects.create(candidacy=candidacy, reviewer=reviewer)
    review.comment = comment.strip()
    if submit and review.submitted_at is None:
        review.submitted_at = timezone.now()
    review.save(update_fields=["comment", "submitted_at", "updated_at"])
    existing = {s.criterion_id: s for s in ReviewScore.objects.filter(review=review)}
    for criterion in criteria:
        score = scores.get(criterion.pk)
        note = (comments.get(criterion.pk) or "").strip()
        current = existing.get(criterion.pk)
        if score is None or score == "":
            if current is not None:
                current.delete()
        elif current is None:
            ReviewScore.objects.create(review=review, criterion=criterion, score=score, comment=note)
        elif (current.score, current.comment) != (score, note):
            current.score, current.comment = score, note
            current.save(update_fields=["score", "comment"])
    return review


@transaction.atomic
def review_declare_conflict(*, candidacy: Candidacy, reviewer: Person, note: Any, by: User) -> Review:
    """``reviewer`` declares a conflict of interest with ``candidacy`` (a short note why, read by the chair
    and HR admins): they are recused, and any scores they gave are removed."""
    if not isinstance(note, str) or not note.strip():
        raise ReviewInvalid({"note": ["Say briefly what the conflict is."]})
    if len(note.strip()) > NOTE_MAX_LENGTH:
        raise ReviewInvalid({"note": [f"Keep the note to at most {NOTE_MAX_LENGTH:,} characters."]})
    _check_may_review(candidacy, reviewer)
    review = Review.objects.select_for_update().filter(candidacy=candidacy, reviewer=reviewer).first()
    if review is None:
        review = Review(candidacy=candidacy, reviewer=reviewer)
    else:
        ReviewScore.objects.filter(review=review).delete()
    review.recusal = Recusal.DECLARED
    review.recusal_note = note.strip()
    review.comment = ""
    review.submitted_at = None
    review.save()
    return review


# --- Progress and reminders --------------------------------------------------------------------------------


@dataclass
class ReviewerProgress:
    seat: CommitteeMember
    submitted: int = 0
    drafts: int = 0
    recused: int = 0
    outstanding: int = 0

    @property
    def person(self) -> Person:
        return self.seat.person


def review_progress(cycle: NominationCycle) -> list[ReviewerProgress]:
    """Per committee member: reviews submitted, drafts, recusals (automatic or declared, counted apart)
    and reviews still outstanding. A bounded number of queries, whatever the size of the cycle."""
    candidacies = list(accepted_candidacies(cycle))
    recusals = recusal_map(candidacies)
    seats = list(CommitteeMember.objects.filter(cycle=cycle).select_related("person"))
    reviews = {
        (r.candidacy_id, r.reviewer_id): r
        for r in Review.objects.filter(candidacy__in=[c.pk for c in candidacies]).only(
            "candidacy_id", "reviewer_id", "recusal", "submitted_at"
        )
    }
    progress = []
    for seat in seats:
        row = ReviewerProgress(seat=seat)
        for candidacy in candidacies:
            review = reviews.get((candidacy.pk, seat.person_id))
            if recusals.reason(candidacy, seat.person_id) or (review is not None and review.recusal):
                row.recused += 1
            elif review is not None and review.submitted_at is not None:
                row.submitted += 1
            else:
                row.outstanding += 1
                if review is not None:
                    row.drafts += 1
        progress.append(row)
    return progress


def _reminder_window(cycle: NominationCycle, today: datetime.date) -> str | None:
    if cycle.review_due_on is None:
        return None
    if today > cycle.review_due_on:
        return "overdue"
    if today >= cycle.review_due_on - datetime.timedelta(days=REMIND_DAYS_BEFORE):
        return "due_soon"
    return None


def reviews_remind_outstanding(*, today: datetime.date) -> int:
    """Remind each committee member with outstanding reviews, in every reviewing cycle whose deadline is
    at most ``REMIND_DAYS_BEFORE`` days away: once when the deadline nears and once more when it has
    passed (per deadline, so moving it reminds again). Returns how many reminders were sent; a second run
    sends none (the notification key is unique)."""
    sent = 0
    cycles = NominationCycle.objects.filter(
        status=S.REVIEWING,
        decisions_published_at__isnull=True,
        review_due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    )
    for cycle in cycles:
        window = _reminder_window(cycle, today)
        if window is None or cycle.review_due_on is None:
            continue
        due = date_format(cycle.review_due_on, "j F Y")
        url = reverse("cohorts:review_list", args=[cycle.pk])
        for row in review_progress(cycle):
            if not row.outstanding:
                continue
            count = f"{row.outstanding} review{'s' if row.outstanding != 1 else ''}"
            if window == "overdue":
                subject = f"{count} for {cycle.name} {'are' if row.outstanding != 1 else 'is'} overdue"
                timing = f"Reviews were due on {due}."
            else:
                subject = f"{count} for {cycle.name} due on {due}"
                timing = f"Reviews are due on {due}."
            notification = notify(
                recipient=row.person,
                kind="cohort_review_reminder",
                key=f"cycle:{cycle.pk}:due:{cycle.review_due_on.isoformat()}:{window}",
                subject=subject,
                body=(
                    f"You have {count} to finish for {cycle.name}. {timing} Score each candidacy on the "
                    "rubric and submit it; if you have a conflict of interest with a candidate, declare it "
                    "on their page instead."
                ),
                url=url,
            )
            sent += notification is not None
    return sent

"""The authorization matrix: one entry per URL pattern name (see ``test_authorization_matrix``).

An entry says how to reach the victims' object (``kwargs``), which methods to try, with what POST data, and
who may legitimately get an answer:

- everyone not named in ``own`` or ``reads`` is *refused*: a redirect to the login page, 403 or 404 (405 on
  a GET to a POST-only page, and then the POST is refused too), and a POST changes nothing;
- ``own``: the page is theirs or public by design (``why`` says why): it may answer, but never shows a
  victim's secret (nor the victims' names, unless ``names_ok``); their POSTs are not tried, since they may
  legitimately change their own things (``post_as_own`` tries them anyway where nothing of theirs exists);
- ``reads``: they may read (HR admins read a pair as its coordinators do) but their POSTs change nothing.

``owner`` names a victim login for whom the page works: the control test checks that the GET answers
``owner_get`` and that the POST data really changes something, so a refusal in the matrix means the
persona was refused, not that the URL or the data was wrong.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ..world import PERSONAS, World

Payload = Callable[[World], Mapping[str, Any]]

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
HR = frozenset({"hr_admin"})


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[World], Mapping[str, Any]] = lambda w: {}
    get: bool = True  # False: the view takes POST only (a GET may answer 405)
    post: Payload | None = None  # None: the view takes no POST
    owner: str | None = None
    owner_get: int = 200
    changes: bool = True  # the owner's POST changes the database (False: say why in ``note``)
    own: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    why: str = ""
    names_ok: bool = False
    post_as_own: bool = False
    markers: tuple[str, ...] = ()  # more strings that no one but HR admins may see here
    owner_sees: tuple[str, ...] = ()  # secrets the owner's page shows (the control that markers are found)
    note: str = ""


def day(w: World, days: int) -> str:
    return (w.today + datetime.timedelta(days=days)).isoformat()


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- kwargs of the victims' objects -------------------------------------------------------------------------


def slug(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug}


def enrolling(w: World) -> dict[str, Any]:
    return {"slug": w.enrolling.slug}


def pair(w: World) -> dict[str, Any]:
    return {"pk": w.pair.pk}


def pair_pk(w: World) -> dict[str, Any]:
    return {"pair_pk": w.pair.pk}


def goal(w: World) -> dict[str, Any]:
    return {"pk": w.pair.pk, "goal_pk": w.goal.pk}


def run(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "pk": w.run.pk}


def on_board(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "pk": w.pair.pk}


def open_cycle(w: World) -> dict[str, Any]:
    return {"pk": w.open_cycle.pk}


def draft_cycle(w: World) -> dict[str, Any]:
    return {"pk": w.draft_cycle.pk}


def review_cycle(w: World) -> dict[str, Any]:
    return {"cycle_pk": w.cycle.pk}


def candidacy(w: World) -> dict[str, Any]:
    return {"cycle_pk": w.cycle.pk, "pk": w.candidacy.pk}


def cohort(w: World) -> dict[str, Any]:
    return {"pk": w.cohort.pk}


def event(w: World) -> dict[str, Any]:
    return {"pk": w.cohort.pk, "event_pk": w.event.pk}


def session(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pair_pk": w.pair.pk, "pk": w.objects[name].pk}


def when(w: World, days: int) -> dict[str, Any]:
    return {"date": day(w, days), "time": "10:00", "duration_minutes": 60, "format": "video"}


# --- Reasons shared by several entries ----------------------------------------------------------------------

SIGN_IN = "allauth's sign-in steps: public, and they show nothing of anyone else"
OWN_LOGIN = "about the signed-in login itself (its e-mail addresses, password, two-factor, connections)"
HR_RUNS = "HR admins run programs, cycles, cohorts and the directory"
HR_READS_PAIRS = (
    "HR admins read a pair as its coordinators do (never its private notes); only its mentor and mentee "
    "write to it, so their POSTs change nothing"
)
HR_ACTS_ON_PAIRS = "HR admins act on a pair as its coordinators do (end, complete, nudge)"
OWN_LIST = "lists only the viewer's own rows"

"""The victims' api objects for the authorization matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..world import World


def extend(w: World) -> None:
    """Nothing of this app in the world yet."""

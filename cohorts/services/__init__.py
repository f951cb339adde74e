"""Writes of the cohorts app, one module per area. Each raises ``CohortError`` with a message fit to show the
user when a rule is broken, and changes nothing in that case."""


class CohortError(Exception):
    """A rule of the Master Mentor cycle was broken; the message says which, in the user's words."""

"""Writes of the feedback app, one module per area. Each raises ``FeedbackError`` with a message fit to show
the user when a rule is broken, and changes nothing in that case."""


class FeedbackError(Exception):
    """A rule of the pair's life was broken; the message says which, in the user's words."""

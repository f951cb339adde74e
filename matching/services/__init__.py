"""Every write of matching goes through a function in this package, one module per concern."""


class MatchingError(Exception):
    """A rule of matching was broken; the message is meant for the person who tried."""

"""Every write to programs goes through a function in this package, one module per concern."""


class ProgramError(Exception):
    """A rule of programs was broken; the message is meant for the person who tried."""

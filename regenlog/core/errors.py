"""Errors the services raise: each carries one sentence a patient can act on."""


class RegenLogError(Exception):
    """Base class: ``str(error)`` is the sentence shown to the user."""


class ValidationError(RegenLogError):
    """User input was rejected; nothing was stored."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFoundError(RegenLogError):
    """A record id does not exist (or is in the trash when a live one was asked for)."""


class InUseError(RegenLogError):
    """A record cannot be deleted because other records depend on it."""

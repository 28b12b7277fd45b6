"""Domain errors: raised by operations when a rule says no, carrying a translatable message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an operation; ``message`` is shown to the user as is (lazy-translated).

    ``field`` names the form field the message belongs to; ``field_errors`` lists several
    ``(field, message)`` pairs when more than one field is wrong; ``details`` carries data for the
    page (rows of a sheet, conflicting values …).
    """

    def __init__(self, message, *, field: str | None = None, details: list | None = None,
                 field_errors: list[tuple[str | None, object]] | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details or []
        self.field_errors = field_errors or []

    def __str__(self) -> str:
        return str(self.message)

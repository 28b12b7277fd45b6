"""Domain errors: raised by services when a rule says no, carrying a translatable message."""


class DomainError(Exception):
    """A rule refused an operation; ``message`` is shown to the user as is (lazy-translated)."""

    def __init__(self, message, *, field: str | None = None, details: list | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details or []

    def __str__(self) -> str:
        return str(self.message)

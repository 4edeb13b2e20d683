"""Domain errors. Each carries a catalog message id and its arguments, so the caller can
render a polite explanation in the user's language without knowing the rule behind it."""

from typing import Any


class DomainError(Exception):
    message_id = "error-generic"

    def __init__(self, message_id: str | None = None, **args: Any) -> None:
        self.message_id = message_id or self.message_id
        self.args_for_message = args
        super().__init__(self.message_id, args)


class NotFound(DomainError):
    message_id = "error-not-found"


class NotAllowed(DomainError):
    message_id = "error-not-allowed"


class InvalidState(DomainError):
    message_id = "error-stale"


class InvalidInput(DomainError):
    message_id = "error-invalid-input"

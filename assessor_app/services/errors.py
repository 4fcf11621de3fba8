"""Errors a user can cause, each with a message that says what to do."""


class ServiceError(Exception):
    """A request the data or the rules do not allow."""


class NotFound(ServiceError):
    pass


class StaleEdit(ServiceError):
    """Someone else saved the same record since it was read."""


class FieldError(ServiceError):
    """One form field's value is not acceptable; `field` names it for the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

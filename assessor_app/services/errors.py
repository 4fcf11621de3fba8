"""Errors a user can cause, each with a message that says what to do."""


class ServiceError(Exception):
    """A request the data or the rules do not allow."""


class NotFound(ServiceError):
    pass


class StaleEdit(ServiceError):
    """Someone else saved the same record since it was read."""

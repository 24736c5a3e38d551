"""The errors services raise when a rule refuses a request; views turn them into 4xx.

Each carries the HTTP status that fits and a message written for the person.
"""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = 400


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


def form_run(form, action):
    """Run ``action(form.cleaned_data)`` if ``form`` is valid: ``(result, None)`` when it
    succeeds, else ``(None, status)`` with the refusal's message on the form (400 for an
    invalid form, the error's own status for a service's refusal)."""
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), None
    except ServiceError as error:
        form.add_error(None, error.message)
        return None, error.status

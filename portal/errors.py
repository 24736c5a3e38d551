"""The errors services raise when a rule refuses a request, and the two ways views turn
them into a 4xx response.

Each error carries the HTTP status that fits and a message written for the person. A
view that posts a form runs the service through ``form_run`` (or
``portal.submissions.form_run_once``): the message goes on the form, shown again with
the error's status. Any other view lets ``refused`` answer: the "That did not work"
page with a way back, or ``{"error": message}`` for the page's own fetch requests.
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the refusal is about, where there is one


def form_error(form, error: ServiceError) -> None:
    """Put a service's refusal on its field when the form has it, else on the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class InvalidInput(ServiceError):
    status = 400


class NotAllowed(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Unavailable(ServiceError):
    """Another system the request needs (an identity provider, say) cannot be reached."""

    status = 503


def form_run(form, action):
    """Run ``action(form.cleaned_data)`` if ``form`` is valid: ``(result, None)`` when it
    succeeds, else ``(None, status)`` with the refusal's message on the form (400 for an
    invalid form, the error's own status for a service's refusal)."""
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), None
    except ServiceError as error:
        form_error(form, error)
        return None, error.status


def is_fetch(request) -> bool:
    """A request made by the page's own script (``X-Requested-With: fetch``)."""
    return request.headers.get("X-Requested-With") == "fetch"


def refused(request, error: ServiceError, *, back_url: str = ""):
    """The response to a service's refusal outside a form."""
    if is_fetch(request):
        return JsonResponse({"error": error.message}, status=error.status)
    return TemplateResponse(
        request, "refused.html", {"message": error.message, "back_url": back_url},
        status=error.status,
    )  # fmt: skip

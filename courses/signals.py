"""Signals of the courses app, for the apps that count learning (the programme
dashboard's training figures)."""

from django.dispatch import Signal

# Sent in the writing transaction with ``event`` (one of these) and ``record``: an
# enrolment made (ENROLLED) or completed (COMPLETED), a scenario choice taken (CHOSE, with
# its ``attempt``), a scenario attempt finished (FINISHED), a quiz attempt made (SUBMITTED).
ENROLLED, COMPLETED, CHOSE, FINISHED, SUBMITTED = (
    "enrolled",
    "completed",
    "chose",
    "finished",
    "submitted",
)
learning_recorded = Signal()

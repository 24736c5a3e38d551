"""Writes about training, by sub-domain: ``lessons`` (enrolment, scenario play, quizzes,
reflections, completion, feedback) and ``workshops`` (purpose workshops). This package
re-exports both, so callers write ``services.scenario_choose(...)``.

Every function here owns its transaction. Whatever a learner submits is checked
against the server's state (the open attempt, its current step, the choices the author
wrote); scores are computed here and never taken from the request. Completions go to
the activity ledger with an idempotency key, so repeats and races count once.
"""

from .lessons import (
    ChoiceOutcome,
    Completion,
    QuizOutcome,
    course_enrol,
    course_feedback_give,
    lesson_complete,
    quiz_submit,
    reflection_save,
    scenario_choose,
    scenario_start,
)
from .workshops import (
    purpose_statement_save,
    workshop_answer_add,
    workshop_answer_highlight,
    workshop_contributions_credit,
    workshop_facilitator_add,
    workshop_facilitator_remove,
)

__all__ = [
    "ChoiceOutcome",
    "Completion",
    "QuizOutcome",
    "course_enrol",
    "course_feedback_give",
    "lesson_complete",
    "purpose_statement_save",
    "quiz_submit",
    "reflection_save",
    "scenario_choose",
    "scenario_start",
    "workshop_answer_add",
    "workshop_answer_highlight",
    "workshop_contributions_credit",
    "workshop_facilitator_add",
    "workshop_facilitator_remove",
]

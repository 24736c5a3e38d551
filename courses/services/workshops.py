"""Writes about purpose workshops: facilitators, answers, the wall's highlights, the
batched credit for taking part, and the purpose statement."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm, remove_perm

from portal.activity.services import activity_record
from portal.activity.verbs import (
    WORKSHOP_CONTRIBUTED,
)
from portal.errors import Conflict, InvalidInput, NotAllowed, NotFound
from portal.events import CoursesAnswerChanged
from portal.people.models import User
from portal.people.privacy import MIN_GROUP
from portal.realtime import broadcast, group_name

from ..models import (
    PurposeStatement,
    WorkshopAnswer,
    WorkshopPage,
    WorkshopParticipation,
)
from ..selectors import FACILITATE, workshop_answer_payload, workshop_can_facilitate

# --- purpose workshops -----------------------------------------------------------------


def workshop_facilitator_add(*, workshop: WorkshopPage, user: User) -> None:
    assign_perm(FACILITATE, user, workshop)


def workshop_facilitator_remove(*, workshop: WorkshopPage, user: User) -> None:
    remove_perm(FACILITATE, user, workshop)


@transaction.atomic
def workshop_answer_add(
    *,
    user: User,
    workshop: WorkshopPage,
    prompt_id: str,
    text: str,
    options: list[str],
    anonymous: bool,
) -> WorkshopAnswer:
    """Add one answer to a prompt and show it on the facilitators' wall after commit.

    An anonymous answer stores no author; the ledger only notes that the person took
    part in the workshop, not which answer was theirs.
    """
    if not workshop.live:
        raise NotFound(gettext("This workshop is not published."))
    if not workshop.accepting_answers:
        raise Conflict(gettext("This workshop is closed for answers."))
    prompts = {
        prompt.id: prompt.value
        for step in workshop.steps
        for prompt in step.value["prompts"].bound_blocks
    }
    prompt = prompts.get(prompt_id)
    if prompt is None:
        raise InvalidInput(gettext("That question is not part of this workshop; reload the page."))
    allowed = set(prompt["options"])
    if any(option not in allowed for option in options):
        raise InvalidInput(gettext("Pick from the listed answers or write your own."))
    text = (text or "").strip()
    if len(text) > 1000:
        raise InvalidInput(gettext("Keep your answer under 1,000 characters."))
    if not text and not options:
        raise InvalidInput(gettext("Write an answer or pick one of the suggestions."))
    now = timezone.now()
    answer = WorkshopAnswer.objects.create(
        workshop=workshop,
        prompt_id=prompt_id,
        prompt=prompt["question"][:200],
        author=None if anonymous else user,
        text=text,
        options=sorted(set(options), key=list(prompt["options"]).index),
        # An anonymous answer keeps only its hour: no exact time to match against anything.
        created_at=now.replace(minute=0, second=0, microsecond=0) if anonymous else now,
    )
    # The credit comes later, in a batch (``workshop_contributions_credit``): a statement
    # (and points on a live board) right after an anonymous answer would name its author.
    WorkshopParticipation.objects.get_or_create(workshop=workshop, user=user)
    broadcast(
        group_name("workshop", workshop.pk),
        CoursesAnswerChanged(type="courses.answer_changed", answer=workshop_answer_payload(answer)),
    )
    return answer


def workshop_contributions_credit(
    *, workshop: WorkshopPage | None = None, force: bool = False
) -> int:
    """Credit waiting contributions (``workshop.contributed``), in batches that cannot be
    tied to any one answer: a workshop's waiting people are credited together once at
    least ``MIN_GROUP`` wait, or all of them once it closes for answers (or ``force``).
    Every statement of a batch has the same time. Runs with the daily privacy job and
    when a workshop is published closed. Returns how many were credited."""
    workshops = WorkshopPage.objects.filter(participations__credited=False).distinct()
    if workshop is not None:
        workshops = workshops.filter(pk=workshop.pk)
    credited = 0
    for page in workshops:
        credited += _workshop_credit(workshop=page, force=force)
    return credited


@transaction.atomic
def _workshop_credit(*, workshop: WorkshopPage, force: bool) -> int:
    waiting = list(
        WorkshopParticipation.objects.select_for_update()
        .filter(workshop=workshop, credited=False)
        .select_related("user")
    )
    closed = not workshop.live or not workshop.accepting_answers
    if not waiting or (len(waiting) < MIN_GROUP and not closed and not force):
        return 0
    now = timezone.now()
    for participation in sorted(waiting, key=lambda row: row.user_id):
        activity_record(
            actor=participation.user,
            verb=WORKSHOP_CONTRIBUTED.id,
            key=f"workshop.contributed:{participation.user_id}:{workshop.pk}",
            obj=workshop,
            timestamp=now,
        )
    WorkshopParticipation.objects.filter(pk__in=[row.pk for row in waiting]).update(credited=True)
    return len(waiting)


@transaction.atomic
def workshop_answer_highlight(
    *, by: User, workshop: WorkshopPage, answer_id: int, highlighted: bool
) -> WorkshopAnswer:
    if not workshop_can_facilitate(user=by, workshop=workshop):
        raise NotAllowed(gettext("Only this workshop's facilitators can highlight answers."))
    answer = (
        WorkshopAnswer.objects.select_for_update(of=("self",))
        .select_related("author__profile")
        .filter(pk=answer_id, workshop=workshop)
        .first()
    )
    if answer is None:
        raise NotFound(gettext("There is no such answer in this workshop."))
    if answer.highlighted != highlighted:
        answer.highlighted = highlighted
        answer.save(update_fields=["highlighted"])
        broadcast(
            group_name("workshop", workshop.pk),
            CoursesAnswerChanged(
                type="courses.answer_changed", answer=workshop_answer_payload(answer)
            ),
        )
    return answer


@transaction.atomic
def purpose_statement_save(
    *, by: User, workshop: WorkshopPage, statement: str, objectives: str, publish: bool
) -> PurposeStatement:
    """Save the facilitator's draft; with ``publish`` the home page shows it from now on."""
    if not workshop_can_facilitate(user=by, workshop=workshop):
        raise NotAllowed(
            gettext("Only this workshop's facilitators can write its purpose statement.")
        )
    statement = (statement or "").strip()
    objectives = (objectives or "").strip()
    if len(statement) > 1500 or len(objectives) > 2000:
        raise InvalidInput(
            gettext("Keep the statement under 1,500 and the objectives under 2,000 characters.")
        )
    if publish and not statement:
        raise InvalidInput(gettext("Write the purpose statement before publishing it."))
    now = timezone.now()
    purpose, _ = PurposeStatement.objects.select_for_update().get_or_create(
        workshop=workshop, defaults={"updated_at": now}
    )
    purpose.draft_statement = statement
    purpose.draft_objectives = objectives
    purpose.updated_by = by
    purpose.updated_at = now
    if publish:
        purpose.published_statement = statement
        purpose.published_objectives = objectives
        purpose.published_at = now
    purpose.save()
    return purpose

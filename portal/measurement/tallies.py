"""Facts the dashboard counts that are not ledger statements: the recruitment funnel (from
each person's milestones) and training (enrolments, scenario attempts and choices, quiz
attempts). Each fact is a (day, measure) pair with a count and an amount, like a ledger
statement's; the rollups count them at the person's place at every grain, next to the
statements, so the dashboard reads rollup rows and never these tables.

One set of functions says which facts a record implies. The rebuild applies them to every
record (``facts_everyone``), moves and erasures to one person's (``person_facts``), and the
services that write the records to the one they wrote (``enrolment_facts`` and the rest):
so the stored rollups always equal a rebuild, which ``rebuild_rollups --check`` compares.

Their measures begin with ``#``, which no verb does (``l``: lesson id, ``b``: block id,
``c``: course id; ids hold no colon):

- ``#funnel:people``, ``#funnel:<step>``: invited, and reached a step of the funnel or a
  later one, on the day of the earliest such moment (people who left are taken out);
- ``#wait.share:<days>``, ``#wait.unlock:<days>``: whole days from invitation to the first
  share, to unlocking sharing, on the day it happened; ``#funnel:active``: on the day the
  person was last active;
- ``#course.started:<c>``, ``#course.completed:<c>``, ``#course.days:<c>:<days>``;
- ``#scenario.finished:<l>:<b>`` (amount: the score in percent), ``#scenario.passed:<l>:<b>``,
  ``#scenario.people:<l>:<b>`` (the person's first finished attempt);
- ``#choice:<l>:<b>:<index>:<step>``, ``#choice.people:<l>:<b>:<step>`` (the person's first
  choice at the step);
- ``#quiz:<l>:<b>:<answers>``: a person's first attempt at a quiz, its answers written
  ``0|1.2|3`` (the chosen options of each question);
- ``#outcome:<c>:<side>`` (count: shares, amount: their readers) and
  ``#outcome.quality:<c>:<side>`` (count: 1, a person with shares on that side; amount:
  the shares' quality), ``side`` ``before`` or ``after`` completing the course: on the day
  of the completion, whenever the shares were made;
- ``#previews``: link previews (bots) of the person's shares, on the day they came;
- ``#item:<id>`` (count: shares of the content item, amount: the readers they brought)
  and ``#item.quality:<id>`` (amount: their quality), on the day each share was made.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.utils import timezone

from courses.models import Enrolment, QuizAttempt, ScenarioAttempt, ScenarioChoice
from portal.people.models import User
from portal.sharing.models import Share, ShareDay

from .models import STEPS, Milestones

# (day, measure) -> (count, amount)
Facts = dict[tuple[date, str], tuple[int, int]]
MEASURE_LENGTH = 200  # Rollup.measure's
FUNNEL_FIELDS = [field for field, _ in STEPS[1:]] + ["last_active_at"]


def _day(moment: datetime) -> date:
    """The day of a moment in the programme's time zone (as the rollups count days)."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def _days_between(start: datetime, end: datetime) -> int:
    """Whole days (24 hours) from one moment to a later one; 0 if it is not later."""
    return max(0, int((end - start).total_seconds() // 86400))


def _put(facts: Facts, day: date, measure: str, count: int = 1, amount: int = 0) -> None:
    if len(measure) > MEASURE_LENGTH:
        return  # cannot be stored whole (a quiz of very many questions): not counted
    had = facts.get((day, measure), (0, 0))
    facts[(day, measure)] = (had[0] + count, had[1] + amount)


def merged(*many: Facts, sign: int = 1) -> Facts:
    """The sum of ``many`` facts (times ``sign``), without those that cancel out."""
    total: Facts = {}
    for facts in many:
        for key, (count, amount) in facts.items():
            had = total.get(key, (0, 0))
            total[key] = (had[0] + sign * count, had[1] + sign * amount)
    return {key: value for key, value in total.items() if value != (0, 0)}


def difference(after: Facts, before: Facts) -> Facts:
    return merged(after, merged(before, sign=-1))


# --- the funnel ------------------------------------------------------------------------


def funnel_facts(joined: datetime, values: dict) -> Facts:
    """The funnel's facts of someone invited at ``joined`` whose milestones are ``values``
    (``FUNNEL_FIELDS``: each a moment or None)."""
    facts: Facts = {}
    _put(facts, _day(joined), "#funnel:people")
    moments = [joined, *(values.get(field) for field, _ in STEPS[1:])]
    for index, (field, _) in enumerate(STEPS):
        reached = [moment for moment in moments[index:] if moment is not None]
        if reached:
            _put(facts, _day(min(reached)), f"#funnel:{field}")
    for field, name in (("first_share_at", "share"), ("sharing_unlocked_at", "unlock")):
        if values.get(field) is not None:
            _put(facts, _day(values[field]), f"#wait.{name}:{_days_between(joined, values[field])}")
    if values.get("last_active_at") is not None:
        _put(facts, _day(values["last_active_at"]), "#funnel:active")
    return facts


def milestones_values(milestones: Milestones | None) -> dict:
    return {field: getattr(milestones, field) if milestones else None for field in FUNNEL_FIELDS}


def milestones_facts(milestones: Milestones, joined: datetime) -> Facts:
    """The funnel's facts of a person as their milestones row counts them (none once they
    left: ``Milestones.in_funnel``)."""
    if not milestones.in_funnel:
        return {}
    return funnel_facts(joined, milestones_values(milestones))


# --- training --------------------------------------------------------------------------


def enrolment_facts(course_id: int, started_at: datetime, completed_at: datetime | None, *,
                    started: bool = True, completed: bool = True) -> Facts:  # fmt: skip
    """An enrolment's facts: its start and, once it is completed, its completion (either
    alone with ``started`` or ``completed`` false, for the moment it happens)."""
    facts: Facts = {}
    if started:
        _put(facts, _day(started_at), f"#course.started:{course_id}")
    if completed and completed_at is not None:
        day = _day(completed_at)
        _put(facts, day, f"#course.completed:{course_id}")
        _put(facts, day, f"#course.days:{course_id}:{_days_between(started_at, completed_at)}")
    return facts


def attempt_facts(lesson_id: int, block_id: str, finished_at: datetime, percentage: int | None,
                  passed: bool, *, first: bool) -> Facts:  # fmt: skip
    """A finished scenario attempt's facts (``first``: the person's first finished attempt
    at that scenario)."""
    facts: Facts = {}
    day, where = _day(finished_at), f"{lesson_id}:{block_id}"
    _put(facts, day, f"#scenario.finished:{where}", 1, percentage or 0)
    if passed:
        _put(facts, day, f"#scenario.passed:{where}")
    if first:
        _put(facts, day, f"#scenario.people:{where}")
    return facts


def choice_facts(lesson_id: int, block_id: str, step_id: str, choice_index: int,
                 chosen_at: datetime, *, first: bool) -> Facts:  # fmt: skip
    """A scenario choice's facts (``first``: the person's first choice at that step)."""
    facts: Facts = {}
    day, where = _day(chosen_at), f"{lesson_id}:{block_id}"
    _put(facts, day, f"#choice:{where}:{choice_index}:{step_id}")
    if first:
        _put(facts, day, f"#choice.people:{where}:{step_id}")
    return facts


def answers_text(answers) -> str | None:
    """A quiz attempt's answers as ``0|1.2|3``; None if they are not lists of option
    indexes."""
    if not isinstance(answers, list) or not all(isinstance(chosen, list) for chosen in answers):
        return None
    if not all(isinstance(index, int) for chosen in answers for index in chosen):
        return None
    return "|".join(".".join(str(index) for index in chosen) for chosen in answers)


def parse_answers(text: str) -> list[list[int]]:
    return [[int(index) for index in part.split(".") if index] for part in text.split("|")]


def quiz_facts(lesson_id: int, block_id: str, answers, submitted_at: datetime) -> Facts:
    """A person's first attempt at a quiz."""
    facts: Facts = {}
    text = answers_text(answers)
    if text is not None:
        _put(facts, _day(submitted_at), f"#quiz:{lesson_id}:{block_id}:{text}")
    return facts


# --- training and sharing: before and after a course ------------------------------------

# (course id, completed at) and (created at, readers, quality)
Completion = tuple[int, datetime]
Shared = tuple[datetime, int, int]


def _side(created_at: datetime, completed_at: datetime) -> str:
    return "before" if created_at < completed_at else "after"


def outcome_facts(completions: list[Completion], shares: list[Shared]) -> Facts:
    """A person's shares before and after each course they completed."""
    facts: Facts = {}
    for course_id, completed_at in completions:
        day = _day(completed_at)
        sides: dict[str, list[Shared]] = {"before": [], "after": []}
        for share in shares:
            sides[_side(share[0], completed_at)].append(share)
        for side, made in sides.items():
            if made:
                _put(facts, day, f"#outcome:{course_id}:{side}", len(made),
                     sum(readers for _, readers, _ in made))  # fmt: skip
                _put(facts, day, f"#outcome.quality:{course_id}:{side}", 1,
                     sum(quality for _, _, quality in made))  # fmt: skip
    return facts


def outcome_changes(completions: list[Completion], created_at: datetime, readers: int,
                    quality: int) -> Facts:  # fmt: skip
    """What a share's new ``readers`` and ``quality`` (more or fewer) add to its maker's
    outcome facts."""
    facts: Facts = {}
    for course_id, completed_at in completions:
        day, side = _day(completed_at), _side(created_at, completed_at)
        _put(facts, day, f"#outcome:{course_id}:{side}", 0, readers)
        _put(facts, day, f"#outcome.quality:{course_id}:{side}", 0, quality)
    return merged(facts)


def completions_of(user_ids: Iterable[int] | None = None) -> dict[int, list[Completion]]:
    rows = Enrolment.objects.filter(completed_at__isnull=False)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    completions: dict[int, list[Completion]] = {}
    for user_id, course_id, completed_at in rows.values_list(
        "user_id", "course_id", "completed_at"
    ).iterator(chunk_size=5000):
        if completed_at is not None:  # filtered above; the types cannot know
            completions.setdefault(user_id, []).append((course_id, completed_at))
    return completions


def shares_of(user_ids: Iterable[int] | None = None) -> dict[int, list[Shared]]:
    rows = Share.objects.all()
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    shares: dict[int, list[Shared]] = {}
    for user_id, created_at, clicks, quality in rows.values_list(
        "user_id", "created_at", "clicks", "quality"
    ).iterator(chunk_size=5000):
        shares.setdefault(user_id, []).append((created_at, clicks, quality))
    return shares


def _outcome_rows(user_ids: list[int] | None) -> Iterator[tuple[int, Facts]]:
    completions = completions_of(user_ids)
    shares = shares_of(user_ids)
    for user_id, completed in completions.items():
        yield user_id, outcome_facts(completed, shares.get(user_id, []))


def item_facts(item_id: int, created_at: datetime, shares: int, readers: int,
               quality: int) -> Facts:  # fmt: skip
    """A share of a content item (``shares`` 1), or what changed of one (0)."""
    facts: Facts = {}
    day = _day(created_at)
    _put(facts, day, f"#item:{item_id}", shares, readers)
    _put(facts, day, f"#item.quality:{item_id}", shares, quality)
    return merged(facts)


def _item_rows(user_ids: list[int] | None) -> Iterator[tuple[int, Facts]]:
    rows = Share.objects.all() if user_ids is None else Share.objects.filter(user_id__in=user_ids)
    for user_id, item_id, created_at, clicks, quality in rows.values_list(
        "user_id", "item_id", "created_at", "clicks", "quality"
    ).iterator(chunk_size=5000):
        yield user_id, item_facts(item_id, created_at, 1, clicks, quality)


def previews_facts(day: date, previews: int) -> Facts:
    facts: Facts = {}
    if previews:
        _put(facts, day, "#previews", previews)
    return facts


def _preview_rows(user_ids: list[int] | None) -> Iterator[tuple[int, Facts]]:
    rows = ShareDay.objects.filter(previews__gt=0)
    if user_ids is not None:
        rows = rows.filter(share__user_id__in=user_ids)
    for user_id, day, previews in rows.values_list("share__user_id", "day", "previews").iterator(
        chunk_size=5000
    ):
        yield user_id, previews_facts(day, previews)


# --- everyone's, or one person's --------------------------------------------------------


def _training_rows(user_ids: list[int] | None) -> Iterator[tuple[int, Facts]]:
    """(user id, facts) of the training records of ``user_ids`` (None: everyone's)."""

    def of(rows, field="user_id"):
        return rows if user_ids is None else rows.filter(**{f"{field}__in": user_ids})

    for user_id, course_id, started_at, completed_at in (
        of(Enrolment.objects)
        .values_list("user_id", "course_id", "started_at", "completed_at")
        .iterator(chunk_size=5000)
    ):
        yield user_id, enrolment_facts(course_id, started_at, completed_at)
    finished = set()
    for user_id, lesson_id, block_id, finished_at, percentage, passed in (
        of(ScenarioAttempt.objects.filter(status=ScenarioAttempt.Status.FINISHED))
        .order_by("finished_at", "pk")
        .values_list("user_id", "lesson_id", "block_id", "finished_at", "percentage", "passed")
        .iterator(chunk_size=5000)
    ):
        key = (user_id, lesson_id, block_id)
        yield user_id, attempt_facts(lesson_id, block_id, finished_at, percentage, passed,
                                     first=key not in finished)  # fmt: skip
        finished.add(key)
    answered = set()
    for user_id, lesson_id, block_id, step_id, index, chosen_at in (
        of(ScenarioChoice.objects, "attempt__user_id")
        .order_by("chosen_at", "pk")
        .values_list("attempt__user_id", "attempt__lesson_id", "attempt__block_id", "step_id",
                     "choice_index", "chosen_at")
        .iterator(chunk_size=5000)
    ):  # fmt: skip
        step_key = (user_id, lesson_id, block_id, step_id)
        yield user_id, choice_facts(lesson_id, block_id, step_id, index, chosen_at,
                                    first=step_key not in answered)  # fmt: skip
        answered.add(step_key)
    taken = set()
    for user_id, lesson_id, block_id, answers, submitted_at in (
        of(QuizAttempt.objects)
        .order_by("pk")
        .values_list("user_id", "lesson_id", "block_id", "answers", "submitted_at")
        .iterator(chunk_size=5000)
    ):
        key = (user_id, lesson_id, block_id)
        if key not in taken:
            taken.add(key)
            yield user_id, quiz_facts(lesson_id, block_id, answers, submitted_at)


def _funnel_rows(user_ids: list[int] | None) -> Iterator[tuple[int, Facts]]:
    people = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    rows = people.filter(milestones__in_funnel=True).values_list(
        "pk", "date_joined", *(f"milestones__{field}" for field in FUNNEL_FIELDS)
    )
    for user_id, joined, *values in rows.iterator(chunk_size=5000):
        yield user_id, funnel_facts(joined, dict(zip(FUNNEL_FIELDS, values, strict=True)))


def facts_everyone(user_ids: Iterable[int] | None = None) -> Iterator[tuple[int, Facts]]:
    """(user id, facts) of every record of everyone (or of ``user_ids``), from the tables;
    a person may come more than once."""
    ids = None if user_ids is None else list(user_ids)
    yield from _funnel_rows(ids)
    yield from _training_rows(ids)
    yield from _outcome_rows(ids)
    yield from _preview_rows(ids)
    yield from _item_rows(ids)


def person_facts(user_id: int) -> Facts:
    """All of one person's facts, from the tables."""
    return merged(*(facts for _, facts in facts_everyone([user_id])))

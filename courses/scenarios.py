"""Branching scenarios as plain data: graph checks for editors and scoring for learners.

A scenario is a list of steps; the first step is where every attempt starts. Each
choice leads to another step or ends the scenario. The graph must be a DAG whose every
step is reachable, so each attempt ends after finitely many choices and the best path
(the most points from the first step to an ending) is well defined.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Choice:
    label: str
    feedback: str
    score: int
    next_step: str  # "" ends the scenario


@dataclass(frozen=True)
class Step:
    id: str
    situation: str  # rich text HTML, rendered by the template
    image: object | None
    choices: tuple[Choice, ...]


@dataclass
class GraphProblems:
    """What is wrong with a scenario graph, by where the editor should look."""

    steps: dict[int, list[str]] = field(default_factory=dict)
    choices: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add_step(self, index: int, message: str) -> None:
        self.steps.setdefault(index, []).append(message)

    def add_choice(self, step_index: int, choice_index: int, message: str) -> None:
        self.choices.setdefault((step_index, choice_index), []).append(message)

    def __bool__(self) -> bool:
        return bool(self.steps or self.choices or self.general)

    def messages(self) -> list[str]:
        """Every problem as one sentence, for logs and command-line tools."""
        found = list(self.general)
        found += [f"Step {i + 1}: {m}" for i, ms in sorted(self.steps.items()) for m in ms]
        found += [
            f"Step {i + 1}, choice {j + 1}: {m}"
            for (i, j), ms in sorted(self.choices.items())
            for m in ms
        ]
        return found


@dataclass(frozen=True)
class Scenario:
    title: str
    steps: tuple[Step, ...]
    pass_percentage: int
    introduction: str = ""

    @cached_property
    def by_id(self) -> dict[str, Step]:
        return {step.id: step for step in self.steps}

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step | None:
        return self.by_id.get(step_id)

    @cached_property
    def best_score(self) -> int:
        """The most points any path from the first step to an ending can collect."""
        return _best_from(self.start.id, self.by_id, {})

    def percentage(self, score: int) -> int:
        best = self.best_score
        if best <= 0:
            return 0
        return max(0, min(100, round(100 * score / best)))

    def passes(self, score: int) -> bool:
        return self.percentage(score) >= self.pass_percentage


def _best_from(step_id: str, steps: dict[str, Step], memo: dict[str, int]) -> int:
    # Only called on graphs that passed ``graph_problems``: acyclic, targets exist.
    if step_id not in memo:
        memo[step_id] = max(
            choice.score + (_best_from(choice.next_step, steps, memo) if choice.next_step else 0)
            for choice in steps[step_id].choices
        )
    return memo[step_id]


def graph_problems(steps: Iterable[tuple[str, list[tuple[str, int]]]]) -> GraphProblems:
    """Check a scenario given as ``[(step_id, [(next_step, score), ...]), ...]``.

    Reports duplicate or empty ids, choices that lead to missing steps, steps the
    first step cannot reach, loops, no reachable ending and a best path worth nothing,
    each attached to the step or choice to fix.
    """
    steps = [(step_id.strip(), choices) for step_id, choices in steps]
    problems = GraphProblems()
    if not steps:
        problems.general.append("Add at least one step.")
        return problems

    first_index: dict[str, int] = {}
    for index, (step_id, choices) in enumerate(steps):
        if not step_id:
            problems.add_step(index, "Give this step an id, e.g. 'reply' or 'step-2'.")
        elif step_id in first_index:
            problems.add_step(
                index,
                f"The id '{step_id}' is already used by step {first_index[step_id] + 1}; "
                "step ids must be unique.",
            )
        else:
            first_index[step_id] = index
        if not choices:
            problems.add_step(index, "Add at least one choice.")

    known = ", ".join(f"'{s}'" for s in first_index) or "none yet"
    edges: dict[str, list[tuple[int, str]]] = {step_id: [] for step_id in first_index}
    for index, (step_id, choices) in enumerate(steps):
        for choice_index, (next_step, _score) in enumerate(choices):
            next_step = next_step.strip()
            if not next_step:
                continue
            if next_step not in first_index:
                problems.add_choice(
                    index,
                    choice_index,
                    f"Leads to step '{next_step}', which does not exist. Use one of {known}, "
                    "or leave it empty to end the scenario here.",
                )
            elif first_index.get(step_id) == index:
                edges[step_id].append((choice_index, next_step))

    start = steps[0][0]
    if start not in first_index:
        return problems  # the first step's own error says what to fix

    # Depth-first search from the first step: reachability and loops in one pass.
    reachable: set[str] = set()
    on_path: list[str] = []
    reported_loops: set[frozenset[str]] = set()

    def visit(step_id: str) -> None:
        reachable.add(step_id)
        on_path.append(step_id)
        for choice_index, target in edges[step_id]:
            if target in on_path:
                loop = [*on_path[on_path.index(target) :], target]
                if frozenset(loop) not in reported_loops:
                    reported_loops.add(frozenset(loop))
                    problems.add_choice(
                        first_index[step_id],
                        choice_index,
                        "Makes a loop ("
                        + " → ".join(loop)
                        + "); every choice must move forward towards an ending.",
                    )
            elif target not in reachable:
                visit(target)
        on_path.pop()

    visit(start)

    for step_id, index in first_index.items():
        if step_id not in reachable:
            problems.add_step(
                index,
                f"Step '{step_id}' cannot be reached from the first step '{start}'; "
                "point a choice at it or remove it.",
            )

    ends = {
        step_id
        for index, (step_id, choices) in enumerate(steps)
        if first_index.get(step_id) == index and any(not n.strip() for n, _ in choices)
    }
    if not ends & reachable:
        problems.general.append(
            "No path from the first step reaches an ending: leave 'next step' empty on at "
            "least one choice to end the scenario there."
        )

    if not problems:
        as_steps = {
            step_id: Step(step_id, "", None, tuple(Choice("", "", s, n.strip()) for n, s in ch))
            for step_id, ch in steps
        }
        if _best_from(start, as_steps, {}) <= 0:
            problems.general.append(
                "The best path scores 0 points, so nobody could pass; give the good "
                "choices a positive score."
            )
    return problems

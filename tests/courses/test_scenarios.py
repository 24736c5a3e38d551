"""The scenario graph checks and scoring, as plain data."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.scenarios import Choice, Scenario, Step, graph_problems


def test_a_sound_graph_has_no_problems():
    problems = graph_problems([("start", [("end", 1), ("", 0)]), ("end", [("", 2)])])
    assert not problems
    assert problems.messages() == []


def test_duplicate_and_empty_ids_are_reported_on_the_step():
    problems = graph_problems([("a", [("", 1)]), ("a", [("", 1)]), ("", [("", 1)])])
    assert problems.steps[1] == ["The id 'a' is already used by step 1; step ids must be unique."]
    assert "Give this step an id" in problems.steps[2][0]


def test_a_choice_leading_to_a_missing_step_names_the_valid_ids():
    problems = graph_problems([("start", [("nowhere", 1), ("", 1)])])
    assert problems.choices[(0, 0)] == [
        "Leads to step 'nowhere', which does not exist. Use one of 'start', or leave it "
        "empty to end the scenario here."
    ]


def test_an_unreachable_step_is_reported():
    problems = graph_problems([("start", [("", 1)]), ("island", [("", 1)])])
    assert problems.steps[1] == [
        "Step 'island' cannot be reached from the first step 'start'; point a choice at it "
        "or remove it."
    ]


def test_a_loop_is_reported_on_the_choice_that_closes_it():
    problems = graph_problems([("a", [("b", 1)]), ("b", [("c", 1), ("", 1)]), ("c", [("a", 1)])])
    assert problems.choices[(2, 0)] == [
        "Makes a loop (a → b → c → a); every choice must move forward towards an ending."
    ]


def test_no_reachable_ending():
    problems = graph_problems([("a", [("b", 1)]), ("b", [("a", 1)])])
    assert any("No path from the first step reaches an ending" in m for m in problems.general)


def test_a_best_path_worth_nothing_cannot_pass():
    problems = graph_problems([("a", [("", 0), ("", -2)])])
    assert problems.general == [
        "The best path scores 0 points, so nobody could pass; give the good choices a "
        "positive score."
    ]


def test_no_steps():
    assert graph_problems([]).general == ["Add at least one step."]


def _scenario(steps, pass_percentage=70):
    return Scenario(
        title="t",
        pass_percentage=pass_percentage,
        steps=tuple(
            Step(step_id, "", None, tuple(Choice("", "", score, nxt) for nxt, score in choices))
            for step_id, choices in steps
        ),
    )


def test_best_score_takes_the_best_path_not_the_best_choices():
    # Greedy would take +5 then at most 1; the best path is 1 + 10.
    scenario = _scenario(
        [
            ("start", [("poor", 5), ("rich", 1)]),
            ("poor", [("", 1)]),
            ("rich", [("", 10), ("", -3)]),
        ]
    )
    assert scenario.best_score == 11
    assert scenario.percentage(11) == 100
    assert scenario.percentage(6) == 55
    assert scenario.percentage(-5) == 0
    assert not scenario.passes(6)
    assert scenario.passes(8)


@given(st.integers(min_value=2, max_value=12), st.data())
def test_random_forward_graphs_are_sound_and_scored(size, data):
    # Every choice points forward (to a later step) or ends: always a DAG; step i links
    # to i+1 so every step is reachable.
    steps = []
    for index in range(size):
        choices = [(f"s{index + 1}" if index + 1 < size else "", data.draw(st.integers(1, 5)))]
        extra = data.draw(st.lists(st.integers(index + 1, size), max_size=3))
        choices += [(f"s{t}" if t < size else "", data.draw(st.integers(-3, 5))) for t in extra]
        steps.append((f"s{index}", choices))
    assert not graph_problems(steps)
    scenario = _scenario(steps)
    assert scenario.best_score >= size  # the chain alone gives at least 1 per step
    assert scenario.percentage(scenario.best_score) == 100


@pytest.mark.parametrize(
    ("steps", "where"),
    [
        ([("a", [("a", 1), ("", 1)])], (0, 0)),  # a step pointing at itself
    ],
)
def test_self_loops(steps, where):
    assert "loop" in graph_problems(steps).choices[where][0]

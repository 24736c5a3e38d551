from hypothesis import given
from hypothesis import strategies as st

from portal.sharing import quality


def test_personal_touch_measures_how_much_of_the_text_is_new():
    suggested = "Our new wind farm powers 200,000 homes."
    assert quality.personal_touch(caption=suggested, suggested=suggested) == 0
    assert quality.personal_touch(caption="  " + suggested.upper(), suggested=suggested) == 0
    some = quality.personal_touch(caption="Proud of my team! " + suggested, suggested=suggested)
    all_new = quality.personal_touch(caption="Something else entirely", suggested=suggested)
    assert 0 < some < all_new == 1
    assert quality.personal_touch(caption="", suggested=suggested) == 0
    assert quality.personal_touch(caption="Mine", suggested="") == 1


def test_the_4_1_1_mix_scores_best_near_one_in_six_of_our_own():
    ideal = quality.mix_balance(own=1, curated=5)
    assert ideal > 0.95
    assert quality.mix_balance(own=10, curated=0) < 0.4 < ideal
    # A first share of either kind is not judged as a whole mix.
    assert quality.mix_balance(own=1, curated=0) > 0.8
    assert quality.mix_balance(own=0, curated=1) > 0.8


def test_clicks_count_on_a_log_scale_so_size_alone_does_not_win():
    def score(clicks):
        return quality.share_quality(
            clicks=clicks, conversions=0, touch=0.5, balance=1, relevance=1
        ).score

    assert score(0) < score(5) < score(50)
    # Per click, the first few count most: ten times the clicks is not ten times the score.
    assert (score(5) - score(0)) / 5 > 5 * (score(50) - score(5)) / 45 > 0
    assert score(50) == score(5000)  # full marks at 50


@given(
    clicks=st.integers(0, 10**6),
    conversions=st.integers(0, 10**4),
    touch=st.floats(-1, 2),
    balance=st.floats(-1, 2),
    relevance=st.floats(-1, 2),
)
def test_quality_is_always_0_to_100_and_explains_every_point(
    clicks, conversions, touch, balance, relevance
):
    result = quality.share_quality(
        clicks=clicks, conversions=conversions, touch=touch, balance=balance, relevance=relevance
    )
    assert 0 <= result.score <= 100
    assert result.score == sum(part.points for part in result.parts)
    assert all(0 <= part.points <= part.out_of and part.why for part in result.parts)


def test_steps_are_given_once_each_in_order():
    assert quality.steps_reached(quality=60, already=0) == [25, 50]
    assert quality.steps_reached(quality=60, already=50) == []
    assert quality.steps_reached(quality=100, already=50) == [75, 100]

"""What a statement says in lists and toasts: the quality step it reached, and grammar
that fits "you"."""

from portal.activity.models import Activity
from portal.activity.verbs import RECOGNITION_RECEIVED, SHARE_QUALITY
from portal.notifications.services import notification_text


def test_each_quality_step_says_which_it_is():
    def said(step):
        return Activity(verb=SHARE_QUALITY.id, result={"step": step}).verb_label

    assert said(25) == "Reached share quality 25 of 100"
    assert said(50) == "Reached share quality 50 of 100 (a quality share)"
    assert said(100) == "Reached share quality 100 of 100 (a quality share)"


def test_recognition_speaks_to_the_person_in_good_grammar():
    recognised = Activity(verb=RECOGNITION_RECEIVED.id, result={})
    assert recognised.verb_label == "Was recognised"
    toast = notification_text("points_earned", points=20, verb=recognised.you_label, label="")
    assert toast["body"] == "You were recognised."

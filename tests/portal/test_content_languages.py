"""Content per language (wagtail-localize): people read the published version in their
language where one exists, and everything they do counts on the original."""

import pytest
from django.contrib.messages.storage import default_storage
from django.urls import reverse

from badges.models import Badge
from badges.services import badges_award_earned
from courses.models import CoursePage, LessonCompletion, LessonPage
from portal.locales import is_original, localised, originals, translate
from portal.sharing.models import ContentItem, Share
from tests.badges.factories import badge
from tests.courses.factories import block, course_index, course_with_lessons, quiz_value
from tests.people.factories import UserFactory
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db

GERMAN_LESSON = {
    "Lesson 1": "Lektion 1",
    "Check yourself": "Prüfen Sie sich",
    "May you share a draft price list?": "Dürfen Sie eine Preisliste im Entwurf teilen?",
    "Yes": "Ja",
    "No": "Nein",
}


def _german_reader(**profile):
    return UserFactory(profile__onboarded=True, profile__language="de", **profile)


def _course():
    course, (lesson,) = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    translate(course, "de", {"Social media guidelines": "Social-Media-Leitlinien",
                             "What to share and how.": "Was man teilt, und wie."})  # fmt: skip
    translate(lesson, "de", GERMAN_LESSON)
    return course, lesson


def test_a_german_reader_reads_the_german_lesson_and_completes_the_original(client):
    course, lesson = _course()
    german = lesson.get_translation(lesson.locale.__class__.objects.get(language_code="de"))
    assert german.live
    assert german.pk != lesson.pk
    reader = _german_reader()
    client.force_login(reader)
    page = client.get(lesson.url).content.decode()
    assert "<h1>Lektion 1</h1>" in page
    assert "Dürfen Sie eine Preisliste im Entwurf teilen?" in page
    assert "Social-Media-Leitlinien" in page  # the breadcrumb
    # Answering posts to the original's address and is scored on the original's blocks.
    quiz_id = next(child.id for child in lesson.body if child.block_type == "quiz")
    response = client.post(
        f"{lesson.url}quiz/{quiz_id}/", {"questions": "2", "q1": "1", "q2": ["0", "1"]}
    )
    assert response.status_code == 302
    assert LessonCompletion.objects.filter(user=reader, lesson=lesson).exists()
    assert not LessonCompletion.objects.filter(lesson_id=german.pk).exists()
    # The course page lists the German titles and counts the original's progress.
    course_page = client.get(course.url).content.decode()
    assert "Lektion 1" in course_page
    assert "100" in course_page


def test_english_readers_and_languages_without_a_version_see_the_original(client):
    _, lesson = _course()
    for language in ("en-gb", "fr"):
        client.force_login(UserFactory(profile__onboarded=True, profile__language=language))
        page = client.get(lesson.url).content.decode()
        assert "<h1>Lesson 1</h1>" in page
        assert "Lektion" not in page


def test_a_draft_translation_is_not_shown_until_it_is_published(client):
    course, (lesson,) = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    translate(course, "de", {})
    translate(lesson, "de", GERMAN_LESSON, publish=False)
    client.force_login(_german_reader())
    assert "<h1>Lesson 1</h1>" in client.get(lesson.url).content.decode()


def test_translations_are_never_courses_of_their_own(client):
    _course()
    gated, _ = course_with_lessons(title="Before you share", unlocks_sharing=True)
    translate(gated, "de", {"Before you share": "Bevor Sie teilen"})
    assert originals(CoursePage.objects.live()).count() == 2
    assert CoursePage.objects.live().count() == 4
    reader = _german_reader()
    client.force_login(reader)
    index = client.get(course_index().url).content.decode()
    assert index.count('class="card course-card') == 2
    assert "Social-Media-Leitlinien" in index
    assert "Bevor Sie teilen" in index
    # One course gates sharing, not its translation too.
    from courses.selectors import sharing_blockers

    assert [blocker.pk for blocker in sharing_blockers(user=reader)] == [gated.pk]


def test_the_index_reads_translations_in_one_query_per_model(client, django_assert_max_num_queries):
    for number in range(3):
        course, (_lesson,) = course_with_lessons(title=f"Course {number}")
        translate(course, "de", {f"Course {number}": f"Kurs {number}"})
    client.force_login(_german_reader())
    client.get(course_index().url)  # warm the caches
    with django_assert_max_num_queries(40) as few:
        client.get(course_index().url)
    course, _ = course_with_lessons(title="Course 9")
    translate(course, "de", {"Course 9": "Kurs 9"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(course_index().url).content.decode()
    assert "Kurs 9" in page


def test_a_german_hub_item_is_read_and_shared_as_its_original(client):
    item = content_item(summary="Clean power for 200,000 homes.")
    german = translate(item, "de", {
        "Our wind farm is live": "Unser Windpark ist in Betrieb",
        "Our new wind farm powers 200,000 homes.":
            "Unser neuer Windpark versorgt 200.000 Haushalte.",
    })  # fmt: skip
    assert german.live
    assert not is_original(german)
    reader = _german_reader()
    client.force_login(reader)
    hub = client.get(reverse("sharing:hub")).content.decode()
    assert hub.count('class="card-title"') == 1
    assert "Unser Windpark ist in Betrieb" in hub
    found = client.get(reverse("sharing:hub"), {"q": "windpark"}).content.decode()
    assert "Unser Windpark ist in Betrieb" in found
    form = client.get(reverse("sharing:share", args=[item.pk]))
    assert form.context["form"].initial["caption"] == (
        "Unser neuer Windpark versorgt 200.000 Haushalte."
    )
    assert client.get(reverse("sharing:share", args=[german.pk])).status_code == 404
    response = client.post(
        reverse("sharing:share", args=[item.pk]),
        {"network": ["linkedin"], "caption": "Unser neuer Windpark versorgt 200.000 Haushalte."},
    )
    assert response.status_code == 302
    assert Share.objects.get(user=reader).item_id == item.pk
    assert ContentItem.objects.count() == 2
    assert originals(ContentItem.objects.all()).get() == item


def test_badges_are_read_in_german_and_only_originals_are_earned(client):
    original = badge("points", count=0, name="Getting started", criteria_text="Earn points.")
    german = translate(original, "de", {"Getting started": "Der Anfang",
                                        "Earn points.": "Sammeln Sie Punkte."})  # fmt: skip
    assert german.slug == original.slug
    assert german.locale_id != original.locale_id
    reader = _german_reader()
    awarded = badges_award_earned(user=reader)
    assert [award.badge_id for award in awarded] == [original.pk]
    client.force_login(reader)
    gallery = client.get(reverse("badges:gallery")).content.decode()
    assert "Der Anfang" in gallery
    assert gallery.count("badge-card") == 1
    detail = client.get(reverse("badges:detail", args=[original.slug])).content.decode()
    assert "Sammeln Sie Punkte." in detail
    mine = client.get(reverse("badges:mine")).content.decode()
    assert "Der Anfang" in mine
    assert Badge.objects.count() == 2


def test_localised_falls_back_per_object_and_keeps_order():
    first = content_item(title="First")
    second = content_item(title="Second")
    translate(second, "de", {"Second": "Zweite"})
    assert [item.title for item in localised([first, second], "de")] == ["First", "Zweite"]
    assert [item.title for item in localised([first, second], "fr")] == ["First", "Second"]


def test_authors_translate_a_page_in_the_admin(client, programme_admin):
    _, (lesson,) = course_with_lessons()
    client.force_login(programme_admin)
    url = reverse("wagtail_localize:submit_page_translation", args=[lesson.pk])
    assert client.get(url).status_code == 200
    german = lesson.locale.__class__.objects.get(language_code="de")
    response = client.post(url, {"locales": [german.pk], "include_subtree": ""})
    assert response.status_code == 302
    assert LessonPage.objects.filter(translation_key=lesson.translation_key).count() == 2
    translation = lesson.get_translation(german)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk]))
    assert editor.status_code == 200


def test_authors_preview_a_german_draft_on_its_original(rf, programme_admin):
    course, (lesson,) = course_with_lessons(lessons=[[block("quiz", quiz_value())]])
    translate(course, "de", {})
    german = translate(lesson, "de", GERMAN_LESSON, publish=False)
    request = rf.get(lesson.url)
    request.user = programme_admin
    request.session = {}
    request._messages = default_storage(request)
    preview = german.serve_preview(request, german.default_preview_mode)
    assert preview.status_code == 200
    page = preview.render().content.decode()
    assert "<h1>Lektion 1</h1>" in page
    # The draft is shown on its original: the quiz posts to the original's address.
    assert f'action="{lesson.url}quiz/' in page


def test_the_home_page_in_german_and_every_address_still_served_by_the_original(client):
    from cms.models import HomePage

    home = originals(HomePage.objects.all()).get()
    home.hero_title = "Speak for us"
    home.save_revision().publish()
    translate(home, "de", {"Speak for us": "Sprechen Sie für uns"})
    course, _lessons = course_with_lessons()
    client.force_login(_german_reader())
    assert "Sprechen Sie für uns" in client.get("/").content.decode()
    # Below the German home, the original tree answers (the course has no translation).
    assert client.get(course.url).status_code == 200
    client.force_login(UserFactory(profile__onboarded=True, profile__language="en-gb"))
    assert "Speak for us" in client.get("/").content.decode()

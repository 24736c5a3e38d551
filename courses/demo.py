"""Demo training content, in our own words: the onboarding courses and a purpose workshop.

``seed_demo`` calls ``demo_training_create`` once on a new database. Everything goes
through the same page models and services a real programme uses.
"""

import uuid

from wagtail.models import Site

from portal.people.models import User

from . import services
from .blocks import QuizBlock, ScenarioBlock
from .content import stream
from .models import CourseIndexPage, CoursePage, LessonPage, TrainingSettings, WorkshopPage
from .scenarios import _best_from


def _scenario(title, introduction, steps, pass_percentage=70):
    return {
        "type": "scenario",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "introduction": introduction,
            "pass_percentage": pass_percentage,
            "steps": [
                {
                    "step_id": step_id,
                    "situation": f"<p>{situation}</p>",
                    "image": None,
                    "choices": [
                        {"label": label, "feedback": feedback, "score": score, "next_step": nxt}
                        for label, feedback, score, nxt in choices
                    ],
                }
                for step_id, situation, choices in steps
            ],
        },
    }


def _text(html):
    return {"type": "paragraph", "id": str(uuid.uuid4()), "value": html}


def _do_dont(do, dont):
    return {"type": "do_dont", "id": str(uuid.uuid4()), "value": {"do": do, "dont": dont}}


def _reflection(prompt, guidance="Only you and your mentor can read your answer."):
    return {
        "type": "reflection",
        "id": str(uuid.uuid4()),
        "value": {"prompt": prompt, "guidance": guidance},
    }


def _quiz(title, questions, pass_percentage=70):
    return {
        "type": "quiz",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "pass_percentage": pass_percentage,
            "questions": [
                {
                    "question": question,
                    "multiple": multiple,
                    "options": [
                        {"label": label, "correct": correct, "feedback": feedback}
                        for label, correct, feedback in options
                    ],
                }
                for question, multiple, options in questions
            ],
        },
    }


OPINION_OR_FACT = _scenario(
    "Opinion or fact?",
    "A trade magazine asks on LinkedIn whether heat pumps work in old houses.",
    [
        (
            "start",
            "You know the topic well from your job in the field team. How do you start your "
            "comment?",
            [
                (
                    "“As a Northwind engineer, in my experience they work well once the house "
                    "is insulated.”",
                    "Good: you say where you work and mark your experience as yours.",
                    3,
                    "figures",
                ),
                (
                    "“Heat pumps work in every house. Period.”",
                    "A sweeping claim stated as fact, with no sign that you work in the trade. "
                    "Readers will take it as the company's promise.",
                    0,
                    "pushback",
                ),
            ],
        ),
        (
            "figures",
            "Someone asks how much a customer saves. You remember a figure from an internal "
            "slide deck.",
            [
                (
                    "Link to the savings calculator on our public website.",
                    "Right: a public source anyone can check, and no internal numbers.",
                    3,
                    "",
                ),
                (
                    "Quote the figure from the internal deck.",
                    "Internal figures are not yours to publish, and out of context they mislead.",
                    -2,
                    "",
                ),
            ],
        ),
        (
            "pushback",
            "A reader replies: “Says who? Do you sell these?”",
            [
                (
                    "“Fair question: I work at Northwind, so I'm not neutral. Here is an "
                    "independent test.”",
                    "Disclosing late is better than never, and pointing to an independent "
                    "source rebuilds trust.",
                    2,
                    "",
                ),
                (
                    "Delete your comment.",
                    "Deleting without a word looks like hiding something.",
                    0,
                    "",
                ),
            ],
        ),
    ],
)

THE_SCREENSHOT = _scenario(
    "The screenshot",
    "Your team just hit a big milestone and you want to celebrate it publicly.",
    [
        (
            "start",
            "You take a photo of the team in front of the project board. Behind them, the "
            "board shows customer names and next quarter's dates.",
            [
                (
                    "Retake the photo somewhere neutral.",
                    "Exactly: check the background before you post. Screens, whiteboards and "
                    "badges leak more than people think.",
                    3,
                    "caption",
                ),
                (
                    "Post it; the text is small.",
                    "People zoom in. Customer names and plans are confidential.",
                    -2,
                    "posted",
                ),
            ],
        ),
        (
            "caption",
            "Now the caption. What do you write?",
            [
                (
                    "“Proud of this team: six months of work and the new grid link is live!”",
                    "Your own words and a public fact: a great post.",
                    3,
                    "",
                ),
                (
                    "“Big things coming next quarter, can't say more ;)”",
                    "Hinting at unannounced plans invites speculation you are responsible for.",
                    0,
                    "",
                ),
            ],
        ),
        (
            "posted",
            "An hour later a colleague messages you: the customer names are readable.",
            [
                (
                    "Delete it, tell your manager and repost a clean version.",
                    "Right: act fast and be open about it. You are responsible for what you "
                    "publish, and fixing it quickly limits the harm.",
                    2,
                    "",
                ),
                (
                    "Leave it up; it already has likes.",
                    "Likes do not make it less confidential. Take it down.",
                    -2,
                    "",
                ),
            ],
        ),
    ],
)

BORROWED_PHOTO = _scenario(
    "A great photo you did not take",
    "You write a post about wind power and want a striking picture with it.",
    [
        (
            "start",
            "A search finds a stunning photo of offshore turbines on a photographer's site.",
            [
                (
                    "Use a photo from our media library instead.",
                    "Good: the company has the rights to those for exactly this.",
                    3,
                    "credit",
                ),
                (
                    "Download it and post it; it's on the internet anyway.",
                    "Being online does not make a photo free to use. That is copyright "
                    "infringement, and it is you who posted it.",
                    -2,
                    "notice",
                ),
                (
                    "Ask the photographer for permission first.",
                    "Also right, if they agree in writing and you credit them as they ask.",
                    2,
                    "credit",
                ),
            ],
        ),
        (
            "credit",
            "You also quote two sentences from a news article. How do you use them?",
            [
                (
                    "Quote briefly, name the source and link to it.",
                    "Right: short quotes with a credit and a link are fair and helpful.",
                    3,
                    "",
                ),
                (
                    "Paste the whole article into your post.",
                    "Copying a whole article is not quoting. Link to it instead.",
                    -1,
                    "",
                ),
            ],
        ),
        (
            "notice",
            "The photographer comments asking who allowed you to use the photo.",
            [
                (
                    "Apologise, remove it and use a licensed picture.",
                    "The right way out: own the mistake and fix it.",
                    1,
                    "",
                ),
                (
                    "Argue that the photo was public.",
                    "That makes it worse, in public.",
                    -2,
                    "",
                ),
            ],
        ),
    ],
)

CUSTOMER_COMPLAINT = _scenario(
    "A customer complains under your post",
    "You shared our new app release. A customer replies angrily that the app lost their "
    "meter readings.",
    [
        (
            "start",
            "The comment is rude and in capital letters.",
            [
                (
                    "Thank them for telling you and point them to customer support.",
                    "Calm, quick and helpful. You acknowledge the problem without debating it.",
                    3,
                    "second",
                ),
                (
                    "Tell them they must have used the app wrongly.",
                    "Blaming a customer in public escalates, whatever the facts.",
                    -1,
                    "escalates",
                ),
                ("Ignore it.", "Silence can read as not caring; a short reply helps.", 0, "second"),
            ],
        ),
        (
            "second",
            "They write back with their account number and address.",
            [
                (
                    "Ask them to remove it and continue in a private message with support.",
                    "Right: protect their privacy and move personal details out of public view.",
                    3,
                    "",
                ),
                (
                    "Look up their account and answer publicly.",
                    "Never discuss a customer's account in public, and leave it to support.",
                    -2,
                    "",
                ),
            ],
        ),
        (
            "escalates",
            "Others join in, some attacking the customer personally.",
            [
                (
                    "Ask everyone to stay respectful, apologise for your tone and point to "
                    "support.",
                    "Good recovery: respect for everyone in the thread comes first.",
                    2,
                    "",
                ),
                (
                    "Like the comments that mock the customer.",
                    "A like is a statement too. Never join in on attacks.",
                    -2,
                    "",
                ),
            ],
        ),
    ],
)

WHO_CAN_SEE = _scenario(
    "Who can see this?",
    "You are setting up your profile to share work content.",
    [
        (
            "start",
            "Your profile is public and shows your children's school from an old post.",
            [
                (
                    "Review your privacy settings and old posts before sharing for work.",
                    "Right: more people will visit your profile once you share. Decide what "
                    "they see.",
                    3,
                    "location",
                ),
                (
                    "It's fine, nobody looks at old posts.",
                    "New followers often do. Check what is public.",
                    0,
                    "location",
                ),
            ],
        ),
        (
            "location",
            "Your phone adds your location to every post by default.",
            [
                (
                    "Turn location tagging off and add a place only when you mean to.",
                    "Good: sharing where you are, live, is rarely needed.",
                    3,
                    "colleagues",
                ),
                ("Leave it on.", "Your home and routines become easy to find.", -1, "colleagues"),
            ],
        ),
        (
            "colleagues",
            "You want to post a team photo from the summer party.",
            [
                (
                    "Ask the people in it first, and leave out anyone who says no.",
                    "Exactly: their privacy is theirs to decide.",
                    3,
                    "",
                ),
                (
                    "Post it and tag everyone.",
                    "Tagging people who did not agree exposes them. Ask first.",
                    -1,
                    "",
                ),
            ],
        ),
    ],
)


GUIDELINES_LESSONS = [
    (
        "Speaking for yourself",
        "Your voice is what makes sharing work; it also comes with a few simple rules.",
        [
            _text(
                "<p>When you share about work, people see <b>you</b>, not a logo. That is why "
                "your posts reach further than ours, and why a few habits matter: say that you "
                "work here, keep opinions and facts apart, and stick to what is public.</p>"
            ),
            _do_dont(
                [
                    "Say that you work at Northwind when you talk about our work",
                    "Mark your opinion as yours (“I think”, “in my experience”)",
                    "Link to public sources for figures",
                ],
                [
                    "Present an opinion as the company's position",
                    "Quote internal figures, even rounded",
                    "Answer legal or press questions yourself; pass them on",
                ],
            ),
            OPINION_OR_FACT,
            _quiz(
                "Check yourself: disclosure",
                [
                    (
                        "When should you mention that you work at Northwind?",
                        False,
                        [
                            (
                                "Whenever you talk about our products, prices or industry",
                                True,
                                "Right: readers deserve to know where you stand.",
                            ),
                            (
                                "Only when someone asks",
                                False,
                                "By then trust is already lost; say it up front.",
                            ),
                            ("Never", False, "Hiding it is the one thing that always backfires."),
                        ],
                    ),
                    (
                        "Which of these are opinions you may share as your own?",
                        True,
                        [
                            ("“I enjoy working on the grid team.”", True, ""),
                            ("“I think heat pumps suit most new homes.”", True, ""),
                            (
                                "“Our Q3 revenue will beat the forecast.”",
                                False,
                                "That is a forward-looking statement about the company, "
                                "and not yours to make.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "What you publish stays published",
        "Screenshots, photos and quotes: what is ours to share and what is not.",
        [
            _text(
                "<p>Anything you post can be copied, even if you delete it a minute later. You "
                "are responsible for what you publish, so check two things before you post: "
                "is anything in it confidential, and do we have the right to use it?</p>"
            ),
            THE_SCREENSHOT,
            BORROWED_PHOTO,
        ],
    ),
    (
        "When the conversation turns",
        "Criticism, respect for others and your own privacy.",
        [
            _text(
                "<p>Sooner or later someone will disagree with you in public. Stay calm, be "
                "respectful to everyone in the thread, and move personal details out of "
                "public view. And before you share more, decide what your profile shows.</p>"
            ),
            CUSTOMER_COMPLAINT,
            WHO_CAN_SEE,
            _reflection("Which situation in this course would you find hardest, and why?"),
        ],
    ),
]

SHARING_WELL_LESSONS = [
    (
        "The 4-1-1 mix",
        "A feed worth following mixes your own content with others'.",
        [
            _text(
                "<p>For every piece of our own content you share, share one relevant piece "
                "from elsewhere and four from other people in your field. Your network follows "
                "you for your view of the field, not for our adverts.</p>"
            ),
            _quiz(
                "Check yourself: the mix",
                [
                    (
                        "You shared our press release today. What fits best next?",
                        False,
                        [
                            (
                                "A colleague's article from another company in your field",
                                True,
                                "Right: content from others keeps your feed balanced.",
                            ),
                            (
                                "Another Northwind press release",
                                False,
                                "Two in a row makes your feed look like an advert.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Your own voice",
        "Add a sentence of your own: why it matters to you, what you learned.",
        [
            _text(
                "<p>The suggested captions in the hub are a starting point. Posts with a "
                "personal sentence get more attention and more trust, and they count as "
                "quality shares here.</p>"
            ),
            _do_dont(
                ["Say why the post matters to you", "Ask your network a question"],
                ["Copy the suggested caption word for word every time"],
            ),
            _reflection("Write the first sentence you would add to your next share."),
        ],
    ),
]


WORKSHOP_STEPS: list[tuple[str, str, list[tuple[str, str, list[str]]]]] = [
    (
        "Finding the business purpose",
        "<p>Start from what the company already says: the mission on our website, the "
        "annual report, the strategy pages on the intranet.</p>",
        [
            (
                "What does our mission say we are here for?",
                "Look at the website and the annual report.",
                [],
            ),
            ("Which business goals could employees' voices help with?", "", []),
        ],
    ),
    (
        "Finding the employees' purpose",
        "<p>Why would someone join the programme? Pick what fits you and add your own.</p>",
        [
            (
                "Why would you take part?",
                "",
                [
                    "Be part of something new",
                    "Get better at social media",
                    "Grow my career",
                    "Share my expertise",
                    "Connect with customers",
                    "Other",
                ],
            ),
        ],
    ),
    (
        "The practical questions",
        "",
        [
            ("At our best, we are like what?", "", []),
            ("What should change in how we communicate?", "", []),
            ("What should happen because of this programme?", "", []),
            ("What does the programme look like at its very best?", "", []),
            ("What further benefits could it bring?", "", []),
            ("Which metrics or customer groups matter most?", "", []),
            ("Which resources do we need?", "", []),
            ("What does taking part say about you?", "", []),
            ("What is the next step?", "", []),
        ],
    ),
]

WORKSHOP_ANSWERS: list[tuple] = [
    ("What does our mission say we are here for?", "Making clean energy simple for homes."),
    ("Why would you take part?", "", ["Share my expertise", "Connect with customers"]),
    ("Why would you take part?", "I want to learn to write better posts.", ["Grow my career"]),
    ("At our best, we are like what?", "A neighbour who happens to be an engineer."),
    ("Which metrics or customer groups matter most?", "Homeowners thinking about heat pumps."),
    ("What should change in how we communicate?", "Less jargon, more real projects."),
]


def demo_training_create(*, home) -> dict:
    """Create the course index, both courses, the onboarding path and a workshop."""
    index = home.add_child(
        instance=CourseIndexPage(
            title="Training",
            slug="courses",
            introduction="Short, realistic practice before you share, and more when you want it.",
        )
    )
    guidelines = _course(
        index,
        "Social media guidelines",
        "What to share, what not to, and how to handle the tricky moments. Complete it to "
        "unlock sharing.",
        GUIDELINES_LESSONS,
        unlocks_sharing=True,
        minutes=25,
        points=100,
    )
    sharing_well = _course(
        index,
        "Sharing well",
        "The 4-1-1 mix and adding your own voice.",
        SHARING_WELL_LESSONS,
        minutes=10,
        points=50,
    )
    sharing_well.prerequisites.set([guidelines])
    sharing_well.save_revision().publish()

    training = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    training.onboarding_courses = [("course", guidelines), ("course", sharing_well)]
    training.save()

    workshop = index.add_child(
        instance=WorkshopPage(
            title="Why we share: our purpose workshop",
            slug="purpose-workshop",
            introduction="Help shape why this programme exists, for the company and for you. "
            "Answer any prompt, as often as you like, with your name or anonymously.",
            steps=stream(
                WorkshopPage,
                "steps",
                [
                    {
                        "type": "step",
                        "value": {
                            "title": title,
                            "introduction": introduction,
                            "prompts": [
                                {"question": q, "help_text": h, "options": o} for q, h, o in prompts
                            ],
                        },
                    }
                    for title, introduction, prompts in WORKSHOP_STEPS
                ],
            ),
        )
    )
    return {"index": index, "guidelines": guidelines, "sharing_well": sharing_well,
            "workshop": workshop}  # fmt: skip


def _course(index, title, summary, lessons, *, unlocks_sharing=False, minutes, points):
    course = index.add_child(
        instance=CoursePage(
            title=title,
            summary=summary,
            audience="Everyone in the programme",
            estimated_minutes=minutes,
            completion_points=points,
            unlocks_sharing=unlocks_sharing,
        )
    )
    for lesson_title, introduction, body in lessons:
        course.add_child(
            instance=LessonPage(
                title=lesson_title,
                introduction=introduction,
                body=stream(LessonPage, "body", body),
            )
        )
    return course


def demo_training_history(*, courses: dict, learners, facilitator, rng) -> None:
    """Let the lead-in group take the courses, answer the workshop and rate the course."""
    workshop = courses["workshop"]
    services.workshop_facilitator_add(workshop=workshop, user=facilitator)

    def take(user: User, course, *, perfect: bool):
        for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
            assessed = False
            for child in lesson.body:
                if child.block_type == "scenario":
                    assessed = True
                    scenario = ScenarioBlock.scenario(child.value)
                    if not perfect:  # a first try that goes wrong, then the retry
                        _play(services, user, lesson, child.id, scenario, worst=True)
                    _play(services, user, lesson, child.id, scenario, worst=False)
                elif child.block_type == "quiz":
                    assessed = True
                    quiz = QuizBlock.quiz(child.value)
                    services.quiz_submit(
                        user=user,
                        lesson=lesson,
                        block_id=child.id,
                        answers=[sorted(q.correct) for q in quiz.questions],
                    )
                elif child.block_type == "reflection":
                    services.reflection_save(
                        user=user, lesson=lesson, block_id=child.id,
                        text="Answering criticism calmly; I tend to reply too fast.",
                    )  # fmt: skip
            if not assessed:
                services.lesson_complete(user=user, lesson=lesson)

    def _play(services, user: User, lesson, block_id, scenario, *, worst):
        attempt = services.scenario_start(user=user, lesson=lesson, block_id=block_id)
        step = scenario.start
        memo: dict[str, int] = {}
        while step is not None:

            def value(choice):
                rest = _best_from(choice.next_step, scenario.by_id, memo) if choice.next_step else 0
                return choice.score + rest

            ranked = sorted(range(len(step.choices)), key=lambda i: value(step.choices[i]))
            index = ranked[0] if worst else ranked[-1]
            outcome = services.scenario_choose(
                user=user, lesson=lesson, block_id=block_id, attempt_id=attempt.pk,
                step_id=step.id, position=attempt.position, choice_index=index,
            )  # fmt: skip
            attempt = outcome.attempt
            step = scenario.step(attempt.current_step) if attempt.current_step else None

    for number, user in enumerate(learners):
        take(user, courses["guidelines"], perfect=number % 3 != 0)
        if number % 2 == 0:
            take(user, courses["sharing_well"], perfect=True)
        services.course_feedback_give(
            user=user,
            course=courses["guidelines"],
            rating=rng.choice([4, 4, 5, 5, 3]),
            comment=rng.choice(
                ["", "", "The complaint scenario felt very real.", "Short and useful.",
                 "More examples from the field team, please."]
            ),
        )  # fmt: skip

    prompts = {question: prompt_id for prompt_id, question in workshop.prompts().items()}
    for number, (question, text, *options) in enumerate(WORKSHOP_ANSWERS):
        answer = services.workshop_answer_add(
            user=learners[number % len(learners)],
            workshop=workshop,
            prompt_id=prompts[question],
            text=str(text),
            options=list(options[0]) if options else [],
            anonymous=number % 3 == 2,
        )
        if number in (0, 3):
            services.workshop_answer_highlight(
                by=facilitator, workshop=workshop, answer_id=answer.pk, highlighted=True
            )
    # Contributions are credited in batches, never as someone answers (the daily job does it
    # once five people wait); the demo's first session is over, so credit it now.
    services.workshop_contributions_credit(workshop=workshop, force=True)
    services.purpose_statement_save(
        by=facilitator,
        workshop=workshop,
        statement="We make clean energy simple for every home, and our people are the "
        "proof: engineers, advisers and installers who explain it in their own words.",
        objectives="Help homeowners understand heat pumps and solar through real projects\n"
        "Reach 2,000 new people a month through colleagues' networks\n"
        "Give everyone who takes part a skill they can take with them",
        publish=True,
    )

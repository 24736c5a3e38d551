"""python manage.py seed_demo [--password PW] [--if-new]

Builds a believable organisation for evaluating the portal: about 40 people in three
departments and six teams, with managers, mentors, interests, a lead-in group of active
advocates with some history, the home page and guidelines, and four demo logins.
"""

import csv
import io
import os
import random
import secrets
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from badges.demo import demo_badges_create
from badges.models import Badge
from badges.services import badge_award, badges_award_earned
from cms.models import BrandingSettings, GuidelinesPage, HomePage
from courses.demo import demo_training_create, demo_training_history
from courses.selectors import sharing_allowed
from portal.activity.services import activity_record
from portal.activity.verbs import ONBOARDING_COMPLETED, POINTS_ADJUSTED
from portal.locales import originals, translate
from portal.measurement.demo import demo_targets_create
from portal.mentoring.demo import demo_mentoring_create
from portal.people.importing import import_people
from portal.people.models import AdvocacyStyle, Profile, User, Visibility
from portal.people.services import Role, consent_set, role_add
from portal.recognition.demo import demo_recognition_create
from portal.sharing.demo import demo_items_create, demo_pilot_shares_create, demo_shares_create
from portal.sharing.models import ContentItem

ORGANISATION = "Northwind Energy"
PROGRAMME = "Northwind Voices"

# (department, team, team lead) and the department heads they report to.
DEPARTMENTS = {
    "Sales": ("Priya Raman", [("Field Sales", "Tomás Ortega"), ("Partnerships", "Grace Mensah")]),
    "Engineering": (
        "Lars Eriksen",
        [("Grid Software", "Mei Chen"), ("Hardware Lab", "Daniel Novak")],
    ),
    "Customer Success": (
        "Amara Okafor",
        [("Support", "Sofia Rossi"), ("Onboarding Services", "Jonas Weber")],
    ),
}
MEMBER_NAMES = [
    "Aisha Khan", "Ben Carter", "Chloe Dubois", "Diego Alvarez", "Elif Demir", "Finn O'Brien",
    "Hana Sato", "Ivan Petrov", "Julia Costa", "Kwame Asante", "Laura Schmidt", "Mateo Silva",
    "Nadia Haddad", "Oliver Brown", "Paula Nowak", "Rahul Mehta", "Sara Lindqvist",
    "Theo Martin", "Uma Iyer", "Victor Leroy", "Wen Li", "Yara Farouk", "Zoe Walsh",
    "Arjun Nair", "Bianca Moretti", "Carlos Mendes", "Dana Kowalski", "Emil Jansen",
    "Farah Aziz",
]  # fmt: skip
LOCATIONS = ["London", "Berlin", "Lisbon", "Stockholm", "Remote"]
INTERESTS = [
    "sustainability", "renewables", "careers", "engineering", "customer stories",
    "product news", "events", "diversity and inclusion", "research", "energy policy",
]  # fmt: skip
PILOT_MOMENTS = [
    ("Kick-off workshop: wrote my advocacy purpose", 20),
    ("Pilot: shared the wind-farm launch post with a personal note", 30),
    ("Pilot: curated an industry report for my network", 15),
    ("Pilot: answered questions under a company post", 10),
    ("Pilot: wrote an original post about my team's work", 40),
]

DEMO_LOGINS = {
    "admin@example.com": ("Morgan Blake", "Programme admin"),
    "manager@example.com": ("Tomás Ortega", "Manager"),
    "mentor@example.com": ("Mei Chen", "Mentor"),
    "advocate@example.com": ("Ben Carter", "New advocate"),
}


def _email_for(name: str) -> str:
    for email, (demo_name, _) in DEMO_LOGINS.items():
        if demo_name == name:
            return email
    local = name.lower().replace("'", "").replace("á", "a").replace(" ", ".")
    return f"{local}@example.com"


def _people_csv() -> bytes:
    """The organisation as a CSV, imported through the same path as a real one."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["email", "first_name", "last_name", "department", "team", "manager_email",
         "location", "job_role"]
    )  # fmt: skip

    def row(name, department, team, manager: str, role):
        first, last = name.split(" ", 1)
        location = rng.choice(LOCATIONS)
        writer.writerow([_email_for(name), first, last, department, team, manager, location, role])

    row("Morgan Blake", "Customer Success", "", "", "Advocacy programme lead")
    members = iter(MEMBER_NAMES)
    for department, (head, teams) in DEPARTMENTS.items():
        row(head, department, "", "", f"Head of {department}")
        for team, lead in teams:
            row(lead, department, team, _email_for(head), f"{team} lead")
            for _ in range(4 if team == "Partnerships" else 5):
                name = next(members, None)
                if name:
                    row(name, department, team, _email_for(lead), f"{team} specialist")
    return out.getvalue().encode()


# The demo's German wording (what a translator enters in wagtail-localize's editor).
GERMAN_DEMO = {
    "Speak for Northwind, in your own voice": "Sprechen Sie für Northwind, mit Ihrer Stimme",
    "Our engineers, sellers and support people know our work best. Learn to share it with "
    "confidence, find stories worth telling, and get recognised for it.": (
        "Unsere Ingenieurinnen, Vertriebler und Support-Teams kennen unsere Arbeit am "
        "besten. Lernen Sie, sie sicher zu teilen, finden Sie Geschichten, die sich lohnen, "
        "und werden Sie dafür anerkannt."
    ),
    "Why we do this": "Warum wir das tun",
    "Our new offshore wind farm is live": "Unser neuer Offshore-Windpark ist in Betrieb",
    "Forty turbines, power for 200,000 homes, built with our grid software.": (
        "Vierzig Turbinen, Strom für 200.000 Haushalte, gebaut mit unserer Netzsoftware."
    ),
    "Forty turbines, power for 200,000 homes, built with our grid software. Worth a read if "
    "you care about renewables and product news.": (
        "Vierzig Turbinen, Strom für 200.000 Haushalte, gebaut mit unserer Netzsoftware. "
        "Lesenswert für alle, die sich für erneuerbare Energien interessieren."
    ),
    "Guidelines graduate": "Leitlinien-Absolvent",
    "Complete the Social media guidelines course.": "Schließen Sie den Kurs zu den "
    "Social-Media-Leitlinien ab.",
    "Guidelines graduate: Complete the Social media guidelines course.": (
        "Leitlinien-Absolvent: Schließen Sie den Kurs zu den Social-Media-Leitlinien ab."
    ),
    "Century": "Hunderter",
    "Reach 100 points.": "Erreichen Sie 100 Punkte.",
    "Century: Reach 100 points.": "Hunderter: Erreichen Sie 100 Punkte.",
}
GERMAN_BADGES = ("guidelines-graduate", "century")


class Command(BaseCommand):
    help = "Fill a new database with a demo organisation and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD") or None,
            help="Password for every demo login (default: $DEMO_PASSWORD, else a random one).",
        )
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="Do nothing (and succeed) when the database already has people in it.",
        )

    def handle(self, *args, password, if_new, **options):
        if User.objects.exists():
            message = "The database already has people in it; demo data is seeded only once."
            if if_new:
                self.stdout.write(message)
                self._print_logins(None)
                return
            raise CommandError(message)
        password = password or secrets.token_urlsafe(9)
        with transaction.atomic():
            report = import_people(data=_people_csv())
            self._set_up_people(password)
            self._record_history()
            self._set_up_content()
            self._set_up_training()
            self._set_up_hub()
            self._set_up_badges()
            self._set_up_mentoring_and_recognition()
            self._set_up_translations()
            demo_targets_create()
        self.stdout.write(f"Demo organisation: {report.summary()}")
        self._print_logins(password)

    def _print_logins(self, password):
        self.stdout.write("Demo logins:")
        for email, (name, role) in DEMO_LOGINS.items():
            shown = password or "(as printed when first seeded)"
            self.stdout.write(f"  {role:<16} {email:<24} password: {shown}  ({name})")
        if password is None:
            self.stdout.write(
                "Forgotten the password? python manage.py changepassword admin@example.com"
            )

    def _set_up_people(self, password):
        rng = random.Random(7)  # noqa: S311 - demo data, not security
        invited = random.Random(13)  # noqa: S311 - apart, so the rest stays as it was
        now = timezone.now()
        people = list(User.objects.select_related("profile").order_by("email"))
        for user in people:
            if user.email in DEMO_LOGINS:
                user.set_password(password)
                user.save(update_fields=["password"])
        admin = User.objects.get(email="admin@example.com")
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        role_add(user=admin, role=Role.PROGRAMME_ADMIN)

        newcomer = "advocate@example.com"
        Profile.objects.filter(user__email=newcomer).update(cohort="Wave 2")
        lead_in = [user for user in people if user.email != newcomer]
        # Everyone but the newcomer has been through onboarding; about a third are the
        # pilot's "shining stars" with a history of activity.
        for index, user in enumerate(lead_in):
            profile: Profile = user.profile
            profile.advocacy_style = rng.choice(AdvocacyStyle.values)
            profile.leaderboard_visibility = (
                Visibility.HIDDEN
                if index % 11 == 5
                else Visibility.ALIAS
                if index % 9 == 4
                else Visibility.NAME
            )
            if profile.leaderboard_visibility == Visibility.ALIAS:
                profile.alias = f"{rng.choice(['Bright', 'Swift', 'Green', 'Clear'])} " + (
                    f"{rng.choice(['Turbine', 'Current', 'Spark', 'Grid'])} {index}"
                )
            profile.mentor_opt_in = user.email == "mentor@example.com" or index % 7 == 3
            profile.onboarded_at = now - timedelta(days=rng.randint(10, 60))
            profile.save()
            # Invited a few days to two weeks before they onboarded (the programme's
            # dashboard shows the time from invitation to first share).
            user.date_joined = profile.onboarded_at - timedelta(days=invited.randint(1, 14))
            user.save(update_fields=["date_joined"])
            profile.interests.set(rng.sample(INTERESTS, k=rng.randint(2, 4)))
            # Every onboarded person answered each consent question once (declines kept too).
            consent_set(
                user=user,
                answers={
                    "feed": index % 3 != 2,
                    "badge_evidence": index % 4 == 1,
                    "material": index % 3 == 0,
                },
                record_unchanged=True,
            )
            role_add(user=user, role=Role.ADVOCATE)
            if profile.mentor_opt_in:
                role_add(user=user, role=Role.MENTOR)

    def _record_history(self):
        rng = random.Random(11)  # noqa: S311 - demo data, not security
        pilot = random.Random(17)  # noqa: S311 - apart, so the rest stays as it was
        now = timezone.now()
        profiles = Profile.objects.filter(onboarded_at__isnull=False).select_related("user")
        for profile in profiles.order_by("user__email"):
            user = profile.user
            stars = user.email in ("mentor@example.com", "manager@example.com") or (
                rng.random() < 0.35
            )
            # The pilot's "shining stars" joined five months ago; the first wave after
            # them came about two months ago, the second in the last five weeks.
            if stars:
                profile.onboarded_at = now - timedelta(days=pilot.randint(145, 170))
                profile.cohort = "Pilot (shining stars)"
                user.date_joined = profile.onboarded_at - timedelta(days=pilot.randint(3, 10))
                user.save(update_fields=["date_joined"])
            else:
                profile.cohort = "Wave 1" if profile.onboarded_at < now - timedelta(days=35) \
                    else "Wave 2"  # fmt: skip
            profile.save(update_fields=["onboarded_at", "cohort"])
            activity_record(
                actor=user,
                verb=ONBOARDING_COMPLETED.id,
                key=f"onboarding.completed:{user.pk}",
                timestamp=profile.onboarded_at,
            )
            if not stars:
                continue
            for number, (reason, points) in enumerate(rng.sample(PILOT_MOMENTS, k=3)):
                activity_record(
                    actor=user,
                    verb=POINTS_ADJUSTED.id,
                    key=f"points.adjusted:seed:{user.pk}:{number}",
                    points=points,
                    result={"reason": reason},
                    context={"by": "admin@example.com", "seed": True},
                    timestamp=now
                    - timedelta(days=rng.randint(1, 9) * 14, hours=rng.randint(0, 23)),
                )

    def _set_up_training(self):
        home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
        courses = demo_training_create(home=home)
        # The lead-in group (the people with pilot history) has taken the training.
        learners = list(
            User.objects.filter(activities__verb=POINTS_ADJUSTED.id).distinct().order_by("email")
        )
        demo_training_history(
            courses=courses,
            learners=learners,
            facilitator=User.objects.get(email="mentor@example.com"),
            rng=random.Random(7),  # noqa: S311 - demo data, not security
        )

    def _set_up_hub(self):
        items = demo_items_create(admin=User.objects.get(email="admin@example.com"))
        sharers = [
            user
            for user in User.objects.filter(activities__verb=POINTS_ADJUSTED.id)
            .distinct()
            .order_by("email")
            if sharing_allowed(user=user)
        ]
        demo_shares_create(
            items=items,
            sharers=sharers,
            rng=random.Random(5),  # noqa: S311 - demo data, not security
        )
        # The pilot, months ago: the lead-in group shared before the courses existed.
        demo_pilot_shares_create(
            admin=User.objects.get(email="admin@example.com"),
            sharers=sharers,
            rng=random.Random(19),  # noqa: S311 - demo data, not security
        )

    def _set_up_mentoring_and_recognition(self):
        demo_mentoring_create(rng=random.Random(3))  # noqa: S311 - demo data, not security
        demo_recognition_create(rng=random.Random(4))  # noqa: S311 - demo data, not security

    def _set_up_badges(self):
        # The history above came before the badges: award what people already earned,
        # as `award_earned_badges` does after an admin adds a badge.
        demo_badges_create()
        for user in User.objects.order_by("email"):
            badges_award_earned(user=user)
        admin = User.objects.get(email="admin@example.com")
        star = originals(Badge.objects.all()).get(slug="shining-star")
        for email in ("mentor@example.com", "manager@example.com"):
            badge_award(
                badge=star,
                user=User.objects.get(email=email),
                by=admin,
                note="Led the pilot group and answered every question in the first month.",
            )

    def _set_up_translations(self):
        # Content per language: German versions of the home page's hero, a hub item and
        # two badges, as an author makes them in the admin (Translate, then Publish).
        site = Site.objects.get(is_default_site=True)
        home = HomePage.objects.get(pk=site.root_page_id)
        translate(home, "de", GERMAN_DEMO)
        item = originals(ContentItem.objects.filter(title="Our new offshore wind farm is live"))
        for original in [*item[:1], *originals(Badge.objects.filter(slug__in=GERMAN_BADGES))]:
            translate(original, "de", GERMAN_DEMO)

    def _set_up_content(self):
        site = Site.objects.get(is_default_site=True)
        branding = BrandingSettings.for_site(site)
        branding.organisation_name = ORGANISATION
        branding.programme_name = PROGRAMME
        branding.primary_colour = "#0b6e4f"
        branding.save()

        home = HomePage.objects.get(pk=site.root_page_id)
        home.hero_title = "Speak for Northwind, in your own voice"
        home.hero_text = (
            "Our engineers, sellers and support people know our work best. Learn to share "
            "it with confidence, find stories worth telling, and get recognised for it."
        )
        home.purpose = (
            "<p><b>For Northwind:</b> people trust people more than logos. When you share our "
            "work with a word of your own, it reaches customers and future colleagues we "
            "could never reach alone.</p><p><b>For you:</b> grow your professional network, "
            "get better at social media with a mentor, and be known for what you know.</p>"
        )
        if not home.get_children().type(GuidelinesPage).exists():
            guidelines = GuidelinesPage(
                title="Social media guidelines",
                slug="guidelines",
                summary=(
                    "Be yourself, be honest that you work here, and keep confidential things "
                    "confidential. When in doubt, ask the programme team before you post."
                ),
                body=[
                    ("heading", {"text": "The short version", "level": "h2"}),
                    (
                        "do_dont",
                        {
                            "do": [
                                "Say that you work at Northwind when you post about our work",
                                "Add your own view: why it matters to you",
                                "Share public content from the hub or our website",
                                "Be kind in comments, even when others are not",
                            ],
                            "dont": [
                                "Share numbers, customers or plans that are not public",
                                "Answer complaints or legal questions for the company",
                                "Post photos of sites or screens without checking them first",
                                "Argue with critics: flag it to the programme team instead",
                            ],
                        },
                    ),
                ],
            )
            home.add_child(instance=guidelines)
            guidelines.save_revision().publish()
        guidelines = home.get_children().type(GuidelinesPage).first()
        home.calls_to_action = [
            (
                "call_to_action",
                {
                    "audience": "Advocates",
                    "title": "Start with the guidelines",
                    "text": "Five minutes on what to share, what not to, and how to sound "
                    "like yourself.",
                    "link_label": "Read the guidelines",
                    "page": guidelines,
                    "url": "",
                },
            ),
            (
                "call_to_action",
                {
                    "audience": "Mentors",
                    "title": "Help a colleague find their voice",
                    "text": "Already confident on LinkedIn? Offer to mentor someone who is "
                    "just starting out.",
                    "link_label": "Offer to mentor",
                    "page": None,
                    "url": "/me/profile/",
                },
            ),
            (
                "call_to_action",
                {
                    "audience": "Managers",
                    "title": "Lead by example",
                    "text": "Set up your own profile first, then encourage your team and "
                    "recognise the people who take part.",
                    "link_label": "Go to your dashboard",
                    "page": None,
                    "url": "/me/",
                },
            ),
        ]
        home.save_revision().publish()

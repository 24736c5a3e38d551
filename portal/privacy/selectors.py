"""Reads for people's privacy pages: their consent history and how others see them."""

from dataclasses import dataclass

from badges.models import AwardVisibility, BadgeAward
from portal.mentoring.models import Pairing
from portal.people.consent import PURPOSES
from portal.people.models import ConsentRecord, PrivacySettings, Profile, User, Visibility
from portal.recognition.selectors import public_label


def consent_history(*, user: User) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(user=user).select_related("wording"))


def consent_state(*, profile: Profile) -> list[dict]:
    return [
        {"purpose": purpose, "granted": getattr(profile, purpose.field)}
        for purpose in PURPOSES.values()
    ]


@dataclass(frozen=True)
class Audience:
    """One kind of viewer and what they see of the person, each line with where to change it."""

    who: str
    lines: list[tuple[str, str]]  # (what they see, the url to change it or "")


def seen_by_others(*, user: User, profile_url: str, badges_url: str) -> list[Audience]:
    """How the person appears to a colleague, their manager, their mentor and the public,
    as the portal's own rules decide (the same properties the pages use)."""
    profile = user.profile
    config = PrivacySettings.load()
    listed = profile.leaderboard_visibility != Visibility.HIDDEN
    board_name = profile.public_name if listed else ""
    colleague = [
        (
            f"Leaderboards list you as “{board_name}”."
            if listed
            else "Leaderboards do not list you (you still see your own rank).",
            profile_url,
        ),
        (
            f"The recognition feed names you as “{public_label(user)}”"
            + (
                " with the messages you receive."
                if profile.consent_feed
                else "; messages to you stay private."
            ),
            profile_url,
        ),
        (
            f"When thanking someone, colleagues find you as “{profile.public_name}”."
            if listed
            else "When thanking someone, colleagues can find you only by your exact email.",
            profile_url,
        ),
        ("Your workshop answers show your name unless you answer anonymously.", ""),
    ]
    if config.works_council_mode and not profile.share_progress_with_manager:
        manager_sees = "Your team's figures only (participation, points, badges, from 5 people on)."
    else:
        manager_sees = (
            "Your training progress, scenario scores, shares and their quality, badges, points, "
            "level and last activity, on their team page."
        )
    # Only works-council mode lets the person choose; otherwise it is the programme's rule.
    manager = [(manager_sees, profile_url if config.works_council_mode else "")]
    if profile.manager_id:
        manager.insert(0, (f"Your manager in the portal: {profile.manager}.", ""))
    pairing = (
        Pairing.objects.filter(mentee=user, status=Pairing.Status.ACTIVE)
        .select_related("mentor")
        .first()
    )
    mentor = (
        [
            (
                f"{pairing.mentor.profile.name} mentors you and sees your progress, scenario "
                "scores, reflections, shares, badges and points while the pairing lasts.",
                "",
            )
        ]
        if pairing
        else [
            (
                "Nobody mentors you now; a mentor sees your progress and reflections only "
                "while paired.",
                "",
            )
        ]
    )
    awards = list(
        BadgeAward.objects.filter(user=user, revoked_at__isnull=True).select_related(
            "badge", "user__profile"
        )
    )
    public = [
        (
            "Nothing about you is public unless you have badges: their pages show what you "
            "choose per badge."
            if not awards
            else f"{len(awards)} badge page{'s' if len(awards) != 1 else ''}:",
            badges_url,
        )
    ]
    for award in awards:
        if award.visibility == AwardVisibility.PRIVATE:
            shown = "private: only you see the page (verifiers still can check it)"
        else:
            name = award.public_earner() or "no name"
            shown = f"shows {name}" + (
                ", indexed by search engines" if award.visibility == AwardVisibility.PUBLIC else ""
            )
            if award.evidence_note:
                shown += (
                    ", with the message that came with it"
                    if award.public_evidence_note()
                    else ", without the message that came with it"
                )
        public.append((f"“{award.badge.name}”: {shown}.", award.get_absolute_url()))
    public.append(
        (
            "Tracked links count clicks without knowing who clicked; nobody sees readers.",
            "",
        )
    )
    return [
        Audience("A colleague", colleague),
        Audience("Your manager", manager),
        Audience("A mentor", mentor),
        Audience("The public (anyone with a link)", public),
    ]

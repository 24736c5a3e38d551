"""Reads for people's privacy pages: their consent history and how others see them."""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from badges.models import AwardVisibility, BadgeAward
from portal.locales import localised
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
            gettext("Leaderboards list you as “%(name)s”.") % {"name": board_name}
            if listed
            else gettext("Leaderboards do not list you (you still see your own rank)."),
            profile_url,
        ),
        (
            (
                gettext(
                    "The recognition feed names you as “%(name)s” with the messages you receive."
                )
                if profile.consent_feed
                else gettext(
                    "The recognition feed names you as “%(name)s”; messages to you stay private."
                )
            )
            % {"name": public_label(user)},
            profile_url,
        ),
        (
            gettext("When thanking someone, colleagues find you as “%(name)s”.")
            % {"name": profile.public_name}
            if listed
            else gettext(
                "When thanking someone, colleagues can find you only by your exact email."
            ),
            profile_url,
        ),
        (gettext("Your workshop answers show your name unless you answer anonymously."), ""),
    ]
    if config.works_council_mode and not profile.share_progress_with_manager:
        manager_sees = gettext(
            "Your team's figures only (participation, points, badges, from 5 people on)."
        )
    else:
        manager_sees = gettext(
            "Your training progress, scenario scores, shares and their quality, badges, points, "
            "level and last activity, on their team page."
        )
    # Only works-council mode lets the person choose; otherwise it is the programme's rule.
    manager = [(manager_sees, profile_url if config.works_council_mode else "")]
    if profile.manager_id:
        manager.insert(
            0, (gettext("Your manager in the portal: %(name)s.") % {"name": profile.manager}, "")
        )
    pairing = (
        Pairing.objects.filter(mentee=user, status=Pairing.Status.ACTIVE)
        .select_related("mentor")
        .first()
    )
    mentor = (
        [
            (
                gettext(
                    "%(name)s mentors you and sees your progress, scenario scores, reflections, "
                    "shares, badges and points while the pairing lasts."
                )
                % {"name": pairing.mentor.profile.name},
                "",
            )
        ]
        if pairing
        else [
            (
                gettext(
                    "Nobody mentors you now; a mentor sees your progress and reflections only "
                    "while paired."
                ),
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
            gettext(
                "Nothing about you is public unless you have badges: their pages show what you "
                "choose per badge."
            )
            if not awards
            else ngettext("%(count)s badge page:", "%(count)s badge pages:", len(awards))
            % {"count": len(awards)},
            badges_url,
        )
    ]
    names = dict(
        zip(
            (award.pk for award in awards),
            (badge.name for badge in localised([award.badge for award in awards])),
            strict=True,
        )
    )
    for award in awards:
        if award.visibility == AwardVisibility.PRIVATE:
            shown = gettext("private: only you see the page (verifiers still can check it)")
        else:
            name = award.public_earner() or gettext("no name")
            parts = [gettext("shows %(name)s") % {"name": name}]
            if award.visibility == AwardVisibility.PUBLIC:
                parts.append(gettext("indexed by search engines"))
            if award.evidence_note:
                parts.append(
                    gettext("with the message that came with it")
                    if award.public_evidence_note()
                    else gettext("without the message that came with it")
                )
            shown = ", ".join(parts)
        public.append(
            (
                gettext("“%(badge)s”: %(shown)s.") % {"badge": names[award.pk], "shown": shown},
                award.get_absolute_url(),
            )
        )
    public.append(
        (
            gettext("Tracked links count clicks without knowing who clicked; nobody sees readers."),
            "",
        )
    )
    return [
        Audience(gettext("A colleague"), colleague),
        Audience(gettext("Your manager"), manager),
        Audience(gettext("A mentor"), mentor),
        Audience(gettext("The public (anyone with a link)"), public),
    ]

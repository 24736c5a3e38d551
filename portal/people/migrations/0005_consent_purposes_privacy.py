"""Consent per purpose with the words kept, erasure requests, leavers, privacy settings.

The single "feature" consent of the first release covered the feed and programme
material; people who gave it keep both. Its words are stored as ConsentText, and every
earlier record points to them.
"""

import django.db.models.deletion
import django.utils.timezone
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

from portal.migration_support import grant_permissions

LEGACY_VERSION = "2026-11"
LEGACY_TEXT = (
    "You may feature me by name (or by my alias, if I chose one) in recognition posts, on the "
    "public recognition feed and in programme materials such as newsletters and slides. "
    "I can withdraw this at any time on my profile; materials already published stay as they "
    "are, nothing new is published."
)


def forward(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    ConsentText = apps.get_model("people", "ConsentText")
    ConsentRecord = apps.get_model("people", "ConsentRecord")
    Profile.objects.filter(feature_consent=True).update(consent_feed=True, consent_material=True)
    versions = set(ConsentRecord.objects.values_list("text_version", flat=True))
    for version in versions | {LEGACY_VERSION}:
        wording, _ = ConsentText.objects.get_or_create(
            purpose="feature",
            version=version,
            defaults={
                "label": "Yes, you may feature me",
                "text": LEGACY_TEXT if version == LEGACY_VERSION else f"(version {version})",
            },
        )
        ConsentRecord.objects.filter(text_version=version).update(wording=wording)


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", [("people", "erase_person")])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_alter_profile_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConsentText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("purpose", models.CharField(max_length=40)),
                ("version", models.CharField(max_length=20)),
                ("label", models.CharField(max_length=200)),
                ("text", models.TextField()),
            ],
            options={"ordering": ["purpose", "version"]},
        ),
        migrations.AddConstraint(
            model_name="consenttext",
            constraint=models.UniqueConstraint(fields=("purpose", "version"), name="consent_text_once"),
        ),
        migrations.AddField(
            model_name="profile", name="consent_feed", field=models.BooleanField(default=False)
        ),
        migrations.AddField(
            model_name="profile",
            name="consent_badge_evidence",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile", name="consent_material", field=models.BooleanField(default=False)
        ),
        migrations.AddField(
            model_name="profile",
            name="share_progress_with_manager",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="left_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="wording",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.consenttext",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consentrecord",
            name="wording",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.consenttext",
            ),
        ),
        migrations.RemoveField(model_name="consentrecord", name="text_version"),
        migrations.AlterField(
            model_name="consentrecord", name="purpose", field=models.CharField(max_length=40)
        ),
        migrations.AlterModelOptions(
            name="consentrecord", options={"ordering": ["-recorded_at", "-id"]}
        ),
        migrations.RemoveField(model_name="profile", name="feature_consent"),
        migrations.RemoveField(model_name="profile", name="feature_consent_at"),
        migrations.RemoveField(model_name="profile", name="feature_consent_version"),
        migrations.CreateModel(
            name="ErasureRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField(blank=True, max_length=1000)),
                ("declined_at", models.DateTimeField(blank=True, null=True)),
                ("decline_reason", models.TextField(blank=True, max_length=1000)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="erasure_request",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["requested_at"],
                "permissions": [("erase_person", "Can erase a person's data")],
            },
        ),
        migrations.CreateModel(
            name="PrivacySettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("controller", models.CharField(default="Your employer", help_text="Who is responsible for the data (the controller), as the notice names it.", max_length=200)),
                ("contact", models.CharField(default="privacy@example.com", help_text="Where people ask questions or exercise their rights (the data protection officer or the programme team).", max_length=200)),
                ("notice_intro", wagtail.fields.RichTextField(blank=True, default="<p>This portal helps colleagues learn to speak for the company on social media and recognises the people who do. Taking part is voluntary, and you decide how you appear. This notice says what the portal keeps about you, who sees what, for how long, and the rights you have.</p>", help_text="Shown at the top of the privacy notice; the rest of the notice is written from the settings below, so it always matches what the portal does.")),
                ("works_council_mode", models.BooleanField(default=False, help_text="New people start hidden on leaderboards, and managers see their teams' participation and aggregates only, unless a person chooses to share their progress with their manager.")),
                ("individual_boards", models.BooleanField(default=True, help_text="Show boards of individuals. Off: only team and department boards.")),
                ("retain_clicks_days", models.PositiveIntegerField(default=30, help_text="Days to keep raw tracked-link clicks (each with a one-day visitor hash); daily counts stay.")),
                ("retain_notifications_days", models.PositiveIntegerField(default=180, help_text="Days to keep in-app notifications.")),
                ("retain_sessions_days", models.PositiveIntegerField(default=30, help_text="Days after which a sign-in session ends and is deleted.")),
                ("retain_reflections_days", models.PositiveIntegerField(default=365, help_text="Days to keep private reflections written in lessons.")),
                ("retain_leavers_days", models.PositiveIntegerField(default=90, help_text="Days after someone leaves (is deactivated) until their data is erased.")),
            ],
            options={"verbose_name": "privacy"},
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

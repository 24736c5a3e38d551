"""Badges can be translated (wagtail-localize): a locale and a translation key on each,
existing badges becoming originals in the programme's language; the slug is unique per
language instead of overall."""

from django.db import migrations, models

from portal.migration_support import translatable


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0003_award_visibility_erased"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        *translatable("badges.Badge"),
        migrations.AlterField(
            model_name="badge",
            name="slug",
            field=models.SlugField(
                help_text="Part of the badge's public address; keep it.", max_length=60
            ),
        ),
        migrations.AddConstraint(
            model_name="badge",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="badges_badge_slug_locale"
            ),
        ),
    ]

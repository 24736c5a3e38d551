"""Badges can be translated (wagtail-localize): a locale and a translation key on each,
existing badges becoming originals in the programme's language; the slug is unique per
language instead of overall."""

import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0003_award_visibility_erased"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="badge",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="badge",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        BootstrapTranslatableModel("badges.Badge"),
        migrations.AlterField(
            model_name="badge",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="badge",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="badge",
            name="slug",
            field=models.SlugField(
                help_text="Part of the badge's public address; keep it.", max_length=60
            ),
        ),
        migrations.AlterUniqueTogether(
            name="badge", unique_together={("translation_key", "locale")}
        ),
        migrations.AddConstraint(
            model_name="badge",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="badges_badge_slug_locale"
            ),
        ),
    ]

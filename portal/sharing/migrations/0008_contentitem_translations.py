"""Hub items can be translated (wagtail-localize): a locale and a translation key on
each, existing items becoming originals in the programme's language."""

from django.db import migrations

from portal.migration_support import translatable


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_contentsource_sourceentry"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = translatable("sharing.ContentItem")

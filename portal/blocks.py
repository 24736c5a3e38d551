"""Shared content blocks for Wagtail pages (house style: icon, template, preview_value)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "cms/blocks/heading_block.html"
        preview_value = {"text": "Why we share", "level": "h2"}
        description = "A section heading"


class CallToActionBlock(blocks.StructBlock):
    audience = blocks.CharBlock(max_length=40, help_text="Who this is for, e.g. 'Advocates'.")
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=300)
    link_label = blocks.CharBlock(max_length=40)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="A path on this portal (/me/) or a full https:// address; or choose a page.",
    )

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action_block.html"
        preview_value = {
            "audience": "Advocates",
            "title": "Start your training",
            "text": "Ten minutes of realistic practice before you share.",
            "link_label": "Start now",
            "url": "/me/",
        }
        description = "A card inviting one group of people to act"

    def clean(self, value):
        value = super().clean(value)
        url = value.get("url", "").strip()
        if value.get("page") and url:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError("Choose a page or enter a link, not both.")}
            )
        if not value.get("page") and not url:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError("Choose a page or enter a link.")}
            )
        if url and not (url.startswith(("/", "https://"))):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError("Links start with / (this portal) or https://.")
                }
            )
        return value


class DoDontBlock(blocks.StructBlock):
    do = blocks.ListBlock(blocks.CharBlock(max_length=200), label="Do")
    dont = blocks.ListBlock(blocks.CharBlock(max_length=200), label="Don't")

    class Meta:
        icon = "tick-inverse"
        template = "cms/blocks/do_dont_block.html"
        preview_value = {
            "do": ["Say you work here", "Add your own view"],
            "dont": ["Share confidential numbers", "Speak for the company on legal matters"],
        }
        description = "Side-by-side lists of what to do and what to avoid"

    def clean(self, value):
        value = super().clean(value)
        if not value["do"] and not value["dont"]:
            raise ValidationError("Add at least one 'do' or one 'don't'.")
        return value


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        template="cms/blocks/paragraph_block.html",
        preview_value="<p>Our people are our best storytellers.</p>",
        features=["bold", "italic", "link", "ol", "ul", "h3"],
    )
    image = ImageBlock(
        template="cms/blocks/image_block.html",
        icon="image",
    )
    do_dont = DoDontBlock()
    call_to_action = CallToActionBlock()

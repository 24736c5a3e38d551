"""Building training pages from code (demo content, fixtures) with stable block ids.

Wagtail gives a list item without a stored id a new random id each time it loads the
page; answers to workshop prompts and learners' attempts are keyed by those ids, so
content written in code goes through the block once to fix every id before it is saved.
"""

from wagtail.blocks import StreamValue


def stream(model, field_name: str, raw: list[dict]) -> StreamValue:
    """``raw`` (``[{"type": ..., "value": ...}]``) as a value whose ids stay put once saved."""
    stream_block = model._meta.get_field(field_name).stream_block
    value = stream_block.to_python(raw)
    # Loading every child makes saving write each list item with the id it got now.
    for child in value:
        child.value  # noqa: B018 - the access is the point
    return value

"""Posting forms as a browser would: forms with a side effect carry a fresh one-time
token (``portal.submissions``) in each rendering."""

import uuid


def once(data: dict) -> dict:
    return {**data, "submission": str(uuid.uuid4())}

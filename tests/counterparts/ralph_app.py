"""Ralph's LRS application for the tests: its file-system backend (the one that needs no
database server) adds each new batch of statements to its file; out of the box it writes
the file once and refuses every later batch ("already exists and overwrite is not
allowed"), which would let no LRS client send twice.

Run: uvicorn --app-dir tests/counterparts ralph_app:app
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402

__all__ = ["app"]

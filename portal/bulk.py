"""Loading many rows into a table at once: COPY on PostgreSQL, multi-row statements
elsewhere. For rebuilds and benchmarks, which write millions of rows."""

import contextlib
from collections.abc import Iterable, Iterator

from django.db import connection


@contextlib.contextmanager
def _copy(table: str, columns: list[str]) -> Iterator:
    """PostgreSQL's ``COPY table (columns) FROM STDIN``, open for writing."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as raw,
        raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
    ):
        yield copy


def bulk_insert(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` into ``table`` (a name, quoted here); returns how many."""
    count = 0
    if connection.vendor == "postgresql":
        with _copy(table, columns) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    # Only names from the caller's code are formatted in; values are parameters.
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    chunk: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) == 50_000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def bulk_insert_text(table: str, columns: list[str], chunks: Iterable[bytes]) -> int:
    """Insert rows given as COPY text: lines of tab-separated values (with no tab,
    newline or backslash inside a value), in chunks of whole lines. On PostgreSQL the
    chunks go to COPY untouched, with no work per row in Python."""
    if connection.vendor != "postgresql":
        lines = (line for chunk in chunks for line in chunk.splitlines() if line)
        return bulk_insert(table, columns, (tuple(line.decode().split("\t")) for line in lines))
    count = 0
    with _copy(table, columns) as copy:
        for chunk in chunks:
            copy.write(chunk)
            count += chunk.count(b"\n")
    return count

"""Caches. Django's Redis cache, made to degrade instead of failing while Redis is
unreachable: everything the portal caches can be computed again from the database, so a
read that cannot reach Redis is a miss and a write is skipped (logged once a minute at
most); when Redis answers again the cache simply fills up again. And ``kept``: a small
table kept in the process for a few seconds.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import redis
from django.core.cache.backends.redis import RedisCache
from django.db.models import ForeignKey, Model
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

# What Redis raises when it is down or does not answer in time.
REDIS_UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
_last_warning: dict[str, float] = {}


def warn_unreachable(what: str, error: BaseException) -> None:
    """Log that ``what`` cannot reach Redis: once a minute at most, not once per read."""
    if time.monotonic() - _last_warning.get(what, -60.0) >= 60:
        _last_warning[what] = time.monotonic()
        logger.warning("%s: Redis is unreachable (%s); using the database", what, error)


def _degrade(method, fallback):
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except REDIS_UNREACHABLE as error:
            warn_unreachable("cache", error)
            return fallback(*args, **kwargs)

    return wrapped


def _default(key, default=None, *args, **kwargs):
    return default


def _missing_number(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Also: one client, with one connection pool, per process.

    Django makes a cache object per thread and per async context, which under daphne
    is every request and every open socket, and each object had a connection pool of
    its own: one Redis connection per request, and per open socket while it lasted
    (20,000 sockets met Redis's limit of 10,000 clients). redis-py's pools are
    thread-safe, so the process shares one.
    """

    @functools.cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client

    get = _degrade(RedisCache.get, _default)
    get_many = _degrade(RedisCache.get_many, lambda keys, *a, **k: {})
    has_key = _degrade(RedisCache.has_key, lambda *a, **k: False)
    set = _degrade(RedisCache.set, lambda *a, **k: None)
    set_many = _degrade(RedisCache.set_many, lambda data, *a, **k: list(data))
    add = _degrade(RedisCache.add, lambda *a, **k: False)
    touch = _degrade(RedisCache.touch, lambda *a, **k: False)
    delete = _degrade(RedisCache.delete, lambda *a, **k: False)
    delete_many = _degrade(RedisCache.delete_many, lambda *a, **k: None)
    incr = _degrade(RedisCache.incr, _missing_number)
    decr = _degrade(RedisCache.decr, _missing_number)


class Kept(Generic[_T]):
    """A small table's contents, read at most every ``seconds`` in this process (the
    points rules, the levels: read on every statement or page, changed by an admin now
    and then). ``forget`` makes the next call read again: connect it to the model's
    save and delete signals, so the process that made a change sees it at once and the
    others within ``seconds``."""

    def __init__(self, read: Callable[[], _T], seconds: float):
        functools.update_wrapper(self, read)
        self.read = read
        self.seconds = seconds
        self.value: tuple[float, _T] | None = None

    def __call__(self) -> _T:
        value = self.value
        if value is None or value[0] <= time.monotonic():
            value = self.value = (time.monotonic() + self.seconds, self.read())
        return value[1]

    def forget(self, **signal) -> None:
        self.value = None


def kept(seconds: float) -> Callable[[Callable[[], _T]], Kept[_T]]:
    """Decorator: ``Kept(function, seconds)``."""
    return lambda read: Kept(read, seconds)


def forget_when_changed(kept: "Kept | KeptRows", model: type[Model]) -> None:
    """Forget ``kept`` whenever a ``model`` row is saved or deleted in this process (call
    from an app's ``ready``)."""
    uid = f"kept-{model._meta.label}-{id(kept)}"
    post_save.connect(kept.forget, sender=model, dispatch_uid=f"{uid}-saved")
    post_delete.connect(kept.forget, sender=model, dispatch_uid=f"{uid}-deleted")


class KeptRows:
    """Model instances kept in the process by key for ``seconds`` (or until ``forget``),
    as rows: each ``get`` builds a fresh instance from the kept row, so no two requests
    share (and change) one object. Related objects the instance was read with
    (``select_related``) are kept and rebuilt with it. At most ``size`` keys: keys can
    come from a request (a Host header), so a flood of new ones cannot grow it."""

    def __init__(self, seconds: float, *, size: int = 256):
        self.rows: Kept[dict] = Kept(dict, seconds)
        self.size = size

    def get(self, key, read: Callable[[], Model | None]) -> Any:
        """The instance kept under ``key``; on a miss, ``read()`` gives it (or None)."""
        rows = self.rows()
        if key not in rows:
            row = _row(read())
            # Into the table kept now: a read that creates its row (Wagtail's settings
            # do) makes the save signal forget the table it started from.
            rows = self.rows()
            if len(rows) >= self.size:
                rows.clear()
            rows[key] = row
        return _instance(rows[key])

    def forget(self, **signal) -> None:
        self.rows.forget()

    def holds(self, instance: Model) -> bool:
        """Whether ``instance`` (its model or a parent's, and its primary key) is kept,
        as a row or as one read with a row."""

        def held(row: tuple | None) -> bool:
            if row is None:
                return False
            model, _db, names, values, related = row
            pk = values[names.index(model._meta.pk.attname)]
            return (isinstance(instance, model) and pk == instance.pk) or any(
                held(related_row) for _name, related_row in related
            )

        return any(held(row) for row in list(self.rows().values()))


def _row(instance: Model | None) -> tuple | None:
    if instance is None:
        return None
    names = [field.attname for field in instance._meta.concrete_fields]
    related = [
        (field.name, _row(field.get_cached_value(instance)))
        for field in instance._meta.concrete_fields
        if isinstance(field, ForeignKey) and field.is_cached(instance)
    ]
    return type(instance), instance._state.db, names, [getattr(instance, n) for n in names], related


def _instance(row: tuple | None) -> Any:
    if row is None:
        return None
    model, db, names, values, related = row
    instance = model.from_db(db, names, values)
    for name, related_row in related:
        setattr(instance, name, _instance(related_row))
    return instance

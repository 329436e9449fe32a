"""A fixed-window counter in the cache: how many times a client did something lately.

On the default local-memory cache each process counts alone; with OPENDVC_REDIS_URL the
count is shared by every web node.
"""

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    # Hashed: an address or value typed by anyone never becomes a cache key as it is.
    return f"ratelimit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one more use of `scope` by `ident`; False once it exceeds `limit` uses within the
    `window` seconds that began with the first one."""
    key = _key(scope, ident)
    cache.add(key, 0, window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        used = 1
    return used <= limit

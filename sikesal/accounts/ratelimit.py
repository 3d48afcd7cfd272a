"""Counting what one client address (or one mobile number) asks for, in the cache.

Registration answers whether a username, email or mobile number is taken, and each SMS
costs the city money: both are limited per address, in fixed windows (a count per key
and per window, which the cache forgets when the window ends). The address is
`throttle.client_ip`, which honours the trusted-proxy setting as the login lockout does.

The counts live in Django's default cache: with the default local-memory cache each
server process counts on its own, so several gunicorn workers allow that many times the
limit; a shared cache (CACHES) makes the limit exact.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    """At most `count` events per `window` seconds for one key, under the name `scope`."""

    scope: str
    count: int
    window: int = 3600

    def _cache_key(self, key: str, now: float) -> str:
        # Hashed: the key may be an address or a phone number, neither belongs in cache keys.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"sikesal:ratelimit:{self.scope}:{int(now // self.window)}:{digest}"

    def wait(self, key: str | None) -> int:
        """Seconds until `key` may go on (0: it may go on now)."""
        if not key:
            return 0
        now = time.time()
        if cache.get(self._cache_key(key, now), 0) < self.count:
            return 0
        return max(1, math.ceil(self.window - now % self.window))

    def record(self, key: str | None) -> None:
        """Count one event for `key`."""
        if not key:
            return
        cache_key = self._cache_key(key, time.time())
        # add() then incr(): atomic in a shared cache; the entry outlives its window a little.
        cache.add(cache_key, 0, timeout=self.window + 60)
        try:
            cache.incr(cache_key)
        except ValueError:  # evicted between the two calls
            cache.set(cache_key, 1, timeout=self.window + 60)

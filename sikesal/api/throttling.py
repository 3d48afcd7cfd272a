"""API request rates, per signed-in user and per client address, counted in the cache.

With the default local-memory cache each server process counts on its own (embedded);
with REDIS_URL set every process shares the count (config/settings.py, CACHES). The
address is `accounts.throttle.client_ip`, which honours the trusted-proxy setting like the
login lockout. A refused request gets a 429 with Retry-After (sikesal/api/errors.py).
"""

from rest_framework.throttling import SimpleRateThrottle

from sikesal.accounts.throttle import client_ip


class UserRateThrottle(SimpleRateThrottle):
    """Requests of one signed-in person (every device together)."""

    scope = "user"
    cache_format = "sikesal:api:throttle:%(scope)s:%(ident)s"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(SimpleRateThrottle):
    """Requests from one client address, signed in or not."""

    scope = "address"
    cache_format = "sikesal:api:throttle:%(scope)s:%(ident)s"

    def get_cache_key(self, request, view):
        address = client_ip(request._request)
        if not address:
            return None
        return self.cache_format % {"scope": self.scope, "ident": address}

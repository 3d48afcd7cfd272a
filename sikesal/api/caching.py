"""Conditional GET for public reads (reference data, public complaints): an ETag on every
200, and a 304 to a matching If-None-Match.

The ETag is a hash of the body as sent, so it changes with the data and with the language
of the answer (Accept-Language, or the language cookie: both vary it). With
`cache_max_age` set, shared caches may also keep the answer that long, per language; a 304
carries the same Cache-Control, ETag and Vary.
"""

from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)


class ETagMixin:
    """For an APIView whose GET answers are public."""

    cache_max_age: int | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        if self.cache_max_age is not None:
            patch_cache_control(response, public=True, max_age=self.cache_max_age)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        set_response_etag(response)
        return get_conditional_response(request._request, etag=response["ETag"], response=response)

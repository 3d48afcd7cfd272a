"""Full addresses of SIKESAL's own pages, for everything read away from the site: emails,
SMS, and the QR code frozen into a submitted recap."""

from django.conf import settings


def absolute_url(url: str) -> str:
    """`url` (a path such as `reverse(...)` returns) as a full address on SIKESAL_SITE_URL;
    empty or already absolute addresses are returned unchanged.

    Never the host a request came in on: behind a proxy that may be the proxy's upstream
    (127.0.0.1:8000), and a link frozen into a PDF must outlive the request anyway.
    """
    if not url or "://" in url:
        return url
    return f"{settings.SIKESAL_SITE_URL}/{url.lstrip('/')}"

"""Whole public pages kept in a cache for anonymous readers (issue #13: a viral complaint
sends thousands of them to one page).

`public_page` decorates the views anyone reads: the home page, the public complaints and
the agency directory. A reader without a session or pending messages, asking with GET or
HEAD and only the page's own query parameters, gets the page that an earlier anonymous
reader's request rendered, without a query to the database; `PublicPageMiddleware` serves
it before the session, CSRF and authentication middleware run. Everyone else, and every
other page, is served by the view as before.

A page's key holds the versions of what it shows ("topics": a complaint, an agency, the
public list); the code that changes one calls `public_pages_changed`, which gives each
topic a new random version, so later readers miss and the view renders afresh. Nothing is
ever deleted: a page under an old version expires after SIKESAL_PAGE_CACHE_SECONDS, which
also bounds what no event announces (an administrator's edit in the admin).

Nothing of one reader reaches another: cookies set while rendering are never kept, a page
whose rendering used the CSP nonce or added a message is not kept, and the CSRF token of
each form is cut out when the page is kept and the reader's own put in when it is served.
The page is kept gzip-compressed beside the plain text, so a hit does no compression: the
reader's token goes in as an uncompressed ("stored") deflate block between the compressed
pieces.
"""

import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import wraps
from urllib.parse import urlencode
from uuid import uuid4

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.regex_helper import _lazy_re_compile

from sikesal.core.machine_errors import MACHINE_PREFIXES
from sikesal.pwa.middleware import set_viewer_cookie

# The topic of every page: bumped when the reference data or the demo data is (re)loaded.
SITE = "site"
# The public complaint list (and anything counting public complaints).
COMPLAINTS = "complaints"
# The agency directory.
AGENCIES = "agencies"


def complaint_topic(tracking_number: str) -> str:
    return f"complaint:{tracking_number.upper()}"


def agency_topic(code: str) -> str:
    return f"agency:{code}"


# What Django's {% csrf_token %} writes; the token is 64 letters and digits.
_CSRF_INPUT = re.compile(
    rb'(?<=<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=">)'
)
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# A query longer than this is nobody's link: the view answers it, uncached.
MAX_QUERY_LENGTH = 512
# The htmx request headers a page's rendering may depend on (a fragment or the page).
_HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")


@dataclass(frozen=True)
class CachedPage:
    """A rendered page without its CSRF tokens: `parts` joined by the reader's token is the
    page, `gzip_parts` the same parts compressed (see `_gzip_body`)."""

    headers: tuple[tuple[str, str], ...]
    parts: tuple[bytes, ...]
    gzip_parts: tuple[bytes, ...]
    head_crc: int  # CRC-32 of parts[0], the start of the gzip trailer's CRC
    etag: str
    # The headers the middleware inside PublicPageMiddleware added to the first answer
    # (X-Frame-Options, the CSP, Content-Language, the viewer's tag): empty until it saw it.
    final_headers: tuple[tuple[str, str], ...] = ()

    def plain_body(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzip_body(self, token: bytes) -> bytes:
        return _gzip_body(self, token)


@dataclass(frozen=True)
class PageSpec:
    """What `public_page` was given for a view, read by the decorator and the middleware."""

    topics: Callable[..., Iterable[str]]
    patterns: dict[str, re.Pattern]

    def key(self, request: HttpRequest, args, kwargs, *, language: str) -> str | None:
        """The page's key for this request, or None when the request must reach the view
        and its page must not be kept."""
        if settings.SIKESAL_PAGE_CACHE_SECONDS <= 0 or not _anonymous_read(request):
            return None
        query = _normalized_query(request, self.patterns)
        if query is None:
            return None
        # The versions are read before the view reads the database: a change committed
        # while the view renders bumps them, so the page kept under the old ones is never
        # served.
        topics = [SITE, *self.topics(request, *args, **kwargs)]
        return _page_key(request, query, topics, language)


def public_page(
    *,
    topics: Callable[..., Iterable[str]] = lambda request, *args, **kwargs: (),
    params: Mapping[str, str] | None = None,
):
    """Serve the decorated view's page to anonymous readers from the `pages` cache.

    `topics(request, *args, **kwargs)` names what the page shows besides the `SITE` (see
    `public_pages_changed`); `params` maps each query parameter the page reads to a regular
    expression its value must match. A request with another parameter, a parameter twice
    or a value that does not match is answered by the view, uncached: no one fills the
    cache with pages under made-up addresses. `PublicPageMiddleware` serves the kept page
    before most middleware runs; this serves it when the middleware could not.
    """
    spec = PageSpec(
        topics=topics,
        patterns={name: re.compile(pattern) for name, pattern in (params or {}).items()},
    )

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = getattr(request, "_public_page_key", None) or spec.key(
                request, args, kwargs, language=translation.get_language() or ""
            )
            if key is None:
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            page = pages.get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                page = _page_from(request, response)
                if page is None:
                    return response
                pages.set(key, page, settings.SIKESAL_PAGE_CACHE_SECONDS)
            if not page.final_headers:
                request._public_page_kept = (key, page)
            return _serve(request, page)

        wrapped.public_page = spec
        return wrapped

    return decorator


class PublicPageMiddleware:
    """Serve a kept public page before the session, authentication, CSRF and the other
    middleware after this one run: a hit then costs little more than a static file.

    The first answer for a page passes through all of them; its headers (X-Frame-Options,
    the CSP, Content-Language, the viewer's tag) are kept with the page and given to each
    later reader, whose CSRF cookie and viewer cookie are set as their middleware would.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is not None:
            page = caches["pages"].get(key)
            if page is not None and page.final_headers:
                return self._serve(request, page)
            request._public_page_key = key
        response = self.get_response(request)
        kept = getattr(request, "_public_page_kept", None)
        if kept is not None and kept[0] == key and response.status_code == 200:
            final = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("content-length", "content-encoding", "etag")
            )
            page = replace(kept[1], final_headers=final)
            caches["pages"].set(key, page, settings.SIKESAL_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        if not _anonymous_read(request) or request.path_info.startswith(MACHINE_PREFIXES):
            return None
        # As CommonMiddleware would: a Host outside ALLOWED_HOSTS is a 400, not a page.
        request.get_host()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        spec = getattr(match.func, "public_page", None)
        # Only a page anyone may read: LoginRequiredMiddleware, after this, never runs here.
        if spec is None or getattr(match.func, "login_required", True):
            return None
        return spec.key(request, match.args, match.kwargs, language=_anonymous_language(request))

    def _serve(self, request: HttpRequest, page: CachedPage) -> HttpResponse:
        self.csrf.process_request(request)  # the reader's CSRF cookie, for get_token
        response = _serve(request, page)
        for name, value in page.final_headers:
            if name not in response:
                response.headers[name] = value
        if response.status_code == 200:
            response.headers["Content-Length"] = str(len(response.content))
        set_viewer_cookie(request, response)
        return self.csrf.process_response(request, response)


def _anonymous_language(request: HttpRequest) -> str:
    """The language LanguageChoiceMiddleware activates for a visitor who is not signed in
    on a page (not the API): the language switch's cookie, else Indonesian."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def public_pages_changed(*topics: str) -> None:
    """What `topics` name has changed: pages showing them are rendered afresh.

    New versions now, so that the rest of the writer's transaction reads fresh pages, and
    again once the transaction commits, since a reader rendering between the two still saw
    the data before the change. A transaction rolled back costs one render per page.
    """
    if not topics:
        return
    _bump(topics)
    transaction.on_commit(lambda: _bump(topics))


def _bump(topics: Iterable[str]) -> None:
    caches["page_versions"].set_many({topic: uuid4().hex for topic in topics})


def _versions(topics: list[str]) -> list[str]:
    """The current version of each topic; a topic without one (new, or dropped by the cache)
    gets a random one, so that a lost version never brings an old page back."""
    versions_cache = caches["page_versions"]
    found = versions_cache.get_many(topics)
    missing = {topic: uuid4().hex for topic in topics if topic not in found}
    for topic, version in missing.items():
        # Two processes may both find it missing: the first one's version stays.
        if not versions_cache.add(topic, version):
            version = versions_cache.get(topic) or version
        found[topic] = version
    return [found[topic] for topic in topics]


def _anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD by someone without a session (so not signed in) and without messages
    waiting to be shown (the page would show them, and keep them for the next reader)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _normalized_query(request: HttpRequest, patterns: Mapping[str, re.Pattern]) -> str | None:
    """The query as a sorted, re-encoded string, or None when the page must not be kept."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    pairs = []
    for name, values in request.GET.lists():
        pattern = patterns.get(name)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return None
        pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


def _page_key(request: HttpRequest, query: str, topics: list[str], language: str) -> str:
    htmx = ",".join(request.META.get(header, "") for header in _HTMX_HEADERS)
    parts = [request.path, query, language, htmx, *_versions(topics)]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _page_from(request: HttpRequest, response: HttpResponse) -> CachedPage | None:
    """What of `response` may be served to any anonymous reader, or None if it may not."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Content-Encoding")
        or response.has_header("Cache-Control")
        # The page carries this reader's CSP nonce: another reader's would not match it.
        or isinstance(getattr(request, "_csp_nonce", None), str)
        or getattr(getattr(request, "_messages", None), "added_new", False)
    ):
        return None
    body = response.content
    tokens = set(_CSRF_INPUT.findall(body))
    parts = tuple(_CSRF_INPUT.split(body))
    # A token outside a form's hidden input (a script's header, a data attribute) would
    # stay in the kept page.
    if any(token in part for token in tokens for part in parts):
        return None
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() != "content-length"
    )
    return CachedPage(
        headers=headers,
        parts=parts,
        gzip_parts=_compress_parts(parts),
        head_crc=zlib.crc32(parts[0]),
        etag=f'W/"{_digest(parts)}"',
    )


def _digest(parts: tuple[bytes, ...]) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:32]


def _serve(request: HttpRequest, page: CachedPage) -> HttpResponse:
    if _etag_matches(request, page.etag):
        response = HttpResponseNotModified()
    else:
        # The reader's own token (and the CSRF cookie that goes with it, when they have none
        # yet: CsrfViewMiddleware sets it).
        token = get_token(request).encode() if len(page.parts) > 1 else b""
        if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(page.gzip_body(token))
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(page.plain_body(token))
        for name, value in page.headers:
            response.headers[name] = value
    response.headers["ETag"] = page.etag
    patch_cache_control(response, public=True, max_age=settings.SIKESAL_PAGE_CACHE_SECONDS)
    # The language is chosen by a cookie, and a session cookie means another page.
    patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
    return response


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    # Weak comparison (RFC 9110 13.1.2), as for any If-None-Match.
    wanted = {tag.removeprefix("W/") for tag in parse_etags(header)}
    return "*" in wanted or etag.removeprefix("W/") in wanted


# --- gzip around the reader's token ---------------------------------------------------------
#
# A gzip file is a header, one deflate stream and a trailer (CRC-32 and length of the plain
# text). Each part is compressed on its own, every one but the last ending on a byte
# boundary without ending the stream (Z_SYNC_FLUSH); between two parts the token goes in as
# a stored block (RFC 1951 3.2.4: a 0 byte, the length, its complement, the bytes). A part
# compressed on its own refers to no earlier bytes, so the token between them breaks no
# back-reference.

_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS


def _compress_parts(parts: tuple[bytes, ...]) -> tuple[bytes, ...]:
    compressed = []
    for index, part in enumerate(parts):
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        last = index == len(parts) - 1
        compressed.append(
            compressor.compress(part)
            + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
        )
    return tuple(compressed)


def _stored_block(data: bytes) -> bytes:
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _gzip_body(page: CachedPage, token: bytes) -> bytes:
    chunks = [_GZIP_HEADER, page.gzip_parts[0]]
    crc, length = page.head_crc, len(page.parts[0])
    for plain, compressed in zip(page.parts[1:], page.gzip_parts[1:], strict=True):
        chunks += [_stored_block(token), compressed]
        crc = zlib.crc32(plain, zlib.crc32(token, crc))
        length += len(token) + len(plain)
    chunks.append(struct.pack("<II", crc, length & 0xFFFFFFFF))
    return b"".join(chunks)

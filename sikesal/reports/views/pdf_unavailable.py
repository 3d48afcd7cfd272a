"""What a user sees when this server cannot make PDFs (WeasyPrint's system libraries are
missing): a page that says so, instead of a bare server error. The log names the packages
for the administrator."""

import logging
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sikesal.reports.pdf import PdfUnavailable

logger = logging.getLogger(__name__)


def log_pdf_unavailable(error: PdfUnavailable) -> None:
    logger.error("%s", error)


def explains_pdf_unavailable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 503 with an explanation when `view` cannot make its PDF."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PdfUnavailable as error:
            log_pdf_unavailable(error)
            return render(request, "reports/pdf_unavailable.html", status=503)

    return wrapper

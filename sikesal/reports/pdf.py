"""HTML templates printed to PDF by WeasyPrint (fonts embedded, page numbers, the table
header repeated on every page). Static assets are never fetched over the network."""

import dataclasses

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile

from sikesal.core.city import city
from sikesal.core.links import absolute_url
from sikesal.reports.dates import indonesian_date
from sikesal.reports.recap import Recap
from sikesal.reports.signatory import signatory_for


def _no_network(url: str, *args, **kwargs):
    # Templates are self-contained; refuse any URL rather than hang on a closed network.
    raise ValueError(f"reports do not load external resources: {url}")


PDF_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load: the system libraries it needs are missing."""


def _load_weasyprint():
    import weasyprint  # heavy: imported only when a PDF is made

    return weasyprint


def html_to_pdf(html: str) -> bytes:
    try:
        weasyprint = _load_weasyprint()
    except OSError as error:  # cffi cannot open Pango
        raise PdfUnavailable(
            f"PDF output needs the system libraries of WeasyPrint ({error}); "
            f"on Debian/Ubuntu: apt-get install {PDF_PACKAGES}"
        ) from error
    # Importing WeasyPrint switches on Pillow's process-wide "accept truncated images";
    # photo uploads must keep refusing truncated files (complaints/images.py). Reports embed
    # no raster images, so switch it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint.HTML(string=html, url_fetcher=_no_network).write_pdf()


def recap_pdf(recap: Recap, *, submission=None) -> bytes:
    """The recap as PDF; a submitted version (a `RecapSubmission` being made) also carries
    its version, submission time, and a QR code and short address of its public check page.
    """
    printed = timezone.localdate()
    if submission is not None:
        # The head who submits signs the submitted version.
        recap = dataclasses.replace(
            recap, signatory=signatory_for(recap.agency, signer=submission.submitted_by)
        )
    context = {"recap": recap, "signed_on": indonesian_date(printed), "city": city()}
    label = f"{settings.SIKESAL_SITE_NAME} · {recap.agency.short_name or recap.agency.name}"
    label = f"{label} · {recap.month}"
    if submission is None:
        context["footer"] = f"{label} · draf, dicetak {printed:%d-%m-%Y}"
    else:
        submitted = timezone.localtime(submission.submitted_at)
        verify_url = absolute_url(reverse("reports:verify", args=[submission.code]))
        context.update(
            signed_on=indonesian_date(submitted.date()),
            footer=f"{label} · versi {submission.version}",
            submission=submission,
            submitted_at=f"{indonesian_date(submitted.date())} {submitted:%H.%M} WIB",
            verify_url=verify_url,
            verify_qr=segno.make(verify_url, error="m").svg_inline(scale=2, border=0),
        )
    return html_to_pdf(render_to_string("reports/recap.html", context))

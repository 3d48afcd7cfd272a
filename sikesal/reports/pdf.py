"""HTML templates printed to PDF by WeasyPrint (fonts embedded, page numbers, the table
header repeated on every page). Static assets are never fetched over the network."""

import dataclasses
import io

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile
from pypdf import PdfReader, PdfWriter, Transformation

from sikesal.core.city import city
from sikesal.core.links import absolute_url
from sikesal.reports import rows_pdf
from sikesal.reports.dates import indonesian_date
from sikesal.reports.recap import Recap
from sikesal.reports.rows_pdf import PAGE_HEIGHT
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
    return laid_out(html).write_pdf()


def laid_out(html: str):
    """The HTML laid out in pages by WeasyPrint (a `weasyprint.Document`), not yet written."""
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
    return weasyprint.HTML(string=html, url_fetcher=_no_network).render()


def recap_pdf(recap: Recap, *, submission=None) -> bytes:
    """The recap as PDF; a submitted version (a `RecapSubmission` being made) also carries
    its version, submission time, and a QR code and short address of its public check page.

    WeasyPrint prints the head (title, agency) and the closing block (signature, QR code)
    from `reports/recap.html`; ReportLab draws the rows table between them, in the same
    page frame, with the page numbers and the footer (`rows_pdf`: WeasyPrint's own table
    layout cost about 10 ms a row). The two are laid together with pypdf.
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
        footer = f"{label} · draf, dicetak {printed:%d-%m-%Y}"
    else:
        submitted = timezone.localtime(submission.submitted_at)
        verify_url = absolute_url(reverse("reports:verify", args=[submission.code]))
        footer = f"{label} · versi {submission.version}"
        context.update(
            signed_on=indonesian_date(submitted.date()),
            submission=submission,
            submitted_at=f"{indonesian_date(submitted.date())} {submitted:%H.%M} WIB",
            verify_url=verify_url,
            verify_qr=segno.make(verify_url, error="m").svg_inline(scale=2, border=0),
        )
    frame = laid_out(render_to_string("reports/recap.html", context))
    head, closing = frame.pages
    try:
        rows_pdf.register_fonts()
    except rows_pdf.FontsMissing as error:
        raise PdfUnavailable(
            f"{error}; on Debian/Ubuntu: apt-get install {PDF_PACKAGES}"
        ) from error
    pages = rows_pdf.paginate(recap.rows, first_top=PAGE_HEIGHT - _bottom(head, "agency"))
    closing_top = _top(closing, "closing")
    closing_height = _bottom(closing, "closing") - closing_top
    table_end = pages[-1].bottom
    extra_page = table_end - closing_height < rows_pdf.MARGIN_BOTTOM
    table = rows_pdf.draw(
        pages, footer=footer, title=f"{recap.title} · {recap.agency.name}", extra_page=extra_page
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(table)))
    frame_pages = PdfReader(io.BytesIO(frame.write_pdf())).pages
    writer.pages[0].merge_page(frame_pages[0])
    # The closing block under the table, or at the top of the page added for it.
    shift = 0 if extra_page else table_end - (PAGE_HEIGHT - closing_top)
    writer.pages[-1].merge_transformed_page(frame_pages[1], Transformation().translate(0, shift))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


PX = 0.75  # WeasyPrint lays out in CSS pixels; PDF points are 3/4 of one


def _boxes(page, css_class: str):
    # WeasyPrint's laid-out boxes of the elements with `css_class` (its page box is not part
    # of its public API: WeasyPrint is pinned in requirements.txt).
    return [
        box
        for box in page._page_box.descendants()
        if getattr(box, "element", None) is not None and box.element.get("class") == css_class
    ]


def _top(page, css_class: str) -> float:
    """Where the element starts, in points from the top of the page."""
    return min(box.position_y for box in _boxes(page, css_class)) * PX


def _bottom(page, css_class: str) -> float:
    """Where the element ends, its bottom margin included, in points from the top."""
    return max(box.position_y + box.margin_height() for box in _boxes(page, css_class)) * PX

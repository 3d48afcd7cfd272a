"""Public complaint pages: anyone reads the complaints past the Secretariat's review.

Nothing personal is shown (DESIGN.md "Privacy"): no reporter identity, no staff names,
no address or landmark text and no coordinates (a citizen may have typed a house number
or pinned their own home), only the kelurahan and kecamatan. Photos are those of the
submission and of public timeline events, re-encoded without metadata on upload.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from sikesal.complaints.public_detail import public_complaint_detail
from sikesal.complaints.public_forms import SEARCH_MAX_LENGTH, PublicFilterForm
from sikesal.complaints.selectors import (
    public_complaint_list,
)
from sikesal.core import paging
from sikesal.core.page_cache import COMPLAINTS, complaint_topic, public_page
from sikesal.core.paging import keyset_page

PAGE_SIZE = 20

# The list's query parameters as its links and filter form write them (the page cache keeps
# nothing else): a search, codes of the filters' choices, the pager's cursors.
CODE = r"[\w.-]{0,64}"
CURSOR = r"[A-Za-z0-9_-]{0,100}"
LIST_PARAMETERS = {
    "q": rf".{{0,{SEARCH_MAX_LENGTH}}}",
    "category": CODE,
    "kecamatan": CODE,
    "agency": CODE,
    "status": CODE,
    paging.AFTER: CURSOR,
    paging.BEFORE: CURSOR,
    paging.END: paging.LAST,
}


@login_not_required
@require_GET
@public_page(topics=lambda request: [COMPLAINTS], params=LIST_PARAMETERS)
def complaint_list(request: HttpRequest) -> HttpResponse:
    """Public complaints, newest first, filtered by GET parameters; htmx gets the rows."""
    form = PublicFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid field drops out of cleaned_data; the others still apply
    filters = form.filters()
    complaints = public_complaint_list(filters)
    page = keyset_page(complaints, request.GET, size=PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "complaints": page.object_list,
        "is_filtered": bool(filters),
    }
    htmx = request.htmx
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        response = render(
            request, "complaints/partials/public_rows.html", {**context, "is_fragment": True}
        )
    else:
        response = render(request, "complaints/public_list.html", context)
    # The same address answers a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_not_required
@require_GET
@public_page(topics=lambda request, tracking: [complaint_topic(tracking)])
def complaint_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    """One public complaint with its public timeline; anything else is a 404."""
    detail = public_complaint_detail(tracking)
    return render(
        request,
        "complaints/public_detail.html",
        {
            "complaint": detail.complaint,
            "assignments": detail.assignments,
            "responses": detail.responses,
            "events": detail.timeline,
            "submission_photos": detail.submission_photos,
            "rating": detail.rating,
        },
    )

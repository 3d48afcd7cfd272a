"""Paging for the API's lists.

`PagePagination` (page numbers) for a person's own lists and the staff queue; the public
list uses a cursor (sikesal/api/public/). A page size that is not a whole number from 1 to
MAX_PAGE_SIZE, or a page number that is not a whole number from 1, is a 400; a page past the
last is a 404; both in the error shape, never a 500.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


def page_size_from(request, *, default: int, param: str = "page_size") -> int:
    """The page size the client asks for: absent → `default`; anything but 1..100 → 400."""
    raw = request.query_params.get(param)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError(
            {param: [_("Bilangan bulat dari 1 sampai %(max)d.") % {"max": MAX_PAGE_SIZE}]}
        )
    return int(raw)


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return page_size_from(request, default=self.page_size, param=self.page_size_query_param)

    def get_page_number(self, request, paginator) -> int:
        """Absent → 1, `last` → the last; a page number must be a whole number from 1 (400
        otherwise); a page past the last stays a 404, as Django REST framework answers it."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [_("Bilangan bulat mulai dari 1.")]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters

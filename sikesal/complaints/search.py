"""The text search of the complaint lists (`?q=` on /pengaduan/, /staf/ and their APIs).

On PostgreSQL a complaint's title and description are matched by words, stemmed the
Indonesian way and without accents (`sikesal_indonesian`: "jalan" finds "Jalanan rusak"
and "jálan"), through a GIN index on `sikesal_complaint_document(title, description)`;
the query is read as a web search box reads it ("lampu mati" both words, `"lampu mati"` the
phrase, `-banjir` without it, `or`). Part of a tracking number, and for staff part of the
address, matches as text through trigram indexes (three characters at least). All of it is
made by migration 0006_full_text_search. On SQLite (the embedded mode) each field is
searched for the text as typed (`icontains`).

The order of the results is the list's own (the keyset pages depend on it), never relevance.
Which way PostgreSQL reads a page depends on how many complaints match, and its guess is
poor for several words (it takes them as independent: "sampah lampu", each common, never
together, looks common, and it would read the whole list row by row looking for them). So
the index is asked first for at most `FEW_MATCHES` + 1 matches: when they are all, the list
is filtered by their ids (a rare word, the few complaints read directly); otherwise the
words are common, and the list is read in its order until a page is full.
"""

import re

from django.db import connections
from django.db.models import F, Func, Q, QuerySet, Value
from django.db.models.fields import BooleanField

from sikesal.complaints.models import TRACKING_PREFIX

# See the module's docstring: at most this many matches are fetched to pick the plan. A
# thousand ids cost a few milliseconds; words matching more complaints are common enough
# that reading a list in its order soon fills a page.
FEW_MATCHES = 1000
# Shorter text than a trigram cannot use a trigram index: it is not looked for in the
# tracking number or the address on PostgreSQL.
SUBSTRING_MIN_LENGTH = 3
_TRACKING_PART = re.compile(r"[A-Za-z0-9-]+")


class DocumentMatches(Func):
    """`sikesal_complaint_document(title, description) @@ websearch_to_tsquery(…, text)`:
    the very expression of `complaint_document_idx`, so that PostgreSQL can use it."""

    output_field = BooleanField()
    conditional = True
    template = (
        "sikesal_complaint_document(%(expressions)s)"
        " @@ websearch_to_tsquery('sikesal_indonesian'::regconfig, %(query)s)"
    )

    def __init__(self, text: str):
        super().__init__(F("title"), F("description"), Value(text))

    def as_sql(self, compiler, connection, **extra_context):
        title, description, text = self.get_source_expressions()
        query_sql, query_params = compiler.compile(text)
        fields_sql, fields_params = [], []
        for field in (title, description):
            sql, params = compiler.compile(field)
            fields_sql.append(sql)
            fields_params.extend(params)
        sql = self.template % {"expressions": ", ".join(fields_sql), "query": query_sql}
        return sql, (*fields_params, *query_params)


def complaint_search(qs: QuerySet, text: str, *, private: bool) -> QuerySet:
    """The complaints of `qs` that `text` finds in what a list's reader may search: title,
    description and tracking number; with `private` (staff lists only) the address too.

    The public search must never look into what the public pages hide (the address, the
    reporter): a public search for it would reveal it one guess at a time. `text` comes
    from the lists' filter forms, which refuse NUL characters and more than 100 characters."""
    text = (text or "").strip()
    if not text:
        return qs
    if connections[qs.db].vendor == "postgresql":
        return qs.filter(_postgresql_match(qs, text, private=private))
    found = (
        Q(tracking_number__icontains=text)
        | Q(title__icontains=text)
        | Q(description__icontains=text)
    )
    if private:
        found |= Q(address__icontains=text)
    return qs.filter(found)


def _postgresql_match(qs: QuerySet, text: str, *, private: bool) -> Q:
    document = DocumentMatches(text)
    few = list(
        qs.model._base_manager.using(qs.db)
        .filter(document)
        .order_by()
        .values_list("pk", flat=True)[: FEW_MATCHES + 1]
    )
    found = Q(pk__in=few) if len(few) <= FEW_MATCHES else Q(document)
    if len(text) >= SUBSTRING_MIN_LENGTH:
        # Tracking numbers are stored in capitals; `contains` is a plain LIKE, which the
        # trigram index on the column serves. Every number starts with the prefix: the
        # prefix alone would find them all.
        number = text.upper()
        if _TRACKING_PART.fullmatch(text) and len(number.removeprefix(TRACKING_PREFIX)) >= 3:
            found |= Q(tracking_number__contains=number)
        if private:
            found |= Q(address__icontains=text)
    return found

"""Full-text search on PostgreSQL (sikesal/complaints/search.py): the extensions, the text
search configuration, the document function and the indexes that serve `?q=`.

Nothing happens on SQLite, where search is a plain `icontains`. The indexes are outside
the model state on purpose: they are PostgreSQL expressions SQLite cannot build.
"""

from django.db import migrations

FORWARD = [
    # Both ship with PostgreSQL (postgresql-contrib); creating them needs a superuser or,
    # since PostgreSQL 13, the database owner (both are trusted extensions).
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Indonesian stemming after removing accents, so that "jálan" finds "jalan".
    "CREATE TEXT SEARCH CONFIGURATION sikesal_indonesian (COPY = pg_catalog.indonesian)",
    "ALTER TEXT SEARCH CONFIGURATION sikesal_indonesian"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, indonesian_stem",
    # One home for what a complaint's text is; the index and every query call it. The
    # search_path is pinned so that the index can be rebuilt with any search_path (pg_restore
    # empties it), which also keeps PostgreSQL from inlining the function: its COST then
    # tells the planner what stemming a row costs (about 1,000 cheap operators), so a rare
    # word is looked up in the index rather than tested row after row.
    """
    CREATE FUNCTION sikesal_complaint_document(title text, description text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
    SET search_path FROM CURRENT
    RETURN to_tsvector(
        'sikesal_indonesian'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')
    )
    """,
    "CREATE INDEX complaint_document_idx ON complaints_complaint"
    " USING gin (sikesal_complaint_document(title, description))",
    # Parts of tracking numbers (stored in capitals) and, for staff, of addresses: `LIKE`
    # on the number and Django's `icontains` (UPPER(…) LIKE UPPER(…)) on the address.
    "CREATE INDEX complaint_tracking_trgm_idx ON complaints_complaint"
    " USING gin (tracking_number gin_trgm_ops)",
    "CREATE INDEX complaint_address_trgm_idx ON complaints_complaint"
    " USING gin (upper(address) gin_trgm_ops)",
]

# The extensions stay: dropping them would break anything else in the database using them.
BACKWARD = [
    "DROP INDEX IF EXISTS complaint_address_trgm_idx",
    "DROP INDEX IF EXISTS complaint_tracking_trgm_idx",
    "DROP INDEX IF EXISTS complaint_document_idx",
    "DROP FUNCTION IF EXISTS sikesal_complaint_document(text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS sikesal_indonesian",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_list_order_partial_indexes"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]

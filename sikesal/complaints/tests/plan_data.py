"""Many complaints at once, written by PostgreSQL itself (INSERT … SELECT generate_series),
for the query-plan tests: 100,000 complaints with their assignments take a few seconds,
where the ORM would take minutes.

The mix of states follows bench/data.py (most closed or archived, a tenth with the
Secretariat, a quarter in handling), spread evenly over the years before `end`, one
complaint in twenty confidential; every routed complaint has one lead assignment.
"""

from datetime import datetime, timedelta

from django.db import connection

# (status, share in percent, assignment status or None), in the order of `g % 100`.
STATES = (
    ("closed", 45, "responded"),
    ("archived", 15, "responded"),
    ("responded", 8, "responded"),
    ("in_progress", 12, "accepted"),
    ("routed", 5, "routed"),
    ("declined", 8, None),
    ("in_review", 4, None),
    ("submitted", 3, None),
)


def _status_case(column: str, *, assignment: bool = False) -> str:
    """A CASE over `column % 100` giving each row its state (or its assignment's); the %
    is doubled for the driver."""
    branches, upper = [], 0
    for status, share, assignment_status in STATES:
        upper += share
        value = assignment_status if assignment else status
        branches.append(f"WHEN {column} %% 100 < {upper} THEN {_quote(value)}")
    return "CASE " + " ".join(branches) + " END"


def _quote(value: str | None) -> str:
    return "NULL" if value is None else f"'{value}'"


def build(
    count: int,
    *,
    reporter_id: int,
    routed_by_id: int,
    category_ids: list[int],
    kelurahan: list[tuple[int, int]],
    agency_ids: list[int],
    end: datetime,
) -> None:
    """Write `count` complaints filed every few minutes up to `end`, their assignments,
    then ANALYZE both tables. `kelurahan`: (kelurahan id, its kecamatan id) pairs."""
    step = timedelta(minutes=5)
    start = end - step * count
    status = _status_case("g")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO complaints_complaint (
                created_at, updated_at, tracking_number, report_type, title, description,
                address, is_confidential, is_anonymous, status, channel, submitted_at,
                review_due, response_due, decision_due, paused_on, decline_reason,
                decline_message, referral, rating_comment, objection_count, category_id,
                kelurahan_id, kecamatan_id, reporter_id, idempotency_key
            )
            SELECT
                s.at, s.at, 'PLAN' || lpad(g::text, 8, '0'), 'pengaduan',
                'Jalan berlubang nomor ' || g, 'Mohon segera ditindaklanjuti.', '',
                g %% 20 = 7, false, s.status, 'web', s.at,
                CASE WHEN s.status IN ('submitted', 'in_review') THEN s.at::date + 5 END,
                CASE WHEN s.status IN ('submitted', 'in_review', 'routed')
                     THEN s.at::date + 14 END,
                CASE WHEN s.status IN ('submitted', 'in_review', 'routed', 'in_progress')
                     THEN s.at::date + 60 END,
                NULL,
                CASE WHEN s.status = 'declined' THEN 'spam' ELSE '' END,
                '', '', '', 0,
                (%(categories)s::bigint[])[1 + g %% cardinality(%(categories)s::bigint[])],
                (%(kelurahan)s::bigint[])[1 + g %% cardinality(%(kelurahan)s::bigint[])],
                (%(kecamatan)s::bigint[])[1 + g %% cardinality(%(kecamatan)s::bigint[])],
                %(reporter)s, ''
            FROM generate_series(1, %(count)s) AS g,
                LATERAL (SELECT %(start)s::timestamptz + g * %(step)s::interval AS at,
                                {status} AS status) AS s
            """,  # noqa: S608 - the CASE is built from the constants above
            {
                "categories": category_ids,
                "kelurahan": [pair[0] for pair in kelurahan],
                "kecamatan": [pair[1] for pair in kelurahan],
                "reporter": reporter_id,
                "count": count,
                "start": start,
                "step": step,
            },
        )
        assignment_status = _status_case("c.n", assignment=True)
        cursor.execute(
            f"""
            INSERT INTO complaints_assignment (
                created_at, updated_at, is_lead, instructions, status, routed_at,
                followup_due, first_followup_at, register_number, response, return_reason,
                agency_id, routed_by_id, complaint_id
            )
            SELECT
                c.submitted_at, c.submitted_at, true, '', a.status, c.submitted_at,
                c.submitted_at::date + 7,
                CASE WHEN a.status = 'routed' THEN NULL ELSE c.submitted_at + interval '2 days' END,
                '', '', '',
                (%(agencies)s::bigint[])[1 + c.n %% cardinality(%(agencies)s::bigint[])],
                %(routed_by)s, c.id
            FROM (
                SELECT id, submitted_at, substr(tracking_number, 5)::int AS n
                FROM complaints_complaint WHERE tracking_number LIKE 'PLAN%%'
            ) AS c,
            LATERAL (SELECT {assignment_status} AS status) AS a
            WHERE a.status IS NOT NULL
            """,  # noqa: S608 - the CASE is built from the constants above
            {"agencies": agency_ids, "routed_by": routed_by_id},
        )
        cursor.execute("ANALYZE complaints_complaint")
        cursor.execute("ANALYZE complaints_assignment")

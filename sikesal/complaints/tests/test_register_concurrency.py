"""REGISTER numbers stay gap-free and unique when officers accept at the same moment."""

import threading

import pytest
from django.db import connection, connections

from sikesal.complaints.models import Assignment
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.complaints.workflow import Route, transition

CONCURRENT_ACCEPTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_accepts_get_fifty_consecutive_numbers(people):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race")
    assignments = []
    for n in range(CONCURRENT_ACCEPTS):
        complaint = file_complaint(people, title=f"Jalan rusak nomor {n}")
        transition(complaint, "review", actor=people.secretariat)
        transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
        assignments.append(complaint.assignments.get())

    barrier = threading.Barrier(CONCURRENT_ACCEPTS)
    errors = []

    def accept(assignment: Assignment) -> None:
        try:
            barrier.wait()
            officer = people.officer if assignment.pk % 2 else people.head
            transition(assignment.complaint, "accept", actor=officer, assignment=assignment)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(a,)) for a in assignments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(
        Assignment.objects.filter(agency=people.pupr).values_list("register_seq", flat=True)
    )
    assert sorted(numbers) == list(range(1, CONCURRENT_ACCEPTS + 1))
    year = Assignment.objects.first().register_year
    assert Assignment.objects.filter(register_number=f"DPUPR/{year}/0050").count() == 1

"""Fixtures for the API tests: an API client, device tokens, and the complaint tests' cast
of one person per role (sikesal/complaints/tests/conftest.py)."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from sikesal.accounts.models import User
from sikesal.api.tokens import device_token_issue
from sikesal.complaints.tests.conftest import (  # noqa: F401 (fixtures used by name)
    _cast_snapshot,
    media_root,
    people,
)


@pytest.fixture
def api() -> APIClient:
    """A client with no credentials (an app before sign-in)."""
    return APIClient()


@pytest.fixture
def api_as(db) -> Callable[[User], APIClient]:
    """`api_as(user)`: a client sending a fresh device token of `user` as a Bearer."""

    def client_for(user: User) -> APIClient:
        _, key = device_token_issue(user=user, name="Uji")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return client_for

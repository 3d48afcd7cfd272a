"""API v1: citizen endpoints."""

urlpatterns: list = []

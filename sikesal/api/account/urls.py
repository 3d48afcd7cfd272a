"""API v1: account endpoints."""

urlpatterns: list = []

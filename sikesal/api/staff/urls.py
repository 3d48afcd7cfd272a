"""API v1: staff endpoints."""

urlpatterns: list = []

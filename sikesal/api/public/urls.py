"""API v1: public endpoints."""

urlpatterns: list = []

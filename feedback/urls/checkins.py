"""URLs of the checkins area of feedback."""

urlpatterns: list = []

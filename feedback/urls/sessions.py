"""URLs of the sessions area of feedback."""

urlpatterns: list = []

"""URLs of the health area of feedback."""

urlpatterns: list = []

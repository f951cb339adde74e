"""URLs of the pairs area of feedback."""

urlpatterns: list = []

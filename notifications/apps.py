from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from . import jobruns  # noqa: F401  (connects the task signals that record job runs)

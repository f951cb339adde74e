from smtplib import SMTPException

from celery import shared_task

from .services import notification_email_send


@shared_task(
    name="notifications.send_email",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def send_notification_email(notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)

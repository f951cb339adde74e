from smtplib import SMTPException

from celery import shared_task

from .services import digests_send, notification_email_send


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


# Beat runs this on Monday mornings (mentoring/settings/base.py); a second run finds nothing to send.
@shared_task(name="notifications.send_digests", time_limit=30 * 60, soft_time_limit=25 * 60)
def send_digests() -> int:
    return digests_send()

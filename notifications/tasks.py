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


# A batch from a scheduled job; each e-mail is claimed on its own, so a retry never sends one twice.
@shared_task(
    name="notifications.send_emails",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=5,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    return sum(notification_email_send(notification_id=pk) for pk in notification_ids)


# Beat runs this on Monday mornings (mentoring/settings/base.py); a second run finds nothing to send.
@shared_task(name="notifications.send_digests", time_limit=30 * 60, soft_time_limit=25 * 60)
def send_digests() -> int:
    return digests_send()

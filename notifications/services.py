"""Send notifications: recorded once, e-mailed after the transaction commits, read in the app."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from people.models import Person

from .models import Notification

logger = logging.getLogger(__name__)

# Files a kind's e-mail carries. A notification stores no files: each is built when the e-mail is sent,
# from what the notification's key names (so a retry sends what is current). Kind → dotted path of a
# ``builder(notification) -> list[(filename, content, mimetype)]``; the app that owns the kind provides the
# builder, and notifications never imports it.
EMAIL_ATTACHMENTS: dict[str, str] = {
    "session_scheduled": "feedback.ics.invite_attachments",
    "session_rescheduled": "feedback.ics.invite_attachments",
    "session_cancelled": "feedback.ics.invite_attachments",
    "session_reminder": "feedback.ics.invite_attachments",
}

Attachment = tuple[str, bytes | str, str]


def email_attachments(notification: Notification) -> list[Attachment]:
    """The files to attach to ``notification``'s e-mail: none unless its kind has a builder."""
    dotted = EMAIL_ATTACHMENTS.get(notification.kind)
    if dotted is None:
        return []
    return list(import_string(dotted)(notification))


def notify(
    *,
    recipient: Person,
    kind: str,
    key: str,
    subject: str,
    body: str,
    url: str = "",
    email: bool = True,
) -> Notification | None:
    """Record a notification and e-mail it, unless one with the same (recipient, kind, key) exists.

    Returns the new notification, or None when it had already been sent.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, key=key, subject=subject[:200], body=body, url=url
            )
    except IntegrityError:
        return None
    if email:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification, exactly once: the conditional UPDATE claims it."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.recipient.status == Person.Status.LEFT:
        return False
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": f"{settings.SITE_URL}{notification.url}" if notification.url else "",
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
        body=render_to_string("notifications/email/notification.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    try:
        for filename, content, mimetype in email_attachments(notification):
            message.attach(filename, content, mimetype)
        message.send()
    except Exception:
        # Give the claim back so a retry can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def notifications_mark_read(*, recipient: Person, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read; returns how many changed."""
    unread = Notification.objects.unread().filter(recipient=recipient)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

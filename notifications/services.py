"""Send notifications: recorded once, e-mailed after the transaction commits (or in the recipient's weekly
digest, or not at all, as they chose), read in the app."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from people.models import Person

from .kinds import CATEGORY_KEYS, category_of
from .models import Notification, NotificationSettings

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
    "cohort_event_invite": "cohorts.ics.invite_attachments",
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
    if email and emails_now(recipient, kind):
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


@dataclass(frozen=True)
class Message:
    """One notification to record (and e-mail) with ``notify_many``."""

    recipient: Person
    kind: str
    key: str
    subject: str
    body: str
    url: str = ""


BULK_CHUNK = 1000
EMAIL_BATCH = 200


def notify_many(messages: Iterable[Message], *, email: bool = True) -> int:
    """``notify`` for many notifications at once, as the scheduled jobs send them: each is recorded once per
    (recipient, kind, key) by the database constraint (a concurrent run inserts nothing twice), and the new
    ones are e-mailed in batches after the transaction commits, as their recipients chose. Returns how many
    were new."""
    sent = 0
    batch: list[Message] = []
    for message in messages:
        batch.append(message)
        if len(batch) == BULK_CHUNK:
            sent += _record_many(batch, email=email)
            batch = []
    if batch:
        sent += _record_many(batch, email=email)
    return sent


def _record_many(messages: list[Message], *, email: bool) -> int:
    unique = list({(m.recipient.pk, m.kind, m.key): m for m in messages}.values())
    with transaction.atomic():
        created = _insert_new(unique)
        if email and created:
            chosen = {
                c.person_id: c
                for c in NotificationSettings.objects.filter(person_id__in={r for r, _ in created.values()})
            }
            ids = [
                pk
                for pk, (recipient_id, kind) in created.items()
                if _wants_now(chosen.get(recipient_id), kind)
            ]
            if ids:
                from .tasks import send_notification_emails

                for at in range(0, len(ids), EMAIL_BATCH):
                    transaction.on_commit(partial(send_notification_emails.delay, ids[at : at + EMAIL_BATCH]))
    return len(created)


def _insert_new(messages: list[Message]) -> dict[int, tuple[int, str]]:
    """Insert the notifications that do not exist yet; {new id: (recipient id, kind)}."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        table = Notification._meta.db_table
        columns = 'recipient_id, kind, "key", subject, body, url, created_at'
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(messages))
        params: list[Any] = []
        for m in messages:
            params += [m.recipient.pk, m.kind, m.key, m.subject[:200], m.body, m.url, now]
        # One statement for the batch; the constraint skips what exists, RETURNING names what is new.
        sql = (
            # Only the model's table, its column names and %s placeholders are interpolated. (A blanket nosec:
            # with B608 named, bandit warns about every other piece of the f-string.)
            f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608  # nosec
            'ON CONFLICT (recipient_id, kind, "key") DO NOTHING RETURNING id, recipient_id, kind'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {pk: (recipient_id, kind) for pk, recipient_id, kind in cursor.fetchall()}
    created: dict[int, tuple[int, str]] = {}
    for m in messages:
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    recipient=m.recipient,
                    kind=m.kind,
                    key=m.key,
                    subject=m.subject[:200],
                    body=m.body,
                    url=m.url,
                )
        except IntegrityError:
            continue
        created[row.pk] = (m.recipient.pk, m.kind)
    return created


def _wants_now(chosen: NotificationSettings | None, kind: str) -> bool:
    if chosen is None:
        return True
    return chosen.email == NotificationSettings.Email.EACH and category_of(kind).key not in chosen.muted


def _settings_of(person: Person) -> NotificationSettings | None:
    return NotificationSettings.objects.filter(person=person).first()


def emails_now(person: Person, kind: str) -> bool:
    """Whether a notification of ``kind`` is e-mailed to ``person`` as it happens (not muted, not digest)."""
    return _wants_now(_settings_of(person), kind)


class SettingsError(Exception):
    """Notification settings that cannot be saved; the message says why."""


def notification_settings_save(*, person: Person, email: str, muted: list[str]) -> NotificationSettings:
    """Save how ``person`` wants notifications e-mailed. Refused with nothing changed on unknown values."""
    if email not in NotificationSettings.Email.values:
        raise SettingsError("Choose how you want notifications e-mailed from the list.")
    unknown = sorted(set(muted) - CATEGORY_KEYS)
    if unknown:
        raise SettingsError(f"Unknown kinds of notification: {', '.join(unknown)}. Choose from the list.")
    chosen, _ = NotificationSettings.objects.update_or_create(
        person=person, defaults={"email": email, "muted": sorted(set(muted))}
    )
    return chosen


DIGEST_SPAN = datetime.timedelta(days=7)


def digests_send(now: datetime.datetime | None = None) -> int:
    """E-mail each person who chose the weekly digest one message with their notifications of the past
    week not yet e-mailed (muted categories left out). Each notification is claimed with a conditional
    UPDATE before sending, so a second run (or a second worker) sends nothing again. Returns how many
    digests were sent."""
    now = now or timezone.now()
    sent = 0
    readers = NotificationSettings.objects.filter(email=NotificationSettings.Email.DIGEST).select_related(
        "person"
    )
    for chosen in readers.exclude(person__status=Person.Status.LEFT).order_by("pk"):
        pending = [
            n
            for n in Notification.objects.filter(
                recipient=chosen.person, emailed_at__isnull=True, created_at__gte=now - DIGEST_SPAN
            ).order_by("created_at", "pk")
            if category_of(n.kind).key not in chosen.muted
        ]
        if not pending:
            continue
        claimed = Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at__isnull=True).update(
            emailed_at=now
        )
        if claimed != len(pending):  # another run took some: leave them to it, give ours back
            Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at=now).update(
                emailed_at=None
            )
            continue
        context = {
            "recipient": chosen.person,
            "notifications": [(n, f"{settings.SITE_URL}{n.url}" if n.url else "") for n in pending],
            "site_name": settings.SITE_NAME,
            "settings_link": f"{settings.SITE_URL}{reverse('notifications:settings')}",
        }
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your week: {len(pending)} notification"
            f"{'s' if len(pending) != 1 else ''}",
            body=render_to_string("notifications/email/digest.txt", context),
            to=[chosen.person.email],
        )
        message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
        try:
            message.send()
        except Exception:
            Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at=now).update(
                emailed_at=None
            )
            raise
        NotificationSettings.objects.filter(pk=chosen.pk).update(last_digest_at=now)
        sent += 1
    return sent


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification, exactly once. Its row is locked while the e-mail goes out and marked sent in
    the same transaction: another worker skips it meanwhile, a failed send leaves it unsent for the retry,
    and a worker killed mid-send leaves it unsent too (its transaction dies with it), so the redelivered
    task sends it. Returns whether this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False  # sent already, or being sent by another worker
        if notification.recipient.status == Person.Status.LEFT:
            Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
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
        for filename, content, mimetype in email_attachments(notification):
            message.attach(filename, content, mimetype)
        message.send()
        Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def notifications_mark_read(*, recipient: Person, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read; returns how many changed."""
    unread = Notification.objects.unread().filter(recipient=recipient)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

"""A notification's e-mail carries the files its kind's builder makes when the e-mail is sent (a calendar
invite, say); kinds without a builder carry none."""

import pytest
from django.core import mail

from notifications import services
from notifications.services import email_attachments, notification_email_send, notify

pytestmark = pytest.mark.django_db

BUILT: list[int] = []


def build_note(notification):
    BUILT.append(notification.pk)
    return [(f"note-{notification.key}.txt", f"Built for {notification.recipient.full_name}", "text/plain")]


def broken_builder(notification):
    raise ConnectionError("The data behind the file is out of reach.")


@pytest.fixture
def registered(monkeypatch):
    BUILT.clear()
    monkeypatch.setitem(services.EMAIL_ATTACHMENTS, "test_with_file", f"{__name__}.build_note")


def _notify(person, kind):
    return notify(recipient=person, kind=kind, key="k1", subject="Subject", body="Body")


def test_a_kind_with_a_builder_gets_its_files_attached_when_the_email_is_sent(
    registered, employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee.person, "test_with_file")
    assert [notification.pk] == BUILT
    [message] = mail.outbox
    assert message.attachments == [("note-k1.txt", f"Built for {employee.person.full_name}", "text/plain")]
    # The text and HTML bodies are still there.
    assert "Body" in message.body and message.alternatives


def test_other_kinds_carry_no_file(registered, employee):
    notification = _notify(employee.person, "program_invitation")
    assert email_attachments(notification) == []
    assert notification_email_send(notification_id=notification.pk) is True
    assert mail.outbox[0].attachments == []
    assert BUILT == []


def test_a_failing_builder_gives_the_claim_back_for_a_retry(monkeypatch, employee):
    monkeypatch.setitem(services.EMAIL_ATTACHMENTS, "test_broken", f"{__name__}.broken_builder")
    notification = _notify(employee.person, "test_broken")
    with pytest.raises(ConnectionError):
        notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None and mail.outbox == []

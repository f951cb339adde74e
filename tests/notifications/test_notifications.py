"""Notifications are recorded once per (recipient, kind, key), e-mailed once, and read in the app."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_email_send, notify
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _notify(person, key="program:1", **extra):
    return notify(
        recipient=person,
        kind="program_invitation",
        key=key,
        subject="You are invited to Career mentoring",
        body="HR invited you to join as a mentee.",
        url="/programs/career-mentoring/",
        **extra,
    )


def test_a_notification_is_recorded_and_emailed_once_however_often_it_is_sent(
    employee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(employee.person)
        second = _notify(employee.person)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.person.email]
    assert "You are invited to Career mentoring" in message.subject
    assert "http://127.0.0.1:8000/programs/career-mentoring/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/programs/career-mentoring/"' in html


def test_a_different_key_is_a_different_notification(employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(employee.person, key="program:1")
        _notify(employee.person, key="program:2")
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_email_job_claims_its_work_so_a_second_run_sends_nothing(employee):
    notification = _notify(employee.person)
    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_people_who_left_get_no_email(department):
    gone = PersonFactory(department=department, status="left", left_on="2025-01-01")
    notification = _notify(gone)
    assert notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_the_bell_counts_unread_notifications(client, employee):
    _notify(employee.person, key="a")
    _notify(employee.person, key="b")
    client.force_login(employee)
    content = client.get(reverse("home")).content.decode()
    assert '2<span class="visually-hidden"> unread</span>' in content


def test_people_read_their_notifications_and_mark_them_read(client, employee):
    notification = _notify(employee.person)
    client.force_login(employee)
    content = client.get(reverse("notifications:list")).content.decode()
    assert "You are invited to Career mentoring" in content
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/programs/career-mentoring/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    _notify(employee.person, key="other")
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.unread().exists()


def test_nobody_opens_someone_elses_notification(client, employee, manager):
    notification = _notify(manager.person)
    client.force_login(employee)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert "You are invited" not in client.get(reverse("notifications:list")).content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_explains_an_empty_inbox_and_needs_a_person(client, employee, outsider):
    client.force_login(employee)
    assert "Nothing yet" in client.get(reverse("notifications:list")).content.decode()
    client.force_login(outsider)
    assert client.get(reverse("notifications:list")).status_code == 404
    client.logout()
    assert client.get(reverse("notifications:list")).status_code == 302


def test_marking_read_is_post_only(client, employee):
    client.force_login(employee)
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_the_list_query_count_is_bounded(client, employee, django_assert_max_num_queries):
    for i in range(40):
        _notify(employee.person, key=f"k{i}")
    client.force_login(employee)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_many_notifications_at_once_are_each_recorded_and_emailed_once(
    employee, manager, django_capture_on_commit_callbacks
):
    from notifications.services import Message, notification_settings_save, notify_many

    notification_settings_save(person=manager.person, email="off", muted=[])
    _notify(employee.person, key="program:1")  # already sent: skipped
    mail.outbox.clear()

    def message(person, key):
        return Message(
            recipient=person, kind="program_invitation", key=key, subject=f"Invitation {key}", body="B"
        )

    batch = [
        message(employee.person, "program:1"),
        message(employee.person, "program:2"),
        message(employee.person, "program:2"),  # twice in one batch: once
        message(manager.person, "program:2"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(batch) == 2
        assert notify_many(batch) == 0
    assert Notification.objects.count() == 3
    # The manager chose no e-mail: only the employee's new one goes out.
    assert [m.subject for m in mail.outbox] == ["[Mentoring] Invitation program:2"]

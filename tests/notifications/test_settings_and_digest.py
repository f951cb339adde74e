"""People choose which notifications reach them by e-mail, and when: each as it happens, a weekly digest, or
none. Every notification still appears under the bell; a digest is sent once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications.kinds import category_of
from notifications.models import Notification, NotificationSettings
from notifications.services import digests_send, notification_settings_save, notify

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


def ping(person, kind: str, key: str = "1", subject: str = "Something happened"):
    return notify(recipient=person, kind=kind, key=key, subject=subject, body="Details.", url="/pairs/")


def test_kinds_fall_into_the_categories_people_choose_from():
    assert category_of("session_reminder").key == "sessions"
    assert category_of("session_feedback_reminder").key == "asks"
    assert category_of("cadence_escalation").key == "coordination"
    assert category_of("cadence_nudge").key == "pairs"
    assert category_of("mentor_request_choose_again").key == "programs"
    assert category_of("cohort_event_reminder").key == "cohorts"
    assert category_of("something_new").key == "other"


def test_a_muted_category_stays_in_the_app_but_is_not_emailed(employee, django_capture_on_commit_callbacks):
    notification_settings_save(person=employee.person, email="each", muted=["sessions"])
    with django_capture_on_commit_callbacks(execute=True):
        ping(employee.person, "session_reminder", subject="Session tomorrow")
        ping(employee.person, "checkin_open", subject="Check-in open")
    assert Notification.objects.count() == 2
    assert [m.subject for m in mail.outbox] == ["[Mentoring] Check-in open"]


def test_no_email_at_all_keeps_every_notification_in_the_app(employee, django_capture_on_commit_callbacks):
    notification_settings_save(person=employee.person, email="off", muted=[])
    with django_capture_on_commit_callbacks(execute=True):
        ping(employee.person, "checkin_open")
    assert Notification.objects.count() == 1 and not mail.outbox


def test_a_weekly_digest_gathers_the_week_once_without_muted_kinds(
    employee, django_capture_on_commit_callbacks
):
    notification_settings_save(person=employee.person, email="digest", muted=["coordination"])
    long_ago = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=9)
    with time_machine.travel(long_ago, tick=False), django_capture_on_commit_callbacks(execute=True):
        ping(employee.person, "checkin_open", key="old", subject="Nine days ago")
    with django_capture_on_commit_callbacks(execute=True):
        ping(employee.person, "session_reminder", subject="Session tomorrow")
        ping(employee.person, "checkin_open", subject="Check-in open")
        ping(employee.person, "fit_alert", subject="Not a good fit")
    assert not mail.outbox  # nothing as it happens
    assert digests_send() == 1
    assert digests_send() == 0
    [digest] = mail.outbox
    assert digest.to == [employee.person.email] and digest.subject.endswith("Your week: 2 notifications")
    assert "Session tomorrow" in digest.body and "Check-in open" in digest.body
    assert "Not a good fit" not in digest.body and "Nine days ago" not in digest.body
    assert reverse("notifications:settings") in digest.body
    assert NotificationSettings.objects.get().last_digest_at is not None


def test_the_settings_page_saves_choices(client, employee):
    client.force_login(employee)
    page = client.get(SETTINGS).content.decode()
    assert "A weekly digest" in page
    # Without settings every kind is e-mailed: all seven boxes are ticked.
    assert page.count('name="emailed"') == 7 and page.count(" checked") == 8  # and "each" is chosen
    every = ["sessions", "asks", "coordination", "pairs", "programs", "cohorts", "other"]
    response = client.post(
        SETTINGS, {"email": "digest", "emailed": [k for k in every if k != "pairs"]}, follow=True
    )
    assert "Your notification settings are saved." in response.content.decode()
    chosen = NotificationSettings.objects.get(person=employee.person)
    assert (chosen.email, chosen.muted) == ("digest", ["pairs"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "hourly"}, "Choose how you want notifications e-mailed from the list."),
        ({"email": "each", "emailed": ["gossip"]}, "is not a kind of notification"),
    ],
)
def test_crafted_settings_are_refused_with_nothing_saved(client, employee, data, message):
    client.force_login(employee)
    response = client.post(SETTINGS, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content.replace("&#x27;", "'").replace("&quot;", '"') and "Nothing was saved" in content
    assert not NotificationSettings.objects.exists()


def test_the_service_refuses_unknown_values(employee):
    from notifications.services import SettingsError

    with pytest.raises(SettingsError):
        notification_settings_save(person=employee.person, email="each", muted=["gossip"])
    assert not NotificationSettings.objects.exists()


def test_settings_need_a_person_in_the_directory(client, outsider):
    client.force_login(outsider)
    assert client.get(SETTINGS).status_code == 404

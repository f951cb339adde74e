"""The agreement at kick-off: either member writes it, both confirm it (timestamped), a change after a
confirmation clears both and tells the other member; the program's first-meeting questions and prompts
sit beside it; bad input and crafted requests save nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import Agreement
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.agreement import AgreementInvalid, agreement_confirm, agreement_save, content_version
from matching.models import Mentorship
from matching.services.mentorships import mentorship_transition
from notifications.models import Notification
from programs.models import Resource

pytestmark = pytest.mark.django_db

GOOD = {
    "expectations": "Meet on time; come with one question each.",
    "cadence_days": "21",
    "meeting_format": "video",
    "confidentiality": "What we say stays between us.",
    "goals_summary": "Lead a ward round by spring.",
}


def edit_url(pair: Mentorship) -> str:
    return reverse("feedback:agreement_edit", args=[pair.pk])


def confirm_url(pair: Mentorship) -> str:
    return reverse("feedback:agreement_confirm", args=[pair.pk])


def page(client, pair: Mentorship) -> str:
    return client.get(reverse("feedback:pair_detail", args=[pair.pk])).content.decode()


def test_a_member_writes_the_agreement_and_both_confirm_with_a_timestamp(client, pair, mentor, mentee):
    client.force_login(mentee)
    saved = client.post(edit_url(pair), GOOD, follow=True).content.decode()
    assert "Agreement saved. Confirm it when you both agree." in saved
    agreement = Agreement.objects.get(mentorship=pair)
    assert (agreement.cadence_days, agreement.meeting_format) == (21, "video")
    assert agreement.updated_by == mentee
    assert "Every 21 days" in saved and "as agreed" in saved and "Video call" in saved
    assert "not confirmed yet" in saved

    confirmed = client.post(confirm_url(pair), {"version": content_version(agreement)}, follow=True)
    assert "your partner was asked to confirm it too" in confirmed.content.decode()
    agreement.refresh_from_db()
    assert agreement.mentee_confirmed_at is not None and agreement.mentor_confirmed_at is None
    note = Notification.objects.get(recipient=mentor.person, kind="agreement_confirmed")
    assert "please confirm it too" in note.subject

    client.force_login(mentor)
    html = page(client, pair)
    assert f"{mentee.person.full_name} (mentee):" in html and "confirmed on" in html
    assert "I confirm this agreement" in html
    client.post(confirm_url(pair), {"version": content_version(agreement)})
    agreement.refresh_from_db()
    assert agreement.confirmed
    html = page(client, pair)
    assert "I confirm this agreement" not in html
    assert html.count("confirmed on") == 2


def test_a_change_after_a_confirmation_clears_both_and_tells_the_other_member(client, pair, mentor, mentee):
    client.force_login(mentor)
    client.post(edit_url(pair), GOOD)
    client.post(confirm_url(pair))
    client.force_login(mentee)
    client.post(confirm_url(pair))
    assert Agreement.objects.get(mentorship=pair).confirmed

    changed = client.post(edit_url(pair), {**GOOD, "cadence_days": "7"}, follow=True).content.decode()
    assert "both of you confirm it again" in changed and mentor.person.full_name in changed
    agreement = Agreement.objects.get(mentorship=pair)
    assert agreement.cadence_days == 7
    assert agreement.mentor_confirmed_at is None and agreement.mentee_confirmed_at is None
    told = Notification.objects.get(recipient=mentor.person, kind="agreement_changed")
    assert "confirm again" in told.subject and "meeting cadence" in told.body
    assert not Notification.objects.filter(recipient=mentee.person, kind="agreement_changed").exists()


def test_saving_the_same_content_changes_nothing_and_keeps_the_confirmations(client, pair, mentor):
    client.force_login(mentor)
    client.post(edit_url(pair), GOOD)
    client.post(confirm_url(pair))
    again = client.post(edit_url(pair), GOOD, follow=True).content.decode()
    assert "Nothing changed in the agreement." in again
    assert Agreement.objects.get(mentorship=pair).mentor_confirmed_at is not None
    assert not Notification.objects.filter(kind="agreement_changed").exists()


def test_a_confirmation_of_content_that_changed_since_it_was_read_is_refused(client, pair, mentor, mentee):
    client.force_login(mentor)
    client.post(edit_url(pair), GOOD)
    read = content_version(Agreement.objects.get(mentorship=pair))
    client.force_login(mentee)
    client.post(edit_url(pair), {**GOOD, "expectations": "Something else entirely."})
    client.force_login(mentor)
    refused = client.post(confirm_url(pair), {"version": read}).content.decode()
    assert "The agreement changed since you opened the page" in refused
    assert Agreement.objects.get(mentorship=pair).mentor_confirmed_at is None


def test_confirming_twice_or_before_anything_is_written_is_refused(client, pair, mentee):
    client.force_login(mentee)
    first = client.post(confirm_url(pair)).content.decode()
    assert "Write the agreement together before confirming it." in first
    assert not Agreement.objects.exists()
    client.post(edit_url(pair), GOOD)
    client.post(confirm_url(pair))
    twice = client.post(confirm_url(pair)).content.decode()
    assert "You already confirmed this agreement on" in twice


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cadence_days", "0", "Ensure this value is greater than or equal to 1."),
        ("cadence_days", "366", "Ensure this value is less than or equal to 365."),
        ("meeting_format", "carrier pigeon", "Select a valid choice."),
        ("expectations", "x" * 4001, "Ensure this value has at most 4000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, pair, mentor, field, value, message):
    client.force_login(mentor)
    response = client.post(edit_url(pair), {**GOOD, field: value})
    html = response.content.decode()
    assert "Nothing was saved." in html and message in html
    assert not Agreement.objects.exists()


def test_an_empty_agreement_is_refused(client, pair, mentor):
    client.force_login(mentor)
    html = client.post(edit_url(pair), {}).content.decode()
    assert "Write at least one part of the agreement before saving it." in html
    assert not Agreement.objects.exists()


def test_the_service_checks_crafted_input_as_strictly_as_the_form(pair, mentor):
    access = get_pair_for_user(mentor, pair.pk)
    for data, field in (
        ({"cadence_days": 0}, "cadence_days"),
        ({"cadence_days": 400}, "cadence_days"),
        ({"cadence_days": True}, "cadence_days"),
        ({"cadence_days": "14"}, "cadence_days"),
        ({"meeting_format": "smoke signals"}, "meeting_format"),
        ({"confidentiality": "x" * 4001}, "confidentiality"),
        ({"expectations": "fine", "mentor_confirmed_at": "2026-01-01"}, None),
    ):
        with pytest.raises(AgreementInvalid) as refused:
            agreement_save(access=access, data=data, by=mentor)
        assert field in refused.value.errors
    assert not Agreement.objects.exists()


def test_coordinators_and_members_of_an_ended_pair_cannot_write_or_confirm(client, pair, coordinator, mentee):
    client.force_login(coordinator)
    html = client.post(edit_url(pair), GOOD).content.decode()
    assert "coordinators read them" in html
    assert client.post(confirm_url(pair)).status_code == 200
    assert not Agreement.objects.exists()
    client.force_login(mentee)
    client.post(edit_url(pair), GOOD)
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None, why="Program over.")
    refused = client.post(edit_url(pair), {**GOOD, "expectations": "Changed later."}, follow=True)
    assert "This pair is completed" in refused.content.decode()
    agreement = Agreement.objects.get(mentorship=pair)
    assert agreement.expectations == GOOD["expectations"]
    with pytest.raises(FeedbackError):
        agreement_confirm(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    assert Agreement.objects.get(mentorship=pair).mentee_confirmed_at is None


def test_an_outsider_gets_404_and_changes_nothing(client, pair, employee):
    client.force_login(employee)
    assert client.post(edit_url(pair), GOOD).status_code == 404
    assert client.post(confirm_url(pair)).status_code == 404
    assert not Agreement.objects.exists()


def test_htmx_answers_with_the_section_and_the_facts(client, pair, mentor):
    client.force_login(mentor)
    response = client.post(edit_url(pair), GOOD, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="agreement-content">') or 'id="agreement-content"' in html
    assert 'id="pair-facts" class="row mb-0" hx-swap-oob="true"' in html and "Every 21 days" in html
    invalid = client.post(
        edit_url(pair), {**GOOD, "cadence_days": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Nothing was saved." in invalid and "greater than or equal to 1" in invalid
    assert Agreement.objects.get(mentorship=pair).cadence_days == 21


def test_first_meeting_questions_and_prompts_are_shown_for_the_viewers_role(client, pair, mentor, mentee):
    program = pair.program
    Resource.objects.create(program=None, kind="first_meeting", title="Global questions", body="Global?")
    Resource.objects.create(
        program=program, kind="first_meeting", title="Our questions", body="**What brings you**"
    )
    Resource.objects.create(program=None, kind="prompt", title="Global prompt", body="Talk about setbacks.")
    Resource.objects.create(
        program=program, kind="prompt", audience="mentors", title="For mentors only", body="Listen more."
    )
    Resource.objects.create(program=None, kind="guide", title="A guide", body="Not shown here.")
    client.force_login(mentee)
    html = page(client, pair)
    assert "Our questions" in html and "<strong>What brings you</strong>" in html
    # The program has its own first-meeting questions: the global ones give way.
    assert "Global questions" not in html
    # The program has no prompt for mentees: the global one stands in.
    assert "Global prompt" in html and "For mentors only" not in html
    assert "A guide" not in html
    client.force_login(mentor)
    html = page(client, pair)
    assert "For mentors only" in html and "Global prompt" not in html

"""The access helpers every program page resolves its objects with: the right people get the object, and
everyone else a 404 (the same answer as for what does not exist), or a 403 on pages for a role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from programs.factories import KeyResultFactory, ParticipantFactory, QuestionFactory, ResourceFactory
from programs.models import KeyResult, Participant, Resource
from programs.permissions import (
    get_global_resource_for_user,
    get_key_result_for_user,
    get_own_participant_for_user,
    get_pending_approval_for_user,
    get_playbook_for_user,
    get_program_for_user,
    get_question_for_user,
    get_resource_for_user,
    require_manager,
    require_program_manager,
    require_training_admin,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("helper", "factory"),
    [
        (get_question_for_user, QuestionFactory),
        (get_resource_for_user, ResourceFactory),
        (
            get_key_result_for_user,
            lambda **kw: KeyResultFactory(metric=KeyResult.Metric.RETENTION_RATE, **kw),
        ),
    ],
)
def test_parts_of_a_program_are_for_its_managers_only(
    helper, factory, program, other_program, coordinator, other_coordinator, hr_admin, employee
):
    part = factory(program=program)
    for user in (coordinator, hr_admin):
        found = helper(user, program.slug, part.pk)
        assert found == part and found.program == program
    for user, slug, pk in [
        (other_coordinator, program.slug, part.pk),
        (employee, program.slug, part.pk),
        # Another program's address does not reach this program's parts.
        (other_coordinator, other_program.slug, part.pk),
        (coordinator, program.slug, part.pk + 1000),
    ]:
        with pytest.raises(Http404):
            helper(user, slug, pk)


def test_an_archived_question_is_out_of_reach(program, coordinator):
    question = QuestionFactory(program=program)
    question.archived_at = timezone.now()
    question.save(update_fields=["archived_at"])
    with pytest.raises(Http404):
        get_question_for_user(coordinator, program.slug, question.pk)


def test_the_global_playbook_is_for_hr_admins(hr_admin, coordinator, program):
    resource = ResourceFactory(program=None)
    assert get_global_resource_for_user(hr_admin, resource.pk) == resource
    with pytest.raises(PermissionDenied):
        get_global_resource_for_user(coordinator, resource.pk)
    program_resource = ResourceFactory(program=program)
    with pytest.raises(Http404):
        get_global_resource_for_user(hr_admin, program_resource.pk)
    assert Resource.objects.count() == 2


def test_a_program_page_tells_managers_from_employees(enrolling_program, coordinator, employee, outsider):
    assert get_program_for_user(coordinator, enrolling_program.slug) == (enrolling_program, True)
    assert get_program_for_user(employee, enrolling_program.slug) == (enrolling_program, False)
    with pytest.raises(Http404):
        get_program_for_user(outsider, enrolling_program.slug)


def test_a_draft_is_hidden_from_employees(program, employee):
    with pytest.raises(Http404):
        get_program_for_user(employee, program.slug)


def test_the_playbook_is_read_by_managers_and_by_applicants_in_their_roles(
    enrolling_program, coordinator, employee, mentor
):
    assert get_playbook_for_user(coordinator, enrolling_program.slug) == (enrolling_program, None)
    with pytest.raises(Http404):
        get_playbook_for_user(employee, enrolling_program.slug)
    ParticipantFactory(program=enrolling_program, person=mentor.person, role=Participant.Role.MENTOR)
    assert get_playbook_for_user(mentor, enrolling_program.slug) == (enrolling_program, ["mentor"])
    ParticipantFactory(program=enrolling_program, person=employee.person, status=Participant.Status.DECLINED)
    with pytest.raises(Http404):
        get_playbook_for_user(employee, enrolling_program.slug)


def test_an_application_is_reached_by_its_applicant_only(enrolling_program, employee, mentor):
    application = ParticipantFactory(program=enrolling_program, person=employee.person)
    assert get_own_participant_for_user(employee, enrolling_program.slug, "mentee") == application
    for user, role in [(employee, "mentor"), (employee, "sponsor"), (mentor, "mentee")]:
        with pytest.raises(Http404):
            get_own_participant_for_user(user, enrolling_program.slug, role)


def test_an_application_waiting_for_approval_is_reached_by_the_applicants_manager_only(
    enrolling_program, employee, manager, coordinator, outsider
):
    application = ParticipantFactory(
        program=enrolling_program,
        person=employee.person,
        manager_approval=Participant.ManagerApproval.PENDING,
    )
    assert require_manager(manager) == manager.person
    assert get_pending_approval_for_user(manager, application.pk) == application
    with pytest.raises(Http404):
        get_pending_approval_for_user(coordinator, application.pk)
    with pytest.raises(PermissionDenied):
        get_pending_approval_for_user(outsider, application.pk)
    application.manager_approval = Participant.ManagerApproval.APPROVED
    application.save(update_fields=["manager_approval"])
    with pytest.raises(Http404):
        get_pending_approval_for_user(manager, application.pk)


def test_role_pages_answer_403_to_everyone_else(hr_admin, coordinator, employee, outsider, program):
    require_program_manager(hr_admin)
    require_program_manager(coordinator)
    require_training_admin(hr_admin)
    for check, user in [
        (require_program_manager, employee),
        (require_training_admin, coordinator),
        (require_manager, outsider),
    ]:
        with pytest.raises(PermissionDenied):
            check(user)

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Answer,
    Invitation,
    KeyResult,
    MentorTraining,
    Participant,
    ParticipantStatusChange,
    Program,
    ProgramStatusChange,
    Question,
    QuestionRevision,
    Resource,
)


class SuperuserOnly:
    """Programs are run through their pages and services (which check and record every change); the admin
    is a superuser's tool. The rules permissions named like Django's (``programs.add_program``) must not
    open it to HR admins."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class KeyResultInline(SuperuserOnly, admin.TabularInline):
    model = KeyResult
    extra = 0


class ProgramStatusChangeInline(SuperuserOnly, admin.TabularInline):
    model = ProgramStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]
    can_delete = False


@admin.register(Program)
class ProgramAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "purpose", "status", "enrollment_opens_on", "starts_on", "ends_on"]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["eligible_divisions", "eligible_departments"]
    raw_id_fields = ["coordinators", "sponsors", "copied_from"]
    # The status changes only through the lifecycle service, which records every move.
    readonly_fields = ["status"]
    inlines = [KeyResultInline, ProgramStatusChangeInline]


@admin.register(Question)
class QuestionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["mentee_text", "program", "kind", "match_rule", "weight", "hard", "archived_at"]
    list_filter = ["kind", "match_rule", "hard"]
    list_select_related = ["program"]
    search_fields = ["mentor_text", "mentee_text", "program__name"]


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["question", "action", "by", "at"]
    readonly_fields = ["question", "action", "by", "at", "details"]


class AnswerInline(SuperuserOnly, admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Participant)
class ParticipantAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["person", "program", "role", "status", "manager_approval", "applied_at"]
    list_filter = ["role", "status", "manager_approval"]
    list_select_related = ["person", "program"]
    search_fields = ["person__full_name", "person__email", "program__name"]
    raw_id_fields = ["person", "manager_decided_by"]
    readonly_fields = ["status"]
    inlines = [AnswerInline]


@admin.register(ParticipantStatusChange)
class ParticipantStatusChangeAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["participant", "from_status", "to_status", "by", "at"]
    readonly_fields = ["participant", "from_status", "to_status", "by", "at", "why"]


@admin.register(Invitation)
class InvitationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["person", "program", "role", "invited_by", "invited_at"]
    list_select_related = ["person", "program", "invited_by"]
    raw_id_fields = ["person"]


@admin.register(Resource)
class ResourceAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["title", "program", "kind", "audience", "order"]
    list_filter = ["kind", "audience"]
    search_fields = ["title", "body"]


@admin.register(MentorTraining)
class MentorTrainingAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["person", "course", "completed_on", "recorded_by"]
    list_select_related = ["person", "recorded_by"]
    search_fields = ["person__full_name", "person__employee_id", "course"]
    raw_id_fields = ["person"]

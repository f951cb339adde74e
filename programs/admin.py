from django.contrib import admin

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


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0


class ProgramStatusChangeInline(admin.TabularInline):
    model = ProgramStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]
    can_delete = False


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
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
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["mentee_text", "program", "kind", "match_rule", "weight", "hard", "archived_at"]
    list_filter = ["kind", "match_rule", "hard"]
    list_select_related = ["program"]
    search_fields = ["mentor_text", "mentee_text", "program__name"]


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(admin.ModelAdmin):
    list_display = ["question", "action", "by", "at"]
    readonly_fields = ["question", "action", "by", "at", "details"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "role", "status", "manager_approval", "applied_at"]
    list_filter = ["role", "status", "manager_approval"]
    list_select_related = ["person", "program"]
    search_fields = ["person__full_name", "person__email", "program__name"]
    raw_id_fields = ["person", "manager_decided_by"]
    readonly_fields = ["status"]
    inlines = [AnswerInline]


@admin.register(ParticipantStatusChange)
class ParticipantStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["participant", "from_status", "to_status", "by", "at"]
    readonly_fields = ["participant", "from_status", "to_status", "by", "at", "why"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "role", "invited_by", "invited_at"]
    list_select_related = ["person", "program", "invited_by"]
    raw_id_fields = ["person"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "kind", "audience", "order"]
    list_filter = ["kind", "audience"]
    search_fields = ["title", "body"]


@admin.register(MentorTraining)
class MentorTrainingAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "completed_on", "recorded_by"]
    list_select_related = ["person", "recorded_by"]
    search_fields = ["person__full_name", "person__employee_id", "course"]
    raw_id_fields = ["person"]

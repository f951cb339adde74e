"""The cycles' setup in the Django admin, for superusers to look things up. It is read-only: every change
goes through the HR admin pages, whose services check the rules and record status changes."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import CommitteeMember, Criterion, CycleStatusChange, DivisionQuota, NominationCycle


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CommitteeInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ["person", "is_chair", "added_at"]
    readonly_fields = fields


class QuotaInline(ReadOnlyInline):
    model = DivisionQuota
    fields = ["division", "seats"]
    readonly_fields = fields


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["order", "name", "weight", "description"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = CycleStatusChange
    fields = ["at", "from_status", "to_status", "by", "why"]
    readonly_fields = fields


@admin.register(NominationCycle)
class NominationCycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "status", "nominations_open_on", "nominations_close_on", "review_due_on"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    inlines = [QuotaInline, CommitteeInline, CriterionInline, StatusChangeInline]

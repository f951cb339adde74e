"""Calendar addresses in the Django admin: who has one, when it was last read, and turning them off (for a
compromised login). Tokens are never shown: only their last four characters exist to show."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import CalendarFeed
from .services import feeds_turn_off


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at", "revoked_by")
    readonly_fields = fields
    actions = ("turn_off",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False  # turned off, never deleted: the row is the record of the address

    def has_turn_off_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("calendars.change_calendarfeed")

    @admin.action(description="Turn off the selected calendar addresses", permissions=["turn_off"])
    def turn_off(self, request: HttpRequest, queryset: QuerySet[CalendarFeed]) -> None:
        by = request.user if request.user.is_authenticated else None
        count = feeds_turn_off(feeds=queryset, by=by)  # type: ignore[arg-type]
        self.message_user(request, f"{count} calendar address(es) turned off.", messages.SUCCESS)

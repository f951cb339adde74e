from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__full_name", "recipient__email", "key"]
    readonly_fields = [
        "recipient",
        "kind",
        "key",
        "subject",
        "body",
        "url",
        "created_at",
        "emailed_at",
        "read_at",
    ]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Department, DirectoryImport, Division, Person, PersonnelRecord, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]
    # HR admins keep the directory; the keys to a login stay with superusers. An HR admin who could set a
    # password or an e-mail address could sign in as anyone and read their private notes; one who could
    # grant superuser or groups would bypass the HR admins page (and its record of who changed roles).
    KEYS = ("email", "password", "is_staff", "is_superuser", "groups", "last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            return fields + self.KEYS
        return fields

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied("Only superusers set another login's password.")
        return super().user_change_password(request, id, form_url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A login made here with a password would let its maker sign in as that person later.
        return request.user.is_superuser


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "division"]
    list_filter = ["division"]
    list_select_related = ["division"]
    search_fields = ["name", "division__name"]


class PersonnelRecordInline(admin.TabularInline):
    model = PersonnelRecord
    extra = 0
    fields = ["kind", "effective_on", "title", "job_level", "details"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "employee_id",
        "email",
        "title",
        "job_level",
        "department",
        "status",
    ]
    list_filter = ["status", "department__division", "job_level"]
    list_select_related = ["department__division"]
    search_fields = ["full_name", "email", "employee_id", "title"]
    raw_id_fields = ["manager", "user"]
    autocomplete_fields = ["department"]
    inlines = [PersonnelRecordInline]


@admin.register(PersonnelRecord)
class PersonnelRecordAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "effective_on", "title", "job_level"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "person__employee_id", "title"]
    raw_id_fields = ["person"]
    date_hierarchy = "effective_on"


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "status", "uploaded_by", "created_at", "applied_at"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "status",
        "file_name",
        "uploaded_by",
        "validated_at",
        "applied_at",
        "report",
    ]

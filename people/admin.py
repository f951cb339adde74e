from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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

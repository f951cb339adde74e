"""The directory: find a colleague, read their entry, and (HR admins) manage who administers HR data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people import services
from people.forms import DirectoryFilterForm, HRAdminAddForm, PersonnelRecordForm
from people.models import HR_ADMINS_GROUP, User
from people.permissions import (
    get_person_for_user,
    is_employee,
    is_hr_admin,
    people_visible_to,
    require_hr_admin,
)
from people.selectors import direct_reports
from people.services import DirectoryError

PAGE_SIZE = 50


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    hr = is_hr_admin(request.user)
    if not (hr or is_employee(request.user)):
        raise PermissionDenied("The directory is for the people in it.")
    people = people_visible_to(request.user)
    form = DirectoryFilterForm(request.GET or None, hr_admin=hr)
    if form.is_valid():
        data = form.cleaned_data
        people = people.search(data.get("q") or "")
        if data.get("division"):
            people = people.filter(department__division=data["division"])
        if hr and data.get("status"):
            people = people.filter(status=data["status"])
    people = people.select_related("department__division").order_by("full_name", "employee_id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "hr_admin": hr, "query": query.urlencode()}
    template = "people/_person_rows.html" if request.htmx else "people/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    user = request.user
    can_see_file = user.has_perm("people.view_personnel_file", person)
    hr = is_hr_admin(user)
    record_form = None
    if hr and request.method == "POST":
        record_form = PersonnelRecordForm(request.POST)
        if record_form.is_valid():
            try:
                services.personnel_record_create(person=person, by=user, **record_form.cleaned_data)
            except DirectoryError as exc:
                record_form.add_error(None, str(exc))
            else:
                messages.success(request, "The record was added to the personnel file.")
                return redirect(person)
    elif request.method == "POST":
        raise PermissionDenied("Only HR admins add personnel records.")
    context = {
        "person": person,
        "hr_admin": hr,
        "can_see_file": can_see_file,
        "can_see_demographics": user.has_perm("people.view_demographics", person),
        "records": person.records.all() if can_see_file else None,
        "reports": direct_reports(person) if can_see_file else None,
        "record_form": (record_form or PersonnelRecordForm()) if hr else None,
    }
    return render(request, "people/person_detail.html", context)


@login_required
def hr_admins(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    form = HRAdminAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hr_admin_add(user=form.cleaned_data["user"], by=request.user)
        except DirectoryError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"{form.cleaned_data['user'].email} is now an HR admin.")
            return redirect("people:hr_admins")
    admins = (
        User.objects.filter(groups__name=HR_ADMINS_GROUP)
        .select_related("person__department__division")
        .order_by("email")
    )
    return render(request, "people/hr_admins.html", {"form": form, "admins": admins})


@login_required
@require_POST
def hr_admin_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    require_hr_admin(request.user)
    target = get_object_or_404(User, pk=user_id, groups__name=HR_ADMINS_GROUP)
    try:
        services.hr_admin_remove(user=target, by=request.user)
    except DirectoryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{target.email} is no longer an HR admin.")
    return redirect("people:hr_admins")

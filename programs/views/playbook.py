"""The playbook: program resources (HR admins and coordinators), the global playbook (HR admins) and the
page participants read, filtered by their role in the program.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentoring.markdown import render_markdown
from people.permissions import require_hr_admin
from programs.forms.playbook import ResourceForm
from programs.models import Participant, Program, Resource
from programs.permissions import (
    get_global_resource_for_user,
    get_playbook_for_user,
    get_program_for_manager,
    get_resource_for_user,
)
from programs.services import playbook as services
from programs.services.playbook import ResourceError, group_by_kind, playbook_for

# --- Reading ------------------------------------------------------------------------------------------------


@login_required
def playbook(request: HttpRequest, slug: str) -> HttpResponse:
    program, roles = get_playbook_for_user(request.user, slug)
    context = {
        "program": program,
        "sections": playbook_for(program=program, roles=roles),
        "sees_all": roles is None,
        "roles": [Participant.Role(r).label.lower() for r in roles or []],
    }
    return render(request, "programs/playbook/playbook.html", context)


# --- Program resources --------------------------------------------------------------------------------------


@login_required
def resource_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    context = {
        "program": program,
        "sections": group_by_kind(program.resources.order_by("order", "title")),
        "global_count": Resource.objects.filter(program__isnull=True).count(),
    }
    return render(request, "programs/playbook/resource_list.html", context)


@login_required
def resource_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    return _resource_form(request, program=program, resource=None)


@login_required
def resource_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request.user, slug, pk)
    return _resource_form(request, program=resource.program, resource=resource)


@login_required
@require_POST
def resource_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request.user, slug, pk)
    services.resource_delete(resource=resource, by=request.user)
    messages.success(request, f"“{resource.title}” was deleted from the playbook.")
    return redirect("programs:resource_list", slug)


# --- Global resources ---------------------------------------------------------------------------------------


@login_required
def global_resource_list(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    context = {
        "sections": group_by_kind(Resource.objects.filter(program__isnull=True).order_by("order", "title"))
    }
    return render(request, "programs/playbook/global_list.html", context)


@login_required
def global_resource_create(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    return _resource_form(request, program=None, resource=None)


@login_required
def global_resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_global_resource_for_user(request.user, pk)
    return _resource_form(request, program=None, resource=resource)


@login_required
@require_POST
def global_resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_global_resource_for_user(request.user, pk)
    services.resource_delete(resource=resource, by=request.user)
    messages.success(request, f"“{resource.title}” was deleted from the global playbook.")
    return redirect("programs:global_resource_list")


@login_required
@require_POST
def global_resource_install_defaults(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    created = services.resources_install_defaults()
    if created:
        messages.success(request, f"{len(created)} default resources were added to the global playbook.")
    else:
        messages.info(request, "The default resources are already in the global playbook.")
    return redirect("programs:global_resource_list")


# --- The form, shared by program and global resources -------------------------------------------------------


def _resource_form(
    request: HttpRequest, *, program: Program | None, resource: Resource | None
) -> HttpResponse:
    if program is not None:
        back = reverse("programs:resource_list", args=[program.slug])
    else:
        back = reverse("programs:global_resource_list")
    previewing = request.method == "POST" and request.POST.get("action") == "preview"
    if previewing:
        preview = render_markdown(request.POST.get("body", ""))
        if request.htmx:
            return render(request, "programs/playbook/_preview.html", {"preview": preview})
        # Shown again as typed, without error messages: nothing is being saved yet.
        form = ResourceForm(
            initial=request.POST.dict(), program=program, resource=resource, preview_url=request.path
        )
    else:
        preview = None
        form = ResourceForm(
            request.POST or None, program=program, resource=resource, preview_url=request.path
        )
    if request.method == "POST" and not previewing and form.is_valid():
        data = form.cleaned_data["data"]
        try:
            if resource is None:
                saved = services.resource_create(program=program, data=data, by=request.user)
            else:
                saved = services.resource_update(resource=resource, data=data, by=request.user)
        except ResourceError as exc:
            for field, problems in exc.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"“{saved.title}” is saved.")
            return redirect(back)
    context = {
        "program": program,
        "resource": resource,
        "form": form,
        "preview": preview,
        "back": back,
        "delete_url": _delete_url(program, resource),
    }
    return render(request, "programs/playbook/resource_form.html", context)


def _delete_url(program: Program | None, resource: Resource | None) -> str:
    if resource is None:
        return ""
    if program is None:
        return reverse("programs:global_resource_delete", args=[resource.pk])
    return reverse("programs:resource_delete", args=[program.slug, resource.pk])

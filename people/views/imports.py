"""HR directory import pages: upload, preview (polled while the worker checks the file), apply, discard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from people.forms import DirectoryImportForm
from people.importing import (
    ImportReport,
    ImportStateError,
    columns_for,
    directory_import_apply_request,
    directory_import_create,
    directory_import_discard,
    template_csv,
)
from people.models import DirectoryImport
from people.permissions import get_directory_import_for_user, require_hr_admin

LIST_SIZE = 50


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    if request.method == "POST":
        form = DirectoryImportForm(request.POST, request.FILES)
        if form.is_valid():
            directory_import = directory_import_create(
                kind=form.cleaned_data["kind"],
                file_name=form.cleaned_data["file"].name,
                content=form.cleaned_data["content"],
                by=request.user,
            )
            messages.info(request, "File received. Every row is being checked; the preview follows here.")
            return redirect(directory_import)
    else:
        form = DirectoryImportForm()
    imports = list(DirectoryImport.objects.for_list()[:LIST_SIZE])
    return render(
        request,
        "people/import_list.html",
        {
            "form": form,
            "imports": imports,
            "list_size": LIST_SIZE,
            "people_columns": columns_for(DirectoryImport.Kind.PEOPLE),
            "promotion_columns": columns_for(DirectoryImport.Kind.PROMOTIONS),
        },
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    require_hr_admin(request.user)
    if kind not in DirectoryImport.Kind.values:
        raise Http404("No such kind of import.")
    response = HttpResponse(template_csv(kind=kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-import-template.csv"'
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directory_import = get_directory_import_for_user(request.user, pk)
    context = {
        "directory_import": directory_import,
        "report": ImportReport.from_json(directory_import.report) if directory_import.report else None,
    }
    if request.htmx:
        return render(request, "people/_import_preview.html", context)
    return render(request, "people/import_detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    directory_import = get_directory_import_for_user(request.user, pk)
    try:
        directory_import_apply_request(directory_import=directory_import, by=request.user)
    except ImportStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, "Applying the import. This page updates when it is done.")
    return redirect(directory_import)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    directory_import = get_directory_import_for_user(request.user, pk)
    try:
        directory_import_discard(directory_import=directory_import, by=request.user)
    except ImportStateError as exc:
        messages.error(request, str(exc))
        return redirect(directory_import)
    messages.success(request, f"{directory_import.file_name} was discarded; nothing was changed.")
    return redirect("people:import_list")

"""The mentor training record, for HR admins: the trained mentors, one record at a time or a CSV file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from programs.forms.training import TrainingImportForm, TrainingRecordForm, TrainingSearchForm
from programs.models import MentorTraining
from programs.permissions import require_training_admin
from programs.services.training import (
    TrainingError,
    TrainingImportReport,
    mentor_training_delete,
    mentor_training_record,
    mentor_trainings_import,
)

PAGE_SIZE = 50


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    require_training_admin(request.user)
    record_form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and record_form.is_valid():
        data = record_form.cleaned_data
        try:
            training = mentor_training_record(
                person=data["person"],
                completed_on=data["completed_on"],
                course=data["course"],
                by=request.user,
            )
        except TrainingError as exc:
            record_form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{training.person.full_name}'s {training.course} on {training.completed_on:%Y-%m-%d} "
                "is recorded.",
            )
            return redirect("programs:training_list")
    return _render_list(request, record_form=record_form, import_form=TrainingImportForm(), report=None)


@login_required
@require_POST
def training_import(request: HttpRequest) -> HttpResponse:
    require_training_admin(request.user)
    form = TrainingImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        report = mentor_trainings_import(content=upload.read(), file_name=upload.name, by=request.user)
        if report.ok:
            messages.success(
                request,
                f"{upload.name}: {report.created} trainings recorded, "
                f"{report.already_recorded} already recorded.",
            )
            return redirect("programs:training_list")
    return _render_list(request, record_form=TrainingRecordForm(), import_form=form, report=report)


@login_required
@require_POST
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_training_admin(request.user)
    training = get_object_or_404(MentorTraining.objects.select_related("person"), pk=pk)
    mentor_training_delete(training=training, by=request.user)
    messages.success(
        request,
        f"{training.person.full_name}'s {training.course} on {training.completed_on:%Y-%m-%d} was deleted.",
    )
    return redirect("programs:training_list")


def _render_list(
    request: HttpRequest,
    *,
    record_form: TrainingRecordForm,
    import_form: TrainingImportForm,
    report: TrainingImportReport | None,
) -> HttpResponse:
    search = TrainingSearchForm(request.GET or None)
    trainings = MentorTraining.objects.select_related("person__department", "recorded_by")
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if text:
        trainings = trainings.filter(
            Q(person__full_name__icontains=text)
            | Q(person__email__icontains=text)
            | Q(person__employee_id__iexact=text)
            | Q(course__icontains=text)
        )
    trainings = trainings.order_by("-completed_on", "person__full_name", "pk")
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "search": search,
        "searching": bool(text),
        "query": query.urlencode(),
        "record_form": record_form,
        "import_form": import_form,
        "report": report,
    }
    return render(request, "programs/training/list.html", context)

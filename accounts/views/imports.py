"""Importing mentors and mentees from a CSV file: upload, preview, confirm.

Only the coordinators and supervisors of a program (and administrators) import into it;
anyone else gets a 404. The rules live in ``accounts.imports``; these views only move the
file and the signed preview between the person and those functions.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from accounts import imports
from accounts.models import Program

LIST_VIEWS = {imports.MENTEE: "accounts:mentee_list", imports.MENTOR: "accounts:mentor_list"}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"),
        choices=imports.KIND_CHOICES,
        initial=imports.MENTEE,
        widget=forms.RadioSelect,
    )
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Saved from a spreadsheet as “CSV UTF-8”, at most 1 MB and 2,000 people."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        if len(programs) == 1:
            self.fields["program"].initial = programs[0]


def _staffed_programs(user):
    """The programs this person may import into; 404 for anyone who staffs none."""
    programs = Program.objects.staffed_by(user).select_related("center")
    if not programs.exists():
        raise Http404
    return programs


def _program_or_404(programs, program_id):
    if not str(program_id or "").isdigit():
        raise Http404
    return get_object_or_404(programs, pk=program_id)


def _render_upload(request, form):
    context = {
        "form": form,
        "kinds": imports.KIND_CHOICES,
        "column_help": imports.COLUMN_HELP,
        "terms": imports.active_term_names(),
    }
    return render(request, "accounts/import_upload.html", context)


def _render_preview(request, *, program, result, payload=None):
    context = {
        "program": program,
        "result": result,
        "kind_label": dict(imports.KIND_CHOICES)[result.kind],
        "is_mentor": result.kind == imports.MENTOR,
        "payload": payload,
    }
    return render(request, "accounts/import_preview.html", context)


@login_required
@sensitive_post_parameters()
def import_upload(request):
    programs = _staffed_programs(request.user)
    if request.method != "POST":
        return _render_upload(request, ImportUploadForm(programs=programs))

    if request.POST.get("program"):
        _program_or_404(programs, request.POST["program"])
    form = ImportUploadForm(request.POST, request.FILES, programs=programs)
    if not form.is_valid():
        return _render_upload(request, form)
    program, kind = form.cleaned_data["program"], form.cleaned_data["kind"]
    try:
        text = imports.read_upload(form.cleaned_data["file"])
        result = imports.preview_import(actor=request.user, program=program, kind=kind, text=text)
    except imports.ImportFileError as error:
        for message in error.messages:
            form.add_error("file", message)
        return _render_upload(request, form)
    payload = None
    if result.ok:
        payload = imports.sign_payload(actor=request.user, program=program, kind=kind, text=text)
    return _render_preview(request, program=program, result=result, payload=payload)


@login_required
@require_POST
@sensitive_post_parameters()
def import_confirm(request):
    programs = _staffed_programs(request.user)
    program_id = request.POST.get("program")
    # Another program's id is a 404 like everywhere else; a missing one is a broken payload.
    program = _program_or_404(programs, program_id) if program_id else None
    try:
        if program is None:
            raise imports.ImportPayloadError(imports.payload_error_message())
        kind, text = imports.unsign_payload(
            actor=request.user, program=program, payload=request.POST.get("payload", "")
        )
        result = imports.run_import(actor=request.user, program=program, kind=kind, text=text)
    except (imports.ImportPayloadError, imports.ImportFileError) as error:
        messages.error(request, error.message)
        return _render_upload(request, ImportUploadForm(programs=programs))
    if not result.ok:
        messages.error(request, _("Nothing was imported: some rows have problems."))
        return _render_preview(request, program=program, result=result)
    if kind == imports.MENTEE:
        message = ngettext(
            "%(count)d mentee imported.", "%(count)d mentees imported.", result.imported
        )
    else:
        message = ngettext(
            "%(count)d mentor imported.", "%(count)d mentors imported.", result.imported
        )
    messages.success(request, message % {"count": result.imported})
    return redirect(reverse(LIST_VIEWS[kind]))


@login_required
@require_GET
def import_template(request, kind: str):
    """An empty CSV with the header row for mentors or mentees."""
    _staffed_programs(request.user)
    if kind not in imports.KINDS:
        raise Http404
    response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peerpath-{kind}s.csv"'
    return response


urlpatterns = [
    path("import/", import_upload, name="import_upload"),
    path("import/confirm/", import_confirm, name="import_confirm"),
    path("import/template/<slug:kind>.csv", import_template, name="import_template"),
]

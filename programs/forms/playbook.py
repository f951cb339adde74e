"""The resource form of the playbook pages; the rules live in ``programs.services.playbook``."""

from __future__ import annotations

from typing import Any

from django import forms

from programs.models import Program, Resource
from programs.services.playbook import (
    BODY_MAX_LENGTH,
    FIELDS,
    MAX_ORDER,
    TITLE_MAX_LENGTH,
    resource_problems,
)


class ResourceForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX_LENGTH)
    kind = forms.ChoiceField(label="Kind", choices=Resource.Kind.choices)
    audience = forms.ChoiceField(
        label="Shown to", choices=Resource.Audience.choices, initial=Resource.Audience.EVERYONE
    )
    body = forms.CharField(
        label="Text",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Markdown: **bold**, *italic*, lists with - or 1., headings with ##, links as [text](https://…). "
            "Scripts and unsafe links are removed."
        ),
    )
    order = forms.IntegerField(
        label="Position",
        min_value=0,
        max_value=MAX_ORDER,
        initial=0,
        help_text="Lower comes first among resources of the same kind.",
    )

    def __init__(
        self,
        *args,
        program: Program | None,
        resource: Resource | None = None,
        preview_url: str = "",
        **kwargs,
    ) -> None:
        if resource is not None:
            kwargs["initial"] = {**{f: getattr(resource, f) for f in FIELDS}, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.program = program
        self.resource = resource
        if preview_url:
            # The preview follows the typing: the form (with its CSRF token) is posted with action=preview.
            self.fields["body"].widget.attrs.update(
                {
                    "hx-post": preview_url,
                    "hx-trigger": "keyup changed delay:600ms",
                    "hx-vals": '{"action": "preview"}',
                    "hx-target": "#body-preview",
                    "hx-swap": "innerHTML",
                }
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        data = {f: cleaned[f] for f in FIELDS if f in cleaned}
        for field, messages in resource_problems(
            program=self.program, data=data, resource=self.resource
        ).items():
            if field in self.errors:
                continue
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        cleaned["data"] = data
        return cleaned

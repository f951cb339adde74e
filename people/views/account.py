"""The signed-in user's own settings (the time zone times are shown in). Everyone reaches only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from people import services
from people.forms import TimeZoneForm
from people.services import DirectoryError
from people.timezones import zone_of_user


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
            except DirectoryError as error:
                form.add_error("time_zone", str(error))
            else:
                zone = zone_of_user(user)
                messages.success(request, f"Saved. Times are now shown in {zone.key.replace('_', ' ')}.")
                return redirect("people:account_settings")
        messages.error(request, "Nothing was saved. Correct the field marked below.")
    context = {"form": form, "zone": zone_of_user(user), "now": timezone.now()}
    return render(request, "people/account_settings.html", context)

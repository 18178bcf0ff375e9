"""A person's own settings: name, contact, language, time zone, easy-read, reminders; and the
language switch at the foot of every page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.models import User


class MySettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "email",
            "phone",
            "preferred_language",
            "time_zone",
            "easy_read",
            "notify_by_email",
            "notify_in_app",
        ]
        help_texts = {
            "notify_by_email": _(
                "Reminders are sent to your email address. "
                "Safety alerts always come on every channel."
            ),
            "notify_in_app": _(
                "Reminders appear under Notifications in PeerPath. "
                "Safety alerts always come on every channel."
            ),
        }

    def clean_email(self):
        email = self.cleaned_data.get("email") or None
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


@login_required
def my_settings(request):
    form = MySettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_my_settings(user=request.user, **form.cleaned_data)
        request.session.pop("language_override", None)
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:my_settings")
    return render(request, "accounts/my_settings.html", {"form": form})


@login_required
@require_POST
def easy_read_switch(request):
    """The easy-read switch on every mentee page: turns the setting on or off, then goes back
    to the page it was pressed on."""
    try:
        services.update_my_settings(
            user=request.user, easy_read=request.POST.get("easy_read") == "on"
        )
    except services.DomainError as error:
        messages.error(request, error.message)
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Only a path on this site; anything else (even a bare word) goes home.
        return redirect("home")
    return HttpResponseRedirect(back)


def switch_language(request):
    """The language switch at the foot of every page: Django's ``set_language`` (a cookie), and
    for the rest of this visit the choice wins over the preferred language of My settings, which
    ``UserLanguageMiddleware`` applies otherwise. A choice made before signing in is kept."""
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if language in dict(settings.LANGUAGES):
        request.session["language_override"] = True
    return response


urlpatterns = [
    path("me/", my_settings, name="my_settings"),
    path("me/easy-read/", easy_read_switch, name="easy_read_switch"),
]

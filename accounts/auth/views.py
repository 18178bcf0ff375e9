"""Sign-in, the second factor (verify, enrol, recovery codes), keep-alive and password change.

The sign-in steps carry ``second_factor_exempt``: a person who has given their password but
not yet their second factor may open them and nothing else.
"""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.auth import services
from accounts.auth.decorators import second_factor_exempt
from accounts.auth.forms import SIGN_IN_REFUSED, SignInForm, TokenForm
from accounts.auth.policy import has_authenticator, needs_second_factor, session_limits
from accounts.auth.signals import SEEN_SESSION_KEY, STARTED_SESSION_KEY
from accounts.services.errors import DomainError

PENDING_KEY_SESSION_KEY = "auth_pending_totp_key"
RECOVERY_CODES_SESSION_KEY = "auth_new_recovery_codes"
RECOVERY_NEXT_SESSION_KEY = "auth_recovery_next"


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def second_factor_step(user, next_url: str) -> str | None:
    """Where a signed-in person must go before ``next_url``, or None when nowhere."""
    if not needs_second_factor(user) or is_verified(user):
        return None
    name = "account:verify" if has_authenticator(user) else "account:enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        return second_factor_step(self.request.user, url) or url


sign_in = second_factor_exempt(SignInView.as_view())


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out attempt: exactly what a wrong password gets."""
    if original_response is not None:
        return original_response
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": _next_url(request), "refused": SIGN_IN_REFUSED},
    )


@second_factor_exempt
@never_cache
@login_required
def verify(request):
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user) or is_verified(user):
        return redirect(next_url)
    if not has_authenticator(user):
        return redirect(f"{reverse('account:enrol')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, token=form.cleaned_data["otp_token"])
        if device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(left)d are left. If your phone is lost, "
                        "set up your authenticator app again from your settings."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
        form.add_error(
            "otp_token",
            _(
                "That code did not work. Codes change every 30 seconds and work once; "
                "wait for a new one, or use a recovery code."
            ),
        )
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": next_url})


@second_factor_exempt
@never_cache
@login_required
def enrol(request):
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user):
        return redirect(next_url)
    if has_authenticator(user) and not is_verified(user):
        # Replacing the app needs the current second factor (or a recovery code) first.
        return redirect(f"{reverse('account:verify')}?{urlencode({'next': request.path})}")
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = request.session[PENDING_KEY_SESSION_KEY] = services.new_authenticator_key()
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_authenticator(
                user=user, key=key, token=form.cleaned_data["otp_token"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            request.session.pop(PENDING_KEY_SESSION_KEY, None)
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            request.session[RECOVERY_NEXT_SESSION_KEY] = next_url
            return redirect("account:recovery_codes")
    return render(
        request,
        "accounts/two_factor/enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": services.qr_code_svg(user=user, key=key),
            "secret": services.secret_text(key),
            "replacing": has_authenticator(user),
        },
    )


@never_cache
@login_required
def recovery_codes(request):
    """Shows a new set of recovery codes once; a reload shows them no more."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    next_url = request.session.pop(RECOVERY_NEXT_SESSION_KEY, None) or reverse("home")
    if not codes:
        return redirect(next_url)
    return render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": [f"{code[:5]}-{code[5:]}" for code in codes], "next": next_url},
    )


@second_factor_exempt
@login_required
@require_POST
def keep_alive(request):
    """The "Stay signed in" button: counts as activity and says how long the session has."""
    now = timezone.now().timestamp()
    request.session[SEEN_SESSION_KEY] = now
    idle, absolute = session_limits(request.user)
    started = request.session.get(STARTED_SESSION_KEY, now)
    return JsonResponse({"seconds_left": int(min(idle, absolute - (now - started)))})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change: it keeps this session and ends every other one (their
    session hash no longer matches the new password)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:my_settings")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is changed. You were signed out everywhere else."),
        )
        return response


password_change = PasswordChangeView.as_view()

"""Sign-in forms. Every refusal of a sign-in reads the same (see ``SignInForm``)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

# One message for an unknown email, a wrong password, an inactive account and a locked-out
# one, so the page never tells whether an account exists.
SIGN_IN_REFUSED = _(
    "We could not sign you in with that email and password. Check them and try again. "
    "After several tries, signing in pauses for a while."
)


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGN_IN_REFUSED, "inactive": SIGN_IN_REFUSED}

    def get_invalid_login_error(self):
        return forms.ValidationError(SIGN_IN_REFUSED, code="invalid_login")


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

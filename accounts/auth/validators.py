"""Password rules beyond Django's own: an upper bound generous enough for passphrases."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Passphrases are welcome; only absurd lengths (a denial-of-service risk) are refused."""

    def __init__(self, max_length: int = 256):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("Your password can be a long passphrase, up to %(max_length)d characters.") % {
            "max_length": self.max_length
        }

"""Field-level encryption for free-text clinical notes.

``EncryptedTextField`` stores its text as a Fernet token (AES-128-CBC with an HMAC-SHA256
tag) made with the keys in ``settings.FIELD_ENCRYPTION_KEYS``, read from the
``FIELD_ENCRYPTION_KEYS`` environment variable: a comma-separated list of Fernet keys, the
first one current. New values are written with the current key; any key in the list reads
old values, so a key is rotated by putting the new key first, running
``manage.py rotate_field_keys`` (which re-encrypts every row with it) and then dropping the
old key. The keys are never derived from ``SECRET_KEY``.

What the database sees: the token, never the text. An empty value stays empty (so "has a
note" is still a cheap query); its emptiness is the only thing it reveals. Because every
token is different even for the same text, the database cannot search, compare or order by
these columns: only ``isnull`` and comparing with the empty string are allowed, any other
lookup raises ``FieldError``. A value that no configured key opens raises
``FieldDecryptionError``; nothing ever comes back as silent garbage.
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull


class FieldDecryptionError(Exception):
    """A stored value could not be opened with any key in ``FIELD_ENCRYPTION_KEYS``."""


def generate_key() -> str:
    """A new random key for ``FIELD_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode("ascii")


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: no key to encrypt notes with.")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes), "
            "separated by commas."
        ) from None


def fernet() -> MultiFernet:
    """The keys currently configured (read at each call, so a settings change takes effect)."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(text: str) -> str:
    if text == "":
        return ""
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise FieldDecryptionError(
            "A stored note cannot be decrypted with the keys in FIELD_ENCRYPTION_KEYS "
            "(a key was removed before its rows were rotated, or the value is not encrypted)."
        ) from None


def rotate_token(token: str) -> str:
    """The same text under the current key (an empty value stays empty)."""
    if token == "":
        return ""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise FieldDecryptionError(
            "A stored note cannot be decrypted with the keys in FIELD_ENCRYPTION_KEYS."
        ) from None


class EncryptedTextField(models.TextField):
    """A ``TextField`` whose text is encrypted in the database (see the module docstring)."""

    description = "Text encrypted at field level"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: the database cannot "
            f"'{lookup_name}' it. Filter in Python after decrypting, or on another field."
        )


class EncryptedExact(Exact):
    """Only ``field=""`` (is it empty?) can be answered by the database."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                "An encrypted field can only be compared with the empty string in a query."
            )
        return self.rhs

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

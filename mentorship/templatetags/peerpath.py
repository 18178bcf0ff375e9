"""Template helpers used across apps (loaded as a builtin)."""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(expects_localtime=True)
def weekday_date(value) -> str:
    """ "Tuesday, November 24" / "martes, 24 de noviembre": the weekday, then the day and
    month in the order and words of the active language (its MONTH_DAY_FORMAT)."""
    if not value:
        return ""
    return f"{date_format(value, 'l')}, {date_format(value, 'MONTH_DAY_FORMAT')}"


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries built in views."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def nav_active(context, url_name: str) -> str:
    """``aria-current="page"`` for the navigation link of the page being shown."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.view_name == url_name:
        return mark_safe('aria-current="page"')
    return ""


@register.simple_tag(takes_context=True)
def easy_read_mode(context) -> bool:
    """Whether the page is drawn in easy-read mode: the signed-in person's setting, or on a
    one-time feedback link (nobody signed in) the mentee's setting, which ``?easy_read=on`` or
    ``?easy_read=off`` in the address overrides. A one-time measure link passes its
    respondent as ``link_person``, whose setting applies the same way."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    if user.is_authenticated:
        return user.easy_read
    choice = request.GET.get("easy_read")
    if choice in {"on", "off"}:
        return choice == "on"
    if not context.get("via_link"):
        return False
    person = context.get("link_person")
    if person is not None:
        return bool(person.easy_read)
    session = context.get("session")
    return bool(session and session.match.mentee.user.easy_read)


@register.simple_tag(takes_context=True)
def shows_easy_read_toggle(context) -> bool:
    """Mentees get the easy-read switch on every page, and so does a one-time feedback link."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    if user.is_authenticated:
        return user.has_role("mentee")
    return bool(context.get("via_link") and context.get("session"))

"""Template helpers used across apps (loaded as a builtin)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


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

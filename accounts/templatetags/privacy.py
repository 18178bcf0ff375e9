"""``{% redisclosure_notice %}``: the 42 CFR 2.32 notice text, for the shared include
``accounts/_redisclosure_notice.html`` that every disclosed page carries."""

from django import template

from accounts.services.disclosures import REDISCLOSURE_HEADING, REDISCLOSURE_NOTICE

register = template.Library()


@register.simple_tag
def redisclosure_notice() -> str:
    return REDISCLOSURE_NOTICE


@register.simple_tag
def redisclosure_heading() -> str:
    return str(REDISCLOSURE_HEADING)

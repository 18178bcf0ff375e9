"""Assertions that a form's errors reach everyone: shown next to the field, tied to it for
screen readers (``aria-invalid``, ``aria-describedby``) and listed in the error summary, which
is announced (``role="alert"``) and links to the field."""

from playwright.sync_api import Locator, Page


def _described_text(page: Page, element: Locator) -> str:
    ids = (element.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"[id='{id_}']").inner_text() for id_ in ids)


def _summary_links_to(page: Page, target_id: str) -> None:
    summary = page.locator(".error-summary[role=alert]")
    assert summary.is_visible(), "no error summary is announced"
    assert summary.locator(f"a[href='#{target_id}']").count() == 1, f"no link to #{target_id}"
    assert page.locator(f"[id='{target_id}']").count() == 1


def assert_error_announced(page: Page, field: Locator, message: str) -> None:
    """``field`` (an input, select or textarea) is invalid with ``message`` as its error."""
    assert field.get_attribute("aria-invalid") == "true"
    assert message in _described_text(page, field)
    _summary_links_to(page, field.get_attribute("id"))


def assert_group_error_announced(page: Page, group: Locator, message: str) -> None:
    """``group`` (the fieldset of radios or checkboxes) is invalid with ``message``."""
    options = group.locator("input")
    assert options.first.get_attribute("aria-invalid") == "true"
    assert message in _described_text(page, group)
    _summary_links_to(page, options.first.get_attribute("id"))


def assert_valid(field: Locator) -> None:
    assert field.get_attribute("aria-invalid") is None

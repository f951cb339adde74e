"""Keyboard-only use: the skip link comes first, focus is always visible, and the main flows need no mouse.

The product has no modal dialogs to trap focus in: confirmations are pages of their own and disclosures
are native ``<details>`` elements, which the keyboard opens with Enter or Space."""

import pytest

pytestmark = pytest.mark.e2e


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                tag: element.tagName, id: element.id, name: element.getAttribute('name'),
                text: (element.innerText || '').trim(), outline: parseFloat(style.outlineWidth) || 0,
                shadow: style.boxShadow,
            };
        }"""
    )


def tab_to(page, predicate, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        if predicate(current):
            return current
    raise AssertionError("The keyboard never reached the element.")


def test_the_skip_link_comes_first_and_moves_focus_to_the_content(journey):
    visitor = journey(None)
    page = visitor.page
    with visitor.step("first tab stop"):
        visitor.visit("/accounts/login/")
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["text"] == "Skip to main content"
        assert first["outline"] > 0
    with visitor.step("follow the skip link"):
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main"


def test_signing_in_and_filtering_a_dashboard_by_keyboard_alone(journey):
    sponsor = journey(None)
    page = sponsor.page
    with sponsor.step("sign in with the keyboard"):
        sponsor.visit("/accounts/login/")
        tab_to(page, lambda f: f["name"] == "login")
        page.keyboard.type("sponsor@example.com")
        tab_to(page, lambda f: f["name"] == "password")
        page.keyboard.type("mentoring-demo-2026")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/accounts/login/" not in page.url
    with sponsor.step("reach the outcomes page from the menu"):
        link = tab_to(page, lambda f: f["text"] == "Outcomes")
        assert link["outline"] > 0 or link["shadow"] != "none"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/outcomes/")
    with sponsor.step("filter by a level band and apply"):
        sponsor.visit("/outcomes/programs/emerging-leaders-demo/")
        select = tab_to(page, lambda f: f["name"] == "level")
        assert select["outline"] > 0 or select["shadow"] != "none"
        page.keyboard.press("ArrowDown")
        tab_to(page, lambda f: f["text"] == "Apply")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert "level=1-3" in page.url

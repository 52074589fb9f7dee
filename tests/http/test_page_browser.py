"""The web page (module 05) in a real headless Chromium (Debian's, driven by Playwright).

Loads the flagship gateway's page, checks the modules' health, submits the form of
CoreEngine@1.process_task (prefilled from the spec example), sees the result and the
task_completed event arrive over the WebSocket, and saves a screenshot
(``SPECLOOM_SCREENSHOT=docs/gateway-page.png`` to refresh the README's).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from httpkit import env_for, serve, token

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_page_calls_a_method_and_shows_result_and_event(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    env = env_for("orchestra", tmp_path / "data")
    with serve("orchestra", ["gateway"], env, tmp_path) as gw:
        tok = token("orchestra", env)
        with sync_playwright() as pw:
            profile = tmp_path / "profile"
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=FLAGS,
                viewport={"width": 1280, "height": 900},
            )
            try:
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(f"{gw.url}/#token={tok}")
                page.wait_for_selector("body[data-ready='1']", timeout=20_000)
                assert page.locator("#health tbody tr").count() == 12
                assert page.locator("#health [data-module='core_engine'] td").nth(4).inner_text()
                page.wait_for_selector("#conn.live", timeout=10_000)
                method = page.locator(
                    "[data-contract='CoreEngine@1'] details[data-method='process_task']"
                )
                method.locator("summary").click()
                form = method.locator("form")
                assert "task-1" in form.locator("textarea[name='task']").input_value()
                form.locator("button[type=submit]").click()
                result = method.locator("pre.result")
                result.wait_for(state="visible")
                page.wait_for_function(
                    "el => el.dataset.status", arg=result.element_handle(), timeout=10_000
                )
                text = result.inner_text()
                assert text.startswith("200"), text
                assert '"status": "completed"' in text and '"task_id": "task-1"' in text
                event = page.locator("#events li.event", has_text="task_completed")
                event.first.wait_for(timeout=10_000)
                assert "task-1" in event.first.inner_text()
                # a call the contract refuses shows its problem body
                form.locator("textarea[name='task']").fill('{"id": "t9", "kind": "nope"}')
                form.locator("button[type=submit]").click()
                page.wait_for_function(
                    "el => el.dataset.status !== '200'", arg=result.element_handle()
                )
                assert "UnknownTaskKind" in result.inner_text()
                form.locator("textarea[name='task']").fill(
                    '{"id": "task-1", "kind": "echo", "input": {"text": "hello"}}'
                )
                form.locator("button[type=submit]").click()
                page.wait_for_function(
                    "el => el.dataset.status === '200'", arg=result.element_handle()
                )
                page.wait_for_function(
                    "() => document.querySelector('#metrics').textContent.includes('process_task')",
                    timeout=15_000,
                )
                shot = tmp_path / "gateway-page.png"
                page.screenshot(path=str(shot), full_page=False)
                assert shot.stat().st_size > 10_000
                target = os.environ.get("SPECLOOM_SCREENSHOT")
                if target:
                    shutil.copyfile(shot, target)
                assert errors == []
            finally:
                context.close()

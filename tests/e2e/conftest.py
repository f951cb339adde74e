"""Browser journeys: real Chromium (Debian's, at /usr/bin/chromium) driving a live server with the demo data.

The server is what `make run` starts, in a folder of its own (``VAR_DIR``): a fresh SQLite database with
the demo organization, the background worker with its scheduler, and `runserver`. Every page a journey
visits is checked with axe-core (no serious or critical violation), and a step that fails leaves a
screenshot in ``var/e2e/`` named after the test and the step.

These tests are marked ``e2e`` and left out of `make test`; `make e2e` runs them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "var" / "e2e"
DEMO_PASSWORD = "mentoring-demo-2026"
# axe-core impacts that fail a page.
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped (exit {process.returncode}) before answering {url}.")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s.")


class LiveDemo:
    """The running server: its URL, its environment (for management commands) and its folder."""

    def __init__(self, url: str, env: dict[str, str], var_dir: Path) -> None:
        self.url = url
        self.env = env
        self.var_dir = var_dir

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database; returns what it printed."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return done.stdout

    def mails_to(self, address: str) -> list[str]:
        """The e-mails the server wrote for ``address`` (the file backend), oldest first."""
        folder = self.var_dir / "mail"
        found = []
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
            text = path.read_text(errors="replace")
            for message in text.split("-" * 79):
                if re.search(rf"^To: .*{re.escape(address)}", message, re.MULTILINE):
                    found.append(message)
        return found


@pytest.fixture(scope="session")
def live_demo() -> Iterator[LiveDemo]:
    if os.environ.get("E2E_URL"):
        # A server already running (while writing a journey): E2E_URL and the VAR_DIR it uses.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mentoring.settings.local"}
        env.pop("DATABASE_URL", None)
        yield LiveDemo(os.environ["E2E_URL"], env, Path(os.environ.get("VAR_DIR", ROOT / "var")))
        return
    var_dir = Path(tempfile.mkdtemp(prefix="mentoring-e2e-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring.settings.local",
        VAR_DIR=str(var_dir),
        SITE_URL=url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    demo = LiveDemo(url, env, var_dir)
    demo.manage("migrate", "--noinput")
    demo.manage("seed_demo")
    bin_dir = Path(sys.executable).parent
    log = (var_dir / "log").joinpath("e2e-worker.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    worker = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "celery"), "-A", "mentoring", "--quiet", "worker", "--beat", "--pool=solo",
         "--loglevel=INFO", f"--logfile={log}", f"--schedule={var_dir / 'beat-schedule'}"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=(var_dir / "log" / "e2e-server.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(f"{url}/health/", server)
        yield demo
    finally:
        for process in (server, worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium chromium-driver).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


class Journey:
    """One persona's browser tab with steps that screenshot on failure and pages checked by axe."""

    def __init__(self, test_name: str, browser, demo: LiveDemo, email: str | None) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.test_name = re.sub(r"[^\w.-]+", "-", test_name)
        self.demo = demo
        self.email = email
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.axe = Axe()
        self.checked: set[str] = set()
        self.violations: list[str] = []
        if email:
            self.sign_in(email)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        try:
            yield
        except BaseException:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^\w.-]+", "-", name.lower()).strip("-")
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(SCREENSHOTS / f"{self.test_name}--{slug}.png"), full_page=True)
            raise

    def sign_in(self, email: str) -> None:
        with self.step(f"sign in as {email}"):
            self.page.goto(f"{self.demo.url}/accounts/login/")
            self.page.fill("input[name=login]", email)
            self.page.fill("input[name=password]", DEMO_PASSWORD)
            self.page.click("form button[type=submit]")
            self.page.wait_for_load_state()
            assert "/accounts/login/" not in self.page.url, f"{email} could not sign in"

    def visit(self, path: str) -> None:
        self.page.goto(path if path.startswith("http") else f"{self.demo.url}{path}")
        self.page.wait_for_load_state()
        self.check_accessibility()

    def check_accessibility(self) -> None:
        """axe-core on the page as it is now (each distinct path once per journey)."""
        key = re.sub(r"\d+", "N", self.page.url.split("?")[0])
        if key in self.checked:
            return
        self.checked.add(key)
        results = self.axe.run(self.page)
        for violation in results.response.get("violations", []):
            if violation.get("impact") in BLOCKING_IMPACTS:
                targets = [node.get("target") for node in violation.get("nodes", [])][:3]
                self.violations.append(
                    f"{self.page.url}: {violation['id']} ({violation['impact']}) {targets}"
                )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(request, browser, live_demo):
    """``journey(email)`` opens a signed-in tab (``None``: anonymous); at the end, axe's findings fail the
    test if any page had a serious or critical violation."""
    opened: list[Journey] = []

    def open_tab(email: str | None) -> Journey:
        tab = Journey(f"{request.node.name}-{len(opened)}", browser, live_demo, email)
        opened.append(tab)
        return tab

    yield open_tab
    violations = [line for tab in opened for line in tab.violations]
    for tab in opened:
        tab.close()
    assert not violations, "Accessibility (axe, serious or critical):\n" + "\n".join(violations)

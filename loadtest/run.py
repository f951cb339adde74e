"""The load test: the demo organization's personas using the site at once, against gunicorn and PostgreSQL.

Run it from the repository root (after `make install`; PostgreSQL must be reachable, Redis is not needed):

    .venv/bin/python loadtest/run.py                      # 20 users, 5 started a second, for 60 s
    .venv/bin/python loadtest/run.py --users 40 --spawn-rate 5 --run-time 2m

It builds everything it uses and removes it afterwards:

1. a throwaway PostgreSQL database (``LOADTEST_DATABASE_URL``, by default
   ``postgres://postgres@127.0.0.1:5432/mentoring_loadtest``; its name must contain ``loadtest``, because it
   is dropped and created again), migrated and loaded with the demo organization (``seed_demo``);
2. a folder of its own for ``VAR_DIR`` (file cache, filesystem broker, mail files, collected static files);
3. gunicorn on a free port of 127.0.0.1 with ``DEBUG=false`` and the dashboards cached as in production
   (``OUTCOMES_CACHE_SECONDS=900``); no worker runs, so queued tasks just wait;
4. locust, headless and bounded in users and time (``loadtest/locustfile.py``: mentees and mentors on their
   home page and pair pages, logging sessions; coordinators on their program overviews; sponsors and HR
   admins on the outcome dashboards; each signs in once, then pauses one to three seconds between pages).

It measures what those users get from the server once they are all signed in (the simultaneous sign-ins
are a burst of password hashing no working day has; they are reported on a line of their own, and their
failures count): requests per second, response times (median and 95th percentile) per route and over all,
and errors (a wrong status, a refused form, an exception in a user). It prints one line per route and, last,
one line of figures:

    users=20 requests=<n> requests_per_s=<x.x> p50_ms=<n> p95_ms=<n> errors=<n>

and exits non-zero when there was any error. The target on a 2-core machine: errors=0 and p95_ms under 300
at 20 users. The figures are only as good as the machine is quiet: a line before them says how busy its
cores were during the run, and how much of that was gunicorn and locust.

Options (or environment): ``--users`` (``LOADTEST_USERS``, 20), ``--spawn-rate`` (``LOADTEST_SPAWN_RATE``,
5 a second), ``--run-time`` (``LOADTEST_RUN_TIME``, 60s), ``--workers`` and ``--threads`` of gunicorn
(``LOADTEST_WORKERS``, ``LOADTEST_THREADS``; 3 and 2), ``--conn-max-age`` (``LOADTEST_CONN_MAX_AGE``, 60
seconds a database connection is kept), ``--keep`` to leave the database and the folder for a look afterwards.

Three workers of two threads served best on two cores, beside PostgreSQL and locust itself: against 2 x 4,
4 x 1, 4 x 2 and 3 x 3 the figures were within the noise or worse, and persistent connections saved a few
milliseconds a request.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentoring_loadtest"
# Settings the server must have whatever the developer's environment or .env file says: values that are
# set (even empty) win over .env. No Redis (file cache and broker under VAR_DIR), no mail leaves the
# machine, no second factor required of the HR admin persona, the dashboards cached as in production.
PINNED_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "mentoring.settings.local",
    "DEBUG": "false",
    "REDIS_URL": "",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "MFA_REQUIRED_FOR_HR_ADMINS": "false",
    "OUTCOMES_CACHE_SECONDS": "900",
    "LOG_LEVEL": "WARNING",
    "PYTHONUNBUFFERED": "1",
}
# Seconds locust is given to let users finish their request once the run time is over.
STOP_TIMEOUT = 10


class LoadTestError(Exception):
    """A step before the measurement failed; the message says which and where its output is."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(env("LOADTEST_USERS", "20")))
    parser.add_argument("--spawn-rate", type=float, default=float(env("LOADTEST_SPAWN_RATE", "5")))
    parser.add_argument("--run-time", default=env("LOADTEST_RUN_TIME", "60s"), help="e.g. 60s, 2m, 1h30m")
    parser.add_argument("--workers", type=int, default=int(env("LOADTEST_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(env("LOADTEST_THREADS", "2")))
    parser.add_argument("--conn-max-age", type=int, default=int(env("LOADTEST_CONN_MAX_AGE", "60")))
    parser.add_argument("--keep", action="store_true", help="keep the database and the VAR_DIR folder")
    args = parser.parse_args(argv)
    if args.users < 1 or args.spawn_rate <= 0 or args.workers < 1 or args.threads < 1:
        parser.error("--users, --spawn-rate, --workers and --threads must be positive.")
    args.run_seconds = seconds(args.run_time)
    if args.run_seconds is None:
        parser.error(f"--run-time {args.run_time!r} is not a duration like 60s, 2m or 1h30m.")
    return args


def seconds(duration: str) -> int | None:
    """Locust's run time (``90``, ``60s``, ``2m``, ``1h30m``) in seconds; None when it is not one."""
    if duration.isdigit():
        return int(duration)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", duration.strip())
    if not parts or not any(parts.groups()):
        return None
    hours, minutes, secs = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + secs


# --- the database --------------------------------------------------------------------------------------


def database_config(url: str) -> dict:
    import environ

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise LoadTestError(f"LOADTEST_DATABASE_URL must be a PostgreSQL URL; got {url!r}.")
    if "loadtest" not in config["NAME"]:
        raise LoadTestError(
            f"The load test drops and recreates its database, so its name must contain 'loadtest'; "
            f"got {config['NAME']!r}."
        )
    return config


def connect(config: dict, dbname: str):
    import psycopg2

    return psycopg2.connect(
        dbname=dbname,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )


def recreate_database(config: dict, *, drop_only: bool = False) -> None:
    import psycopg2
    from psycopg2 import sql

    try:
        connection = connect(config, "postgres")
    except psycopg2.Error as exc:
        where = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
        raise LoadTestError(f"PostgreSQL at {where} did not accept the connection: {exc}".strip()) from exc
    connection.autocommit = True
    name = sql.Identifier(config["NAME"])
    try:
        with connection.cursor() as cursor:
            # WITH (FORCE), PostgreSQL 13 and later: a server left over from an interrupted run lets go.
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            if not drop_only:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        connection.close()


# --- processes -------------------------------------------------------------------------------------------


def manage(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start ``manage.py args``, its output in ``log``."""
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def tail(log: Path, lines: int) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.is_file() else ""


def finish(process: subprocess.Popen, what: str, log: Path) -> None:
    if process.wait() != 0:
        raise LoadTestError(f"{what} failed (exit {process.returncode}); the end of {log}:\n{tail(log, 20)}")


def stop(process: subprocess.Popen | None) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise LoadTestError(f"gunicorn stopped (exit {server.returncode}) before answering; see {log}.")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310 - loopback only
        ):
            if response.status == 200:
                return
        time.sleep(0.3)
    raise LoadTestError(f"{url} did not answer within {timeout:.0f} s; see {log}.")


# --- figures ---------------------------------------------------------------------------------------------


def machine_cpu() -> tuple[float, float]:
    """Seconds of CPU time since boot, busy and in all, over every core (Linux; zeros elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    hertz = os.sysconf("SC_CLK_TCK")
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / hertz, sum(ticks) / hertz


def database_cpu(config: dict) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to ``config``'s database, when PostgreSQL
    runs on this machine (zero otherwise). With persistent connections (``--conn-max-age``) they are the
    server's, open since its first requests; without, they are not counted."""
    import psycopg2

    try:
        connection = connect(config, config["NAME"])
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids = [row[0] for row in cursor.fetchall()]
        connection.close()
    except psycopg2.Error:
        return 0.0
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            # Fields 14 and 15 of /proc/<pid>/stat, counted after the command name in parentheses.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def group_cpu(group: int) -> float:
    """CPU seconds used so far by the live processes of process group ``group`` (Linux; zero elsewhere)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds used so far by the processes this one started and waited for (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def sign_in_phase(locust_log: Path) -> tuple[str, int]:
    """The locustfile's line on the sign-in phase and the failures in it (none found: the run ended first)."""
    lines = locust_log.read_text(errors="replace").splitlines() if locust_log.is_file() else []
    found = next((line for line in lines if "sign-in phase:" in line), None)
    if found is None:
        return "sign-in phase: not over when the run ended; the figures include it", 0
    phase = "sign-in phase:" + found.split("sign-in phase:", 1)[1]
    failures = re.search(r"failures=(\d+)", phase)
    return phase, int(failures.group(1)) if failures else 0


def report(prefix: Path, users: int, *, earlier_errors: int = 0) -> tuple[int, str]:
    """Print the per-route lines from locust's CSV files; returns the error count (with ``earlier_errors``,
    those of the sign-in phase) and the figures line."""
    stats = read_rows(Path(f"{prefix}_stats.csv"))
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    if total is None:
        raise LoadTestError(f"locust wrote no statistics ({prefix}_stats.csv); see its log beside it.")
    routes = sorted((row for row in stats if row is not total), key=lambda row: (row["Name"], row["Type"]))
    width = max((len(row["Name"]) for row in routes), default=0)
    for row in routes:
        print(
            f"{row['Type']:<5} {row['Name']:<{width}}  requests={row['Request Count']:>5} "
            f"failures={row['Failure Count']:>3} p50_ms={row['50%']:>5} p95_ms={row['95%']:>5} "
            f"max_ms={float(row['Max Response Time']):>6.0f}"
        )
    failures = read_rows(Path(f"{prefix}_failures.csv"))
    exceptions = read_rows(Path(f"{prefix}_exceptions.csv"))
    for row in failures:
        print(f"failure x{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error']}")
    for row in exceptions:
        print(f"exception x{row['Count']}: {row['Message']}")
    errors = earlier_errors + int(total["Failure Count"]) + sum(int(row["Count"]) for row in exceptions)
    figures = (
        f"users={users} requests={total['Request Count']} "
        f"requests_per_s={float(total['Requests/s']):.1f} p50_ms={total['50%']} p95_ms={total['95%']} "
        f"errors={errors}"
    )
    return errors, figures


# --- the run ---------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        config = database_config(database_url)
    except LoadTestError as exc:
        print(f"load test: {exc}", file=sys.stderr)
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="mentoring-loadtest-"))
    logs = var_dir / "loadtest"
    logs.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        PINNED_SETTINGS,
        DATABASE_URL=database_url,
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        MEDIA_ROOT=str(var_dir / "media"),
        EMAIL_FILE_PATH=str(var_dir / "mail"),
        SITE_URL=url,
        CONN_MAX_AGE=str(args.conn_max_age),
    )
    started = time.monotonic()
    server: subprocess.Popen | None = None
    locust: subprocess.Popen | None = None
    failed = False
    try:
        print(f"Preparing {config['NAME']} and {var_dir} (migrate, seed_demo, collectstatic) ...", flush=True)
        recreate_database(config)
        # Collecting static files needs no database: it runs beside the migration and the demo data.
        collect = manage("collectstatic", "--noinput", env=env, log=logs / "collectstatic.log")
        try:
            finish(
                manage("migrate", "--noinput", env=env, log=logs / "migrate.log"),
                "migrate",
                logs / "migrate.log",
            )
            finish(
                manage("seed_demo", env=env, log=logs / "seed_demo.log"), "seed_demo", logs / "seed_demo.log"
            )
            finish(collect, "collectstatic", logs / "collectstatic.log")
        finally:
            stop(collect)
        prepared = time.monotonic() - started

        server_log = logs / "gunicorn.log"
        with server_log.open("w") as output:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    sys.executable, "-m", "gunicorn", "mentoring.wsgi:application",
                    "--bind", f"127.0.0.1:{port}",
                    "--workers", str(args.workers),
                    "--threads", str(args.threads),
                    "--worker-class", "gthread" if args.threads > 1 else "sync",
                    # Longer than a user's pause, so a kept-alive connection is never closed by the server
                    # just as the next request goes out on it (a reset, counted as an error).
                    "--keep-alive", "10",
                    "--graceful-timeout", "5",
                    "--log-level", "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until_up(f"{url}/health/", server, server_log)
        print(
            f"Ready in {prepared:.0f} s. gunicorn on {url}: {args.workers} workers x {args.threads} threads, "
            f"CONN_MAX_AGE={args.conn_max_age}. locust: {args.users} users, {args.spawn_rate:g}/s, "
            f"{args.run_time} ...",
            flush=True,
        )

        prefix = logs / "stats"
        locust_log = logs / "locust.log"
        busy_before, all_before = machine_cpu()
        server_before, locust_before = group_cpu(server.pid), children_cpu()
        with locust_log.open("w") as output:
            locust = subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    sys.executable, "-m", "locust",
                    "-f", str(LOCUSTFILE),
                    "--headless",
                    "--host", url,
                    "--users", str(args.users),
                    "--spawn-rate", f"{args.spawn_rate:g}",
                    "--run-time", args.run_time,
                    "--stop-timeout", str(STOP_TIMEOUT),
                    "--csv", str(prefix),
                    "--only-summary",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            # Locust stops by itself; this only guards against a run that hangs.
            locust.wait(timeout=args.run_seconds + STOP_TIMEOUT + 60)
        except subprocess.TimeoutExpired as exc:
            raise LoadTestError(f"locust did not stop by itself; see {locust_log}.") from exc
        busy_after, all_after = machine_cpu()
        server_cpu = group_cpu(server.pid) - server_before
        locust_cpu = children_cpu() - locust_before
        postgres_cpu = database_cpu(config)
        if server.poll() is not None:
            raise LoadTestError(
                f"gunicorn stopped during the run (exit {server.returncode}); see {server_log}."
            )
        phase, phase_failures = sign_in_phase(locust_log)
        print(phase)
        errors, figures = report(prefix, args.users, earlier_errors=phase_failures)
        if errors:
            # Server errors are logged by Django with their traceback.
            print(f"The end of {server_log}:\n{tail(server_log, 40) or '(empty)'}")
    except LoadTestError as exc:
        print(f"load test: {exc}", file=sys.stderr)
        failed = True
        return 2
    finally:
        stop(locust)
        stop(server)
        if args.keep:
            print(f"Kept: database {config['NAME']}, folder {var_dir}.", file=sys.stderr)
        else:
            with contextlib.suppress(Exception):
                recreate_database(config, drop_only=True)
            if failed:
                print(f"The logs are kept in {logs}.", file=sys.stderr)
            else:
                shutil.rmtree(var_dir, ignore_errors=True)
    elapsed = all_after - all_before
    if elapsed > 0:
        busy = busy_after - busy_before
        others = max(busy - server_cpu - locust_cpu - postgres_cpu, 0)
        print(
            f"CPU during the run, share of the {os.cpu_count()} cores: busy {100 * busy / elapsed:.0f}%: "
            f"gunicorn {100 * server_cpu / elapsed:.0f}%, PostgreSQL {100 * postgres_cpu / elapsed:.0f}%, "
            f"locust {100 * locust_cpu / elapsed:.0f}%, other processes {100 * others / elapsed:.0f}%."
        )
    print(f"Total {time.monotonic() - started:.0f} s.")
    print(figures)
    return 1 if errors else 0


def _terminated(signum: int, frame: object) -> None:
    # `kill` or Ctrl-C in make: unwind through the finally blocks, which stop the servers.
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminated)
    sys.exit(main(sys.argv[1:]))

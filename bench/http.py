"""HTTP throughput of an article page: nginx serving a saved copy as a static file,
against sokuho serving the same page — from its page cache, through the nginx cache
tier, and uncached — and against a plain Wagtail page: the home page of a project made
by `wagtail start`, served by the same server with the same workers and threads.
wrk -t2 -c32 -d10s against each, twice; prints req/s, p50/p99, the CPU time the serving
processes spent per request (read from /proc) and the ratios.

    python bench/http.py [--data DIR] [--duration 10] [--only nginx,uncached]

Needs wrk, nginx and Redis (127.0.0.1:6379; database 12 is used and flushed).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py: keep its folder off the path so `import http` is the stdlib.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from unittest import mock  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.demo_server import free_port  # noqa: E402
from tests.test_topology import stop, wait_for_port  # noqa: E402

sys.path.insert(0, str(REPO / "src"))
from sokuho.server import worker_count  # noqa: E402


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += times.get(current, 0.0)
        pending.extend(children.get(current, []))
    return total


def wait_until_idle(pids: list[int], timeout: float = 180.0) -> float:
    """Wait until these processes use under 5 % of a core (a new demo's background tasks,
    related reads and the search index, run in the app's own workers); seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        before = sum(tree_cpu_seconds(pid) for pid in pids)
        time.sleep(1.0)
        if sum(tree_cpu_seconds(pid) for pid in pids) - before < 0.05:
            break
    return time.monotonic() - started


def wrk(url: str, duration: int, servers: list[int]) -> tuple[float, float, float, float]:
    """req/s, p50 and p99 in ms, and the CPU ms per request of the serving processes."""
    cpu_before = sum(tree_cpu_seconds(pid) for pid in servers)
    result = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    cpu = sum(tree_cpu_seconds(pid) for pid in servers) - cpu_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, latency("50%"), latency("99%"), 1000 * cpu / max(requests, 1)


def plain_wagtail(work: Path, port: int, workers: int) -> subprocess.Popen:
    """A new `wagtail start` project on SQLite, production settings, served by Granian
    with sokuho's own worker and thread counts."""
    from sokuho.server import thread_count

    project = work / "plain-wagtail"
    project.mkdir()
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "wagtail", "start", "plainsite", str(project)], check=True, capture_output=True
    )
    (project / "plainsite" / "settings" / "local.py").write_text(
        f"SECRET_KEY = {('plain-' + uuid.uuid4().hex * 2)!r}\nALLOWED_HOSTS = ['127.0.0.1']\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {"DJANGO_SETTINGS_MODULE": "plainsite.settings.production"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=project, env=env, check=True)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=project, env=env, check=True
    )
    threads = thread_count()
    return subprocess.Popen(
        [
            bin_dir / "granian",
            "--interface",
            "wsgi",
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--backpressure",
            str(threads * 4),
            "--no-ws",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "plainsite.wsgi:application",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="a data directory with the demo loaded (built if missing)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--only",
        help="comma-separated words: run only the targets whose name has one (e.g. nginx,uncached)",
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (Debian: nginx, wrk, redis-server)")
    work = Path(tempfile.mkdtemp(prefix="sokuho-http-"))
    data = Path(args.data or work / "data").resolve()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")} | {
        "PYTHONPATH": str(REPO / "src"),
        "SOKUHO_DATA": str(data),
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    subprocess.run(["redis-cli", "-n", "12", "flushdb"], check=True, capture_output=True)
    manage = [sys.executable, "-m", "sokuho.cli", "manage"]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "load_demo"], env=env, check=True, capture_output=True)

    processes = {}
    ports = {"cached": free_port(), "uncached": free_port()}
    try:
        for name, port in ports.items():
            node_env = env | {"SOKUHO_PAGE_CACHE": "1" if name == "cached" else "0"}
            processes[name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sokuho.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--no-access-log",
                ],
                env=node_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_for_port(port)
        base = f"http://127.0.0.1:{ports['cached']}"
        home = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        path = re.search(r'<h3><a href="(/[^"]+/[^"]+/)"', home).group(1)
        page = urllib.request.urlopen(base + path, timeout=10).read()

        static_root = work / "static"
        static_root.mkdir()
        (static_root / "article.html").write_bytes(page)
        edge_port, static_port = free_port(), free_port()
        prefix = work / "nginx"
        prefix.mkdir()
        config = (
            (REPO / "deploy" / "nginx.conf.template")
            .read_text()
            .replace("{{PREFIX}}", str(prefix))
            .replace("{{PORT}}", str(edge_port))
            .replace("{{UPSTREAMS}}", f"server 127.0.0.1:{ports['cached']};")
        )
        static_server = (
            f"server {{ listen 127.0.0.1:{static_port}; root {static_root}; "
            "location / { default_type text/html; } }\n}"
        )
        config = config.rstrip().removesuffix("}") + static_server
        (prefix / "nginx.conf").write_text(("user root;\n" if os.geteuid() == 0 else "") + config)
        processes["nginx"] = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
        )
        wait_for_port(edge_port)
        time.sleep(0.5)

        plain_port = free_port()
        with mock.patch.dict(os.environ, {"REDIS_URL": env["REDIS_URL"]}):
            workers = worker_count()  # as many as each sokuho node runs
        processes["plain"] = plain_wagtail(work, plain_port, workers)
        wait_for_port(plain_port)

        nginx, cached = processes["nginx"].pid, processes["cached"].pid
        waited = wait_until_idle([cached, processes["uncached"].pid])
        print(f"waited {waited:.0f} s for the app nodes' background tasks to finish")
        # Each target with the processes that serve it (their CPU time is measured).
        targets = {
            "nginx static file": (f"http://127.0.0.1:{static_port}/article.html", [nginx]),
            "sokuho page cache": (f"{base}{path}", [cached]),
            "through nginx tier": (f"http://127.0.0.1:{edge_port}{path}", [nginx, cached]),
            "sokuho uncached": (
                f"http://127.0.0.1:{ports['uncached']}{path}",
                [processes["uncached"].pid],
            ),
            "plain Wagtail page": (f"http://127.0.0.1:{plain_port}/", [processes["plain"].pid]),
        }
        print(f"article {path} ({len(page)} bytes); wrk -t2 -c32 -d{args.duration}s, best of 2")
        print("server CPU = CPU time of the serving processes during the run / requests")
        best = {}
        if args.only:
            words = args.only.split(",")
            targets = {k: v for k, v in targets.items() if any(word in k for word in words)}
        for name, (url, servers) in targets.items():
            runs = [wrk(url, args.duration, servers) for _ in range(2)]
            best[name] = max(runs)
            rps, p50, p99, cpu = best[name]
            print(
                f"{name:20s} {rps:10.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
                f"server CPU {cpu:6.3f} ms/request"
            )
        static = best.get("nginx static file", (0,))[0]
        for name in ("sokuho page cache", "through nginx tier", "sokuho uncached"):
            if static and name in best:
                print(f"{name} / nginx static = {best[name][0] / static:.1%}")
        if "sokuho uncached" in best and "plain Wagtail page" in best:
            uncached, plain = best["sokuho uncached"][0], best["plain Wagtail page"][0]
            print(f"sokuho uncached / plain Wagtail page = {uncached / plain:.2f}x")
    finally:
        for process in processes.values():
            stop(process)


if __name__ == "__main__":
    main()

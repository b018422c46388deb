"""The production topology on one machine: two app nodes sharing PostgreSQL and Redis
behind an nginx cache tier, as docs/deploy.md describes."""

from __future__ import annotations

import http.cookiejar
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import port_open, require_service
from tests.demo_server import free_port
from tests.test_cli import clean_env

pytestmark = [pytest.mark.slow, pytest.mark.own_database]  # its own PostgreSQL database

REPO = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"


@dataclass
class Topology:
    env: dict
    nodes: list[str]
    edge: str
    redis_port: int
    processes: dict = field(default_factory=dict)
    article_url: str = ""
    article_id: int = 0

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "sokuho.cli", "manage", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start_redis(self) -> None:
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        stop(self.processes.pop("redis"))


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open("127.0.0.1", port):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(url: str, opener=None) -> tuple[int, str, Message]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def headline(body: str) -> str:
    return "".join(lxml_html.fromstring(body).xpath("//h1")[0].itertext())


def within(seconds: float, check) -> float:
    """Poll until check() is true; the seconds it took, or fail after `seconds`."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            pytest.fail(f"not within {seconds}s")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    require_service(port_open("127.0.0.1", 5432), "PostgreSQL not reachable at 127.0.0.1:5432")
    require_service(shutil.which("redis-server") is not None, "redis-server not installed")
    require_service(
        shutil.which("nginx") is not None, "nginx not installed (apt-get install nginx)"
    )
    import psycopg

    root = tmp_path_factory.mktemp("topology")
    database = f"sokuho_topology_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    redis_port, edge_port = free_port(), free_port()
    nodes = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    env = clean_env(
        DATABASE_URL=f"{POSTGRES}/{database}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        SECRET_KEY="topology-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        SOKUHO_DATA=str(root / "data"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SOKUHO_BASE_URL=f"http://127.0.0.1:{edge_port}",
        SOKUHO_SCHEDULER_INTERVAL="1",
        WEB_CONCURRENCY="2",
        SOKUHO_2FA_SUPERUSERS="0",  # the admin logs in by password here; 2FA has its own tests
    )
    topo = Topology(
        env=env, nodes=nodes, edge=f"http://127.0.0.1:{edge_port}", redis_port=redis_port
    )
    try:
        topo.start_redis()
        topo.manage("migrate", "--verbosity", "0")
        created = topo.manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model\n"
            "from sokuho.news.tests import factories\n"
            "get_user_model().objects.create_superuser(\n"
            "    'desk', 'desk@example.invalid', 'topology-pass-1234')\n"
            "page = factories.article('japan', title='青葉市で新しい路面電車が開業')\n"
            "print(page.id, page.url)\n",
        )
        article_id, topo.article_url = created.split()[-2:]
        topo.article_id = int(article_id)
        for index, node in enumerate(nodes):
            port = node.rsplit(":", 1)[1]
            log = (root / f"node{index}.log").open("w")
            topo.processes[f"node{index}"] = subprocess.Popen(
                [sys.executable, "-m", "sokuho.cli", "serve", "--port", port],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_for_port(int(port))
        prefix = root / "nginx"
        prefix.mkdir()
        upstreams = "\n".join(f"server {node.removeprefix('http://')};" for node in nodes)
        config = (
            (REPO / "deploy" / "nginx.conf.template")
            .read_text()
            .replace("{{PREFIX}}", str(prefix))
            .replace("{{PORT}}", str(edge_port))
            .replace("{{UPSTREAMS}}", upstreams)
        )
        (prefix / "nginx.conf").write_text("user root;\n" + config)
        topo.processes["nginx"] = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(edge_port)
        yield topo
    finally:
        for process in topo.processes.values():
            stop(process)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def admin_session(node: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page, _ = fetch(node + "/admin/login/", opener)
    token = lxml_html.fromstring(page).xpath("//input[@name='csrfmiddlewaretoken']/@value")[0]
    data = urllib.parse.urlencode(
        {
            "username": "desk",
            "password": "topology-pass-1234",
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    opener.open(urllib.request.Request(node + "/admin/login/", data=data), timeout=10)
    assert any(cookie.name == "sessionid" for cookie in jar), "admin login failed"
    return opener


def submit_form(opener, url: str, changes: dict[str, str], action: str | None = None) -> None:
    """Post an admin form back as a browser would, with some fields changed."""
    _, page, _ = fetch(url, opener)
    forms = [f for f in lxml_html.fromstring(page).forms if f.method.upper() == "POST"]
    form = max(forms, key=lambda f: len(f.inputs))  # the page's own form, not the header's
    values = dict(form.form_values())
    values.update(changes)
    if action:
        values[action] = "1"
    request = urllib.request.Request(url, data=urllib.parse.urlencode(values).encode())
    with opener.open(request, timeout=30) as response:
        assert response.status == 200


def test_both_nodes_and_the_cache_tier_serve_the_article(topology):
    for base in [*topology.nodes, topology.edge]:
        status, body, _ = fetch(base + topology.article_url)
        assert status == 200
        assert headline(body) == "青葉市で新しい路面電車が開業"
    _, _, headers = fetch(topology.edge + topology.article_url)
    assert headers.get("X-Edge-Cache") in {"HIT", "MISS", "EXPIRED", "UPDATING", "REVALIDATED"}
    # Cache tags stop at the tier: readers get the page's own headers only.
    assert fetch(topology.nodes[0] + topology.article_url)[2].get("Surrogate-Key")
    assert not {"surrogate-key", "xkey", "x-cache"} & {name.lower() for name in headers}
    assert headers.get("Content-Security-Policy") and headers.get("ETag")


def test_a_signed_in_editor_passes_the_cache_tier_by(topology):
    """The tier ignores the app's Vary: Cookie: the session cookie alone decides."""
    fetch(topology.edge + topology.article_url)  # an anonymous reader fills the tier
    _, _, headers = fetch(topology.edge + topology.article_url)
    assert headers.get("X-Edge-Cache") in {"HIT", "UPDATING", "REVALIDATED", "EXPIRED"}
    editor = admin_session(topology.nodes[0])  # its cookie goes to 127.0.0.1 on any port
    status, _, headers = fetch(topology.edge + topology.article_url, editor)
    assert status == 200 and headers.get("X-Edge-Cache") == "BYPASS"
    status, _, headers = fetch(topology.edge + "/admin/", editor)
    assert status == 200 and headers.get("X-Edge-Cache") == "BYPASS"


def test_the_cache_tier_keeps_only_what_the_app_marks_public(topology):
    # Search results and the newsletter form are answered "private, no-store" with no
    # cookie set: the tier must ask the app each time, as it does for the admin.
    for path in (
        "/search/?q=%E8%B7%AF%E9%9D%A2%E9%9B%BB%E8%BB%8A",
        "/newsletter/",
        "/admin/login/",
    ):
        for _ in range(2):
            status, _, headers = fetch(topology.edge + path)
            assert status == 200 and headers.get("X-Edge-Cache") == "MISS", path


def test_update_through_one_node_is_current_on_the_other_within_a_second(topology):
    node_a, node_b = topology.nodes
    assert fetch(node_b + topology.article_url)[0] == 200  # node B has it cached
    for _ in range(3):  # and the tier, its cache file's descriptor kept open
        old_headline = headline(fetch(topology.edge + topology.article_url)[1])
    opener = admin_session(node_a)
    submit_form(
        opener,
        f"{node_a}/admin/pages/{topology.article_id}/edit/",
        {"title": "青葉市の路面電車、初日の利用者1万人"},
        action="action-publish",
    )
    took = within(
        1.0,
        lambda: headline(fetch(node_b + topology.article_url)[1]).startswith("青葉市の路面電車、"),
    )
    print(f"update visible on node B after {took:.3f}s")
    within(
        2.0,
        lambda: headline(fetch(topology.edge + topology.article_url)[1]).startswith(
            "青葉市の路面電車、"
        ),
    )
    # Never the old page again from the tier (a kept descriptor of a replaced file).
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        shown = headline(fetch(topology.edge + topology.article_url)[1])
        assert shown.startswith("青葉市の路面電車、") and shown != old_headline


def test_kill_through_one_node_is_gone_from_the_other_within_a_second(topology):
    node_a, node_b = topology.nodes
    created = topology.manage(
        "shell",
        "-c",
        "from sokuho.news.tests import factories\n"
        "page = factories.article('world', title='取り消される記事')\n"
        "print(page.id, page.url)\n",
    )
    page_id, url = created.split()[-2:]
    assert fetch(node_b + url)[0] == 200
    # Related reads are computed in the background after publishing and purge the page
    # once more; after that node B serves it from the shared cache.
    within(5.0, lambda: fetch(node_b + url)[2].get("X-Cache") == "HIT")
    opener = admin_session(node_a)
    submit_form(opener, f"{node_a}/admin/pages/{page_id}/unpublish/", {})
    took = within(1.0, lambda: fetch(node_b + url)[0] == 404)
    print(f"kill visible on node B after {took:.3f}s")
    within(2.0, lambda: fetch(topology.edge + url)[0] == 404)
    _, section, _ = fetch(node_b + "/world/")
    assert "取り消される記事" not in section


def test_pages_serve_without_redis_and_caching_resumes_when_it_returns(topology):
    node_a, node_b = topology.nodes
    topology.stop_redis()
    try:
        for base in [node_a, node_b, topology.edge]:
            status, body, _ = fetch(base + topology.article_url)
            assert status == 200 and "<h1" in body
            assert fetch(base + "/")[0] == 200
    finally:
        topology.start_redis()
    fetch(node_a + topology.article_url)  # the first call after the outage purges and stores
    within(2.0, lambda: fetch(node_a + topology.article_url)[2].get("X-Cache") == "HIT")

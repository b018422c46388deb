"""The `sokuho` console command: demo, serve, manage, and the newsroom's own commands."""

from __future__ import annotations

import argparse
import errno
import os
import secrets
import socket
import sys
from pathlib import Path

DEFAULT_DATA = "sokuho-data"
# Newsroom commands that are management commands under a friendlier name.
MANAGEMENT_ALIASES = {
    "ingest": "ingest",
    "newsletter": "newsletter",
    "backup": "backup",
    "restore": "restore",
}


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in MANAGEMENT_ALIASES:
        return run_alias(argv[0], argv[1:])
    args, rest = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if rest and args.command != "manage":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return args.handler(args, rest)
    except CommandError as error:
        print(f"sokuho: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sokuho", description="速報: 日本語ニュースサイトの配信基盤"
    )
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="デモサイトを作成して起動する")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data", default=None, help=f"データディレクトリ（既定: ./{DEFAULT_DATA}）")
    demo.set_defaults(handler=run_demo)

    serve = sub.add_parser("serve", help="本番用サーバーを起動する（設定は環境変数から）")
    serve.add_argument("--host", default=os.environ.get("SOKUHO_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=os.environ.get("SOKUHO_ACCESS_LOG", "1") != "0",
        help="アクセスログを出さない（前段の nginx や CDN で記録する場合）",
    )
    serve.set_defaults(handler=run_serve)

    manage = sub.add_parser("manage", help="Django の管理コマンドを実行する", add_help=False)
    manage.add_argument("--data", default=None)
    manage.set_defaults(handler=run_manage)
    for alias in MANAGEMENT_ALIASES:
        sub.add_parser(
            alias, help=f"`sokuho manage {MANAGEMENT_ALIASES[alias]}` と同じ", add_help=False
        )
    return parser


# --- environment ---------------------------------------------------------------
def use_data_dir(data: str | None) -> Path | None:
    """Point the settings at a data directory (from --data or SOKUHO_DATA)."""
    if data:
        os.environ["SOKUHO_DATA"] = str(Path(data).resolve())
    elif "SOKUHO_DATA" not in os.environ and "DATABASE_URL" not in os.environ:
        os.environ["SOKUHO_DATA"] = str(Path(DEFAULT_DATA).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sokuho.settings")
    return Path(os.environ["SOKUHO_DATA"]) if "SOKUHO_DATA" in os.environ else None


def setup_django() -> None:
    import django

    django.setup()


def pop_data_option(argv: list[str]) -> tuple[str | None, list[str]]:
    data = None
    rest = []
    iterator = iter(argv)
    for arg in iterator:
        if arg == "--data":
            data = next(iterator, None)
            if data is None:
                raise CommandError("--data にはディレクトリを指定してください。")
        elif arg.startswith("--data="):
            data = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return data, rest


def run_manage(args: argparse.Namespace, rest: list[str]) -> int:
    data, rest = pop_data_option(rest)
    data_dir = use_data_dir(args.data or data)
    if data_dir is not None:
        prepare_data_dir(data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sokuho manage", *rest])
    return 0


def run_alias(name: str, argv: list[str]) -> int:
    try:
        data, rest = pop_data_option(argv)
        data_dir = use_data_dir(data)
        if data_dir is not None:
            prepare_data_dir(data_dir)
    except CommandError as error:
        print(f"sokuho: {error}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([f"sokuho {name}", MANAGEMENT_ALIASES[name], *rest])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


# --- checks shared by demo and serve ------------------------------------------------
def ensure_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"ポート {port} は既に使われています（{host}:{port}）。"
                    f"--port で別の番号を指定してください。"
                ) from None
            raise CommandError(f"{host}:{port} で待ち受けできません: {error.strerror}") from None


def prepare_data_dir(path: Path) -> bool:
    """Create the data directory if needed; True when it was created now."""
    if path.exists() and not path.is_dir():
        raise CommandError(f"データディレクトリ {path} はディレクトリではありません。")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            raise CommandError(
                f"データディレクトリ {path} を読み書きできません。権限を確認してください。"
            )
        return False
    try:
        path.mkdir(parents=True)
    except OSError as error:
        raise CommandError(
            f"データディレクトリ {path} を作成できません: {error.strerror}"
        ) from None
    return True


def demo_secret_key(path: Path) -> str:
    key_file = path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def collect_static() -> None:
    """Collect static files once per installed version (the hashed names need a manifest)."""
    import wagtail
    from django.conf import settings
    from django.core.management import call_command

    import sokuho

    stamp = Path(settings.STATIC_ROOT) / ".sokuho-version"
    version = f"{sokuho.__version__} wagtail {wagtail.__version__} {static_fingerprint()}"
    if stamp.exists() and stamp.read_text() == version:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(version)


def sync_site() -> None:
    from django.conf import settings

    from sokuho.news.structure import sync_default_site

    sync_default_site(settings.SOKUHO_BASE_URL)


def static_fingerprint() -> str:
    """Changes whenever a file of sokuho's own static files changes (a developer's edit)."""
    root = Path(__file__).resolve().parent
    latest = max(
        (p.stat().st_mtime_ns for p in root.glob("**/static/**/*") if p.is_file()), default=0
    )
    return str(latest)


def serve_forever(host: str, port: int, *, access_log: bool, ready_message: str) -> int:
    from django.db import connections

    from sokuho.server import serve

    connections.close_all()  # never hand an open connection to forked workers
    serve(host, port, access_log=access_log, ready_message=ready_message)
    return 0


# --- demo --------------------------------------------------------------------------
def run_demo(args: argparse.Namespace, rest: list[str]) -> int:
    data = Path(args.data or os.environ.get("SOKUHO_DATA") or DEFAULT_DATA).resolve()
    ensure_port_free(args.host, args.port)
    created = prepare_data_dir(data)
    os.environ["SOKUHO_DATA"] = str(data)
    os.environ["SOKUHO_ENV"] = "demo"
    os.environ.pop("DATABASE_URL", None)  # the demo always runs on its own SQLite file
    os.environ["SECRET_KEY"] = demo_secret_key(data)
    base_url = f"http://{args.host}:{args.port}"
    os.environ.setdefault("SOKUHO_BASE_URL", base_url)
    hosts = {"127.0.0.1", "localhost", "[::1]", args.host}
    os.environ["ALLOWED_HOSTS"] = ",".join(
        sorted(hosts | set(filter(None, os.environ.get("ALLOWED_HOSTS", "").split(","))))
    )
    use_data_dir(str(data))
    setup_django()

    print(f"データディレクトリ: {data}" + ("（新規作成）" if created else ""), flush=True)
    migrate()
    collect_static()
    sync_site()

    from sokuho.demo.loader import create_admin_account, demo_is_loaded, load_demo

    if not demo_is_loaded():
        print("デモ記事を作成しています…", flush=True)
        summary = load_demo()
        print(summary, flush=True)
    account = create_admin_account()
    if account:
        username, password = account
        print(
            "管理者アカウントを作成しました（パスワードはこの一度だけ表示します）:\n"
            f"  ユーザー名: {username}\n  パスワード: {password}",
            flush=True,
        )
    ready = f"sokuho デモ: {base_url}/  管理画面: {base_url}/admin/  （Ctrl+C で停止）"
    return serve_forever(args.host, args.port, access_log=False, ready_message=ready)


# --- serve -------------------------------------------------------------------------
def run_serve(args: argparse.Namespace, rest: list[str]) -> int:
    key = os.environ.get("SECRET_KEY", "")
    if not key:
        raise CommandError(
            "SECRET_KEY が設定されていません。50文字程度のランダムな値を環境変数で渡してください。"
        )
    if key.startswith("django-insecure") or len(key) < 32 or len(set(key)) < 5:
        raise CommandError(
            "SECRET_KEY が既定値か短すぎます。32文字以上のランダムな値にしてください。"
        )
    ensure_port_free(args.host, args.port)
    use_data_dir(None)
    setup_django()
    check_migrations()
    collect_static()
    sync_site()
    ready = f"sokuho: http://{args.host}:{args.port}/ で配信中"
    return serve_forever(args.host, args.port, access_log=args.access_log, ready_message=ready)


def check_migrations() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CommandError(
            f"未適用のマイグレーションが {len(plan)} 件あります。"
            "先に `sokuho manage migrate` を実行してください。"
        )


if __name__ == "__main__":
    sys.exit(main())

"""Start `sokuho demo` as a user would, in a subprocess, and wait until it serves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_cli import clean_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DemoServer:
    def __init__(self, data: Path, port: int | None = None) -> None:
        self.data = data
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = data.parent / f"demo-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 240) -> float:
        """Start and wait for the first 200 from the home page; returns the seconds it took."""
        started = time.monotonic()
        self.log = self.output.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sokuho.cli",
                "demo",
                "--port",
                str(self.port),
                "--data",
                str(self.data),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=clean_env(),
            text=True,
        )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"sokuho demo exited:\n{self.output.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"sokuho demo did not serve in {timeout}s:\n{self.output.read_text()}")

    def stop(self) -> int:
        assert self.process is not None
        self.process.terminate()
        try:
            code = self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.log.close()
        return code

    def printed(self) -> str:
        return self.output.read_text()

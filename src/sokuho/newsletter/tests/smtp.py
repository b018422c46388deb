"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, recording what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    envelope_to: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)
    # When set, the server takes the Nth message (1-based), then hangs before answering.
    hang_after: int | None = None
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # Addresses the server refuses at RCPT TO.
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(list(envelope.rcpt_tos), envelope.original_content))
        if self.hang_after is not None and len(self.received) == self.hang_after:
            import asyncio

            self.reached.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 gave up"
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for item in self.received for address in item.envelope_to]


class SMTPServer:
    def __init__(self, handler: RecordingHandler | None = None) -> None:
        self.handler = handler or RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.handler.release.set()
        self.controller.stop()

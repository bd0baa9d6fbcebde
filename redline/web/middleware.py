"""ASGI middleware: the request body limit, the security headers, the Host check's list.

Documents are hostile and the app runs on someone's own machine: bodies are limited while they
stream in (never read whole first), every response carries a strict Content-Security-Policy and
the usual hardening headers, and on loopback only loopback Host headers are accepted (no DNS
rebinding).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, counting bytes as they stream in.

    A declared ``Content-Length`` over the limit is refused before the body is read; otherwise
    each chunk is counted as the app reads it, and the request stops at the first chunk past
    the limit (nothing past it is stored).  The rest of the body is then read and thrown away,
    up to ``drain_bytes``, so that a browser still sending its upload sees the 413 page rather
    than a reset connection; past that the connection is simply closed after the response.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int,
                 reject: Callable[[Scope], Awaitable[Response]],
                 drain_bytes: int | None = None) -> None:
        self.app, self.max_bytes, self.reject = app, max_bytes, reject
        self.drain_bytes = drain_bytes if drain_bytes is not None else max(
            64 * 1024 * 1024, 4 * max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._drain(receive, declared)
            await self._send_reject(scope, receive, send)
            return
        received = 0
        started = finished = False

        async def counting_receive() -> Message:
            nonlocal received, finished
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                finished = not message.get("more_body", False)
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if started:  # cannot happen with our routes: they read the body before answering
                raise
            if not finished:  # (a finished body has nothing left; receive() would wait)
                await self._drain(receive, None)
            await self._send_reject(scope, receive, send)

    async def _drain(self, receive: Receive, declared: int | None) -> None:
        if declared is not None and declared > self.drain_bytes:
            return
        seen = 0
        while seen <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _send_reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.reject(scope)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class SecurityHeaders:
    """Add a Content-Security-Policy and the usual hardening headers to every response that
    does not set its own policy (reports and the form page set theirs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        docs = path == "/docs" or path.startswith(("/docs/", "/docs-static/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    csp = DOCS_CSP if docs else "default-src 'none'; frame-ancestors 'none'"
                    headers.append((b"content-security-policy", csp.encode()))
                for key, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ):
                    if key not in names:
                        headers.append((key, value))
                if not docs and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))  # reports hold documents
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def allowed_hosts_for(host: str) -> list[str] | None:
    """The Host headers to accept: loopback names when bound to loopback (this stops DNS
    rebinding), anything when the user chose to serve on a network address."""
    if host in LOOPBACK_HOSTS:
        return ["127.0.0.1", "localhost", "::1", "[::1]"]
    return None

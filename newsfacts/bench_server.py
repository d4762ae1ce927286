"""Many outlets on many loopback addresses, slowed like the internet: the benchmark's web.

Each outlet folder (the demo corpus format, see ``benchmarks/bench_corpus.py``) is served
by its own :class:`~newsfacts.fixture_server.FixtureServer` bound to its own address —
127.0.1.1, 127.0.1.2, ... (Linux routes all of 127.0.0.0/8 to the loopback device) — so
per-host politeness (concurrency, pacing) applies per outlet as it does on the internet,
not to one shared host. Every answer waits ``latency`` seconds first (a round trip to
a far-away site).

Pages can be made to fail (the soak, ``benchmarks/soak.py``): a faults file maps outlet
slug -> page path -> one of :data:`FAULT_KINDS`, and that page is served broken that way
on every request, so the truth of what failed and how is known in advance.

Run as a process (the benchmark does, so the server's CPU is not the pipeline's)::

    python -m newsfacts.bench_server SITES_DIR --latency 0.1 [--faults FAULTS.json]
        [--slow-seconds 40] [--drip-interval 1]

prints one JSON line ``{"<outlet slug>": "http://127.0.1.N:PORT", ...}`` once every
server listens, and serves until its standard input closes. Each line written to its
standard input meanwhile is a command: ``{"load": SITES_DIR, "faults": FAULTS.json}``
serves another set of folders of the same outlets (the next day) at the same addresses,
and is answered with one JSON line: requests served since the previous load, the faults
applied, the server's resident memory; ``{}`` answers the requests and memory only.
"""

from __future__ import annotations

import argparse
import json
import socket
import struct
import sys
from ipaddress import IPv4Address
from pathlib import Path
from urllib.parse import urlsplit

from newsfacts.fixture_server import FixtureServer
from newsfacts.procstat import status_mb

FIRST_ADDRESS = IPv4Address("127.0.1.1")

#: How a page can be broken, and what the server then does on every request for it.
FAULT_KINDS = {
    "http_500": "HTTP 500 Internal Server Error",
    "http_503": "HTTP 503 Service Unavailable",
    "http_404": "HTTP 404 Not Found",
    "http_410": "HTTP 410 Gone",
    "reset": "the connection reset (TCP RST) before any answer",
    "cut": "status, headers and half the declared body, then the connection closed",
    "endless": "a page with no Content-Length that never ends (until the client hangs up)",
    "bad_gzip": "Content-Encoding: gzip on bytes that are not gzip",
    "slow": "the answer only after --slow-seconds (longer than the fetch's time limits)",
    "trickle": "status and headers at once, then one body byte every --drip-interval seconds",
}
#: A gzip member header followed by a deflate block of the reserved type: not gzip.
_NOT_GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 2048


def address(index: int) -> str:
    """The ``index``-th outlet address: 127.0.1.1 upwards, skipping .0 and .255 hosts."""
    block, host = divmod(index, 254)
    return str(IPv4Address(int(FIRST_ADDRESS) + block * 256 + host))


class FaultyServer(FixtureServer):
    """A :class:`FixtureServer` that also serves the two faults its routes cannot express:
    a reset connection and a body cut short (``faults``: path -> kind)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.faults: dict[str, str] = {}

    def _handler_class(self):
        base = super()._handler_class()
        server = self

        class Handler(base):
            def _respond(self, route):
                kind = server.faults.get(urlsplit(self.path).path) if route is not None else None
                if kind == "reset":
                    return self._reset()
                if kind == "cut":
                    return self._cut(route)
                return super()._respond(route)

            def _reset(self):
                # Linger 0: closing sends RST instead of FIN. The socket's file objects
                # keep it open until the request ends, then it goes.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def _cut(self, route):
                body = route.body
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        return Handler


class BenchServers:
    """One started server per outlet folder, each on its own address."""

    def __init__(self, sites: dict[str, Path], latency: float = 0.0, faults: dict | None = None,
                 slow_seconds: float = 40.0, drip_interval: float = 1.0):
        self.servers: dict[str, FaultyServer] = {}
        self.latency, self.slow_seconds, self.drip_interval = latency, slow_seconds, drip_interval
        #: Faults asked for whose page does not exist (a bug of the caller), as "slug path".
        self.missing: list[str] = []
        try:
            for index, (slug, folder) in enumerate(sorted(sites.items())):
                server = FaultyServer(corpus=Path(folder), host=address(index))
                self._configure(slug, server, faults or {})
                self.servers[slug] = server.start()
        except BaseException:
            self.stop()
            raise

    def _configure(self, slug: str, server: FaultyServer, faults: dict) -> int:
        """Latency on every route, then the outlet's faults; returns the faults applied."""
        for route in server.site.routes.values():
            route.delay_seconds = max(route.delay_seconds, self.latency)
        applied = {}
        for path, kind in (faults.get(slug) or {}).items():
            route = server.site.routes.get(path)
            if route is None or kind not in FAULT_KINDS:
                self.missing.append(f"{slug} {path} {kind}")
                continue
            if kind.startswith("http_"):
                route.status = int(kind.split("_")[1])
            elif kind == "endless":
                route.generate, route.megabytes = "endless_page", 1024.0
            elif kind == "bad_gzip":
                route.body, route.headers = _NOT_GZIP, {**route.headers, "Content-Encoding": "gzip"}
            elif kind == "slow":
                route.delay_seconds = self.slow_seconds
            elif kind == "trickle":
                route.generate, route.drip_interval = "drip_body", self.drip_interval
            applied[path] = kind
        server.faults = applied
        return len(applied)

    def load(self, sites: dict[str, Path], faults: dict | None = None) -> dict:
        """Serve these folders of the same outlets instead (same addresses); returns the
        requests served since the start or the previous load, and the faults applied."""
        if sorted(sites) != sorted(self.servers):
            raise ValueError("a load must serve the same outlets")
        requests = self.total_requests()
        self.missing = []
        applied = 0
        for slug, server in self.servers.items():
            server.load(Path(sites[slug]))
            server.reset_counts()
            applied += self._configure(slug, server, faults or {})
        return {"requests": requests, "faults": applied, "missing": self.missing}

    @property
    def base_urls(self) -> dict[str, str]:
        return {slug: server.base_url for slug, server in self.servers.items()}

    def total_requests(self) -> int:
        return sum(server.total_requests() for server in self.servers.values())

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers = {}

    def __enter__(self) -> BenchServers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _sites(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted(Path(folder).iterdir()) if (p / "outlets.yml").exists()}


def _faults(path: str | None) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, help="a folder of outlet folders (benchmarks/bench_corpus.py)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    parser.add_argument("--faults", help="JSON file: outlet slug -> page path -> fault kind")
    parser.add_argument("--slow-seconds", type=float, default=40.0, help="how late a 'slow' page answers")
    parser.add_argument("--drip-interval", type=float, default=1.0, help="seconds between the bytes of a 'trickle' page")
    args = parser.parse_args(argv)
    with BenchServers(_sites(args.sites), args.latency, _faults(args.faults), args.slow_seconds,
                      args.drip_interval) as servers:
        print(json.dumps(servers.base_urls), flush=True)
        if servers.missing:
            print(json.dumps({"missing": servers.missing}), file=sys.stderr, flush=True)
        for line in sys.stdin:  # until the parent closes the pipe (or dies)
            if not line.strip():
                continue
            command = json.loads(line)
            if "load" in command:
                reply = servers.load(_sites(command["load"]), _faults(command.get("faults")))
            else:  # {}: how things stand
                reply = {"requests": servers.total_requests()}
            print(json.dumps({**reply, "rss_mb": status_mb("VmRSS")}), flush=True)
        print(json.dumps({"requests": servers.total_requests()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Many outlets on many loopback addresses, slowed like the internet: the benchmark's web.

Each outlet folder (the demo corpus format, see ``benchmarks/bench_corpus.py``) is served
by its own :class:`~newsfacts.fixture_server.FixtureServer` bound to its own address —
127.0.1.1, 127.0.1.2, ... (Linux routes all of 127.0.0.0/8 to the loopback device) — so
per-host politeness (concurrency, pacing) applies per outlet as it does on the internet,
not to one shared host. Every answer waits ``latency`` seconds first (a round trip to
a far-away site).

Run as a process (the benchmark does, so the server's CPU is not the pipeline's)::

    python -m newsfacts.bench_server SITES_DIR --latency 0.1

prints one JSON line ``{"<outlet slug>": "http://127.0.1.N:PORT", ...}`` once every
server listens, and serves until its standard input closes.
"""

from __future__ import annotations

import argparse
import json
import sys
from ipaddress import IPv4Address
from pathlib import Path

from newsfacts.fixture_server import FixtureServer

FIRST_ADDRESS = IPv4Address("127.0.1.1")


def address(index: int) -> str:
    """The ``index``-th outlet address: 127.0.1.1 upwards, skipping .0 and .255 hosts."""
    block, host = divmod(index, 254)
    return str(IPv4Address(int(FIRST_ADDRESS) + block * 256 + host))


class BenchServers:
    """One started :class:`FixtureServer` per outlet folder, each on its own address."""

    def __init__(self, sites: dict[str, Path], latency: float = 0.0):
        self.servers: dict[str, FixtureServer] = {}
        try:
            for index, (slug, folder) in enumerate(sorted(sites.items())):
                server = FixtureServer(corpus=Path(folder), host=address(index))
                for route in server.site.routes.values():
                    route.delay_seconds = max(route.delay_seconds, latency)
                self.servers[slug] = server.start()
        except BaseException:
            self.stop()
            raise

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, help="a folder of outlet folders (benchmarks/bench_corpus.py)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    args = parser.parse_args(argv)
    sites = {p.name: p for p in sorted(args.sites.iterdir()) if (p / "outlets.yml").exists()}
    with BenchServers(sites, args.latency) as servers:
        print(json.dumps(servers.base_urls), flush=True)
        sys.stdin.read()  # until the parent closes the pipe (or dies)
        print(json.dumps({"requests": servers.total_requests()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``pytest-personalize-stub serve``: one fake account behind an HTTP endpoint, for test suites
in any language, until interrupted."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .config import build_config, default, description
from .errors import UsageError
from .services.registry import QUOTA_KEYS, RESOURCE_KINDS

SERVER_SETTINGS = ("region", "account_id", "durations", "quotas", "advance_per_call")
"""The configuration options that mean something to a server (the client's sleeping and its
botocore stack are the client's own)."""


def parser() -> argparse.ArgumentParser:
    """The command line: ``serve`` and its flags."""
    main = argparse.ArgumentParser(
        prog="pytest-personalize-stub",
        description="In-memory fakes of AWS Personalize and Clean Rooms ML.",
    )
    commands = main.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve one fake account over HTTP until interrupted",
        description=(
            "Serve one fake account over HTTP: all four services on one URL (printed first), "
            "and the control API under /_stub/ (settle, advance, fail, calls, now, reset)."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=4566, help="port to listen on (4566; 0: any)")
    for name in SERVER_SETTINGS:
        flag = f"--{name.replace('_', '-')}"
        wanted = description(name)
        if name in ("durations", "quotas"):
            form = "KIND=SECONDS" if name == "durations" else "QUOTA=LIMIT"
            serve.add_argument(
                flag, action="append", default=[], metavar=form, help=f"{wanted}, repeated"
            )
        else:
            serve.add_argument(flag, help=f"{wanted} (default {default(name)})")
    serve.add_argument(
        "--virtual-time",
        action="store_true",
        help="the clock stands still but for POST /_stub/advance and /_stub/settle",
    )
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    arguments = parser().parse_args(argv)
    given: dict[str, Any] = {}
    for name in SERVER_SETTINGS:
        value = getattr(arguments, name)
        if name in ("durations", "quotas"):
            value = dict(pair.partition("=")[::2] for pair in value) or None
        if value is not None:
            given[name] = value
    try:
        config = build_config({}, given, RESOURCE_KINDS, QUOTA_KEYS, source="serve")
    except UsageError as error:
        print(f"pytest-personalize-stub: {error}", file=sys.stderr)
        return 2
    from .controller import PersonalizeStub
    from .server import PersonalizeServer

    server = PersonalizeServer(
        PersonalizeStub(config, still_clock=arguments.virtual_time), arguments.host, arguments.port
    )
    print(server.endpoint_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0

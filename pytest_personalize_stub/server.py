"""The fake behind a real HTTP endpoint, for every SDK and the AWS CLI.

All four services answer on one URL, each in its own AWS protocol (see :mod:`.wire`), and a
control API under ``/_stub/`` lets a test in any language drive the fake as a Python test
drives its controller (JSON in and out):

- ``POST /_stub/settle``: ``settle()``; answers ``{"now": ISO 8601}``;
- ``POST /_stub/advance`` ``{"seconds": n}`` (also ``minutes``, ``hours``, ``days``);
- ``POST /_stub/fail``: the keyword arguments of ``fail()`` (``operation`` included);
- ``GET /_stub/calls``: the recorded calls, oldest first;
- ``GET /_stub/now``; ``POST /_stub/reset``: an empty account again.

The server is waitress, the Pylons project's WSGI server: maintained, pure Python, HTTP/1.1
with keep-alive connections and a pool of worker threads. moto's server runs on werkzeug's
development server instead, which closes the connection after every response (by design, its
source says), so each call of a botocore client would pay a new TCP connection and a new
thread: about 0.9 ms here against waitress's 0.37 ms for the same empty answer.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import math
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

from . import exchange
from .controller import PersonalizeStub
from .errors import UsageError
from .pipeline import Call
from .wire import HttpRequest

CONTROL = "/_stub/"
"""Where the control API lives, beside the services' own paths."""

if TYPE_CHECKING:
    from typing_extensions import Self

logger = logging.getLogger(__name__)


class PersonalizeServer:
    """One fake account (``stub``) served over HTTP at ``endpoint_url`` until stopped."""

    def __init__(self, stub: PersonalizeStub, host: str = "127.0.0.1", port: int = 0) -> None:
        self.stub = stub
        """The controller of the account the server answers from."""
        self._server: Any = create_server(
            self._app, host=host, port=port, threads=THREADS, expose_tracebacks=False
        )
        self._thread: threading.Thread | None = None
        bound_host, bound_port = self._server.effective_host, self._server.effective_port
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        self.endpoint_url = f"http://{shown}:{bound_port}"
        """The URL every SDK and the AWS CLI take as their endpoint (``--endpoint-url``)."""

    def start(self) -> None:
        """Serve on a background thread."""
        self._thread = threading.Thread(
            target=self._server.run, name="personalize-stub-server", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve on this thread until interrupted."""
        self._server.run()

    def stop(self) -> None:
        """Stop serving: close every connection and the port, and end the worker threads."""
        stop_serving(self._server, self._thread)
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        try:
            if path.startswith(CONTROL):
                status, headers, body = self._control(environ, path)
            else:
                status, headers, body = self._aws(environ)
        except Exception:  # the fake's own fault: logged, answered as AWS answers one
            logger.exception("pytest-personalize-stub failed to answer %s", path)
            status, headers, body = _json(
                500, {"__type": "InternalFailure", "message": "The fake failed; see its log."}
            )
        start_response(f"{status} {_REASONS.get(status, 'Status')}", list(headers.items()))
        return [body]

    def _aws(self, environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        raw = environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        path, _, query = raw.partition("?")
        answer = exchange.answer(
            self.stub.pipeline,
            HttpRequest(environ["REQUEST_METHOD"], path, query, _headers(environ), _body(environ)),
        )
        return answer.status, answer.headers, answer.body

    def _control(self, environ: dict[str, Any], path: str) -> tuple[int, dict[str, str], bytes]:
        method, action = environ["REQUEST_METHOD"], path[len(CONTROL) :].strip("/")
        handler = _CONTROL_ACTIONS.get((method, action))
        if handler is None:
            known = ", ".join(f"{verb} {CONTROL}{name}" for verb, name in _CONTROL_ACTIONS)
            return _json(404, {"message": f"No {method} {path}; known: {known}"})
        body = _body(environ)
        try:
            arguments = json.loads(body) if body.strip() else {}
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            return _json(400, {"message": "The body must be a JSON object."})
        try:
            return _json(200, handler(self.stub, arguments))
        except (UsageError, TypeError, ValueError) as error:
            return _json(400, {"message": str(error)})


THREADS = 8
"""Worker threads of the server: as many clients as that are answered at once."""

_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers, by their usual names (``HTTP_X_AMZ_TARGET`` is X-Amz-Target)."""
    found = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-").title()] = environ[key]
    return found


def _body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data: bytes = environ["wsgi.input"].read(length) if length else b""
    return data


def _now(stub: PersonalizeStub) -> dict[str, Any]:
    return {"now": stub.clock.now().isoformat()}


def _settle(stub: PersonalizeStub, arguments: dict[str, Any]) -> Any:
    stub.settle()
    return _now(stub)


def _advance(stub: PersonalizeStub, arguments: dict[str, Any]) -> Any:
    unknown = sorted(set(arguments) - {"seconds", "minutes", "hours", "days"})
    if unknown:
        raise UsageError(f"advance takes seconds, minutes, hours and days, not {unknown}")
    stub.clock.advance(**arguments)
    return _now(stub)


def _fail(stub: PersonalizeStub, arguments: dict[str, Any]) -> Any:
    arguments = dict(arguments)
    operation = arguments.pop("operation", None)
    if not isinstance(operation, str):
        raise UsageError('fail needs an "operation", e.g. {"operation": "CreateCampaign", ...}')
    stub.fail(operation, **arguments)
    return {}


def _calls(stub: PersonalizeStub, arguments: dict[str, Any]) -> Any:
    return [_call(call) for call in list(stub.calls)]


def _reset(stub: PersonalizeStub, arguments: dict[str, Any]) -> Any:
    stub.reset()
    return {}


_CONTROL_ACTIONS: dict[tuple[str, str], Callable[[PersonalizeStub, dict[str, Any]], Any]] = {
    ("POST", "settle"): _settle,
    ("POST", "advance"): _advance,
    ("POST", "fail"): _fail,
    ("GET", "calls"): _calls,
    ("GET", "now"): lambda stub, arguments: _now(stub),
    ("POST", "reset"): _reset,
}


def _call(call: Call) -> dict[str, Any]:
    """A recorded call as JSON: service, operation, params, and the response or the error."""
    out: dict[str, Any] = {
        "service": call.service,
        "operation": call.operation,
        "params": _plain(call.params),
    }
    if call.error is not None:
        response = getattr(call.error, "response", None)
        error = response.get("Error", {}) if isinstance(response, dict) else {}
        out["error"] = {
            "code": error.get("Code", type(call.error).__name__),
            "message": error.get("Message", str(call.error)),
        }
    elif call.response is not None:
        out["response"] = _plain(
            {k: v for k, v in call.response.items() if k != "ResponseMetadata"}
        )
    return out


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: datetimes as ISO 8601 text, bytes as base64."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _json(status: int, body: Any) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode()
    return status, {"Content-Type": "application/json", "Content-Length": str(len(data))}, data


def stop_serving(server: Any, thread: threading.Thread | None) -> None:
    """Stop a waitress ``server`` whose loop runs on ``thread`` (None: it never ran): close
    every connection and the port from the loop's own thread, not under its ``select()``,
    and end the worker threads."""

    def close_everything(dispatchers: list[Any]) -> None:
        for dispatcher in dispatchers:
            if dispatcher is not server.trigger:
                dispatcher.close()
        server.trigger.close()

    if thread is not None:
        try:  # closed in the loop's own thread, which then finds nothing left to serve
            server.trigger.pull_trigger(lambda: close_everything(list(server._map.values())))
        except OSError:
            # The loop closed its trigger already (it saw the pipe fail), so it cannot be
            # woken: take everything off its map for it to run dry within its poll
            # timeout, and close the sockets once it has, not under its select().
            dispatchers = list(server._map.values())
            server._map.clear()
            thread.join(10)
            close_everything(dispatchers)
        thread.join(10)
    else:
        close_everything(list(server._map.values()))
    server.task_dispatcher.shutdown()

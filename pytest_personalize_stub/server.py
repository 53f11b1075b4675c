"""The fake behind a real HTTP endpoint, for every SDK and the AWS CLI.

All four services answer on one URL, each in its own AWS protocol (see :mod:`.wire`), and a
control API under ``/_stub/`` lets a test in any language drive the fake as a Python test
drives its controller (JSON in and out):

- ``POST /_stub/settle``: ``settle()``; answers ``{"now": ISO 8601}``;
- ``POST /_stub/advance`` ``{"seconds": n}`` (also ``minutes``, ``hours``, ``days``);
- ``POST /_stub/fail``: the keyword arguments of ``fail()`` (``operation`` included);
- ``GET /_stub/calls``: the recorded calls, oldest first;
- ``GET /_stub/now``; ``POST /_stub/reset``: an empty account again.

The server is werkzeug's threaded WSGI server, the one moto's server runs on: a maintained
HTTP/1.1 server (keep-alive, chunked bodies) that needs no event loop, answers each request
on a thread of its own and stops cleanly, which is all a test endpoint needs.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

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
        self._server: BaseWSGIServer = make_server(
            host, port, self._app, threaded=True, request_handler=_QuietHandler
        )
        self._thread: threading.Thread | None = None
        bound_host, bound_port = self._server.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        shown = f"[{host_text}]" if ":" in host_text else host_text
        self.endpoint_url = f"http://{shown}:{bound_port}"
        """The URL every SDK and the AWS CLI take as their endpoint (``--endpoint-url``)."""

    def start(self) -> PersonalizeServer:
        """Serve on a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="personalize-stub-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until interrupted."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            if request.path.startswith(CONTROL):
                response = self._control(request)
            else:
                response = self._aws(request, environ)
        except Exception:  # the fake's own fault: logged, answered as AWS answers one
            logger.exception("pytest-personalize-stub failed to answer %s", request.path)
            response = _json(
                500, {"__type": "InternalFailure", "message": "The fake failed; see its log."}
            )
        return response(environ, start_response)

    def _aws(self, request: Request, environ: dict[str, Any]) -> Response:
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
        path, _, query = raw.partition("?")
        body = request.get_data(cache=False)
        headers: Mapping[str, str] = request.headers  # type: ignore[assignment]
        answer = exchange.answer(
            self.stub.pipeline, HttpRequest(request.method, path, query, headers, body)
        )
        return Response(answer.body, status=answer.status, headers=answer.headers)

    def _control(self, request: Request) -> Response:
        action = request.path[len(CONTROL) :].strip("/")
        handler = _CONTROL_ACTIONS.get((request.method, action))
        if handler is None:
            known = ", ".join(f"{method} {CONTROL}{name}" for method, name in _CONTROL_ACTIONS)
            return _json(404, {"message": f"No {request.method} {request.path}; known: {known}"})
        arguments = request.get_json(force=True, silent=True) if request.get_data() else {}
        if not isinstance(arguments, dict):
            return _json(400, {"message": "The body must be a JSON object."})
        try:
            return _json(200, handler(self.stub, arguments))
        except (UsageError, TypeError, ValueError) as error:
            return _json(400, {"message": str(error)})


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


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class _QuietHandler(WSGIRequestHandler):
    """werkzeug's request handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing: a test suite makes thousands of requests."""

"""The botocore transports: the ``_make_api_call`` patches of botocore's and aiobotocore's
clients that hand the faked services' calls to the active fake's pipeline, and the network
guard behind them.

Patching ``_make_api_call`` skips what botocore does there, so these transports do again what
a caller can observe before a request is sent: the ``provide-client-params`` and
``before-parameter-build`` events, botocore's ``ParamValidator`` (only for clients made with
parameter validation on), and the ``before-call`` event (a handler that answers it, such as
botocore's ``Stubber``, answers the call); errors are raised through the client's own
``client.exceptions``. While every handler of those three events is one of botocore's own
that cannot change the outcome (see ``INERT_HANDLERS``), the events are not emitted at all;
the first handler anyone registers (a user, a library, ``Stubber``) brings them back for that
client's next call. What botocore does after building the request is not done, because no
request is built: no ``request-created``, ``before-send`` or ``after-call`` events, no
signing, and no retry handler, so a retry ``Config`` never retries an injected throttling
error here (the ``wire=True`` mode runs all of it). Every other service goes to the original
method untouched.

aiobotocore's client class overrides ``_make_api_call`` with a coroutine, so it gets a patch of
its own, doing the same steps with its events awaited. Behind both, the guard wraps the
endpoints' ``_do_get_response`` and ``_send``: a request of a faked service that reaches them
while a fake is active (a client that bypassed the patch) is refused before anything is sent.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Awaitable, Callable, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from botocore import handlers
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.endpoint import Endpoint
from botocore.hooks import first_non_none_response

from . import clients
from .activation import Activation, Patch, check_thread, current
from .controller import PersonalizeStub
from .errors import ServiceError, client_error
from .pipeline import plan_for
from .services import SERVICE_NAMES
from .validation import validates_client_side

FAKED = frozenset(SERVICE_NAMES)


class NetworkRefused(RuntimeError):
    """A request of a faked service that would have left the process while a fake is active.

    Not a botocore ``HTTPClientError``: botocore does not retry it, and it is raised before any
    socket opens.
    """


_NO_CACHE: Any = object()
"""A lookup cache no emitter holds."""


class _Route:
    """How one client's calls of one operation reach the pipeline, worked out on its first
    call: what botocore derives from the model, the client's validation setting, the
    operation's plan in the pipeline, the client's conversion of a service error, and whether
    its events are quiet (see :meth:`quiet`)."""

    __slots__ = (
        "before_build",
        "before_call",
        "client",
        "client_side",
        "context",
        "error_for",
        "events",
        "inner_events",
        "lookups",
        "model",
        "operation",
        "plan",
        "provide_params",
        "quiet_under",
        "service_name",
    )

    def __init__(self, client: BaseClient, operation_name: str) -> None:
        service_model = client._service_model  # type: ignore[attr-defined]
        self.client = client
        self.operation = operation_name
        self.model = service_model.operation_model(operation_name)
        self.service_name = service_model.service_name
        self.client_side = validates_client_side(client)
        event = f"{service_model.service_id.hyphenize()}.{operation_name}"
        self.provide_params = f"provide-client-params.{event}"
        self.before_build = f"before-parameter-build.{event}"
        self.before_call = f"before-call.{event}"
        self.context = {
            "has_streaming_input": self.model.has_streaming_input,
            "auth_type": self.model.resolved_auth_type,
            "unsigned_payload": self.model.unsigned_payload,
        }
        self.events: Any = client.meta.events
        """The client's event emitter (botocore's aliaser)."""
        self.inner_events: Any = getattr(self.events, "_emitter", None)
        """The emitter it wraps, whose handlers the client runs."""
        self.lookups: object = _NO_CACHE
        self.quiet_under: object = _NO_CACHE
        """The emitter's lookup cache while the events are quiet (see :meth:`quiet`)."""
        self.plan = plan_for(self.service_name, operation_name)
        """How the pipeline serves the operation."""
        self.error_for: Callable[[ServiceError], BaseException] = functools.partial(
            client_error, client, operation_name
        )
        """A service error as this client raises it."""

    def quiet(self) -> bool:
        """Whether emitting this call's three events could change nothing the caller sees:
        every handler they would run is one of botocore's own that is inert for this
        operation (:data:`INERT_HANDLERS`). Worked out again whenever a handler is registered
        or unregistered on the client: botocore then replaces its emitter's lookup cache.
        While the answer is yes, :attr:`quiet_under` is that cache, so a transport can see
        it still holds without a call."""
        lookups = getattr(self.inner_events, "_lookup_cache", None)
        if lookups is self.lookups:
            return self.quiet_under is lookups
        alias = getattr(self.events, "_alias_event_name", None)
        if not isinstance(lookups, dict) or alias is None:
            return False
        inner = self.inner_events
        quiet = all(
            _inert(handler, self.model)
            for name in (self.provide_params, self.before_build, self.before_call)
            for handler in inner._handlers.prefix_search(alias(name))
        )
        self.lookups = lookups
        self.quiet_under = lookups if quiet else _NO_CACHE
        return quiet


_INERT_WHEN: dict[str, Callable[[Any], bool]] = {
    "add_recursion_detection_header": lambda operation: True,
    "inject_api_version_header_if_needed": lambda operation: True,
    "generate_idempotent_uuid": lambda operation: not operation.idempotent_members,
    "_handle_request_validation_mode_member": (
        lambda operation: not operation.http_checksum.get("requestValidationModeMember")
    ),
}
"""botocore's own handlers of these events, by name, and when each is inert: the two
``before-call`` ones only add headers to a request the fake never sends;
``generate_idempotent_uuid`` fills idempotency tokens (none to fill when the operation has no
such member); the last sets a checksum member only for operations whose model names one."""

INERT_HANDLERS: dict[Callable[..., Any], Callable[[Any], bool]] = {
    getattr(handlers, name): inert for name, inert in _INERT_WHEN.items() if hasattr(handlers, name)
}
"""The handlers of :data:`_INERT_WHEN` that the installed botocore has (any other handler
makes the fake emit the events)."""


def _inert(handler: Any, operation: Any) -> bool:
    try:
        inert_for = INERT_HANDLERS.get(handler)
    except TypeError:
        return False
    return inert_for is not None and inert_for(operation)


_ROUTES = "_pytest_personalize_stub_routes"
"""Where a client keeps its routes, by operation (None for a client of another service)."""


def _route(client: BaseClient, operation_name: str) -> _Route | None:
    """The client's route for an operation; None when its service is not faked."""
    attributes = client.__dict__
    routes: dict[str, _Route] | None = attributes.get(_ROUTES, _UNKNOWN)
    if routes is _UNKNOWN:
        faked = client._service_model.service_name in FAKED  # type: ignore[attr-defined]
        routes = attributes[_ROUTES] = {} if faked else None
    if routes is None:
        return None
    route = routes.get(operation_name)
    if route is None:
        route = routes[operation_name] = _Route(client, operation_name)
    return route


_UNKNOWN: Any = object()


Emit = tuple[str, str, dict[str, Any]]
"""One event for a driver to emit: ``("emit" or "until", event name, keyword arguments)``."""


def _steps(
    stub: PersonalizeStub, route: _Route, api_params: dict[str, Any]
) -> Generator[Emit, Any, Any]:
    """The call as botocore and the service make it, with each event left to the driver to
    emit (and await, for an async client): yields the events, returns the answer."""
    __tracebackhide__ = True
    pipeline = stub.pipeline
    operation, client = route.model, route.client
    meta = client.meta
    context = {"client_region": meta.region_name, "client_config": meta.config, **route.context}
    provided = yield (
        "emit",
        route.provide_params,
        {"params": api_params, "model": operation, "context": context},
    )
    params = first_non_none_response(provided, default=api_params)
    yield ("emit", route.before_build, {"params": params, "model": operation, "context": context})
    if route.client_side:
        pipeline.check_client_side(route.service_name, route.operation, params)
    request_dict = {
        "url_path": "/",
        "query_string": {},
        "method": "POST",
        "headers": {},
        "body": params,
        "url": "",
        "context": context,
    }
    _, event_response = yield (
        "until",
        route.before_call,
        {
            "model": operation,
            "params": request_dict,
            "request_signer": client._request_signer,  # type: ignore[attr-defined]
            "context": context,
        },
    )
    if event_response is None:
        return pipeline.answer(route.service_name, route.operation, params)
    http, response = event_response
    if http.status_code >= 300:
        code = response.get("Error", {}).get("Code")
        raise client.exceptions.from_code(code)(response, route.operation)  # type: ignore[operator]
    return response


def serve(stub: PersonalizeStub, route: _Route, api_params: dict[str, Any]) -> Any:
    """Answer one call of a faked service made by a botocore client, its events emitted."""
    __tracebackhide__ = True
    emitter = route.events
    call = stub.pipeline.record(route.service_name, route.operation, api_params)
    with stub.pipeline.recording(call, route.error_for):
        steps = _steps(stub, route, api_params)
        result: Any = None
        try:
            while True:
                kind, name, kwargs = steps.send(result)
                if kind == "emit":
                    result = emitter.emit(name, **kwargs)
                else:
                    result = emitter.emit_until_response(name, **kwargs)
        except StopIteration as done:
            call.response = done.value
    return call.response


async def serve_async(stub: PersonalizeStub, route: _Route, api_params: dict[str, Any]) -> Any:
    """Answer one call of a faked service made by an aiobotocore client, its events awaited."""
    __tracebackhide__ = True
    emitter = route.events
    call = stub.pipeline.record(route.service_name, route.operation, api_params)
    with stub.pipeline.recording(call, route.error_for):
        steps = _steps(stub, route, api_params)
        result: Any = None
        try:
            while True:
                kind, name, kwargs = steps.send(result)
                if kind == "emit":
                    result = await emitter.emit(name, **kwargs)
                else:
                    result = await emitter.emit_until_response(name, **kwargs)
        except StopIteration as done:
            call.response = done.value
    return call.response


def _sync_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    def _make_api_call(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        __tracebackhide__ = True
        activation = Activation.in_force
        if activation is None:
            return original(client, operation_name, api_params)
        route = _route(client, operation_name)
        if route is None:
            return original(client, operation_name, api_params)
        if activation.threads_orphaned:
            check_thread(activation)
        stub = activation.stub
        if stub.config.wire:
            _answer_at_the_wire(client, _respond)
            token = _wire_call.set(True)
            try:
                return original(client, operation_name, api_params)
            finally:
                _wire_call.reset(token)
        events_quiet = getattr(route.inner_events, "_lookup_cache", None) is route.quiet_under
        if events_quiet or route.quiet():  # no handler of its events could change the outcome
            return stub.pipeline.serve(route.plan, api_params, route.client_side, route.error_for)
        return serve(stub, route, api_params)

    return _make_api_call


def _async_patch(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def _make_api_call(
        client: BaseClient, operation_name: str, api_params: dict[str, Any]
    ) -> Any:
        __tracebackhide__ = True
        activation = Activation.in_force
        if activation is None:
            return await original(client, operation_name, api_params)
        route = _route(client, operation_name)
        if route is None:
            return await original(client, operation_name, api_params)
        if activation.threads_orphaned:
            check_thread(activation)
        stub = activation.stub
        if stub.config.wire:
            _answer_at_the_wire(client, _respond_async)
            token = _wire_call.set(True)
            try:
                return await original(client, operation_name, api_params)
            finally:
                _wire_call.reset(token)
        events_quiet = getattr(route.inner_events, "_lookup_cache", None) is route.quiet_under
        if events_quiet or route.quiet():  # nothing to await: served as a sync call is
            return stub.pipeline.serve(route.plan, api_params, route.client_side, route.error_for)
        return await serve_async(stub, route, api_params)

    return _make_api_call


_wire_call: ContextVar[bool] = ContextVar("pytest_personalize_stub_wire_call", default=False)
"""Set while a call of the fake in ``wire=True`` mode runs botocore's whole stack."""

WIRE_HANDLER = "pytest-personalize-stub-wire"
"""The unique id of the ``before-send`` handler that answers ``wire=True`` calls."""


def _answer_at_the_wire(client: BaseClient, respond: Callable[..., Any]) -> None:
    """Have the fake answer this client's requests at ``before-send``, ahead of handlers on
    the generic event, such as moto's. A client that holds the handler already is left as it
    is: botocore would inspect the handler's signature again (~19 us) only to find its id
    taken. One whose handler was unregistered gets it back."""
    service_id = client._service_model.service_id.hyphenize()  # type: ignore[attr-defined]
    unique_id = f"{WIRE_HANDLER}-{service_id}"
    events = client.meta.events
    if unique_id in getattr(getattr(events, "_emitter", events), "_unique_id_handlers", ()):
        return
    events.register_first(f"before-send.{service_id}", respond, unique_id=unique_id)


def _exchanged(request: Any) -> Any:
    """The fake's HTTP answer to a prepared request of a ``wire=True`` call, or None."""
    activation = current()
    if activation is None or not _wire_call.get():
        return None
    # The wire layer loads with the first call that needs it: an eighth of the package's
    # source, which every test run would otherwise compile (and have pytest rewrite).
    from . import exchange
    from .wire import HttpRequest

    split = urlsplit(request.url)
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        body = body.read()
    http = HttpRequest(request.method, split.path or "/", split.query, request.headers, body)
    return exchange.answer(activation.stub.pipeline, http)


class _Body:
    """A response body as botocore reads one from urllib3 (``stream()``) or aiohttp (``read()``)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    async def read(self) -> bytes:
        return self._data


def _respond(request: Any, **_: Any) -> Any:
    http = _exchanged(request)
    if http is None:
        return None
    return AWSResponse(request.url, http.status, http.headers, _Body(http.body))


def _respond_async(request: Any, **_: Any) -> Any:
    http = _exchanged(request)
    if http is None:
        return None
    from aiobotocore.awsrequest import AioAWSResponse

    return AioAWSResponse(request.url, http.status, http.headers, _Body(http.body))


def _refusal(service: str, operation: str, url: str) -> NetworkRefused | None:
    """The refusal of a faked service's request about to leave the process, or None when no
    fake is active and the session is not guarded."""
    activation = current()
    if activation is not None:
        return NetworkRefused(
            f"pytest-personalize-stub refused to send {service}.{operation} to {url}: the fake "
            f"of {activation.owner} is active, but this client's call did not go through it "
            "(its class or instance replaces _make_api_call, or the request was made below "
            "it), so it would have reached the network. Make the client with boto3, botocore "
            "or aiobotocore and call its operations."
        )
    if _session_guarded:
        return NetworkRefused(
            f"pytest-personalize-stub refused to send {service}.{operation} to {url}: no fake "
            "is active, and personalize_stub_import_time_clients keeps the faked services off "
            "the network for the whole test session. Make the call in a test that uses the "
            "personalize_stub fixture (or inside mock_personalize())."
        )
    return None


def _guarded(operation_model: Any, request: Any) -> None:
    __tracebackhide__ = True
    service = operation_model.service_model.service_name
    if service in FAKED and not _wire_call.get():
        refused = _refusal(service, operation_model.name, request.url)
        if refused is not None:
            raise refused


def _guarded_prefix(endpoint: Any, request: Any) -> None:
    __tracebackhide__ = True
    if endpoint._endpoint_prefix in _faked_prefixes():
        refused = _refusal(endpoint._endpoint_prefix, "(a request)", request.url)
        if refused is not None:
            raise refused


_session_guarded = False
"""Whether the faked services stay off the network even while no fake is active."""


def _faked_prefixes() -> frozenset[str]:
    """The endpoint prefixes of the faked services (cleanroomsml's is ``cleanrooms-ml``)."""
    global _prefixes
    if _prefixes is None:
        _prefixes = frozenset(clients.service_model(name).endpoint_prefix for name in FAKED)
    return _prefixes


_prefixes: frozenset[str] | None = None


def _sync_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def _do_get_response(endpoint: Any, request: Any, operation_model: Any, context: Any) -> Any:
        _guarded(operation_model, request)
        return original(endpoint, request, operation_model, context)

    return _do_get_response


def _sync_send_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def _send(endpoint: Any, request: Any) -> Any:
        _guarded_prefix(endpoint, request)
        return original(endpoint, request)

    return _send


def _async_guard(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def _do_get_response(
        endpoint: Any, request: Any, operation_model: Any, context: Any
    ) -> Any:
        _guarded(operation_model, request)
        return await original(endpoint, request, operation_model, context)

    return _do_get_response


def _async_send_guard(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def _send(endpoint: Any, request: Any) -> Any:
        _guarded_prefix(endpoint, request)
        return await original(endpoint, request)

    return _send


def patches() -> list[Patch]:
    """Everything the transports replace while a fake is active: botocore's client and
    endpoint, and aiobotocore's when it is installed."""
    found = [Patch(BaseClient, "_make_api_call", _sync_patch), *guards()]
    if _aiobotocore_installed():
        from aiobotocore.client import AioBaseClient

        found.append(Patch(AioBaseClient, "_make_api_call", _async_patch))
    return found


def guards() -> list[Patch]:
    """The network guard on botocore's endpoints, and aiobotocore's when it is installed."""
    found = [
        Patch(Endpoint, "_do_get_response", _sync_guard),
        Patch(Endpoint, "_send", _sync_send_guard),
    ]
    if _aiobotocore_installed():
        from aiobotocore.endpoint import AioEndpoint

        found += [
            Patch(AioEndpoint, "_do_get_response", _async_guard),
            Patch(AioEndpoint, "_send", _async_send_guard),
        ]
    return found


@functools.cache
def _aiobotocore_installed() -> bool:
    """Whether aiobotocore can be imported (looked up once: a search of the path is slow)."""
    return importlib.util.find_spec("aiobotocore") is not None


def guard_the_session() -> list[Patch]:
    """Keep the faked services off the network from now on, fake active or not; the patches
    to undo when the session ends."""
    global _session_guarded
    _session_guarded = True
    installed = guards()
    for patch in installed:
        patch.apply()
    return installed


def unguard_the_session(installed: list[Patch]) -> None:
    """Undo :func:`guard_the_session`."""
    global _session_guarded
    _session_guarded = False
    for patch in reversed(installed):
        patch.undo()


@contextmanager
def activated(stub: PersonalizeStub, owner: str = "activated()") -> Iterator[PersonalizeStub]:
    """Route the faked services to ``stub`` until the block ends, however it ends."""
    activation = Activation(stub, owner, patches())
    activation.start()
    try:
        yield stub
    finally:
        activation.stop()

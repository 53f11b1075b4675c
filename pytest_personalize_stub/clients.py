"""The botocore session, service models and fixture clients, cached for the whole run.

Creating a boto3 client costs several milliseconds, mostly copying the session's event
handlers. Fixture clients are therefore made once per service and region and handed to
every test that asks; a client whose event handlers a test changed (a Stubber, a custom
handler) is dropped at the end of that test and made anew for the next one.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.model import ServiceModel

DUMMY_KEY = "testing"

_lock = threading.Lock()
_session: boto3.session.Session | None = None
_models: dict[str, ServiceModel] = {}
_pool: dict[tuple[str, str], tuple[BaseClient, object]] = {}


def session() -> boto3.session.Session:
    """The run's boto3 session, with dummy credentials so nothing looks for real ones."""
    global _session
    with _lock:
        if _session is None:
            _session = boto3.session.Session(
                aws_access_key_id=DUMMY_KEY,
                aws_secret_access_key=DUMMY_KEY,
                region_name="us-east-1",
            )
        return _session


def service_model(name: str) -> ServiceModel:
    """botocore's model of a service, loaded once."""
    model = _models.get(name)
    if model is None:
        model = session()._session.get_service_model(name)
        _models[name] = model
    return model


def _handlers_version(client: BaseClient) -> object:
    # botocore replaces this cache object whenever a handler is registered or unregistered.
    return client.meta.events._emitter._lookup_cache  # type: ignore[attr-defined]


def fixture_client(service: str, region: str) -> BaseClient:
    """A client for the fixtures: reused across tests while nobody changes its handlers."""
    key = (service, region)
    with _lock:
        cached = _pool.get(key)
        if cached is not None and _handlers_version(cached[0]) is cached[1]:
            return cached[0]
    client = new_client(service, region)
    with _lock:
        _pool[key] = (client, _handlers_version(client))
    return client


def new_client(service: str, region: str, **kwargs: Any) -> BaseClient:
    """A new boto3 client of the run's session (dummy credentials, the given region)."""
    config = kwargs.pop("config", None) or Config()
    client: BaseClient = session().client(service, region_name=region, config=config, **kwargs)
    return client

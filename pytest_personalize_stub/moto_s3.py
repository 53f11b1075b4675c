"""Files in moto's S3, for the jobs that read and write S3 while moto's ``mock_aws`` is active.

Only while moto intercepts botocore's S3 requests does the fake touch S3 at all: then a
job's input is read from moto's buckets and its output written there, through a boto3 S3
client pinned to AWS's own endpoint, which moto serves. Without moto active, or with S3
passed through by moto's configuration, nothing is read or written, so the fake never
reaches a real S3.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

S3_SCHEME = "s3://"


class S3Problem(Exception):
    """An S3 request failed; the text says which location and why."""


def moto_serves_s3(region: str) -> bool:
    """Whether moto's ``mock_aws`` is answering S3 requests for ``region`` right now.

    moto keeps its on switch on the ``botocore_stubber`` of ``moto.core.models`` (a process
    that never imported moto has no mock running), and lets configured services and URLs
    pass through to the network.
    """
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    if getattr(stubber, "enabled", False) is not True:
        return False
    from moto.core.config import passthrough_service, passthrough_url

    return not passthrough_service("s3") and not passthrough_url(f"{_endpoint(region)}/")


@dataclass(frozen=True)
class S3Location:
    """An ``s3://bucket/key`` path: one object, or every object whose key starts with it."""

    bucket: str
    key: str

    @classmethod
    def parse(cls, path: str) -> S3Location | None:
        """The location of an ``s3://`` path; None for other schemes or without a bucket."""
        if not path.startswith(S3_SCHEME):
            return None
        bucket, _, key = path[len(S3_SCHEME) :].partition("/")
        return cls(bucket, key) if bucket else None

    def joined(self, name: str) -> S3Location:
        """The object ``name`` inside this location taken as a folder."""
        folder = self.key if not self.key or self.key.endswith("/") else f"{self.key}/"
        return S3Location(self.bucket, f"{folder}{name}")


def read_objects(location: S3Location, region: str) -> dict[str, bytes]:
    """Every non-empty object at ``location`` (key -> content), as S3 prefixes go: the object
    with that key and all objects below it; folder markers and empty files (``_SUCCESS``) are
    skipped, a missing bucket reads as empty. S3Problem when S3 refuses."""
    client = _client(region)
    with _s3_errors(location):
        keys: list[str] = []
        try:
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=location.bucket, Prefix=location.key
            ):
                keys.extend(
                    item["Key"]
                    for item in page.get("Contents", ())
                    if item["Size"] > 0 and not item["Key"].endswith("/")
                )
        except client.exceptions.NoSuchBucket:
            return {}
        return {
            key: client.get_object(Bucket=location.bucket, Key=key)["Body"].read() for key in keys
        }


def bucket_exists(location: S3Location, region: str) -> bool:
    """Whether the bucket of ``location`` exists (and S3 lets the fake see it)."""
    from botocore.exceptions import ClientError

    try:
        _client(region).head_bucket(Bucket=location.bucket)
    except ClientError:
        return False
    return True


def write_object(location: S3Location, body: bytes, region: str) -> None:
    """Store ``body`` as the object at ``location``; S3Problem when S3 refuses."""
    with _s3_errors(location):
        _client(region).put_object(Bucket=location.bucket, Key=location.key, Body=body)


@contextmanager
def _s3_errors(location: S3Location) -> Iterator[None]:
    """Turn botocore's errors into S3Problem naming the location."""
    from botocore.exceptions import BotoCoreError, ClientError

    where = f"s3://{location.bucket}/{location.key}"
    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        raise S3Problem(f"S3 answered {code} for {where}.") from None
    except BotoCoreError as error:
        raise S3Problem(f"S3 could not be reached for {where}: {error}") from None


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _client(region: str) -> Any:
    """One S3 client per region, of a session of its own, pinned to AWS's endpoint (path
    style) so moto's interception always applies, whatever endpoint the environment sets."""
    with _clients_lock:
        client = _clients.get(region)
        if client is None:
            import boto3
            from botocore.config import Config

            client = _clients[region] = boto3.session.Session().client(
                "s3",
                region_name=region,
                endpoint_url=_endpoint(region),
                config=Config(s3={"addressing_style": "path"}),
            )
        return client


def _endpoint(region: str) -> str:
    return f"https://s3.{region}.amazonaws.com"

"""Files in moto's S3, for the jobs that read and write S3 while moto's ``mock_aws`` is active.

Only while moto intercepts botocore's requests does the fake touch S3 at all: then a job's
input is read from moto's buckets and its output written there, through an ordinary boto3
S3 client that moto serves. Without moto active nothing is read or written, so nothing can
ever reach the real S3.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

S3_SCHEME = "s3://"


def moto_active() -> bool:
    """Whether moto's ``mock_aws`` is intercepting botocore's requests right now.

    moto keeps that switch on the ``botocore_stubber`` of ``moto.core.models``; a process that
    never imported moto has no mock running.
    """
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return getattr(stubber, "enabled", False) is True


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

    def __str__(self) -> str:
        return f"{S3_SCHEME}{self.bucket}/{self.key}"

    def joined(self, name: str) -> S3Location:
        """The object ``name`` inside this location taken as a folder."""
        folder = self.key if not self.key or self.key.endswith("/") else f"{self.key}/"
        return S3Location(self.bucket, f"{folder}{name}")


def read_objects(location: S3Location, region: str) -> dict[str, bytes]:
    """Every object at ``location`` (key -> content), as S3 prefixes go: the object with
    that key and all objects below it. Folder markers (keys ending ``/``) are skipped; a
    missing bucket reads as empty."""
    client = _client(region)
    missing_bucket = client.exceptions.NoSuchBucket
    keys: list[str] = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=location.bucket, Prefix=location.key
        ):
            keys.extend(item["Key"] for item in page.get("Contents", ()))
    except missing_bucket:
        return {}
    return {
        key: client.get_object(Bucket=location.bucket, Key=key)["Body"].read()
        for key in keys
        if not key.endswith("/")
    }


def write_object(location: S3Location, body: bytes, region: str) -> None:
    """Store ``body`` as the object at ``location``."""
    _client(region).put_object(Bucket=location.bucket, Key=location.key, Body=body)


def _client(region: str) -> Any:
    import boto3

    return boto3.client("s3", region_name=region)

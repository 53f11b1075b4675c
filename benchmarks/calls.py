"""Per-call cost of the fake beside botocore's ``Stubber``, moto's ``mock_aws`` and the floor.

Every case of :mod:`cases` is answered, in interleaved rounds within one process, by:

- the fake, through a boto3 client while ``activated(stub)``;
- ``Stubber`` on a plain boto3 client, from queued responses: the fake's own answer to the
  same call (made once, less ResponseMetadata), so both answers have exactly the same shape;
- moto's ``mock_aws`` where it serves the call (Personalize's schema operations);
- for the describes, the floor: ``BaseClient._make_api_call`` patched to return the fake's
  answer at once, called through a real client method.

A round times one block of calls of each case by each of them in turn, the parameters of a
block made beforehand, untimed; the fake answers each block in a new account that holds only
the block's parents, as a test's account would (how costs grow with the account is
``scale.py``'s measure). The first round warms up and is dropped. Comparing blocks of
the same round keeps the machine's drift out of the ratios. ``bench.py`` runs this module in
several fresh processes: a process's hash seed alone moves this machine's per-call times by
up to half, so one process is not a fair sample.

    python benchmarks/calls.py BLOCK ROUNDS   # one JSON line: {case: {impl: [us, ...]}}
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from cases import CASES, CREDENTIALS, Case, Params, Parents, fake_client, no_limits
from timing import time_block

IMPLS = ("fake", "stubber", "floor", "moto")

MOTO_SHARE = {"list": 40}
"""moto is slow: its blocks are BLOCK divided by this (10 unless named), at least 5 calls."""


@contextmanager
def _moto(mock: Any) -> Iterator[None]:
    """moto's ``mock_aws`` active, its data kept from block to block. Off otherwise: beside
    moto, the fake's import, export and batch jobs would read and write moto's S3."""
    mock.start(reset=False)
    try:
        yield
    finally:
        mock.stop(remove_data=False)


@contextmanager
def _floor(answer: dict[str, Any]) -> Iterator[None]:
    """Every botocore call returns ``answer`` at once, until the block ends."""
    from botocore.client import BaseClient

    def at_once(client: Any, operation: str, params: Params) -> dict[str, Any]:
        return answer

    original = BaseClient.__dict__["_make_api_call"]
    BaseClient._make_api_call = at_once  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


class Measured:
    """One case, ready to be answered by each implementation."""

    def __init__(self, case: Case, mock: Any) -> None:
        import boto3
        from botocore.stub import Stubber

        from pytest_personalize_stub.intercept import activated

        self.case = case
        self._activated = activated
        self.fake = getattr(fake_client(case.service), case.method)
        stub = no_limits()
        with activated(stub):
            self.probe = case.params(Parents(stub), 1)[0]
            answer = self.fake(**self.probe)
        self.floor_answer = answer
        self.stubbed_answer = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
        stubbed_client = boto3.client(case.service, **CREDENTIALS)
        self.stubber = Stubber(stubbed_client)
        self.stubber.activate()
        self.stubbed = getattr(stubbed_client, case.method)
        self.plain = getattr(boto3.client(case.service, **CREDENTIALS), case.method)
        self.mock, self.moto = mock, None
        if case.moto is not None:
            with _moto(mock):
                moto = boto3.client(case.service, **CREDENTIALS)
                case.moto(moto, self.probe)
            self.moto = getattr(moto, case.method)

    def impls(self) -> list[str]:
        return [
            impl
            for impl in IMPLS
            if (impl != "floor" or self.case.kind == "describe")
            and (impl != "moto" or self.moto is not None)
        ]

    def block(self, impl: str, size: int) -> float:
        """The median of one block of ``size`` calls (fewer for moto) answered by ``impl``."""
        call: Callable[..., Any]
        around: AbstractContextManager[Any] = nullcontext()
        params: list[Params]
        if impl == "fake":
            stub = no_limits()
            with self._activated(stub):
                params = self.case.params(Parents(stub), size)
                stub.calls.clear()
            call, around = self.fake, self._activated(stub)
        elif impl == "moto":
            assert self.moto is not None
            count = max(5, size // MOTO_SHARE.get(self.case.kind, 10))
            params = [self.probe] * count
            if self.case.kind == "create":  # new names
                stub = no_limits()
                with self._activated(stub):
                    params = self.case.params(Parents(stub), count)
            call, around = self.moto, _moto(self.mock)
        elif impl == "stubber":
            for _ in range(size):
                self.stubber.add_response(self.case.method, self.stubbed_answer)
            call, params = self.stubbed, [self.probe] * size
        else:
            call, params, around = self.plain, [self.probe] * size, _floor(self.floor_answer)
        with around:
            return time_block(call, params)


def measure(block: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Block medians (us) of every case by every implementation serving it, one a round."""
    from moto import mock_aws

    mock = mock_aws()
    mock.start()  # moto's account starts empty once, then keeps its data
    mock.stop(remove_data=False)
    measured = [Measured(case, mock) for case in CASES]
    results: dict[str, dict[str, list[float]]] = {m.case.operation: {} for m in measured}
    for round_index in range(rounds + 1):
        for one in measured:
            impls = one.impls()
            for impl in impls if round_index % 2 else reversed(impls):
                median = one.block(impl, block)
                if round_index:
                    results[one.case.operation].setdefault(impl, []).append(median)
    return results


def main() -> None:
    """Print this process's block medians (us) as JSON: ``{case: {impl: [median, ...]}}``,
    one median a round, rounds in order."""
    block, rounds = int(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(measure(block, rounds)))


if __name__ == "__main__":
    main()

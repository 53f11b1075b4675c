"""Solutions and solution versions: training, stopping, metrics and solution updates."""

from __future__ import annotations

import hashlib
import re
import weakref
from typing import Any

from ...account import Account, Request, clone
from ...declarations import Body, Quota, Rule, Walk, in_use, invalid, not_found, wrong_status
from ...errors import ServiceError
from ...lifecycle import Process
from ...operations import Served, creating, deletion, describe, given, listing, updating
from ...store import Resource
from .campaigns import sync_campaigns
from .common import (
    ALIVE,
    DIALECT,
    HEX,
    IN_FLIGHT,
    active,
    any_of,
    newest,
    require_active,
    update_in_flight,
    with_defaults,
)
from .recipes import recipe_name, recipe_type
from .recommenders import METRIC_NAMES
from .resources import (
    CAMPAIGN,
    DATASET_GROUP,
    SOLUTION,
    SOLUTION_VERSION,
    DatasetGroupExtra,
    SolutionExtra,
)

AUTO_TRAINING_EVERY = "rate(7 days)"
"""How often a solution trains by itself unless told otherwise (model default)."""

UPDATE = "latestSolutionUpdate"
UPDATABLE = ("performAutoTraining", "performIncrementalUpdate")
"""Top-level solution members an UpdateSolution changes (once the update is ACTIVE)."""

STOP = Process(("CREATE STOPPED",), "CREATE STOPPED")
"""CREATE PENDING > CREATE STOPPED, at once."""

STOP_TRAINING = Process(("CREATE STOPPING",), "CREATE STOPPED")
"""CREATE IN_PROGRESS > CREATE STOPPING > CREATE STOPPED."""

STOPPING_SECONDS = 60.0
"""How long a training takes to stop (never longer than the training itself)."""

TRAINING = IN_FLIGHT | {"CREATE STOPPING"}
"""Statuses of a solution version that still occupies training capacity."""

UPDATABLE_RECIPES = frozenset({"aws-user-personalization", "aws-hrnn-coldstart"})
"""Recipes whose solutions may train a version with trainingMode UPDATE (model)."""

ACTION_METRICS = ("average_rewards_at_k",)
"""The extra offline metric of Next-Best-Action solution versions (docs)."""

ACTIVE_SOLUTIONS = Quota(
    key="active_solutions_per_dataset_group",
    name="Active solutions per dataset group",
    rtype=SOLUTION,
    limit=10,
    statuses=ALIVE,
    scope="datasetGroupArn",
)
VERSIONS_IN_PROGRESS = Quota(
    key="solution_versions_in_progress",
    name="Solution versions with status PENDING or IN_PROGRESS",
    rtype=SOLUTION_VERSION,
    limit=20,
    statuses=TRAINING,
)

SOLUTION_MEMBERS = (
    "performHPO",
    "performAutoML",
    "performIncrementalUpdate",
    "recipeArn",
    "datasetGroupArn",
    "eventType",
    "solutionConfig",
)


def create_solution(request: Request) -> Body:
    params = request.params
    group = active(request, DATASET_GROUP, params["datasetGroupArn"])
    recipe = params.get("recipeArn")
    if recipe is not None and recipe_type(recipe) is None:
        raise ServiceError(DIALECT.not_found, f"Resource Arn {recipe} does not exist.")
    request.enforce(ACTIVE_SOLUTIONS, group.arn)
    attrs = with_defaults(
        given(params, "name", "performAutoTraining", *SOLUTION_MEMBERS),
        performHPO=False,
        performAutoML=False,
        performAutoTraining=True,
        performIncrementalUpdate=False,
    )
    if attrs["performAutoML"]:
        attrs["performHPO"] = True
    if attrs["performAutoTraining"]:
        config = attrs.setdefault("solutionConfig", {})
        config.setdefault("autoTrainingConfig", {}).setdefault(
            "schedulingExpression", AUTO_TRAINING_EVERY
        )
    account = request.account

    def ready(created: Resource, at: float) -> None:
        if created.attrs["performAutoTraining"]:
            schedule_automatic_training(account, created, at)

    solution = request.create(
        SOLUTION, attrs, tags=params.get("tags"), name=params["name"], on_ready=ready
    )
    return {"solutionArn": solution.arn}


def describe_solution(request: Request) -> Body:
    solution = request.find(SOLUTION, request.params["solutionArn"])
    latest = newest(request.account, SOLUTION_VERSION, solutionArn=solution.arn)
    if latest is None:
        return {"solution": solution.attrs}
    return {"solution": {**solution.attrs, "latestSolutionVersion": latest.attrs}}


def create_solution_version(request: Request) -> Body:
    params = request.params
    solution = active(request, SOLUTION, params["solutionArn"])
    mode = params.get("trainingMode") or "FULL"
    _check_training_mode(request, solution, mode)
    request.enforce(VERSIONS_IN_PROGRESS)
    version = start_version(
        request.account,
        solution,
        request.now,
        mode=mode,
        training_type="MANUAL",
        name=params.get("name"),
        tags=params.get("tags"),
    )
    return {"solutionVersionArn": version.arn}


def start_version(
    account: Account,
    solution: Resource,
    at: float,
    *,
    mode: str,
    training_type: str,
    name: str | None = None,
    tags: Any = None,
) -> Resource:
    """Start training a version of ``solution`` with a copy of its configuration."""
    attrs = {key: clone(solution.attrs[key]) for key in SOLUTION_MEMBERS if key in solution.attrs}
    if name is not None:
        attrs["name"] = name
    attrs["solutionArn"] = solution.arn
    attrs["trainingMode"] = mode
    attrs["trainingType"] = training_type
    seconds = account.seconds(SOLUTION_VERSION)

    def trained(version: Resource, done_at: float) -> None:
        version.attrs["trainingHours"] = round(seconds / 3600, 3)
        sync_campaigns(account, version, done_at)

    arn = account.arn(SOLUTION_VERSION, solution=solution.attrs["name"], id=account.new_id(HEX, 8))
    attrs[SOLUTION_VERSION.key] = arn
    solution.extra(SolutionExtra).trained_at = at
    return account.create(SOLUTION_VERSION, arn, attrs, now=at, tags=tags, on_ready=trained)


FIRST_AUTOMATIC_TRAINING = 3600.0
"""Automatic training starts within an hour of the solution (or its update) becoming ACTIVE."""


def schedule_automatic_training(account: Account, solution: Resource, start: float) -> None:
    """Train ``solution`` by itself, as the developer guide describes automatic training.

    The first run comes an hour after ``start`` unless a version was created meanwhile; then
    one run every ``rate(N days)``. A run trains only if the dataset group received
    interaction data (an import into its Interactions dataset, or events) since the last
    training. The schedule runs in the background: ``settle()`` does not wait for it.
    """
    schedule = _AutomaticTraining(account, solution, start)
    account.timeline.at(start + FIRST_AUTOMATIC_TRAINING, schedule.first, settles=False)


class _AutomaticTraining:
    """One solution's automatic training schedule. The account's timeline holds it, and it
    holds its account weakly and nothing holds it back, so no reference cycle keeps a
    finished test's account alive until the garbage collector finds it."""

    def __init__(self, account: Account, solution: Resource, start: float) -> None:
        self.ticket = object()
        self.extra = solution.extra(SolutionExtra)
        self.extra.automatic_training = self.ticket
        self.held = weakref.ref(account)
        self.solution = solution
        self.start = start

    def first(self, at: float) -> None:
        """The first run, skipped when a version was trained since the schedule began."""
        self._run(at, first=True)

    def later(self, at: float) -> None:
        """A run at the schedule's rate."""
        self._run(at, first=False)

    def _run(self, at: float, *, first: bool) -> None:
        owner, solution, extra = self.held(), self.solution, self.extra
        if owner is None or solution.gone or extra.automatic_training is not self.ticket:
            return
        last = extra.trained_at
        skipped_first = first and last is not None and last >= self.start
        group = owner.store.get(DATASET_GROUP.kind, solution.attrs["datasetGroupArn"])
        data_at = group.extra(DatasetGroupExtra).interactions_at if group is not None else None
        new_data = data_at is not None and (last is None or data_at > last)
        if solution.status == "ACTIVE" and new_data and not skipped_first:
            start_version(owner, solution, at, mode="AUTOTRAIN", training_type="AUTOMATIC")
        owner.timeline.at(at + _training_interval(solution), self.later, settles=False)


def _training_interval(solution: Resource) -> float:
    expression = (
        solution.attrs.get("solutionConfig", {})
        .get("autoTrainingConfig", {})
        .get("schedulingExpression", AUTO_TRAINING_EVERY)
    )
    return _days(expression) * 86400.0


def _days(expression: str) -> int:
    match = SCHEDULE.fullmatch(expression)
    return int(match.group(1)) if match else 0


SCHEDULE = re.compile(r"rate\((\d+) days?\)")


def _schedule_out_of_range(config: Any) -> bool:
    expression = ((config or {}).get("autoTrainingConfig") or {}).get("schedulingExpression")
    return expression is not None and not 1 <= _days(expression) <= 30


SCHEDULE_IN_RANGE = Rule(
    "schedulingExpression must be rate(N days) with N from 1 to 30.",
    lambda params: (
        _schedule_out_of_range(params.get("solutionConfig"))
        or _schedule_out_of_range(params.get("solutionUpdateConfig"))
    ),
)


def _check_training_mode(request: Request, solution: Resource, mode: str) -> None:
    """UPDATE needs a User-Personalization (or HRNN-Coldstart) solution with an ACTIVE FULL
    version; AUTOTRAIN is the service's own mode for automatic training."""
    if mode == "AUTOTRAIN":
        raise invalid(
            SOLUTION_VERSION,
            "trainingMode AUTOTRAIN is reserved for versions that automatic training creates.",
        )
    if mode != "UPDATE":
        return
    recipe = recipe_name(solution.attrs.get("recipeArn", ""))
    if recipe not in UPDATABLE_RECIPES:
        raise invalid(
            SOLUTION_VERSION,
            f"trainingMode UPDATE is only supported for solutions of the User-Personalization "
            f"or HRNN-Coldstart recipe; {solution.arn} uses {recipe or 'AutoML'}.",
        )
    full = newest(
        request.account, SOLUTION_VERSION, {"ACTIVE"}, solutionArn=solution.arn, trainingMode="FULL"
    )
    if full is None:
        raise invalid(
            SOLUTION_VERSION,
            f"trainingMode UPDATE needs an ACTIVE solution version of {solution.arn} trained "
            "with trainingMode FULL.",
        )


def stop_solution_version_creation(request: Request) -> Body:
    version = request.find(SOLUTION_VERSION, request.params["solutionVersionArn"])
    account = request.account
    if version.status == "CREATE PENDING":
        account.walk(version, STOP, start=request.now, seconds=0)
    elif version.status == "CREATE IN_PROGRESS":
        seconds = min(STOPPING_SECONDS, account.seconds(SOLUTION_VERSION))
        account.walk(version, STOP_TRAINING, start=request.now, seconds=seconds)
    else:
        raise wrong_status(SOLUTION_VERSION, version, ("CREATE PENDING", "CREATE IN_PROGRESS"))
    return {}


def get_solution_metrics(request: Request) -> Body:
    version = active(request, SOLUTION_VERSION, request.params["solutionVersionArn"])
    names: tuple[str, ...] = METRIC_NAMES
    if recipe_type(version.attrs.get("recipeArn", "")) == "PERSONALIZED_ACTIONS":
        names = (*ACTION_METRICS, *METRIC_NAMES)
    digest = hashlib.sha256(version.arn.encode()).digest()
    metrics = {name: round(0.05 + digest[index] / 255 * 0.5, 4) for index, name in enumerate(names)}
    return {"solutionVersionArn": version.arn, "metrics": metrics}


def update_solution(request: Request) -> Body:
    params = request.params
    solution = request.find(SOLUTION, params["solutionArn"])
    require_active(SOLUTION, solution)
    busy = _updating(solution)
    if busy:
        raise in_use(SOLUTION, busy)
    config = solution.attrs.get("solutionConfig") or {}
    given_update = params.get("solutionUpdateConfig") or {}
    auto_training = params.get("performAutoTraining", solution.attrs.get("performAutoTraining"))
    update_config = {
        key: clone(given_update.get(key, config.get(key)))
        for key in ("autoTrainingConfig", "eventsConfig")
        if given_update.get(key, config.get(key)) is not None
    }
    if auto_training:
        update_config.setdefault("autoTrainingConfig", {}).setdefault(
            "schedulingExpression", AUTO_TRAINING_EVERY
        )
    changes: Body = {
        "performAutoTraining": params.get("performAutoTraining"),
        "performIncrementalUpdate": params.get("performIncrementalUpdate"),
        "solutionUpdateConfig": update_config,
    }

    account = request.account

    def applied(target: Resource, at: float) -> None:
        target.attrs["solutionConfig"] = {
            **target.attrs.get("solutionConfig", {}),
            **clone(update_config),
        }
        if target.attrs.get("performAutoTraining"):
            schedule_automatic_training(account, target, at)
        else:
            target.extra(SolutionExtra).automatic_training = None

    request.account.update(
        SOLUTION,
        solution,
        UPDATE,
        changes,
        start=request.now,
        live=UPDATABLE,
        on_done=applied,
    )
    return {"solutionArn": solution.arn}


def _updating(solution: Resource) -> str | None:
    return update_in_flight(SOLUTION, solution, UPDATE)


def list_solution_versions(request: Request) -> Body:
    solution_arn = request.params.get("solutionArn")
    if solution_arn is not None and request.account.store.get(SOLUTION.kind, solution_arn) is None:
        raise not_found(SOLUTION, solution_arn)
    return _list_versions.handler(request)


_list_versions = listing(SOLUTION_VERSION, "solutionVersions", ("solutionArn",))


def _solution_busy(request: Request, solution: Resource) -> str | None:
    training = any_of(request, SOLUTION_VERSION, TRAINING, solutionArn=solution.arn)
    if training is not None:
        return f"The solution {solution.arn} has a version still training: {training.arn}."
    campaign = any_of(request, CAMPAIGN, ALIVE, solutionArn=solution.arn)
    if campaign is not None:
        return f"The solution {solution.arn} is deployed by campaign {campaign.arn}."
    return _updating(solution)


def _forget_versions(account: Account, solution: Resource, at: float) -> None:
    for version in list(account.having(SOLUTION_VERSION, solutionArn=solution.arn)):
        account.store.remove(version)


AUTO_ML_XOR_RECIPE = Rule(
    "Specify a recipeArn, or set performAutoML to true, but not both.",
    lambda params: (params.get("recipeArn") is None) != bool(params.get("performAutoML")),
)


QUOTAS: tuple[Quota, ...] = (ACTIVE_SOLUTIONS, VERSIONS_IN_PROGRESS)
"""The documented quotas of this family."""


def operations() -> dict[str, Served]:
    """The solution and solution version operations."""
    return {
        "CreateSolution": creating(
            SOLUTION, create_solution, AUTO_ML_XOR_RECIPE, SCHEDULE_IN_RANGE
        ),
        "DescribeSolution": Served(describe_solution),
        "ListSolutions": listing(SOLUTION, "solutions", ("datasetGroupArn",)),
        "DeleteSolution": deletion(SOLUTION, _solution_busy, on_gone=_forget_versions),
        "CreateSolutionVersion": creating(SOLUTION_VERSION, create_solution_version),
        "DescribeSolutionVersion": describe(SOLUTION_VERSION, "solutionVersion"),
        "ListSolutionVersions": Served(list_solution_versions),
        "UpdateSolution": updating(SOLUTION, UPDATE, update_solution, SCHEDULE_IN_RANGE),
        "StopSolutionVersionCreation": Served(
            stop_solution_version_creation,
            walks=(
                Walk(SOLUTION_VERSION, STOP, frozenset({"CREATE PENDING"})),
                Walk(SOLUTION_VERSION, STOP_TRAINING, frozenset({"CREATE IN_PROGRESS"})),
            ),
        ),
        "GetSolutionMetrics": Served(get_solution_metrics),
    }

"""Solutions and solution versions (training)."""

from __future__ import annotations

from ...engine import (
    Body,
    Operation,
    Quota,
    Request,
    Rule,
    State,
    attr,
    creating,
    deletion,
    describe,
    given,
    listing,
    not_found,
)
from ...errors import ServiceError
from ...store import Resource
from .campaigns import sync_campaigns
from .common import ALIVE, DIALECT, HEX, IN_FLIGHT, active, any_of, newest, with_defaults
from .recipes import recipe_type
from .resources import CAMPAIGN, DATASET_GROUP, SOLUTION, SOLUTION_VERSION

AUTO_TRAINING_EVERY = "rate(7 days)"
"""How often a solution trains by itself unless told otherwise (model default)."""

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
    active(request, DATASET_GROUP, params["datasetGroupArn"])
    recipe = params.get("recipeArn")
    if recipe is not None and recipe_type(recipe) is None:
        raise ServiceError(DIALECT.not_found, f"Resource Arn {recipe} does not exist.")
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
    solution = request.create(SOLUTION, attrs, tags=params.get("tags"), name=params["name"])
    return {"solutionArn": solution.arn}


def describe_solution(request: Request) -> Body:
    solution = request.find(SOLUTION, request.params["solutionArn"])
    latest = newest(request.state, SOLUTION_VERSION, solutionArn=solution.arn)
    if latest is None:
        return {"solution": solution.attrs}
    return {"solution": {**solution.attrs, "latestSolutionVersion": latest.attrs}}


def create_solution_version(request: Request) -> Body:
    params = request.params
    solution = active(request, SOLUTION, params["solutionArn"])
    attrs = given(params, "name")
    attrs.update({key: solution.attrs[key] for key in SOLUTION_MEMBERS if key in solution.attrs})
    attrs["solutionArn"] = solution.arn
    attrs["trainingMode"] = params.get("trainingMode") or "FULL"
    attrs["trainingType"] = "MANUAL"
    seconds = request.state.seconds(SOLUTION_VERSION)

    def trained(version: Resource, at: float) -> None:
        version.attrs["trainingHours"] = round(seconds / 3600, 3)
        sync_campaigns(request.state, version, at)

    version = request.create(
        SOLUTION_VERSION,
        attrs,
        tags=params.get("tags"),
        on_ready=trained,
        solution=solution.attrs["name"],
        id=request.state.new_id(HEX, 8),
    )
    return {"solutionVersionArn": version.arn}


def list_solution_versions(request: Request) -> Body:
    solution_arn = request.params.get("solutionArn")
    if solution_arn is not None and request.state.store.get(SOLUTION.kind, solution_arn) is None:
        raise not_found(SOLUTION, solution_arn)
    return _list_versions.handler(request)


_list_versions = listing(SOLUTION_VERSION, "solutionVersions", {"solutionArn": attr("solutionArn")})


def _solution_busy(request: Request, solution: Resource) -> str | None:
    training = any_of(request, SOLUTION_VERSION, IN_FLIGHT, solutionArn=solution.arn)
    if training is not None:
        return f"The solution {solution.arn} has a version still training: {training.arn}."
    campaign = any_of(request, CAMPAIGN, ALIVE, solutionArn=solution.arn)
    if campaign is not None:
        return f"The solution {solution.arn} is deployed by campaign {campaign.arn}."
    return None


def _forget_versions(state: State, solution: Resource, at: float) -> None:
    for version in list(state.store.all(SOLUTION_VERSION.kind)):
        if version.attrs["solutionArn"] == solution.arn:
            state.store.remove(version)


AUTO_ML_XOR_RECIPE = Rule(
    "Specify a recipeArn, or set performAutoML to true, but not both.",
    lambda params: (params.get("recipeArn") is None) != bool(params.get("performAutoML")),
)


QUOTAS: tuple[Quota, ...] = ()
"""The documented quotas of this family."""


def operations() -> dict[str, Operation]:
    """The solution operations served so far."""
    return {
        "CreateSolution": creating(SOLUTION, create_solution, AUTO_ML_XOR_RECIPE),
        "DescribeSolution": Operation(describe_solution),
        "ListSolutions": listing(
            SOLUTION, "solutions", {"datasetGroupArn": attr("datasetGroupArn")}
        ),
        "DeleteSolution": deletion(SOLUTION, _solution_busy, on_gone=_forget_versions),
        "CreateSolutionVersion": creating(SOLUTION_VERSION, create_solution_version),
        "DescribeSolutionVersion": describe(SOLUTION_VERSION, "solutionVersion"),
        "ListSolutionVersions": Operation(list_solution_versions),
    }

"""personalize-runtime: recommendations, rankings and action recommendations.

Answers are deterministic: the same campaign (as deployed) or recommender and the same inputs
give the same items in the same order. The candidates are, in order: what
``personalize_stub.set_recommendations(arn, ids)`` set for the campaign or recommender, then the
ids the dataset group knows from personalize-events (PutItems/PutActions records and the ids of
recorded interactions), in an order fixed by the inputs; then a synthetic catalogue
(``item-0000`` ... ``item-0999``, ``action-0000`` ...) that stands for the data the fake cannot
see: used while the group knows no ids, and whenever bulk data was imported. A filter
then narrows the candidates (see :func:`.personalize.filter_expressions.narrow`) without
reordering them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..account import Account, Request
from ..declarations import Body, invalid, not_found
from ..errors import UsageError
from ..operations import Served, Service
from ..store import Attributes, Resource
from . import PERSONALIZE_RUNTIME
from .personalize import ranking
from .personalize.common import DIALECT, require_active
from .personalize.contents import (
    derived,
    events,
    group_dataset,
    group_holds_unseen_data,
    known_ids,
    records,
)
from .personalize.filter_expressions import Clause, Facts, narrow
from .personalize.ranking import Candidates
from .personalize.recipes import recipe_name, recipe_type
from .personalize.recommenders import use_case
from .personalize.resources import (
    CAMPAIGN,
    FILTER,
    RECOMMENDER,
    SOLUTION_VERSION,
    CampaignExtra,
    FilterExtra,
    ServingExtra,
)

MAX_RESULTS = 500
MAX_WITH_METADATA = 50
"""numResults / inputList limit when ``metadataColumns`` is given (model)."""
MAX_METADATA_COLUMNS = 10
DEFAULT_ACTIONS = 5
MAX_ACTIONS = 100

RECENT_INTERACTIONS = {"Interactions": 100, "Action_Interactions": 300}
"""How many of a user's most recent interactions per event type filters consider (docs)."""

SCORED_TYPES = frozenset({"USER_PERSONALIZATION", "PERSONALIZED_RANKING", "PERSONALIZED_ACTIONS"})
UNSCORED_RECIPES = frozenset({"aws-popularity-count"})
"""Scores come only with these recipe types, never from this recipe or recommenders (docs)."""


@dataclass(slots=True)
class Target:
    """The campaign or recommender a call asks, as it serves now."""

    resource: Resource
    group: str
    model: str
    """The deployed solution version (campaign) or the recommender: what decides the answer."""
    recipe: str
    metadata: bool
    """Whether it was created with ``enableMetadataWithRecommendations``."""

    @property
    def kind(self) -> str | None:
        """The recipe type of a campaign's solution version (None for a recommender)."""
        return recipe_type(self.recipe)

    @property
    def scored(self) -> bool:
        """Whether its answers carry scores."""
        return self.kind in SCORED_TYPES and recipe_name(self.recipe) not in UNSCORED_RECIPES


def _campaign(request: Request, arn: str) -> Target:
    campaign = request.account.store.get(CAMPAIGN.kind, arn)
    if campaign is None or campaign.status != "ACTIVE":
        raise not_found(CAMPAIGN, arn, known=campaign, wanted=("ACTIVE",))
    version_arn = campaign.attrs["solutionVersionArn"]
    version = request.account.store.get(SOLUTION_VERSION.kind, version_arn)
    config = campaign.attrs.get("campaignConfig") or {}
    return Target(
        campaign,
        campaign.extra(CampaignExtra).dataset_group_arn,
        version_arn,
        str(version.attrs.get("recipeArn", "")) if version else "",
        bool(config.get("enableMetadataWithRecommendations")),
    )


def _recommender(request: Request, arn: str) -> Target:
    recommender = request.account.store.get(RECOMMENDER.kind, arn)
    if recommender is None or recommender.status != "ACTIVE":
        raise not_found(RECOMMENDER, arn, known=recommender, wanted=("ACTIVE",))
    config = recommender.attrs.get("recommenderConfig") or {}
    return Target(
        recommender,
        recommender.attrs["datasetGroupArn"],
        recommender.arn,
        recommender.attrs["recipeArn"],
        bool(config.get("enableMetadataWithRecommendations")),
    )


@dataclass(frozen=True)
class AppliedFilter:
    """A filter as one request applies it: its clauses and the request's filterValues."""

    clauses: tuple[Clause, ...]
    values: Mapping[str, str]


def _filter(
    request: Request, arn: str | None, values: Mapping[str, str] | None, element: str
) -> AppliedFilter | None:
    """The filter a request names, once it is known (NF), ACTIVE, filters ``element`` (ItemID
    or ActionID) and has a value for each INCLUDE placeholder; None when none is named."""
    if arn is None:
        return None
    found = request.account.store.get(FILTER.kind, arn)
    if found is None:
        raise not_found(FILTER, arn)
    require_active(FILTER, found, code=DIALECT.validation_error)
    extra = found.extra(FilterExtra)
    clauses = extra.clauses
    other = sorted({clause.target for clause in clauses if clause.target != element})
    if other:
        raise invalid(
            FILTER,
            f"The filter {arn} filters {', '.join(other)}; this operation needs a filter of "
            f"{element}.",
        )
    given = values or {}
    placeholders = extra.placeholders
    missing = sorted(
        name for name, action in placeholders.items() if action == "INCLUDE" and name not in given
    )
    if missing:
        raise invalid(
            FILTER,
            f"The filter {arn} needs filterValues for its INCLUDE placeholders: "
            + ", ".join(missing)
            + ".",
        )
    return AppliedFilter(clauses, given)


def _facts(
    request: Request, target: Target, user: str | None, item: str | None, element: str
) -> Facts:
    """The records and the user's interactions of the target's group that filters read."""
    catalog, interactions, key = (
        ("Items", "Interactions", "itemId")
        if element == "ItemID"
        else ("Actions", "Action_Interactions", "actionId")
    )
    known = group_dataset(request.account, target.group, catalog.upper())
    properties = records(known) if known is not None else {}
    people = group_dataset(request.account, target.group, "USERS")
    return Facts(
        catalogs={catalog: properties},
        interactions={interactions: _recent(request, target, user, interactions, key)},
        user=records(people).get(user or "", {}) if people is not None else {},
        current=properties.get(item) if item is not None else None,
    )


def _recent(
    request: Request, target: Target, user: str | None, dataset_type: str, key: str
) -> dict[str, frozenset[str]]:
    """Each id's event types among the user's most recent interactions of each event type."""
    dataset = group_dataset(request.account, target.group, dataset_type.upper())
    if dataset is None or user is None:
        return {}
    by_type: dict[str, list[Body]] = {}
    for event in events(dataset):
        if event.get("userId") == user and event.get(key) is not None:
            by_type.setdefault(event["eventType"], []).append(event)
    found: dict[str, set[str]] = {}
    for event_type, kept in by_type.items():
        kept.sort(key=lambda event: float(event.get("sentAt") or event.get("timestamp") or 0.0))
        for event in kept[-RECENT_INTERACTIONS[dataset_type] :]:
            found.setdefault(event[key], set()).add(event_type)
    return {known: frozenset(types) for known, types in found.items()}


def _narrowed(
    request: Request,
    target: Target,
    chosen: AppliedFilter | None,
    ids: list[str],
    user: str | None,
    item: str | None = None,
    element: str = "ItemID",
) -> list[str]:
    """``ids`` that pass the filter, in their order (all of them without a filter)."""
    if chosen is None:
        return ids
    facts = _facts(request, target, user, item, element)
    return narrow(chosen.clauses, ids, chosen.values, facts)


def _metadata_columns(target: Target, params: Mapping[str, Any]) -> list[str] | None:
    """The Items columns asked for with ``metadataColumns``, or None when none are."""
    columns = params.get("metadataColumns")
    if not columns:
        return None
    if not target.metadata:
        raise invalid(
            CAMPAIGN,
            f"{target.resource.arn} was not created with enableMetadataWithRecommendations; "
            "it cannot return metadataColumns.",
        )
    other = sorted(key for key in columns if key != "ITEMS")
    if other:
        raise invalid(
            CAMPAIGN, f"metadataColumns takes only the key ITEMS, not {', '.join(other)}."
        )
    wanted = list(columns.get("ITEMS", []))
    if len(wanted) > MAX_METADATA_COLUMNS:
        raise invalid(
            CAMPAIGN, f"metadataColumns.ITEMS lists at most {MAX_METADATA_COLUMNS} columns."
        )
    return wanted


def _limit(count: int, name: str, most: int) -> None:
    if count > most:
        raise invalid(CAMPAIGN, f"{name} must be at most {most}; it is {count}.")


ITEMS = ("ITEMS", "INTERACTIONS", "itemId", "item")
ACTIONS = ("ACTIONS", "ACTION_INTERACTIONS", "actionId", "action")
"""What a target ranks: the catalogue and interactions datasets that make ids known, the id
member, and the prefix of the synthetic catalogue."""


def _candidates(request: Request, target: Target, kind: tuple[str, str, str, str]) -> Candidates:
    """The ids the target's group knows, then the synthetic catalogue, each once.

    The synthetic catalogue stands for what the fake cannot see: it is used while the group
    knows no ids, and whenever bulk data was imported into its datasets without moto (so it
    stayed out of sight). Worked out once for what the group's datasets hold.
    """
    catalog, interactions, key, prefix = kind
    account, group = request.account, target.group

    def make() -> Candidates:
        known = known_ids(account, group, catalog, interactions, key)
        unseen = group_holds_unseen_data(account, group, (catalog, interactions))
        return Candidates(known, prefix, synthetic=not known or unseen)

    return derived(account, group, (catalog, interactions), kind, make)


def _answer(
    request: Request,
    target: Target,
    candidates: Candidates,
    ids: list[str],
    total: int,
    columns: list[str] | None,
) -> list[Body]:
    """The answer's entries for ``ids``, the first of ``total`` ranked ids; fresh ones
    with ``columns`` (their metadata), else the same as the last answer of these ids."""
    if columns is None:
        return _entries(candidates, "itemId", ids, total, scored=target.scored)
    answer: list[Body]
    if target.scored:
        answer = [{"itemId": i, "score": s} for i, s in zip(ids, ranking.scores(total))]
    else:
        answer = [{"itemId": i} for i in ids]
    catalog = group_dataset(request.account, target.group, "ITEMS")
    properties = records(catalog) if catalog is not None else {}
    for item in answer:
        item["metadata"] = _metadata(properties.get(item["itemId"], {}), columns)
    return answer


def _entries(
    candidates: Candidates, member: str, ids: list[str], total: int, *, scored: bool
) -> list[Body]:
    """``{member: id}`` (and its ``score``) for each of ``ids``, the first of ``total``
    ranked ids. Made once and kept with the candidates, as attributes: an answer given again
    is not projected again (the projection is remembered on them), only copied."""
    key = (member, scored, total, *ids)
    kept = candidates.answers
    entries: list[Body] | None = kept.get(key)
    if entries is None:
        if len(kept) >= ranking.REMEMBERED_SEEDS:
            kept.clear()
        if scored:
            made = [{member: i, "score": s} for i, s in zip(ids, ranking.scores(total))]
        else:
            made = [{member: i} for i in ids]
        entries = kept[key] = [Attributes(entry) for entry in made]
    return list(entries)


def _metadata(properties: Mapping[str, Any], columns: list[str]) -> dict[str, str]:
    """The asked columns an item's PutItems properties hold (``GENRES`` finds ``genres``)."""
    plain = {key.replace("_", "").lower(): value for key, value in properties.items()}
    found: dict[str, str] = {}
    for column in columns:
        value = properties.get(column, plain.get(column.replace("_", "").lower()))
        if value is not None:
            found[column] = value if isinstance(value, str) else str(value)
    return found


def _recommendation_id(request: Request) -> str:
    return f"RID-{request.account.new_uuid()}"


def get_recommendations(request: Request) -> Body:
    params = request.params
    if (params.get("campaignArn") is None) == (params.get("recommenderArn") is None):
        raise invalid(CAMPAIGN, "Specify exactly one of campaignArn and recommenderArn.")
    user, item = params.get("userId"), params.get("itemId")
    if params.get("recommenderArn") is not None:
        target = _recommender(request, params["recommenderArn"])
        use = use_case(target.recipe)
        if use is not None and use.needs_user and user is None:
            raise invalid(RECOMMENDER, f"userId is required by {recipe_name(target.recipe)}.")
        if use is not None and use.needs_item and item is None:
            raise invalid(RECOMMENDER, f"itemId is required by {recipe_name(target.recipe)}.")
    else:
        target = _campaign(request, params["campaignArn"])
        _check_campaign_input(target, user, item)
    columns = _metadata_columns(target, params)
    count = params.get("numResults", ranking.DEFAULT_RESULTS)
    _limit(count, "numResults", MAX_RESULTS if columns is None else MAX_WITH_METADATA)
    chosen = _filter(request, params.get("filterArn"), params.get("filterValues"), "ItemID")
    promotion = (params.get("promotions") or [None])[0]
    promoting = None
    if promotion is not None:
        promoting = _filter(
            request, promotion.get("filterArn"), promotion.get("filterValues"), "ItemID"
        )
    seed = "|".join((target.model, user or "", item or ""))
    candidates = _candidates(request, target, ITEMS)
    first = target.resource.extra(ServingExtra).recommendations
    if chosen is None and promotion is None:
        top = candidates.top(seed, count, first, item)
        return {
            "itemList": _answer(
                request, target, candidates, top, candidates.count(first, item), columns
            ),
            "recommendationId": _recommendation_id(request),
        }
    ranked = candidates.top(seed, None, first, item)
    passing = _narrowed(request, target, chosen, ranked, user, item)
    if promotion is None:
        return {
            "itemList": _answer(
                request, target, candidates, passing[:count], len(passing), columns
            ),
            "recommendationId": _recommendation_id(request),
        }
    share = min(count, len(ranked)) * promotion.get("percentPromotedItems", 0) // 100
    promotable = _narrowed(request, target, promoting, ranked, user, item)
    regular, promoted = _promote(passing, promotable, count, share)
    answer = [*regular, *promoted]
    listed = set(answer)
    total = len(answer) + sum(1 for i in passing if i not in listed)
    items = _answer(request, target, candidates, answer, total, columns)
    name = promotion.get("name")
    if name is not None:
        items[len(regular) :] = [
            {**entry, "promotionName": name} for entry in items[len(regular) :]
        ]
    return {"itemList": items, "recommendationId": _recommendation_id(request)}


def _promote(
    passing: list[str], promotable: list[str], count: int, share: int
) -> tuple[list[str], list[str]]:
    """The regular and the promoted ids of an answer of at most ``count`` ids.

    The request filter narrows only the regular ids and the promotion filter only the
    ``share`` promoted ones (docs); when too few ids can be promoted, regular ones fill in.
    Promoted ids come last, each group in ranking order.
    """
    regular = passing[: count - share]
    promoted = [i for i in promotable if i not in regular][:share]
    room = count - len(regular) - len(promoted)
    regular += [i for i in passing if i not in regular and i not in promoted][:room]
    return regular, promoted


def _check_campaign_input(target: Target, user: str | None, item: str | None) -> None:
    kind = target.kind
    if kind == "PERSONALIZED_RANKING":
        raise invalid(CAMPAIGN, "Use GetPersonalizedRanking with a PERSONALIZED_RANKING campaign.")
    if kind == "PERSONALIZED_ACTIONS":
        raise invalid(
            CAMPAIGN, "Use GetActionRecommendations with a PERSONALIZED_ACTIONS campaign."
        )
    if kind == "RELATED_ITEMS" and item is None:
        raise invalid(CAMPAIGN, "itemId is required for a RELATED_ITEMS campaign.")
    if kind in ("USER_PERSONALIZATION", "POPULAR_ITEMS") and user is None:
        raise invalid(CAMPAIGN, "userId is required for this campaign.")


def get_personalized_ranking(request: Request) -> Body:
    params = request.params
    target = _campaign(request, params["campaignArn"])
    if target.kind != "PERSONALIZED_RANKING":
        raise invalid(
            CAMPAIGN,
            f"The campaign {target.resource.arn} does not deploy a PERSONALIZED_RANKING recipe; "
            "use GetRecommendations.",
        )
    columns = _metadata_columns(target, params)
    inputs = list(dict.fromkeys(params["inputList"]))
    _limit(
        len(params["inputList"]), "inputList", MAX_RESULTS if columns is None else MAX_WITH_METADATA
    )
    user = params["userId"]
    chosen = _filter(request, params.get("filterArn"), params.get("filterValues"), "ItemID")
    first: list[str] = []
    rest = inputs
    chosen_first = target.resource.extra(ServingExtra).recommendations
    if chosen_first:
        asked = set(inputs)
        first = [i for i in chosen_first if i in asked]
        placed = set(first)
        rest = [i for i in inputs if i not in placed]
    candidates = _candidates(request, target, ITEMS)
    known = candidates.known_set
    seed = f"{target.model}|{user}"
    if known:
        ranked = [*first, *candidates.order(seed, [i for i in rest if i in known])]
        ranked += [i for i in rest if i not in known]
    else:
        ranked = [*first, *candidates.order(seed, rest)]
    ranked = _narrowed(request, target, chosen, ranked, user)
    answer = _answer(request, target, candidates, ranked, len(ranked), columns)
    return {"personalizedRanking": answer, "recommendationId": _recommendation_id(request)}


def get_action_recommendations(request: Request) -> Body:
    params = request.params
    if params.get("campaignArn") is None:
        raise invalid(CAMPAIGN, "campaignArn is required.")
    target = _campaign(request, params["campaignArn"])
    if target.kind != "PERSONALIZED_ACTIONS":
        raise invalid(
            CAMPAIGN,
            f"The campaign {target.resource.arn} does not deploy a PERSONALIZED_ACTIONS recipe.",
        )
    if params.get("userId") is None:
        raise invalid(CAMPAIGN, "userId is required for action recommendations.")
    count = params.get("numResults", DEFAULT_ACTIONS)
    _limit(count, "numResults", MAX_ACTIONS)
    user = params["userId"]
    chosen = _filter(request, params.get("filterArn"), params.get("filterValues"), "ActionID")
    candidates = _candidates(request, target, ACTIONS)
    first = target.resource.extra(ServingExtra).recommendations
    seed = f"{target.model}|{user}"
    if chosen is None:
        top, total = candidates.top(seed, count, first), candidates.count(first)
    else:
        ranked = candidates.top(seed, None, first)
        ranked = _narrowed(request, target, chosen, ranked, user, element="ActionID")
        top, total = ranked[:count], len(ranked)
    actions = _entries(candidates, "actionId", top, total, scored=True)
    return {"actionList": actions, "recommendationId": _recommendation_id(request)}


SERVICE = Service(
    PERSONALIZE_RUNTIME,
    DIALECT,
    (),
    {
        "GetRecommendations": Served(get_recommendations),
        "GetPersonalizedRanking": Served(get_personalized_ranking),
        "GetActionRecommendations": Served(get_action_recommendations),
    },
)


def set_recommendations(account: Account, arn: str, items: list[str]) -> None:
    """Make the campaign or recommender ``arn`` recommend ``items`` first, in this order;
    UsageError when the account has no campaign or recommender of that ARN."""
    for rtype in (CAMPAIGN, RECOMMENDER):
        target = account.store.get(rtype.kind, arn)
        if target is not None:
            target.extra(ServingExtra).recommendations = list(items)
            return
    raise UsageError(
        f"set_recommendations(): {arn!r} is no campaign or recommender of this fake account"
    )

"""A suggestion and what the samples say as a whole, and how both are made.

`Suggestion` is what the suggester returns per target; `Context` the object
type, option paths and paths of the samples. The helpers build a
suggestion from a raw score (calibrated), an abstention, and apply the
abstention threshold.
"""

from dataclasses import dataclass

from ..calibration import probability
from ..schemas import FieldSpec
from .values import Profile


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    transforms: list
    confidence: float  # calibrated: the chance this is right (calibration.py)
    reason: str
    alternatives: tuple[tuple[str, float], ...] = ()
    score: float = 0.0  # the raw score the confidence was read from
    abstained: bool = False  # a candidate existed but scored under the threshold

    def as_spec(self) -> dict:
        return {
            "target": self.target,
            "source": self.source,
            "transforms": self.transforms,
            "default": None,
            "condition": None,
            "required": False,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Context:
    """What the samples say as a whole: the object type, the option paths."""

    object_type: str = ""
    option_paths: tuple[str, ...] = ()
    paths: frozenset[str] = frozenset()


# The Stripe object a canonical source of each entity comes from.
ENTITY_OBJECTS = {
    "customer": "customer",
    "sales_order": "charge",
    "payment": "charge",
    "credit_note": "refund",
    "adjustment": "dispute",
    "invoice": "invoice",
    "journal": "payout",
}


def _context_of(
    samples: list[dict], profiles: dict[str, Profile], entity: str = ""
) -> Context:
    kinds = {s.get("object") for s in samples if isinstance(s, dict)}
    kinds.discard(None)
    object_type = str(next(iter(kinds))) if len(kinds) == 1 else ""
    object_type = object_type or ENTITY_OBJECTS.get(entity, "")
    options = tuple(
        path
        for path, profile in profiles.items()
        if path.startswith("options.") and profile.kind not in ("object", "list")
    )
    return Context(
        object_type=object_type, option_paths=options, paths=frozenset(profiles)
    )


def _suggest(
    spec: FieldSpec,
    source: str,
    transforms: list,
    score: float,
    reason: str,
    alternatives: tuple = (),
) -> Suggestion:
    return Suggestion(
        target=spec.name,
        source=source,
        transforms=transforms,
        confidence=probability(score),
        reason=reason,
        alternatives=alternatives,
        score=score,
    )


def _abstain(spec: FieldSpec, reason: str, score: float = 0.0) -> Suggestion:
    return Suggestion(spec.name, "", [], 0.0, reason, score=score, abstained=True)


def _abstain_for(item: Suggestion, reason: str) -> Suggestion:
    return Suggestion(
        item.target, "", [], 0.0, reason, score=item.score, abstained=True
    )


def apply_threshold(item: Suggestion, threshold: float) -> Suggestion:
    """Abstain from a suggestion whose calibrated confidence is under the threshold."""
    if item.abstained or (not item.source and not item.transforms):
        return item
    if item.confidence >= threshold:
        return item
    return Suggestion(
        item.target,
        "",
        [],
        item.confidence,
        f"abstained: best guess {item.source or 'a constant'} is "
        f"{round(item.confidence * 100)}% likely, under the "
        f"{round(threshold * 100)}% threshold",
        item.alternatives,
        item.score,
        abstained=True,
    )

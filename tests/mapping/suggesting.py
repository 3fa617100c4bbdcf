"""What the suggester's rule tests share: a field as a vendor gives it, and
what the suggester makes of it on the Stripe samples (tests/mapping/conftest.py).
"""

from mapping.suggest import field_specs_from_dicts, suggest_mapping


def suggest(objects, *fields, threshold=0.0):
    """The suggestions for `fields`, by target.

    With no cut (threshold 0.0) a no-source assertion checks the rule that
    abstains, not the threshold; a source assertion then checks only the best
    guess, so a test of what a user is shown passes threshold=None (the
    calibrated cut).
    """
    specs = field_specs_from_dicts(fields)
    return {
        s.target: s
        for s in suggest_mapping(
            target_fields=specs, samples=objects, threshold=threshold
        )
    }


def assert_no_source(item):
    assert item.abstained and not item.source and item.transforms == [], item


def lookup(item):
    steps = item.transforms
    assert steps and steps[0]["name"] == "lookup", item
    return steps[0]["params"]["table"]


def described(name, kind, description=""):
    """A field as a model or an SDK gives it: a name, a type, a few words."""
    return {"name": name, "type": kind, "description": description}


def sourced(samples, object_type, field, threshold=0.0):
    """What `field` alone is suggested on a Stripe `object_type`."""
    return suggest(samples[object_type], field, threshold=threshold)[field["name"]]


def none_while_near(samples, object_type, caught, near, source):
    """`caught` alone has no source on `object_type`; `near` takes `source`."""
    assert_no_source(sourced(samples, object_type, caught))
    assert sourced(samples, object_type, near).source == source

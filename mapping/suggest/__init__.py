"""Mapping suggestions: for each ERP target field, the likeliest source and transform.

Nothing here is learned from downloads. A target is first read for what it
is: a single allowed value (a constant), a reference to another record (a
customer, an invoice, a currency or country record: resolved through the
`lookup` transform and the integration's id maps), a first or last name
(split from the full name), an enumeration (a value map from the samples'
values), a setting the integration fills (an option, or an abstention).
Any other target ranks the sample paths on four signals, each explainable
in the one-line reason shown to the admin: name similarity (names.py),
value profiling (values.py), type and length fit (which picks the
transform), and what admins kept or replaced before. The raw score becomes
a calibrated probability (calibration.py) and a suggestion under the
abstention threshold abstains.

suggester.py runs every target (target.py) and then the passes across
targets (passes.py); the other modules hold the rules they call.
"""

from .fields import field_specs_from_dicts
from .suggester import suggest_mapping
from .suggestion import Suggestion, apply_threshold

__all__ = [
    "Suggestion",
    "apply_threshold",
    "field_specs_from_dicts",
    "suggest_mapping",
]

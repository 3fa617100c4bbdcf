"""Default mapping templates: canonical records → the ERP payload contract.

Each ERP package holds its own (integrations/erps/<kind>/templates.py). Every
new integration gets a copy of its ERP's templates
(services.mapping_defaults_install) and `payload_build` falls back to them
when an integration has no stored set.
"""

from typing import Any

from integrations.erps.registry import erp_package


def template_for(*, erp: str, entity: str) -> list[dict]:
    return erp_package(erp).templates[entity]


def default_options(*, erp: str) -> dict[str, Any]:
    """The Integration.options defaults of an ERP kind, used under the
    integration's own options so a key it does not set has the documented value.
    """
    return dict(erp_package(erp).default_options)

"""What the guided setup (onboarding/) reads from an ERP, in canonical terms.

Each ERP package answers with these through its `setup_lists` module, so the
setup pages never see a vendor field name.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErpProfile:
    """The company a logon reached: shown so the admin sees it is the right one."""

    company: str
    company_id: str = ""
    currency: str = ""  # ISO code of the company's local currency
    version: str = ""


@dataclass(frozen=True)
class SetupChoice:
    code: str
    description: str = ""


@dataclass(frozen=True)
class OptionSpec:
    """One integration option the setup asks for (a key of Integration.options,
    `gl.<name>` for a GL account) and the longest code the ERP field takes."""

    key: str
    label: str
    max_length: int
    help_text: str = ""
    choices: tuple[SetupChoice, ...] = field(default=())

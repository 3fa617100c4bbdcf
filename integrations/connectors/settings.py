"""The settings a kind of connection needs, as the admin asks for them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingField:
    """One setting a connection of the kind needs; secrets are stored encrypted
    in `Connection.secrets`, the others in `Connection.config`."""

    name: str
    label: str
    secret: bool = False
    help_text: str = ""

"""Create `.env` on first run with freshly generated secrets.

Run before Django starts (`python -m portal.envfile`), so it imports nothing
from the project's settings.
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def ensure(path: Path = ROOT / ".env") -> bool:
    if path.exists():
        return False
    template = (ROOT / ".env.example").read_text()
    lines = []
    for line in template.splitlines():
        if line.startswith("DJANGO_SECRET_KEY="):
            line = f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}"
        elif line.startswith("FIELD_ENCRYPTION_KEYS="):
            line = f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}"
        elif line.startswith("METRICS_TOKEN="):
            line = f"METRICS_TOKEN={secrets.token_urlsafe(32)}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    if ensure():
        print("Created .env with a new secret key and encryption key.", file=sys.stderr)

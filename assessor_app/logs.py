"""A rotating log file in the data folder; noisy libraries turned down."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_HANDLER_NAME = "assessor-log-file"


def configure(log_file: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to `log_file`; returns it, or None if it cannot be written."""
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("sqlalchemy", "alembic", "PIL", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log_file

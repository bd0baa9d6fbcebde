"""The JSON Schema of the analysis format (``redline/analysis@1``), shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def analysis_schema() -> dict[str, Any]:
    return json.loads(
        resources.files("redline.schema").joinpath("analysis.schema.json").read_text("utf-8")
    )

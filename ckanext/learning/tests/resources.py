"""A complete learning resource, the one the tests of every capability start from."""
from __future__ import annotations

from typing import Any

TYPE = "learning-resource"


def learning_resource(org: dict[str, Any], name: str = "forest-patrol-handbook",
                      **overrides: Any) -> dict[str, Any]:
    """A bilingual toolkit of ``org`` with what the schema requires;
    ``overrides`` replace or add fields."""
    data = {
        "type": TYPE,
        "name": name,
        "owner_org": org["id"],
        "title_translated": {"en": "Community forest patrol handbook",
                             "km": "សៀវភៅណែនាំការល្បាតព្រៃសហគមន៍"},
        "notes_translated": {"en": "How committees organise patrols.",
                             "km": "របៀបដែលគណៈកម្មការរៀបចំការល្បាតព្រៃឈើ។"},
        "resource_type": "toolkit",
        "themes": ["environment-nrm"],
        "language": ["km", "en"],
    }
    data.update(overrides)
    return data

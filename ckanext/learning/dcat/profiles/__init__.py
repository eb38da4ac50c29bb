"""Our ckanext-dcat profiles, one per file (registered in pyproject.toml)."""
from .learning_dcat_ap import LearningDCATAPProfile
from .learning_schemaorg import LearningSchemaOrgProfile

__all__ = ["LearningDCATAPProfile", "LearningSchemaOrgProfile"]

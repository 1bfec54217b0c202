"""Imports every domain's models so metadata (Alembic, tests) sees all tables."""

from tastemaker.account import models as account_models
from tastemaker.brandsafety import models as brandsafety_models
from tastemaker.campaign import models as campaign_models
from tastemaker.creator import models as creator_models
from tastemaker.discovery import models as discovery_models
from tastemaker.imports import models as imports_models
from tastemaker.kit.db import Base
from tastemaker.vetting import models as vetting_models
from tastemaker.workspace import models as workspace_models

__all__ = [
    "Base",
    "account_models",
    "brandsafety_models",
    "campaign_models",
    "creator_models",
    "discovery_models",
    "imports_models",
    "vetting_models",
    "workspace_models",
]

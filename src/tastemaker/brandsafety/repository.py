"""Every query of brand-safety scans, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import joinedload, undefer

from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.kit.ids import is_valid_id
from tastemaker.kit.repository import WorkspaceRepository


class BrandSafetyScanRepository(WorkspaceRepository[BrandSafetyScan]):
    model = BrandSafetyScan

    def with_evidence(self, scan_id: int) -> BrandSafetyScan | None:
        """One scan with its account and its findings loaded."""
        if not is_valid_id(scan_id):
            return None
        return self.session.scalars(
            self.select()
            .where(BrandSafetyScan.id == scan_id)
            .options(joinedload(BrandSafetyScan.account), undefer(BrandSafetyScan.findings))
        ).first()

    def for_account(self, account_id: int, limit: int) -> Sequence[BrandSafetyScan]:
        """Newest first; the id breaks ties between scans saved in the same instant."""
        return self.session.scalars(
            self.select()
            .where(BrandSafetyScan.account_id == account_id)
            .options(joinedload(BrandSafetyScan.account))
            .order_by(BrandSafetyScan.created_at.desc(), BrandSafetyScan.id.desc())
            .limit(limit)
        ).all()

"""Every query of brand-safety scans, scoped to one workspace."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, undefer

from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.kit.repository import AccountReportRepository


class BrandSafetyScanRepository(AccountReportRepository[BrandSafetyScan]):
    model = BrandSafetyScan

    def with_evidence(self, scan_id: int) -> BrandSafetyScan:
        """One scan with its account and its findings loaded; NotFound otherwise."""
        return self.get_or_404(
            scan_id,
            "brand-safety scan",
            options=(joinedload(BrandSafetyScan.account), undefer(BrandSafetyScan.findings)),
        )

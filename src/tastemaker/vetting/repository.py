"""Every query of audience checks, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.orm import joinedload, undefer

from tastemaker.kit.repository import AccountReportRepository
from tastemaker.vetting.models import AudienceCheck


class AudienceCheckRepository(AccountReportRepository[AudienceCheck]):
    model = AudienceCheck

    def with_evidence(self, check_id: int) -> AudienceCheck:
        """One check with its account and its flagged followers loaded; NotFound otherwise."""
        return self.get_or_404(
            check_id,
            "audience check",
            options=(
                joinedload(AudienceCheck.account),
                undefer(AudienceCheck.flagged_followers),
            ),
        )

    def latest_for(self, account_ids: Sequence[int]) -> dict[int, AudienceCheck]:
        """The newest check of each account, in one statement whatever the number of
        accounts: a window ranks each account's checks and the first of each is kept."""
        if not account_ids:
            return {}
        ranked = (
            self.select(
                AudienceCheck.id,
                func.row_number()
                .over(
                    partition_by=AudienceCheck.account_id,
                    order_by=(AudienceCheck.created_at.desc(), AudienceCheck.id.desc()),
                )
                .label("rank"),
            )
            .where(AudienceCheck.account_id.in_(account_ids))
            .subquery()
        )
        checks = self.session.scalars(
            self.select().join(ranked, ranked.c.id == AudienceCheck.id).where(ranked.c.rank == 1)
        )
        return {check.account_id: check for check in checks}

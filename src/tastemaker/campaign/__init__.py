"""Campaigns: objective, audience, budget, KPIs, status, and the roster of creators."""

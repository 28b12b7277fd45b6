"""The shared track reads: the tracks still offered, and every track for filters of old records."""

from __future__ import annotations

from traincenter.services import catalog


def test_active_tracks_leave_retired_ones_out_and_keep_the_display_order(make):
    second = make.track(name="养老护理", sort_order=2)
    first = make.track(name="育婴师", sort_order=1)
    retired = make.track(name="旧工种", sort_order=0, is_active=False)
    assert catalog.active_tracks() == [first, second]
    assert catalog.all_tracks() == [retired, first, second]

"""Reports routes: the annual report is for staff and administrators only."""

from . import STAFF

EXPECTED = {
    "reports.index": STAFF,
    "reports.annual": STAFF,
    "reports.chart": STAFF,
    "reports.download": STAFF,
    "reports.roster": STAFF,
    "reports.finalise": STAFF,
    "reports.save_narrative": STAFF,
    "reports.recount": STAFF,
}

ARGS = {
    "year": lambda world: world["year"],
    "chart": lambda world: "funnel",
    "fmt": lambda world: "json",
}

"""The annual report's figures: the aggregate SQL of ``reports.aggregates``, shaped with pandas.

No Flask here: every function takes a SQLAlchemy ``Session``. ``annual_figures(session, year,
as_of)`` runs the aggregates for the year and the year before and returns a plain, JSON-ready
dict — the only input of the charts, the exports and the snapshot. Rates come from
``traincenter.rules``. Coded values (gender, education …) stay as codes; the views and exporters
label them in the reader's language. What each figure counts is written in
``reports.definitions`` and decided by ``rules.report``.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import rules
from ..models import Track
from .aggregates import statements

SCORE_BINS = tuple(range(0, 101, 10))  # 0–9.9, 10–19.9 … 90–100
SCORE_BIN_LABELS = tuple(f"{low}-{low + 9}" if low < 90 else "90-100" for low in SCORE_BINS[:-1])
HEADLINE_KEYS = (
    "trained", "completed", "in_training", "stopped", "hours_taught", "trainee_hours",
    "hours_self_study", "exam_takers", "first_attempt_passed", "first_attempt_pass_rate",
    "final_passed", "final_pass_rate", "retrained", "reexam_takers", "reexam_passed",
    "reexam_pass_rate", "passed_in_year", "certified", "health_certificates", "placed",
    "placement_rate", "contracts_registered", "feedback_count", "average_rating",
    "satisfaction_rate",
)
RATE_KEYS = frozenset({"first_attempt_pass_rate", "final_pass_rate", "reexam_pass_rate",
                       "placement_rate", "satisfaction_rate"})
HOUR_KEYS = frozenset({"hours_taught", "trainee_hours", "hours_self_study"})
FIGURES_VERSION = 2  # 2: first sittings, the 结业/在训/中止 split, three hour figures, the as-of cut
BREAKDOWNS = ("by_level", "by_provider", "by_gender", "by_age_band", "by_education", "by_origin")


def age_reference_on(year: int) -> date:
    """Ages are counted on the last day of the report year."""
    return date(year, 12, 31)


def run(session: Session, named: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Execute each statement and return its rows as a DataFrame (columns from the labels)."""
    frames = {}
    for name, statement in named.items():
        result = session.execute(statement)
        frames[name] = pd.DataFrame(result.all(), columns=list(result.keys()))
    return frames


def tracks(session: Session) -> pd.DataFrame:
    """Every track (id, name, order) — a short list."""
    result = session.execute(select(Track.id.label("track_id"), Track.name.label("track"),
                                    Track.sort_order.label("sort_order"), Track.code.label("code")))
    return pd.DataFrame(result.all(), columns=list(result.keys()))


# ---------------------------------------------------------------------------------------------
# Shaping
# ---------------------------------------------------------------------------------------------


def _scalar(frame: pd.DataFrame, default: float = 0) -> float:
    if frame.empty:
        return default
    value = frame.iloc[0, -1]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return value


def _int(frame: pd.DataFrame) -> int:
    return int(_scalar(frame))


def _hours(frame: pd.DataFrame) -> float:
    return round(float(_scalar(frame)), 1)


def _round_rate(value: float | None) -> float | None:
    """Rates keep 6 decimals so SQLite and PostgreSQL give byte-identical JSON."""
    return None if value is None else round(value, 6)


def _value_breakdown(frame: pd.DataFrame, order: tuple) -> list[dict]:
    """Counts per coded value, in the rules module's order, every value listed (0 when none)."""
    counts = dict(zip(frame["key"], frame["trained"], strict=True)) if not frame.empty else {}
    known = [{"key": key, "trained": int(counts.pop(key, 0))} for key in order]
    extra = [{"key": key, "trained": int(value)} for key, value in sorted(counts.items(), key=str)]
    return known + extra


def _age_bands(frame: pd.DataFrame, on: date) -> list[dict]:
    """Trainees per age band: the rule is applied once per distinct birth date, summed in pandas."""
    if frame.empty:
        totals = {}
    else:
        bands = frame["birth_on"].map(lambda born: rules.age_band(pd.Timestamp(born).date(), on))
        totals = frame.groupby(bands)["trained"].sum().to_dict()
    return [{"key": band, "trained": int(totals.get(band, 0))} for band in rules.AGE_BANDS]


def _histogram(frame: pd.DataFrame) -> list[dict]:
    """Scores grouped by value in SQL, binned by tens here (100 falls in the last bin)."""
    counts = [0] * len(SCORE_BIN_LABELS)
    if not frame.empty:
        scores = frame["score"].astype(float)
        bins = (scores // 10).clip(upper=len(SCORE_BIN_LABELS) - 1).astype(int)
        for index, total in frame.groupby(bins)["n"].sum().items():
            counts[int(index)] = int(total)
    return [{"bin": label, "count": count} for label, count in zip(SCORE_BIN_LABELS, counts, strict=True)]


def _marks(frame: pd.DataFrame) -> list[float]:
    """The distinct pass marks of the exams whose scores are in ``frame`` (usually one)."""
    if frame.empty:
        return []
    return sorted({float(mark) for mark in frame["mark"]})


def _satisfaction(frame: pd.DataFrame) -> tuple[int, float | None, float | None]:
    """(feedback count, average rating, satisfaction rate) from ratings counted per value."""
    if frame.empty:
        return 0, None, None
    ratings: list[int] = []
    for rating, count in zip(frame["rating"], frame["n"], strict=True):
        ratings.extend([int(rating)] * int(count))  # at most one entry per rating value 1–5
    average = rules.average(ratings)
    return len(ratings), (None if average is None else round(average, 4)), _round_rate(
        rules.satisfaction_rate(ratings))


def _statuses(frame: pd.DataFrame) -> dict[str, int]:
    """Trainees per status (结业 / 在训 / 中止·退学): each trainee once, with her best status."""
    counts = dict.fromkeys(rules.TRAINING_STATUSES, 0)
    if not frame.empty:
        for rank, n in frame.groupby("trainee_id")["rank"].min().value_counts().items():
            counts[rules.TRAINING_STATUSES[int(rank)]] += int(n)
    return counts


def _keyed(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, int]:
    """Counts per key (every key listed, 0 when none)."""
    counts = dict.fromkeys(keys, 0)
    for key, n in zip(frame.get("key", []), frame.get("n", []), strict=True):
        counts[str(key)] = counts.get(str(key), 0) + int(n)
    return counts


def _track_statuses(frame: pd.DataFrame) -> pd.DataFrame:
    """Per track: trained and the three statuses as columns (one row per trainee and track in)."""
    columns = ["track_id", "trained", *rules.TRAINING_STATUSES]
    if frame.empty:
        return pd.DataFrame({name: pd.Series(dtype="int64") for name in columns})
    frame = frame.assign(status=frame["rank"].astype(int).map(lambda rank: rules.TRAINING_STATUSES[rank]))
    wide = frame.pivot_table(index="track_id", columns="status", values="trainee_id", aggfunc="count",
                             fill_value=0)
    wide = wide.reindex(columns=list(rules.TRAINING_STATUSES), fill_value=0).reset_index()
    wide["trained"] = wide[list(rules.TRAINING_STATUSES)].sum(axis=1)
    return wide[columns]


SITTING_COUNTS = (("exam_takers", None), ("first_attempt_passed", "passed"),
                  ("final_passed", "passed_in_the_end"))


def _sitting_counts(frame: pd.DataFrame, by_track: bool) -> pd.DataFrame:
    """Different trainees among the first sittings: takers, passed at the first, passed by as-of."""
    keys = ["track_id"] if by_track else []
    columns = {}
    for name, condition in SITTING_COUNTS:
        rows = frame if condition is None else frame[frame[condition].astype(int) == 1]
        if by_track:
            columns[name] = rows.groupby("track_id")["trainee_id"].nunique()
        else:
            columns[name] = pd.Series([rows["trainee_id"].nunique()])
    counts = pd.DataFrame(columns).fillna(0).astype("int64")
    return counts.rename_axis(keys[0]).reset_index() if by_track else counts


def _by_track(frames: dict[str, pd.DataFrame], track_frame: pd.DataFrame) -> list[dict]:
    """Per track: trained (by status), takers, passes, rates, certified, placed (tracks with data)."""
    merged = track_frame.copy().merge(_track_statuses(frames["trained_status"]),
                                      on="track_id", how="left")
    for frame in (_sitting_counts(frames["first_sittings"], by_track=True), frames["certified_by_track"],
                  frames["placed_by_track"]):
        if frame.empty:
            frame = pd.DataFrame({column: pd.Series(dtype="int64") for column in frame.columns})
        merged = merged.merge(frame, on="track_id", how="left")
    counts = ["trained", *rules.TRAINING_STATUSES, "exam_takers", "first_attempt_passed",
              "final_passed", "certified", "placed"]
    merged[counts] = merged[counts].fillna(0).astype("int64")
    merged = merged[(merged[counts] > 0).any(axis=1)].sort_values(["sort_order", "track"])
    rows = []
    for record in merged.to_dict("records"):
        takers = int(record["exam_takers"])
        rows.append({
            "track": str(record["track"]),
            "code": str(record["code"]),
            **{key: int(record[key]) for key in counts},
            "first_attempt_pass_rate": _round_rate(rules.pass_rate(int(record["first_attempt_passed"]), takers)),
            "final_pass_rate": _round_rate(rules.pass_rate(int(record["final_passed"]), takers)),
            "placement_rate": _round_rate(rules.placement_rate(int(record["placed"]), int(record["certified"]))),
        })
    return rows


def _reconciliation(passes: dict[str, int], origins: dict[str, int]) -> list[dict]:
    """Why 发证数 differs from the year's passes: one line per reason (``rules.reconcile_certificates``)."""
    return [{"key": line.key, "count": line.count, "sign": line.sign}
            for line in rules.reconcile_certificates(passes, origins)]


def shape(year: int, frames: dict[str, pd.DataFrame], track_frame: pd.DataFrame) -> dict:
    """One year's figures from its query results."""
    statuses = _statuses(frames["trained_status"])
    sittings = _sitting_counts(frames["first_sittings"], by_track=False)
    takers, first_passed, final_passed = (int(sittings[name].iloc[0]) for name, _ in SITTING_COUNTS)
    reexams = frames["reexams"]
    reexam_takers, reexam_passed = (int(reexams[column].iloc[0]) if not reexams.empty else 0
                                    for column in ("reexam_takers", "reexam_passed"))
    passes = _keyed(frames["pass_outcomes"], rules.PASS_OUTCOMES)
    origins = _keyed(frames["certificate_origins"], rules.CERT_ORIGINS)
    certified = sum(origins.values())
    placed = _int(frames["placed"])
    feedback_count, average_rating, satisfaction = _satisfaction(frames["ratings"])
    classes = _keyed(frames["classes"].rename(columns={"kind": "key"}), ("regular", "retraining"))
    taught = frames["hours_taught"]
    on = age_reference_on(year)
    month_counts = dict(zip(frames["by_month"]["month"].astype(int), frames["by_month"]["trainees"],
                            strict=True)) if not frames["by_month"].empty else {}
    provider = frames["by_provider"].sort_values(["provider_kind", "provider_name"])
    return {
        "year": year,
        "trained": sum(statuses.values()),
        **statuses,
        "classes": classes["regular"],
        "retraining_classes": classes["retraining"],
        "sessions_held": int(taught["sessions"].iloc[0]) if not taught.empty else 0,
        "hours_taught": _hours(taught[["hours"]]),
        "trainee_hours": _hours(frames["trainee_hours"]),
        "hours_self_study": _hours(frames["hours_self_study"]),
        "exam_takers": takers,
        "first_attempt_passed": first_passed,
        "first_attempt_pass_rate": _round_rate(rules.pass_rate(first_passed, takers)),
        "final_passed": final_passed,
        "final_pass_rate": _round_rate(rules.pass_rate(final_passed, takers)),
        "retrained": _int(frames["retrained"]),
        "reexam_takers": reexam_takers,
        "reexam_passed": reexam_passed,
        "reexam_pass_rate": _round_rate(rules.pass_rate(reexam_passed, reexam_takers)),
        "passed_in_year": sum(passes.values()),
        "certified": certified,
        "certificate_reconciliation": _reconciliation(passes, origins),
        "health_certificates": _int(frames["health_certificates"]),
        "placed": placed,
        "placement_rate": _round_rate(rules.placement_rate(placed, certified)),
        "contracts_registered": _int(frames["contracts_registered"]),
        "feedback_count": feedback_count,
        "average_rating": average_rating,
        "satisfaction_rate": satisfaction,
        "by_track": _by_track(frames, track_frame),
        "by_level": [{"key": int(row["key"]), "trained": int(row["trained"])}
                     for row in frames["by_level"].sort_values("key", ascending=False).to_dict("records")],
        "by_provider": [{"provider_kind": str(row["provider_kind"]), "provider_name": str(row["provider_name"]),
                         "trained": int(row["trained"])} for row in provider.to_dict("records")],
        "by_gender": _value_breakdown(frames["by_gender"], ("F", "M")),
        "by_age_band": _age_bands(frames["by_birth_on"], on),
        "by_education": _value_breakdown(frames["by_education"], rules.EDUCATION_LEVELS),
        "by_origin": _value_breakdown(frames["by_origin"], rules.ORIGINS),
        "by_month": [{"month": month, "trainees": int(month_counts.get(month, 0))} for month in range(1, 13)],
        "score_distribution": {part: _histogram(frames[f"{part}_scores"]) for part in rules.PARTS},
        "pass_marks": {part: _marks(frames[f"{part}_scores"]) for part in rules.PARTS},
    }


def year_figures(session: Session, year: int, as_of: date, track_frame: pd.DataFrame | None = None) -> dict:
    """One year's figures (no comparison)."""
    if track_frame is None:
        track_frame = tracks(session)
    return shape(year, run(session, statements(year, as_of)), track_frame)


def compare(current: dict, previous: dict) -> dict[str, dict]:
    """Per headline figure: the change, and the relative change for counts and hours.

    A rate's change is in percentage points (``rules.percentage_points``).
    """
    changes = {}
    for key in HEADLINE_KEYS:
        now, before = current.get(key), previous.get(key)
        if key in RATE_KEYS:
            changes[key] = {"change": rules.percentage_points(now, before), "relative": None}
            continue
        difference = rules.change(now, before)
        relative = None
        if key != "average_rating" and difference is not None:
            relative = rules.rate(difference, before)
        changes[key] = {
            "change": None if difference is None else round(difference, 6),
            "relative": None if relative is None else round(relative, 6),
        }
    return changes


def annual_figures(session: Session, year: int, as_of: date | None = None) -> dict:
    """The whole report's data for ``year`` with the previous year beside it (JSON-ready).

    ``as_of`` is the report's as-of date: nothing dated after it counts (final pass rates count
    passes at exams held up to it; placements started up to it). The previous year is counted
    with the same definitions at the same as-of date.
    """
    as_of = as_of or date.today()
    track_frame = tracks(session)
    current = year_figures(session, year, as_of, track_frame)
    previous = year_figures(session, year - 1, as_of, track_frame)
    figures = dict(current)
    figures["figures_version"] = FIGURES_VERSION
    figures["as_of"] = as_of.isoformat()
    figures["age_reference_on"] = age_reference_on(year).isoformat()
    figures["previous_year"] = {"year": year - 1, **{key: previous[key] for key in HEADLINE_KEYS},
                                "by_track": previous["by_track"]}
    figures["changes"] = compare(current, previous)
    return figures

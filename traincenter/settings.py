"""The rule settings in force, read from the app config (defaults live in ``rules``)."""

from flask import current_app


def pass_marks() -> dict[str, float]:
    """Keyword arguments for ``rules.exam_passed`` / ``rules.combine_result``."""
    config = current_app.config
    return {
        "pass_mark_theory": config["PASS_MARK_THEORY"],
        "pass_mark_practical": config["PASS_MARK_PRACTICAL"],
    }


def attempt_settings() -> dict[str, float]:
    """Keyword arguments for ``rules.plan_next_attempt``."""
    config = current_app.config
    return {
        "limit": config["ATTEMPT_LIMIT"],
        "months": config["CARRY_OVER_MONTHS"],
        **pass_marks(),
    }


def health_warning_days() -> int:
    """Days before expiry when the status turns yellow."""
    return current_app.config["HEALTH_WARNING_DAYS"]

"""The domain rules of the training center: a pure package, one module per topic.

Nothing here imports Flask, SQLAlchemy or the rest of the app: every function takes plain values
(numbers, dates, strings) and returns plain values, so the rules can be tested directly and called
from views, operations, the CLI and the report alike. Settings (pass marks, carry-over window,
attempt limit …) are parameters whose defaults are the named constants of each module; the app's
``settings`` module supplies the values in force.

    scores        parsing a score, one part's verdict, an exam's verdict (PassMarks)
    hours         hour requirements, exam eligibility, attendance, self-study and session limits
    attempts      carry-over, the attempt limit and what the next exam covers
    ids           resident ID numbers (GB 11643)
    masking       names, ID numbers and phones on public pages
    people        education, origin, age bands, phone numbers
    duty          health certificates and the green / yellow / red status
    certificates  certificate numbers and verification codes
    rates         the report's rates
    report        the report's counting rules (trained, takers, placed, certificates) and prose
    fees          the course fee and its payers
    placement     employer types
    uploads       how big an upload may be
    dates         calendar arithmetic
"""

from .attempts import (
    ATTEMPT_LIMIT,
    CARRY_OVER_MONTHS,
    CARRY_OVER_WARNING_DAYS,
    AttemptPlan,
    CarriedPart,
    PartRecord,
    attempts_left,
    carry_over_lapses_soon,
    carry_over_valid,
    carry_over_valid_until,
    may_retake,
    plan_next_attempt,
)
from .certificates import (
    VERIFICATION_CODE_BYTES,
    certificate_number,
)
from .dates import (
    FIRST_YEAR,
    add_months,
    year_in_range,
)
from .duty import (
    GREEN,
    HEALTH_REMINDER_DAYS,
    HEALTH_VALIDITY_MONTHS,
    HEALTH_WARNING_DAYS,
    RED,
    YELLOW,
    DutyStatus,
    certificate_duty,
    duty_status,
    health_expiry_default,
    reminder_due,
)
from .fees import (
    DEFAULT_FEE,
    FEE_PAYERS,
    SUBSIDY_PAYER,
)
from .hours import (
    ATTENDANCE_STATUSES,
    CREDITED_ATTENDANCE,
    DEFAULT_LEVEL,
    LEVEL_STANDARD_HOURS,
    LEVELS,
    REQUIRED_CLASSROOM_HOURS,
    REQUIRED_SELF_STUDY_HOURS,
    REQUIRED_TOTAL_HOURS,
    SELF_STUDY_MAX_HOURS_PER_DAY,
    SESSION_MAX_HOURS,
    Eligibility,
    Shortfall,
    attendance_credits,
    eligibility,
    self_study_error,
    session_hours_error,
    standard_hours,
)
from .ids import (
    ID_CHECK_DIGITS,
    ID_WEIGHTS,
    IdNumber,
    IdNumberError,
    id_check_digit,
    make_id_number,
    parse_id_number,
)
from .masking import (
    COMPOUND_SURNAMES,
    mask_id_number,
    mask_name,
    mask_phone,
)
from .people import (
    AGE_BANDS,
    EDUCATION_LEVELS,
    GENDERS,
    ORIGINS,
    PHONE_PATTERN,
    age_band,
    age_on,
    is_valid_phone,
)
from .placement import (
    EMPLOYER_TYPES,
)
from .rates import (
    average,
    change,
    is_satisfied,
    pass_rate,
    placement_rate,
    rate,
    satisfaction_rate,
)
from .report import (
    BEFORE_CERTIFICATE,
    CERT_NOT_A_PASS,
    CERT_ORIGINS,
    CERT_PASSED_EARLIER,
    CERT_PASSED_SAME_YEAR,
    COMPLETED,
    IN_TRAINING,
    NARRATIVE_EXPECTED,
    NARRATIVE_MAX_CHARS,
    NARRATIVE_SECTIONS,
    NO_CERTIFICATE,
    PASS_CERTIFIED_EARLIER,
    PASS_CERTIFIED_LATER,
    PASS_CERTIFIED_SAME_YEAR,
    PASS_NOT_CERTIFIED,
    PASS_OUTCOMES,
    PASS_REVOKED,
    STOPPED,
    TRAINING_STATUSES,
    ReconciliationLine,
    Sitting,
    best_training_status,
    certificate_origin,
    clean_narrative,
    counts_as_placed,
    first_sitting,
    hours_complete,
    is_reexam_taker,
    narrative_paragraphs,
    narrative_too_long,
    part_was_sat,
    pass_outcome,
    passed_by,
    percentage_points,
    placement_start_error,
    reconcile_certificates,
    training_status,
)
from .scores import (
    ABSENT,
    ABSENT_WORDS,
    DEFAULT_PASS_MARKS,
    PARTS,
    PASS_MARK,
    SCORE_DECIMALS,
    SCORE_MAX,
    SCORE_MIN,
    PassMarks,
    ScoreError,
    combine_result,
    exam_passed,
    parse_score,
    part_is_complete,
    part_passed,
    pass_mark_error,
)
from .uploads import (
    MAX_IMPORT_ROWS,
    MAX_UPLOAD_MB,
    MAX_XLSX_UNCOMPRESSED_MB,
    MB,
    UploadLimits,
)

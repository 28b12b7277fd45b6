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
    duty          health certificates, background checks, insurance and the green / yellow / red
                  status
    certificates  certificate numbers and verification codes, the ID number on the certificate
    rates         the report's rates
    logins        login throttling: per-account lockout with growing delays, per-address cap
    report        the report's counting rules (trained, takers, placed, certificates) and prose
    fees          the course fee, its payers and an enrolment's fee account
    money         yuan and fen, and amounts in capital figures (大写)
    photos        photos users upload: limits, the passport photo's 3:4 crop
    placement     employer types
    uploads       how big an upload may be (sheets and photos)
    dates         calendar arithmetic, the Chinese way of writing a day
    names         how names are ordered: the pinyin sort key, surnames read as surnames
    applications  online applications: statuses, what blocks a new one, the checks against bots
    checkin       QR check-in: the rotating code, the session's window, lateness
"""

from .applications import (
    APPLICATION_STATUSES,
    APPLICATION_TRANSITIONS,
    APPLY_FORM_MAX_AGE_HOURS,
    APPLY_MAX_PER_ADDRESS_PER_DAY,
    APPLY_MIN_FILL_SECONDS,
    DECLINE_REASON_MAX,
    OPEN_APPLICATION_STATUSES,
    PREFERRED_START_MONTHS,
    address_limit_reached,
    blocks_new_application,
    filled_too_fast,
    form_too_old,
    may_move,
    preferred_start_choices,
    typed_number,
)
from .attempts import (
    ATTEMPT_LIMIT,
    CARRY_OVER_MONTHS,
    CARRY_OVER_WARNING_DAYS,
    STANDINGS,
    AttemptPlan,
    CarriedPart,
    PartRecord,
    attempts_left,
    carry_over_lapses_soon,
    carry_over_valid,
    carry_over_valid_until,
    exam_standing,
    may_retake,
    plan_next_attempt,
)
from .certificates import (
    CERTIFICATE_MASKS_ID_NUMBER,
    CERTIFICATE_STATUSES,
    VERIFICATION_CODE_BYTES,
    certificate_number,
    certificate_status,
)
from .checkin import (
    CHECKIN_CODE_DIGITS,
    CHECKIN_GRACE_STEPS,
    CHECKIN_LATE_AFTER_MINUTES,
    CHECKIN_MARGIN_MINUTES,
    CHECKIN_METHODS,
    CHECKIN_OLD_CODE_STEPS,
    CHECKIN_STEP_SECONDS,
    CHECKIN_TICKET_MINUTES,
    CODE_FRESH,
    CODE_OLD,
    CODE_WRONG,
    CheckinWindow,
    checkin_code,
    checkin_window,
    classify_code,
    normalise_code,
    seconds_left_in_step,
    ticket_valid,
    time_step,
)
from .dates import (
    FIRST_YEAR,
    add_months,
    chinese_date,
    year_in_range,
)
from .duty import (
    BACKGROUND_STATUSES,
    GREEN,
    HEALTH_REMINDER_DAYS,
    HEALTH_VALIDITY_MONTHS,
    HEALTH_WARNING_DAYS,
    INSURANCE_REMINDER_DAYS,
    INSURANCE_VALIDITY_MONTHS,
    RED,
    YELLOW,
    BackgroundOnFile,
    DutyStatus,
    InsuranceOnFile,
    background_finding,
    background_public_state,
    certificate_duty,
    duty_status,
    health_expiry_default,
    health_finding,
    insurance_expiry_default,
    insurance_finding,
    insurance_public_state,
    public_reason,
    reminder_due,
)
from .fees import (
    DEFAULT_FEE,
    FEE_ENTRY_KINDS,
    FEE_PAYERS,
    MONEY_KINDS,
    PAYMENT_METHODS,
    SUBSIDY_PAYER,
    FeeAccount,
    FeeLine,
    entry_credit,
    entry_error,
    fee_account,
    needs_reason,
    receipt_number,
    reversal_error,
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
from .logins import (
    CLASSROOM_SIZE,
    DEFAULT_LOGIN_THROTTLE,
    LOGIN_ADDRESS_MAX_FAILURES,
    LOGIN_ADDRESS_REQUESTS_PER_MINUTE,
    LOGIN_ADDRESS_WINDOW_MINUTES,
    LOGIN_FAILURE_MEMORY_HOURS,
    LOGIN_FREE_FAILURES,
    LOGIN_KEY_LENGTH,
    LOGIN_LOCK_FIRST_MINUTES,
    LOGIN_LOCK_GROWTH,
    LOGIN_LOCK_MAX_MINUTES,
    LoginThrottle,
    address_blocked,
    address_free_at,
    failures_remembered,
    lock_duration,
    locked_until,
    login_key,
    minutes_to_wait,
    tries_before_lock,
)
from .masking import (
    COMPOUND_SURNAMES,
    mask_id_number,
    mask_name,
    mask_phone,
)
from .money import (
    MAX_AMOUNT,
    amount_error,
    amount_in_words,
    format_yuan,
    from_fen,
    to_fen,
)
from .names import NAME_SORT_KEY_LENGTH, SURNAME_READINGS, name_pinyin, name_sort_key
from .people import (
    AGE_BANDS,
    EDUCATION_LEVELS,
    GENDERS,
    ORIGINS,
    PHONE_PATTERN,
    age_band,
    age_on,
    clean_name,
    is_valid_phone,
)
from .photos import (
    PHOTO_FORMATS,
    PHOTO_JPEG_QUALITY,
    PHOTO_MAX_PIXELS,
    PHOTO_MIN_SIZE,
    PHOTO_RATIO,
    PHOTO_SIZE,
    PORTRAIT_MAX_MB,
    WORK_PHOTO_MAX_MB,
    WORK_PHOTO_MAX_SIDE,
    ImageLimits,
    photo_crop_box,
    photo_size_error,
    trainee_may_replace_photo,
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
    scores_open,
)
from .uploads import (
    MAX_IMPORT_ROWS,
    MAX_UPLOAD_MB,
    MAX_XLSX_UNCOMPRESSED_MB,
    MB,
    UploadLimits,
)

"""The page gallery's parts: every GET page of the app with real ids, and the checks run in the page.

``pages(app, ids)`` walks ``app.url_map``: a route that is a file (by its suffix) or listed in
``NOT_PAGES`` is left out; every other route must be given its ids from ``ids`` (built from the
demo data by ``demo_ids``) — a new route with an argument nobody knows fails the gallery, so a new
page is either shown or named here with a reason.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import or_, select

from traincenter.extensions import db
from traincenter.models import (
    Application,
    Certificate,
    CourseModule,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    FeedbackLink,
    JobOpening,
    Placement,
    SelfStudyLog,
    Track,
    TrainingClass,
    TrainingSession,
    User,
    class_instructor,
)

ROLES = ("anonymous", "trainee", "instructor", "staff", "admin")
WIDTHS = (360, 1280)
DEMO_LOGINS = {"admin": ("admin", "demo-admin-2026"), "staff": ("staff", "demo-staff-2026"),
               "instructor": ("teacher", "demo-teacher-2026"),
               "trainee": ("trainee", "demo-trainee-2026")}

# Routes that answer with a file, whatever their arguments: left out by their address alone.
FILE_SUFFIX = re.compile(r"\.(pdf|xlsx|docx|png|svg|jpg|json|csv|<\w+>)$|/(download|template)\b")

# GET routes that are not pages, with the reason. Keep it short: anything else is shown.
NOT_PAGES = {
    "static": "files of the app itself",
    "main.set_language": "sets the language and redirects",
    "public.api_verify": "the JSON API (answers JSON)",
    "trainees.photo_file": "the photo image",
    "portal.photo_file": "the photo image",
    "public.verify_photo": "the photo image",
    "portal.self_study_photo": "the self-study photo image",
    "training.self_study_photo": "the self-study photo image",
    "portal.checkin_scan": "the QR scan lands here and redirects to the check-in page",
}


def demo_ids(role: str) -> dict[str, object]:
    """Real ids for every route argument, from the demo data: the demo trainee's own course for
    the trainee (and staff, admin, the public), a class of the demo teacher for the instructor."""
    trainee_user = db.session.scalars(select(User).where(User.username == "trainee")).one()
    class_ids = select(TrainingClass.id)
    if role == "instructor":
        teacher = db.session.scalars(select(User).where(User.username == "teacher")).one()
        class_ids = select(class_instructor.c.class_id).where(
            class_instructor.c.user_id == teacher.id)
        enrolment = db.session.scalars(
            select(Enrolment).join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
            .where(Enrolment.class_id.in_(class_ids)).order_by(Enrolment.id)).first()
    else:
        enrolment = db.session.scalars(select(Enrolment).where(
            Enrolment.trainee_id == trainee_user.trainee_id,
            Enrolment.continues_id.is_(None))).first()
    class_id = enrolment.class_id
    # The score grid and the exam pages: an exam whose scores are still being typed, if any.
    mine = (TrainingClass.id.in_(class_ids) if role == "instructor" else TrainingClass.id > 0)
    open_exam = db.session.scalar(
        select(Exam.id).join(TrainingClass, TrainingClass.id == Exam.class_id)
        .join(ExamResult, ExamResult.exam_id == Exam.id)
        .where(ExamResult.status == "draft", mine).order_by(Exam.id).limit(1))
    result = db.session.scalars(select(ExamResult).where(
        ExamResult.enrolment_id == enrolment.id).order_by(ExamResult.id.desc())).first()
    certificate = db.session.scalars(select(Certificate).order_by(
        (Certificate.trainee_id == enrolment.trainee_id).desc(), Certificate.id)).first()
    session = db.session.scalars(select(TrainingSession).where(
        TrainingSession.class_id == class_id).order_by(TrainingSession.held_on.desc())).first()
    log = db.session.scalars(select(SelfStudyLog).order_by(
        (SelfStudyLog.enrolment_id == enrolment.id).desc(), SelfStudyLog.id)).first()

    def first(column, *where):
        return db.session.scalar(select(column).where(*where).order_by(column).limit(1))

    from traincenter.retraining.queries import retraining_list

    no_longer = retraining_list().no_longer
    return {
        "application_id": first(Application.id),
        "certificate_id": certificate.id,
        "code": certificate.verification_code,
        "class_id": class_id,
        "trainee_id": enrolment.trainee_id,
        "enrolment_id": enrolment.id,
        "exam_id": open_exam or result.exam_id,
        "result_id": result.id,
        "session_id": session.id,
        "log_id": log.id,
        "feedback_id": first(Feedback.id),
        "token": first(FeedbackLink.token, FeedbackLink.used_at.is_(None),
                       or_(FeedbackLink.expires_on.is_(None),
                           FeedbackLink.expires_on >= date.today())),
        "opening_id": first(JobOpening.id),
        "placement_id": first(Placement.id),
        "retraining_class_id": first(TrainingClass.id, TrainingClass.kind == "retraining"),
        "reexam_id": first(Exam.id, Exam.kind != "first"),
        "course_id": no_longer[0].course.id if no_longer else None,
        "module_id": first(CourseModule.id),
        "track_id": first(Track.id),
        "year": date.today().year,
    }


def pages(app, ids: dict[str, object]) -> tuple[dict[str, str], list[str]]:
    """``{endpoint: address}`` of every GET page, and the routes that could not be given ids."""
    found: dict[str, str] = {}
    missing: list[str] = []
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            if FILE_SUFFIX.search(rule.rule):
                continue
            values = {name: ids.get(name) for name in rule.arguments}
            unknown = sorted(name for name, value in values.items() if value is None)
            if unknown:
                missing.append(f"{rule.rule}: no id for {', '.join(unknown)}")
                continue
            found[rule.endpoint] = url_for(rule.endpoint, **values)
    return found, missing


# Latin words allowed on a Chinese page: names of formats and things people say in Latin letters.
# Compared without case. A token with a digit, "_", "@", "/" or "." is a code, address or name of a
# setting, not a word.
ALLOWED_WORDS = {"qr", "pdf", "excel", "word", "wps", "xlsx", "docx", "csv", "png", "jpg", "jpeg",
                 "webp", "svg", "json", "url", "api", "openapi", "http", "https",
                 "tab", "ctrl", "enter"}  # the last three as printed on the keys

# Run in the page: the three findings. Text inside elements marked as data is not checked for
# English: code/kbd/samp/pre, anything with translate="no" (usernames, codes) and anything in
# another language (lang="en": the link that switches to English). Visually hidden text
# (.sr-only, the honeypot field) is not looked at.
CHECKS = r"""
(allowed) => {
  const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
  const token = /[A-Za-z0-9_@.\/:'-]+/g;
  const data = 'code, kbd, samp, pre, script, style, noscript, svg, [translate=no], textarea, ' +
               '[lang]:not([lang^=zh])';
  function english(text) {
    return (text.match(token) || []).filter(t => /^[A-Za-z][A-Za-z'-]*[A-Za-z]$/.test(t)
      && t.replace(/[^A-Za-z]/g, '').length >= 3 && !allowed.includes(t.toLowerCase()));
  }
  const W = window.innerWidth;
  function label(el) {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + '#' + e.id); break; }
      if (e.classList.length) part += '.' + [...e.classList].slice(0, 2).join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  }
  function visible(el) {
    if (!el.checkVisibility({checkVisibilityCSS: true, opacityProperty: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && r.right > 0 && r.bottom > 0;
  }
  const out = {overflow: null, oneChar: [], english: []};
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > W + 1) {
    let widest = null, right = 0;
    for (const el of document.body.querySelectorAll('*')) {
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== 'visible') { clipped = true; break; }
      }
      if (clipped) continue;
      const r = el.getBoundingClientRect();
      if (r.right > W + 1 && r.right >= right) { widest = el; right = r.right; }
    }
    out.overflow = {scrollWidth, width: W,
                    element: widest ? label(widest) + ' (right edge ' + Math.round(right) + ')' : '?'};
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    if (!text || !el || !visible(el)) continue;
    const chars = text.replace(/\s/g, '');
    if (chars.length >= 2 && cjk.test(chars)) {
      // One character per line: as many lines as characters, each starting at the same left
      // (a short phrase that merely wraps at the end of a line starts its first line further right).
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const tops = new Set(rects.map(r => Math.round(r.top)));
      const size = parseFloat(getComputedStyle(el).fontSize) || 16;
      const aligned = rects.every(r => Math.abs(r.left - rects[0].left) < size);
      if (tops.size >= 2 && tops.size >= chars.length && aligned) {
        const key = label(el) + '|' + text;
        if (!seen.has(key)) { seen.add(key); out.oneChar.push(label(el) + ': ' + text); }
      }
    }
    if (el.closest(data)) continue;
    if (english(text).length) out.english.push(label(el) + ': ' + text.slice(0, 80));
  }
  for (const el of document.querySelectorAll('[placeholder]')) {
    if (english(el.placeholder).length && !el.closest(data) && visible(el))
      out.english.push(label(el) + ' placeholder: ' + el.placeholder);
  }
  if (english(document.title).length) out.english.push('title: ' + document.title);
  return out;
}
"""

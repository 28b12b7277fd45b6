"""Shared template macros."""

from types import SimpleNamespace

from flask import render_template_string


def test_pagination_keeps_filters_and_translates(app):
    page = SimpleNamespace(pages=3, page=2, has_prev=True, has_next=True, prev_num=1, next_num=3)
    with app.test_request_context("/auth/users?q=王&page=2", headers={"Accept-Language": "zh-CN"}):
        html = render_template_string(
            '{% from "_macros.html" import pagination %}{{ pagination(page, "auth.users") }}',
            page=page)
    assert "第 2 页，共 3 页" in html
    assert "page=1" in html and "page=3" in html and "q=" in html


def test_pagination_keeps_the_path_arguments_over_the_query_string(app):
    page = SimpleNamespace(pages=3, page=1, has_prev=False, has_next=True, prev_num=0, next_num=2)
    with app.test_request_context("/exams/7/history?exam_id=abc&field=theory"):
        from flask import request

        request.view_args = {"exam_id": 7}
        html = render_template_string(
            '{% from "_macros.html" import pagination %}{{ pagination(page, "exams.history") }}',
            page=page)
    assert "/exams/7/history?" in html and "field=theory" in html and "abc" not in html

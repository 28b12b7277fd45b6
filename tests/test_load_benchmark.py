"""The load and scale-out benchmarks' own logic (no server, no timing): the lost-save check, the
split of the simulated users, the locustfile loading, and the nginx file the README shows."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def _module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


load = _module("load")


def test_an_acknowledged_save_missing_or_different_in_the_database_is_lost():
    acknowledged = {1: "50", 2: "60.5", 3: "70", 4: "88.5"}
    stored = {1: 50.0, 2: 60.4, 4: 88.5}  # 2 overwritten, 3 gone
    assert load.compare_saves(acknowledged, stored) == [
        "result 2: saved 60.5, stored 60.4", "result 3: saved 70, stored None"]
    assert load.compare_saves(acknowledged, {1: 50, 2: 60.5, 3: 70.0, 4: 88.5}) == []


def test_fifty_users_split_as_before_and_every_saver_owns_its_own_rows():
    assert load.user_split(50) == (25, 10, 8, 7)
    exams = [11, 12, 13]
    shares = [load.saver_share(index, 7, exams) for index in range(7)]
    owned = {}
    for exam, owner, owners in shares:
        assert 0 <= owner < owners
        owned.setdefault(exam, set()).add((owner, owners))
    for pairs in owned.values():  # on each exam the owners are 0..n-1 of the same n
        counts = {n for _, n in pairs}
        assert len(counts) == 1 and {o for o, _ in pairs} == set(range(counts.pop()))


def test_the_grid_form_posts_every_row_with_its_version_and_changes_only_the_target():
    page = ('<input type="hidden" name="csrf_token" value="tok">'
            '<input name="v-7" value="3"><input name="t-7" value="55"><input name="p-7" value="">'
            '<input name="v-9" value="1"><input name="t-9" value="70"><input name="p-9" value="80">'
            '<input type="checkbox" name="pa-9" checked>')
    rows = load.parse_grid(page)
    assert rows == {7: {"v": "3", "t": "55", "p": ""}, 9: {"v": "1", "t": "70", "p": "80",
                                                            "pa": "1"}}
    form = dict(load.grid_form(page, rows, 9, "91"))
    assert form["csrf_token"] == "tok" and form["t-9"] == "91" and form["t-7"] == "55"
    assert form["v-7"] == "3" and form["pa-9"] == "1"


def test_the_locustfile_loads_its_four_kinds_of_user():
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        pytest.skip("Locust is not installed (requirements-dev.txt)")
    listed = subprocess.run([str(locust), "-f", str(BENCHMARKS / "locustfile.py"), "--list"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    for name in ("Trainee", "Citizen", "RosterStaff", "GridStaff"):
        assert name in listed.stdout


def test_the_readme_shows_the_nginx_file_the_scale_out_runs(tmp_path):
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    readme = (ROOT / "README.md").read_text()
    body = site[site.index("upstream traincenter"):]
    assert body.strip() in readme
    scaleout = _module("scaleout")
    config = scaleout.render_nginx(site, 18080, (18001, 18002), tmp_path)
    assert "server 127.0.0.1:18001" in config and "server 127.0.0.1:18002" in config
    assert "listen 127.0.0.1:18080;" in config and "listen 80;" not in config
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if Path(nginx).exists():
        (tmp_path / "nginx.conf").write_text(config)
        checked = subprocess.run([nginx, "-t", "-q", "-e", str(tmp_path / "error.log"),
                                  "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                                 capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr

"""``forumclean diff --report``: the HTML audit report, read as a browser reads it.

The report is rendered in headless Chromium (Debian's ``chromium``; skipped when absent) with a
probe script appended that opens every page view through the report's own code and writes what
the DOM became into a ``<pre>``; ``--dump-dom`` hands that back. One Chromium run per report (plus
two screenshots of the fixtures report for a person to look at: their folder is printed, or set
``FORUMCLEAN_SCREENSHOTS``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from forumclean import diff, report
from forumclean.cli import main
from forumclean.inputs import display_name, expand

HOSTILE = FIXTURES / "x35-hostile-text.html"
QUOTE_PAGE = FIXTURES / "x35-thread-quote.html"
#: A file name that is markup too: the overview must show it as text.
HOSTILE_NAME = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','name')\">.html"

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) not installed")

# Opens every page view with the report's own code and records what the DOM became.
PROBE = r"""
(function () {
  var R = window.forumcleanReport, out = { views: {} };
  out.drawnFirst = document.querySelectorAll("#rows tbody tr").length;
  document.getElementById("all-rows").click();
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("#rows tbody tr")); };
  var name = function (tr) { return tr.cells[0].textContent; };
  var shown = function () { return rows().filter(function (tr) { return !tr.hidden; }).map(name); };
  out.order = rows().map(name);
  out.links = rows().map(function (tr) { return tr.cells[0].querySelector("a").getAttribute("href"); });
  rows().forEach(function (tr) {
    var opened = R.open(tr.dataset.i), v = document.querySelector("#page article"), uniq = {};
    if (!opened || !v) { out.views[name(tr)] = null; return; }
    v.querySelectorAll(".text .rm").forEach(function (s) {
      uniq[s.dataset.reason] = uniq[s.dataset.reason] || s.querySelector(".why").textContent;
    });
    var text = v.querySelector(".text"), err = v.querySelector(".pageerror");
    out.views[name(tr)] = {
      heading: v.querySelector("h2").textContent, removed: v.querySelectorAll(".text .rm").length,
      reasons: uniq, meta: Array.prototype.map.call(v.querySelectorAll(".text .meta"), function (m) { return m.dataset.role; }),
      posts: Array.prototype.map.call(v.querySelectorAll("section.post h3"), function (h) { return h.textContent; }),
      text: text ? text.textContent : "", error: err ? err.textContent : null,
      live: v.querySelectorAll("script, style, iframe, img, object, embed, [onerror], [onload], [href^='javascript']").length
    };
  });
  // The toggle hides removed runs and keeps the body.
  R.open(rows()[rows().length - 1].dataset.i);
  var quote = rows().filter(function (tr) { return /x35-thread-quote/.test(name(tr)); })[0];
  if (quote) {
    R.open(quote.dataset.i);
    var box = document.getElementById("hide-removed");
    box.click();
    out.toggle = [getComputedStyle(document.querySelector("#page .text .rm")).display,
                  getComputedStyle(document.querySelector("#page .text .body")).display];
    box.click();
  }
  // A row's link is the page's address: following it opens that page view.
  location.hash = rows()[1].querySelector("a").getAttribute("href");
  R.route();
  out.routed = [name(rows()[1]), document.querySelector("#page h2").textContent, document.getElementById("overview").hidden];
  // The right arrow goes to the next page of the table.
  document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
  out.arrow = [location.hash, rows()[2].querySelector("a").getAttribute("href")];
  location.hash = "";
  R.route();
  out.back = [document.getElementById("overview").hidden, document.getElementById("page").hidden];
  var th = document.querySelector('#rows th[data-key="share"]');
  th.click(); th.click();  // the second click: smallest share first
  out.byShare = rows().map(function (tr) { return parseInt(tr.querySelector("td.share").textContent, 10); });
  document.querySelector('#rows th[data-key="suspicion"]').click();
  out.resorted = rows().map(name);
  var fam = document.getElementById("f-family"), warn = document.getElementById("f-warn");
  fam.value = "generic"; fam.dispatchEvent(new Event("change"));
  out.generic = shown();
  fam.value = ""; warn.value = "error"; warn.dispatchEvent(new Event("change"));
  out.errors = shown();
  warn.value = ""; warn.dispatchEvent(new Event("change"));
  out.pwned = document.documentElement.getAttribute("data-pwned");
  out.scripts = document.scripts.length;
  out.json = document.querySelectorAll('script[type="application/json"]').length;
  var pre = document.createElement("pre");
  pre.id = "fc-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def probe(report_file: Path, work: Path) -> dict:
    """What the report's DOM holds once its script and the probe have run."""
    page = report_file.read_text(encoding="utf-8")
    nonce = re.search(r"'nonce-([^']+)'", page).group(1)
    probed = work / "probed.html"
    probed.write_text(page + f'<script nonce="{nonce}">{PROBE}</script>\n', encoding="utf-8")
    res = chromium(["--dump-dom", probed.as_uri()], work / "profile")
    assert res.returncode == 0, res.stderr[-2000:]
    found = lxml.html.fromstring(res.stdout).xpath('//pre[@id="fc-probe"]')
    assert found, "the probe did not run: " + res.stderr[-2000:]
    return json.loads(found[0].text_content())


def expected_rows(paths: list[str]) -> list[diff.SummaryRow]:
    return diff.sort_rows(diff.summary_row(item) for item in expand(paths))


def removed_reasons(page: Path) -> set[str]:
    return {r.role for r in diff.rows(diff.explain(page.read_bytes()).blocks) if r.mark == diff.REMOVED}


def check_every_input(seen: dict, rows: list[diff.SummaryRow]) -> None:
    names = [r.input for r in rows]
    assert seen["order"] == names  # every input has its row, suspect pages first
    assert seen["links"] == [f"#p{i}" for i in _indexes(seen, names)]
    assert seen["json"] == len(names) + 1  # the page views and the overview's rows
    for r in rows:
        view = seen["views"][r.input]
        assert view is not None and view["heading"] == r.input
        if r.error:
            assert view["error"] == f"could not be cleaned: {r.error}"
        else:
            assert view["removed"] > 0 or r.removed == 0, r.input
    assert seen["pwned"] is None
    assert seen["scripts"] == len(names) + 3  # the JSON blobs, the report's script, the probe
    assert seen["drawnFirst"] == min(len(names), 500)
    assert seen["routed"] == [names[1], names[1], True] and seen["back"] == [False, True]
    assert seen["arrow"][0] == seen["arrow"][1]
    assert seen["byShare"] == sorted(seen["byShare"])
    assert seen["resorted"] == names


def _indexes(seen: dict, names: list[str]) -> list[int]:
    # Page views are numbered in input order; the table lists them suspect first.
    return [int(link[2:]) for link in seen["links"]]


# -- the fixtures report in Chromium -----------------------------------------------------------

@pytest.fixture(scope="module")
def fixtures_report(tmp_path_factory) -> tuple[Path, list[str]]:
    work = tmp_path_factory.mktemp("report")
    extra = work / "extra"
    extra.mkdir()
    shutil.copy(HOSTILE, extra / HOSTILE_NAME)
    (extra / "empty.html").write_bytes(b"")
    paths = [str(FIXTURES), str(extra)]
    out = work / "fixtures-report.html"
    res = CliRunner().invoke(main, ["diff", "--report", str(out), *paths], catch_exceptions=False)
    assert res.exit_code == 1, res.output  # empty.html cannot be cleaned
    assert f"{display_name(str(extra / 'empty.html'))}: empty input (no text)" in res.stderr
    return out, paths


@pytest.fixture(scope="module")
def fixtures_probe(fixtures_report, tmp_path_factory) -> dict:
    if CHROMIUM is None:
        pytest.skip("headless Chromium (/usr/bin/chromium) not installed")
    return probe(fixtures_report[0], tmp_path_factory.mktemp("chromium"))


@needs_chromium
def test_every_fixture_has_its_row_and_page_view_suspect_first(fixtures_report, fixtures_probe):
    rows = expected_rows(fixtures_report[1])
    assert len(rows) == len(list(expand([str(FIXTURES)]))) + 2
    check_every_input(fixtures_probe, rows)
    # The page that could not be cleaned outranks every page that could.
    assert fixtures_probe["order"][0].endswith("empty.html")
    assert fixtures_probe["errors"] == [fixtures_probe["order"][0]]
    assert fixtures_probe["generic"] == [r.input for r in rows if r.family == "generic"]


@needs_chromium
def test_removed_runs_carry_their_reason(fixtures_probe):
    view = next(v for name, v in fixtures_probe["views"].items() if name.endswith("x35-thread-quote.html"))
    assert set(view["reasons"]) == removed_reasons(QUOTE_PAGE)
    assert all(label == reason for reason, label in view["reasons"].items())
    assert {"signature", "jammer", "edit note", "navigation"} <= set(view["reasons"])
    assert {"title", "author", "published", "floor"} <= set(view["meta"])
    assert view["posts"][0] == "post 1 · #1 · 青柳骑士 · 2024-05-18T09:12:45+08:00"
    assert len(view["posts"]) == 3
    assert fixtures_probe["toggle"] == ["none", "inline"]


@needs_chromium
def test_page_markup_and_scripts_never_run(fixtures_probe):
    assert fixtures_probe["pwned"] is None
    hostile = [v for name, v in fixtures_probe["views"].items() if name.endswith("x35-hostile-text.html")]
    named = [v for name, v in fixtures_probe["views"].items() if name.endswith(HOSTILE_NAME)]
    assert len(hostile) == 1 and len(named) == 1
    for view in hostile + named:
        assert view["live"] == 0
        text = view["text"]
        # The page's text is shown as text, tags and all.
        assert "<script>document.documentElement.setAttribute('data-pwned','post-text')</script>" in text
        assert "</style> 和 </script>" in text
        assert "javascript:alert(1) 点这里看看" in text
        assert "</style></script><!-- 签名里的 <b>标签</b> -->" in text
        assert view["reasons"]["signature"] == "signature"
        # The page's own scripts are not text: the extractor drops them.
        assert "head-script" not in text and "post-script" not in text
        assert view["posts"][1].startswith("post 2 · #2 · <b>夜航</b>")


@needs_chromium
def test_screenshots_for_a_person(fixtures_report, fixtures_probe, tmp_path_factory):
    """Not an assertion on looks: writes the overview and one page view as PNG to look at."""
    folder = Path(os.environ.get("FORUMCLEAN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    report_file = fixtures_report[0]
    index = fixtures_probe["links"][fixtures_probe["order"].index(
        next(n for n in fixtures_probe["order"] if n.endswith("x35-hostile-text.html")))]
    for name, url in (("overview.png", report_file.as_uri()), ("page.png", report_file.as_uri() + index)):
        res = chromium(["--window-size=1280,1000", f"--screenshot={folder / name}", url],
                       folder / "profile")
        assert res.returncode == 0, res.stderr[-2000:]
        assert (folder / name).stat().st_size > 10_000
    shutil.rmtree(folder / "profile", ignore_errors=True)
    print(f"report screenshots: {folder}")


# -- the corpus report in Chromium -------------------------------------------------------------

@pytest.mark.corpus
@needs_chromium
def test_corpus_report_in_chromium(corpus_dir, tmp_path):
    paths = [str(corpus_dir / "html")]
    out = tmp_path / "corpus-report.html"
    built: list[diff.SummaryRow] = []

    def entries():
        for item in expand(paths):
            entry = report.page_entry(item)
            built.append(entry.row)
            yield entry

    stats = report.write_report(entries(), str(out))
    assert [r.input for r in built] == [display_name(item.name) for item in expand(paths)]
    rows = diff.sort_rows(built)
    assert stats.pages == len(rows) and stats.bytes == out.stat().st_size
    seen = probe(out, tmp_path)
    check_every_input(seen, rows)
    removed = [v for v in seen["views"].values() if v["removed"]]
    assert len(removed) >= len(rows) * 0.9
    assert all(label == reason for v in removed for reason, label in v["reasons"].items())


# -- the file itself (no browser) --------------------------------------------------------------

def _write(tmp_path: Path, pages: list[Path]) -> Path:
    out = tmp_path / "report.html"
    report.write_report((report.page_entry(item) for item in expand(map(str, pages))), str(out))
    return out


def test_page_text_is_inert_json_in_the_file(tmp_path):
    hostile = tmp_path / HOSTILE_NAME
    shutil.copy(HOSTILE, hostile)
    out = _write(tmp_path, [hostile, QUOTE_PAGE])
    raw = out.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(raw)
    scripts = doc.xpath("//script")
    blobs = [s for s in scripts if s.get("type") == "application/json" and s.get("id") != "overview-data"]
    code = [s for s in scripts if s.get("type") != "application/json"]
    assert len(blobs) == 2 and len(code) == 1 and code[0].get("nonce")
    overview = json.loads(doc.get_element_by_id("overview-data").text)
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert "default-src 'none'" in csp and f"'nonce-{code[0].get('nonce')}'" in csp
    assert not doc.xpath("//img | //iframe | //a | //*[@onerror] | //*[@onload]")
    views = [json.loads(b.text) for b in blobs]
    for blob in [*blobs, doc.get_element_by_id("overview-data")]:
        assert "<" not in blob.text and ">" not in blob.text
    assert views[0]["name"] == display_name(str(hostile))
    # Overview records: the table's columns, then the page's number, warning codes, tint, bucket.
    by_number = {record[10]: record for record in overview}
    assert by_number[0][0] == display_name(str(hostile)) and by_number[1][0] == display_name(str(QUOTE_PAGE))
    assert by_number[1][1:8] == ["discuz-x", "thread", 3, *by_number[1][4:7], by_number[1][7]]
    texts = [r[3] for r in views[0]["rows"]]
    assert "</style></script><!-- 签名里的 <b>标签</b> -->" in texts
    assert views[0]["title"] == "<script>标题里的脚本</script> 签名会被执行吗"


def test_page_view_rows_are_the_diff_rows():
    result = diff.explain(QUOTE_PAGE.read_bytes())
    view = report.page_view(result)
    rows = diff.rows(result.blocks)
    marks = {diff.BODY: "+", diff.META: "=", diff.REMOVED: "-"}
    assert view["rows"] == [[r.line, marks[r.mark], "" if r.mark == diff.BODY else r.role, r.text, r.post]
                            for r in rows]
    assert ["-", "jammer", "8 b2 K5 q: Z0 f", 0] == view["rows"][[r[3] for r in view["rows"]].index(
        "8 b2 K5 q: Z0 f")][1:]
    assert view["posts"][1] == [2, "小河边", "2024-05-18T10:02:11+08:00"]


def test_a_failed_build_leaves_no_file_and_the_old_report(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("old report", encoding="utf-8")

    def entries():
        yield report.page_entry(next(expand([str(QUOTE_PAGE)])))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        report.write_report(entries(), str(out))
    assert out.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_cli_never_writes_the_report_over_an_input(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    shutil.copy(QUOTE_PAGE, crawl / "a.html")
    shutil.copy(QUOTE_PAGE, crawl / "report.html")  # a report left by an earlier run, now an input
    before = (crawl / "report.html").read_bytes()
    res = CliRunner().invoke(main, ["diff", "--report", str(crawl / "report.html"), str(crawl)])
    assert res.exit_code == 2
    assert "would overwrite the input" in res.stderr and "Traceback" not in res.output
    assert (crawl / "report.html").read_bytes() == before
    assert sorted(p.name for p in crawl.iterdir()) == ["a.html", "report.html"]


def test_cli_report_errors_are_one_line(tmp_path):
    res = CliRunner().invoke(main, ["diff", "--report", str(tmp_path / "no" / "r.html"), str(QUOTE_PAGE)])
    assert res.exit_code == 2 and "cannot write the report" in res.stderr
    res = CliRunner().invoke(main, ["diff", "--report", str(tmp_path / "r.html"), "--summary", str(QUOTE_PAGE)])
    assert res.exit_code == 2 and "--report" in res.stderr
    res = CliRunner().invoke(main, ["diff", "--report", str(tmp_path / "r.html"), str(QUOTE_PAGE)])
    assert res.exit_code == 0 and "report of 1 page (0 failed)" in res.stderr
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_write_failure_is_a_report_error_and_leaves_nothing(tmp_path, monkeypatch):
    def disk_full(self, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report.ReportWriter, "add", disk_full)
    with pytest.raises(report.ReportError, match="cannot write the report .*: no space left on device"):
        _write(tmp_path, [QUOTE_PAGE])
    assert list(tmp_path.iterdir()) == []


def test_cli_report_run_twice_in_the_folder_it_reads_leaves_its_own_report_out(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    shutil.copy(QUOTE_PAGE, crawl / "a.html")
    target = crawl / "report.html"
    for _ in range(2):  # the second run meets the first run's report among the pages
        res = CliRunner().invoke(main, ["diff", "-j", "1", "--report", str(target), str(crawl)])
        assert res.exit_code == 0, res.output
        assert "report of 1 page (0 failed)" in res.stderr
    assert report.is_own_report(str(target))
    assert sorted(p.name for p in crawl.iterdir()) == ["a.html", "report.html"]


def test_cli_report_named_in_a_list_is_not_written_over(tmp_path):
    page = tmp_path / "page.html"
    shutil.copy(QUOTE_PAGE, page)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{page}\n", encoding="utf-8")
    before = page.read_bytes()
    res = CliRunner().invoke(main, ["diff", "-j", "1", "--report", str(page), "--files-from", str(listing)])
    assert res.exit_code == 2 and "would overwrite the input" in res.stderr
    assert page.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.txt", "page.html"]

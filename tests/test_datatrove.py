"""forumclean as datatrove steps: a WARC → forumclean → JSONL pipeline on datatrove's local
executor gives the records ``forumclean extract`` gives, and bad pages never stop it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from warc_records import NOT_A_FORUM, Rec, crawl_records, write_warc

pytest.importorskip("datatrove", reason="datatrove steps need the 'datatrove' extra (pip install -e '.[datatrove]')")
pytest.importorskip("warcio", reason="the WARC reader needs the 'datatrove' extra (pip install -e '.[datatrove]')")
pytest.importorskip("orjson", reason="datatrove's JSONL writer needs the 'datatrove' extra (orjson)")

from datatrove.data import Document as DTDocument  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import forumclean  # noqa: E402
import forumclean.contrib.datatrove as fcdt  # noqa: E402
from forumclean.contrib.datatrove import (  # noqa: E402
    ForumcleanExtractor,
    ThreadMerger,
    ThreadShardReader,
    ThreadShardWriter,
    WarcPageReader,
    document_dict,
    split_document,
    thread_dict,
)

ROOT = Path(__file__).resolve().parent.parent


def stats_of(logging_dir: Path, step_type: str) -> dict:
    """One step's counters from the merged stats datatrove writes to ``logging_dir/stats.json``."""
    for step in json.loads((logging_dir / "stats.json").read_text(encoding="utf-8")):
        if step["name"].startswith(step_type):
            return {k: (v["total"] if isinstance(v, dict) else v) for k, v in step["stats"].items()}
    raise KeyError(step_type)


def read_jsonl(folder: Path) -> list[DTDocument]:
    docs = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            docs.append(DTDocument(text=row["text"], id=row["id"], metadata=row["metadata"]))
    return docs


@pytest.fixture(scope="module")
def crawl_dir(tmp_path_factory) -> Path:
    """Two WARC files (datatrove shares files, not records, among tasks)."""
    folder = tmp_path_factory.mktemp("crawl")
    recs = crawl_records()
    half = len(recs) // 2
    write_warc(folder / "a.warc.gz", recs[:half])
    write_warc(folder / "b.warc.gz", recs[half:] + [
        Rec("https://forum.example/binary.html", b"\x89PNG\r\n\x1a\n" + bytes(200)),  # says HTML, is not
        Rec("https://forum.example/blank.html", b"   \n\n  "),
    ])
    return folder


def cli_records(crawl_dir: Path) -> dict[str, dict]:
    run = subprocess.run([sys.executable, "-m", "forumclean", "extract", "--format", "jsonl", "a.warc.gz",
                          "b.warc.gz"], capture_output=True, text=True, cwd=crawl_dir, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in run.stderr
    return {r["input"]: r for r in map(json.loads, run.stdout.splitlines())}


@pytest.mark.parametrize("workers", [1, 2])
def test_local_pipeline_gives_the_cli_records(crawl_dir, tmp_path, workers):
    out = tmp_path / "out"
    executor = LocalPipelineExecutor(
        [WarcPageReader(str(crawl_dir)), ForumcleanExtractor(timeout=30), JsonlWriter(str(out), compression=None)],
        tasks=2, workers=workers, logging_dir=str(tmp_path / "logs"))
    executor.run()

    cli = cli_records(crawl_dir)
    records = {k: r for k, r in cli.items() if "error" not in r}
    failed = {k: r for k, r in cli.items() if "error" in r}
    kept = {k: r for k, r in records.items() if r["kind"] != "none" and any(p["body"] for p in r["posts"])}
    assert len(kept) >= 5 and failed and len(records) > len(kept)

    docs = read_jsonl(out)
    got = {d.metadata["input"]: d for d in docs}
    assert len(got) == len(docs) == len(kept)
    assert set(got) == set(kept)
    for name, doc in got.items():
        assert document_dict(doc) == kept[name], name
        assert doc.text == forumclean.Document.from_dict(kept[name]).text
        assert doc.metadata["url"] and doc.metadata["date"] == kept[name]["fetched_at"]

    reader, step = stats_of(tmp_path / "logs", "📖"), stats_of(tmp_path / "logs", "🛢")
    assert reader["input_files"] == 2
    # The binary page is refused by the reader (it cannot be decoded); the blank one by forumclean.
    assert reader["decode_error"] == 1
    assert step["total"] == len(records) + len(failed) - 1 == reader["documents"]
    assert step["extracted"] == len(records)
    assert step["forwarded"] == len(kept)
    assert step["dropped"] == len(records) - len(kept)  # cleaned, but nothing to keep
    assert step.get("none", 0) + step.get("empty_text", 0) == len(records) - len(kept)
    assert step["error"] == step["error_decode"] == 1
    assert "timeout" not in step and "broken_process" not in step


def test_keep_empty_keeps_pages_without_posts():
    html = forumclean.extract(NOT_A_FORUM)
    assert html.kind == "none"
    docs = [DTDocument(text=NOT_A_FORUM.decode(), id="x", metadata={"url": "https://www.example/"})]
    assert list(ForumcleanExtractor()(iter(list(docs)))) == []
    kept = list(ForumcleanExtractor(keep_empty=True)(iter(docs)))
    assert len(kept) == 1 and kept[0].text == ""
    assert kept[0].metadata["forumclean"]["kind"] == "none"
    assert kept[0].metadata["forumclean"]["url"] == "https://www.example/"


def test_errors_and_timeouts_are_counted_and_the_pipeline_goes_on(monkeypatch):
    import multiprocessing

    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    if method != "fork":
        pytest.skip(f"the slow page is patched in; a {method} sandbox process would not see the patch")
    real_run = fcdt.run

    def slow_run(text, **kw):
        if "SLOW-PAGE" in text:
            import time

            time.sleep(30)
        if "BUG-PAGE" in text:
            raise KeyError("boom")
        return real_run(text, **kw)

    # The sandbox process is forked after this, so it runs the patched function.
    monkeypatch.setattr(fcdt, "run", slow_run)
    page = (Path(__file__).resolve().parent.parent / "fixtures" / "x35-thread-quote.html").read_text("utf-8")
    docs = [DTDocument(text=t, id=str(i), metadata={}) for i, t in enumerate(
        [page, "<html>SLOW-PAGE</html>", "", "<p>BUG-PAGE</p>", page])]
    step = ForumcleanExtractor(timeout=1.5)
    out = list(step(iter(docs)))
    assert [d.id for d in out] == ["0", "4"]
    counts = {k: v.total for k, v in step.stats.stats.items()}
    assert counts["total"] == 5 and counts["forwarded"] == 2
    assert counts["timeout"] == 1
    assert counts["error"] == 2 and counts["error_decode"] == 1 and counts["error_internal"] == 1
    assert "dropped" not in counts  # failures are counted as such, not as dropped
    # Without a URL in the metadata, the input is named by the document id.
    assert out[1].metadata["forumclean"]["input"] == "4"


def test_body_spans_point_into_the_text():
    doc = forumclean.extract((Path(__file__).resolve().parent.parent / "fixtures" /
                              "x35-thread-quote.html").read_bytes())
    doc.posts[1].body = ""
    text, record = split_document(doc)
    assert text == doc.text
    assert [text[a:b] for a, b in (p["body_span"] for p in record["posts"])] == [p.body for p in doc.posts]
    assert all("body" not in p for p in record["posts"])
    restored = document_dict(DTDocument(text=text, id="1", metadata={"forumclean": record}))
    assert restored == doc.to_dict()


@pytest.mark.corpus
def test_corpus_pipeline_matches_the_cli(corpus_dir, tmp_path):
    pages = sorted((corpus_dir / "html").glob("*.html"))
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    recs = [Rec(f"https://crawl.example/{p.stem}.html", p.read_bytes()) for p in pages]
    write_warc(crawl / "a.warc.gz", recs[::2])
    write_warc(crawl / "b.warc.gz", recs[1::2])
    out, logs = tmp_path / "out", tmp_path / "logs"
    LocalPipelineExecutor([WarcPageReader(str(crawl)), ForumcleanExtractor(),
                           JsonlWriter(str(out), compression=None)], tasks=2, workers=2,
                          logging_dir=str(logs)).run()
    cli = cli_records(crawl)
    kept = {k: r for k, r in cli.items()
            if "error" not in r and r["kind"] != "none" and any(p["body"] for p in r["posts"])}
    got = {d.metadata["input"]: document_dict(d) for d in read_jsonl(out)}
    assert got == kept
    step = stats_of(logs, "🛢")
    assert step["total"] == step["extracted"] == len(pages)
    assert "timeout" not in step and "error" not in step


def test_readme_pipelines_run_locally_and_as_a_slurm_array(tmp_path):
    """The README's two scripts, as written: the local run, then the Slurm one with stand-ins for
    sbatch/srun/scontrol, each array task run as Slurm would run it. Both give the same output."""
    import gzip
    import re
    import stat

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    scripts = dict(re.findall(r"```python\n# (clean_crawl\w*\.py)\n(.*?)```", readme, re.S))
    assert set(scripts) == {"clean_crawl.py", "clean_crawl_slurm.py"}
    (tmp_path / "clean_crawl.py").write_text(scripts["clean_crawl.py"])
    slurm = scripts["clean_crawl_slurm.py"]
    slurm = slurm.replace("/shared/venvs/forumclean/bin/activate", str(Path(sys.executable).parent / "activate"))
    slurm = re.sub(r"/shared/logs/(\w+)", str(tmp_path / "slurm-logs" / r"\1"), slurm)
    slurm = slurm.replace("tasks=500", "tasks=2")
    (tmp_path / "clean_crawl_slurm.py").write_text(slurm)
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    recs = [r for r in crawl_records() if r.rec_type == "response"]
    write_warc(crawl / "a.warc.gz", recs[: len(recs) // 2])
    write_warc(crawl / "b.warc.gz", recs[len(recs) // 2:])
    (crawl / "NOTES.txt").write_text("not a WARC")

    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in {
        "sbatch": 'n=$(ls "$STUBS"/job-*.sh 2>/dev/null | wc -l); cp "${@: -1}" "$STUBS/job-$n.sh"; '
                  'echo "Submitted batch job 7$n"',
        "srun": 'while [[ "$1" == -* ]]; do [[ "$1" == -n ]] && shift; shift; done; exec "$@"',
        "scontrol": 'echo "$4"',
    }.items():
        (stubs / name).write_text(f"#!/bin/bash\n{body}\n")
        (stubs / name).chmod(stat.S_IRWXU)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]), "STUBS": str(stubs),
           "PATH": os.pathsep.join([str(stubs), str(Path(sys.executable).parent), os.environ["PATH"]])}

    def sh(*cmd: str, **extra: str) -> None:
        run = subprocess.run(cmd, cwd=tmp_path, env={**env, **extra}, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]

    def output() -> list[str]:
        lines = [line for f in sorted((tmp_path / "cleaned").glob("*.jsonl.gz"))
                 for line in gzip.decompress(f.read_bytes()).decode().splitlines()]
        return sorted(json.dumps(json.loads(line)["metadata"]["forumclean"], sort_keys=True) for line in lines)

    sh(sys.executable, "clean_crawl.py")
    local = output()
    assert len(local) >= 3
    for f in (tmp_path / "cleaned").iterdir():
        f.unlink()

    sh(sys.executable, "clean_crawl_slurm.py")  # submits; the stand-in sbatch keeps the scripts
    jobs = sorted(stubs.glob("job-*.sh"))
    assert len(jobs) == 2 and "#SBATCH --array=0-1" in jobs[0].read_text()
    for task in (0, 1):
        sh("bash", str(jobs[0]), SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_JOB_ID="70",
           SLURM_JOB_ID=f"70{task}", SLURM_NODELIST="localhost")
    sh("bash", str(jobs[1]))  # the stats merge job
    assert output() == local
    step = stats_of(tmp_path / "slurm-logs" / "clean_crawl", "🛢")
    assert step["total"] == step["extracted"] == len([r for r in recs if r.is_page])


def test_reader_counts_a_damaged_file_and_goes_on(crawl_dir, tmp_path):
    data = (crawl_dir / "a.warc.gz").read_bytes()
    (tmp_path / "1-cut.warc.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "2-whole.warc.gz").write_bytes(data)
    (tmp_path / "3-junk.warc").write_bytes(b"not a WARC at all\n")
    reader = WarcPageReader(str(tmp_path))
    docs = list(reader())
    whole = [d for d in docs if d.metadata["input"].startswith("2-whole")]
    cut = [d for d in docs if d.metadata["input"].startswith("1-cut")]
    assert len(whole) == len(cut_records := [r for r in crawl_records()[: len(crawl_records()) // 2] if r.is_page])
    assert 0 < len(cut) < len(cut_records)
    assert [d.metadata["input"].split("#")[1] for d in cut] == [d.metadata["input"].split("#")[1]
                                                                for d in whole[: len(cut)]]
    assert {k: v.total for k, v in reader.stats.stats.items()}["warc_error"] == 2


# -- whole threads: two stages -------------------------------------------------------------------

THREAD_PAGES = ROOT / "fixtures" / "threads"


def thread_crawl(folder: Path) -> list[Rec]:
    """The invented thread pages of fixtures/threads as fetched (each at its own address), spread
    over three WARC files so that every thread's pages sit in several files."""
    addresses = {
        "desktop-p1.html": "https://bbs.qinghe.example/thread-8801-1-1.html",
        "desktop-p2.html": "https://bbs.qinghe.example/thread-8801-2-1.html",
        "desktop-p2-refetch.html": "https://bbs.qinghe.example/thread-8801-2-1.html",
        "desktop-p3.html": "https://bbs.qinghe.example/thread-8801-3-1.html",
        "touch-p1.html": "https://bbs.qinghe.example/forum.php?mod=viewthread&tid=8801&page=1&mobile=2",
        "touch-p2.html": "https://bbs.qinghe.example/forum.php?mod=viewthread&tid=8801&page=2&mobile=2",
        "touch-p3.html": "https://bbs.qinghe.example/forum.php?mod=viewthread&tid=8801&page=3&mobile=2",
        "archiver-p1.html": "https://bbs.qinghe.example/archiver/?tid-8801.html",
        "archiver-p2.html": "https://bbs.qinghe.example/archiver/?tid-8801.html&page=2",
        "gap-p1.html": "https://bbs.qinghe.example/thread-8802-1-1.html",
        "gap-p3.html": "https://bbs.qinghe.example/thread-8802-3-1.html",
        "no-tid.html": "https://bbs.qinghe.example/saved/no-tid.html",
    }
    recs = [Rec(url, (THREAD_PAGES / name).read_bytes()) for name, url in addresses.items()]
    # The second fetch of desktop page 2 is the later one (WARC dates order fetches).
    recs[2] = Rec(recs[2].uri, recs[2].payload, date="2025-04-02T10:30:00Z")
    for n in range(3):
        write_warc(folder / f"part-{n}.warc.gz", recs[n::3])
    return recs


def test_two_stage_thread_pipeline_on_local_executor(tmp_path):
    """Stage 1 (3 tasks) cleans pages and shards them by thread; stage 2 (2 tasks) merges each
    shard. The threads are those ``forumclean threads`` gives over the same WARC files."""
    crawl, shards, out = tmp_path / "crawl", tmp_path / "shards", tmp_path / "threads"
    crawl.mkdir()
    thread_crawl(crawl)
    stage1 = LocalPipelineExecutor(
        [WarcPageReader(str(crawl)), ForumcleanExtractor(timeout=30), ThreadShardWriter(str(shards), shards=4)],
        tasks=3, workers=2, logging_dir=str(tmp_path / "logs1"))
    stage2 = LocalPipelineExecutor(
        [ThreadShardReader(str(shards)), ThreadMerger(), JsonlWriter(str(out), compression=None)],
        tasks=2, workers=2, logging_dir=str(tmp_path / "logs2"), depends=stage1)
    stage2.run()

    written = sorted(p.relative_to(shards).as_posix() for p in shards.rglob("*.jsonl.gz"))
    assert written and all(p.split("/")[0].isdigit() for p in written)
    merged = {d.id: d for d in read_jsonl(out)}
    run = subprocess.run([sys.executable, "-m", "forumclean", "threads", "-j", "1", "part-0.warc.gz",
                          "part-1.warc.gz", "part-2.warc.gz"], capture_output=True, text=True, cwd=crawl,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    cli = {r["key"] or r["pages"][0]["input"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert set(merged) == set(cli)
    for key, doc in merged.items():
        record = thread_dict(doc)
        want = cli[key]
        assert record["posts"] == [dict(p, from_page=record["posts"][i]["from_page"])
                                   for i, p in enumerate(want["posts"])], key
        assert [(p["input"], p["superseded"]) for p in record["pages"]] == \
               [(p["input"], p["superseded"]) for p in want["pages"]], key
        for field in ("title", "url", "complete", "missing_pages", "missing_floors", "warnings"):
            assert record[field] == want[field], (key, field)
        assert doc.text == "\n\n".join(p["body"] for p in record["posts"] if p["body"])

    thread = thread_dict(merged["bbs.qinghe.example/thread/8801"])
    assert [p["floor"] for p in thread["posts"]] == list(range(1, 11)) and thread["complete"]
    floor7 = thread["posts"][6]
    assert "追了一次有机肥" in floor7["body"]  # the later fetch (by WARC date) of page 2
    assert not merged["bbs.qinghe.example/thread/8802"].metadata["forumclean_thread"]["complete"]
    step = stats_of(tmp_path / "logs2", "🔗")
    assert step["pages"] == 12 and step["total"] == 3 and step["complete"] == 1


def test_readme_thread_pipeline_runs_as_written(tmp_path):
    import gzip
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n# crawl_threads\.py\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "crawl_threads.py").write_text(script)
    (tmp_path / "crawl").mkdir()
    thread_crawl(tmp_path / "crawl")
    run = subprocess.run([sys.executable, "crawl_threads.py"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-3000:]
    lines = [json.loads(line) for f in sorted((tmp_path / "threads").glob("*.jsonl.gz"))
             for line in gzip.decompress(f.read_bytes()).decode().splitlines()]
    assert sorted(d["id"] for d in lines if d["id"].startswith("bbs.")) == [
        "bbs.qinghe.example/thread/8801", "bbs.qinghe.example/thread/8802"]
    assert len(lines) == 3

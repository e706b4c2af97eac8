"""How fast and how big a build is, against the cost of reading the same text with jieba once.

    python bench/run.py [CORPUS ...] [--jobs 1 2] [--repeat N] [--change F ...] [--dask N]
                        [--plot PNG] [--no-record]
    python bench/run.py CORPUS --memory-only [--jobs 2] [--watch-every 0.5]

For each corpus (default: the bundled one) it measures, in this one run:

- the reference: ``jieba.posseg`` (with HMM, as name finding needs) and ``jieba.lcut`` over
  the same cleaned text, one core, in a fresh interpreter with jieba as installed;
- a cold ``kg build`` for each ``--jobs`` value (empty output folder, all default exports),
  as a separate process: wall clock, articles/s, MB/s of text, and the seconds of every
  stage the build reports (with ``--repeat N``, the fastest of N); then another cold build whose memory is watched (peak PSS of the
  whole process tree: workers included, shared pages counted once), since watching costs time;
- a rebuild with nothing changed (the same command again) and a cold start (``kg build``
  on one article, imports and dictionary load included).

- with ``--change 0.01 0.1``, a day's news: that fraction of the files changed (added,
  rewritten, corrected, deleted, renamed, reflowed), the build run again into each cold build's
  folder, timed against the cold build, and its exports compared byte for byte with a cold
  build of the changed corpus; then the same change made to a copy of the corpus that a
  ``kg watch`` started on the same cold build is watching, and the rebuild it makes timed the
  same way (what a resident process saves: start-up, jieba's dictionary, reading back what
  the cache holds of the files that did not change).

- with ``--dask N``, a cold build on a Dask LocalCluster of N worker processes (scheduler and
  workers started here, as they would be on other hosts; files shipped to workers as bytes), its
  exports compared byte for byte with the local engine's.

Figures are ratios to the reference, since these machines are shared and noisy. With two
or more corpora it also prints the scaling of per-article time from the first to the last,
and with ``--plot`` draws it, and memory, against corpus size (needs matplotlib:
``pip install -e ".[bench]"``).
Each run appends one JSON line to bench/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from kg.exporting import differing_exports

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.jsonl"

REFERENCE = """
import json, sys, time, jieba, jieba.posseg
jieba.setLogLevel(60)
texts = json.load(open(sys.argv[1], encoding="utf-8"))
jieba.initialize()
start = time.perf_counter()
for t in texts:
    list(jieba.posseg.cut(t, HMM=True))
posseg = time.perf_counter() - start
start = time.perf_counter()
for t in texts:
    jieba.lcut(t)
print(json.dumps({"posseg": posseg, "lcut": time.perf_counter() - start}))
"""


def cleaned_texts(corpus: Path) -> list[str]:
    """The text of every article as the build reads it (boilerplate removed), duplicates included."""
    from kg.model import Article
    from kg.pipeline import article_name, corpus_files, load_file
    from kg.text.load import read_metadata

    metadata = read_metadata(corpus)[0] if corpus.is_dir() else {}
    root = corpus if corpus.is_dir() else None
    texts = []
    for path in corpus_files(corpus):
        name = article_name(path, root)
        record = metadata.get(name, metadata.get(path.name))
        texts += [a.text for a in load_file(path, record, name=name) if isinstance(a, Article)]
    return texts


def reference(texts: list[str]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(texts, f, ensure_ascii=False)
    try:
        # One core, as the issue defines the reference: pinned when the OS allows it.
        pin = ["taskset", "-c", "0"] if _has("taskset") else []
        out = subprocess.run(
            [*pin, sys.executable, "-c", REFERENCE, f.name], check=True, capture_output=True, text=True
        ).stdout
        result: dict[str, float] = json.loads(out)
        return result
    finally:
        os.unlink(f.name)


def _has(command: str) -> bool:
    return any((Path(p) / command).exists() for p in os.environ.get("PATH", "").split(os.pathsep))


def run_build(
    corpus: Path,
    out: Path,
    jobs: int,
    *,
    watch_memory: bool = False,
    extra: tuple[str, ...] = (),
    every: float = 0.05,
) -> dict[str, Any]:
    """``kg build`` as its own process: wall clock and its stage timings; with ``watch_memory``,
    the peak memory of its process tree too.

    Memory is watched in a run of its own, never in the timed one: reading a big process's
    page maps every 50 ms took a core's time from a two-core machine (the ``--jobs 2`` build
    of 10k articles: 47 s alone, 55 s watched). ``every``: seconds between samples."""
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "build",
        str(corpus),
        "--out",
        str(out),
        "-j",
        str(jobs),
        *extra,
    ]
    # Its output to files, not pipes: a build that says more than a pipe holds (a folder of
    # JSON records skipped one by one) would wait on a pipe nobody reads while it is watched.
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as said,
        tempfile.TemporaryFile("w+", encoding="utf-8") as complained,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen([*command, "--timings"], stdout=said, stderr=complained, text=True)
        peak = 0
        watched = psutil.Process(proc.pid)
        while watch_memory and proc.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                # Proportional set size: a page that forked workers share counts once across them
                # (summing RSS would count the parent's copy-on-write pages once per worker).
                peak = max(peak, sum(_pss(p) for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(every)
        proc.wait()
        wall = time.perf_counter() - start
        said.seek(0)
        complained.seek(0)
        stdout, stderr = said.read(), complained.read()
    if proc.returncode:
        raise SystemExit(f"build failed: {stderr}")
    stages = {
        m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"^  (\S.*?)\s+([\d.]+) s$", stdout, re.M)
    }
    read = re.search(r"^articles read: (\d+)", stdout, re.M)
    return {
        "wall": wall,
        "peak_rss_mb": peak / 2**20,
        "stages": stages,
        "up_to_date": "up to date" in stdout,
        "read": int(read.group(1)) if read else None,
    }


def measure_memory(corpus: Path, jobs_list: list[int], every: float) -> dict[str, Any]:
    """``--memory-only``: one cold build for each ``--jobs``, its process tree's memory watched
    every ``every`` seconds, and nothing else (at 100k articles the reference alone takes half
    an hour, and a watched build as long again)."""
    result: dict[str, Any] = {"corpus": str(corpus), "memory_only": True, "every": every, "builds": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in jobs_list:
            watched = run_build(corpus, Path(tmp) / f"watched-{jobs}", jobs, watch_memory=True, every=every)
            result["articles"] = watched["read"]
            result["builds"][jobs] = {"watched": watched}
    return result


def print_memory(r: dict[str, Any]) -> None:
    print(f"\n{r['corpus']}: {r['articles']:,} articles; memory only (sampled every {r['every']} s)")
    for jobs, b in r["builds"].items():
        w = b["watched"]
        print(f"kg build --jobs {jobs} (whole, cold, watched){w['wall']:>12.2f} s")
        for stage, seconds in w["stages"].items():
            print(f"    {stage:<30}{seconds:>9.2f}")
        print(f"    {'peak memory (process tree, PSS)':<30}{w['peak_rss_mb']:>9.0f} MB (2^20 bytes)")


def _pss(process: psutil.Process) -> int:
    try:
        return int(process.memory_full_info().pss)
    except (AttributeError, psutil.AccessDenied):  # not Linux
        return int(process.memory_info().rss)


def dask_build(corpus: Path, out: Path, workers: int, local: Path) -> dict[str, Any]:
    """A cold build on a Dask LocalCluster of ``workers`` processes (one thread each), started
    here as a scheduler and workers would be on other hosts; its exports compared byte for byte
    with the local engine's."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        started = time.perf_counter()
        build = run_build(
            corpus, out, workers, extra=("--engine", "dask", "--scheduler", cluster.scheduler_address)
        )
        build["wall_with_cluster"] = time.perf_counter() - started
    build["workers"] = workers
    build["differs"] = differing_exports(local, out)
    return build


def measure_change(
    corpus: Path, tmp: Path, fraction: float, builds: dict[int, Path], colds: dict[int, float]
) -> dict[str, Any]:
    """A day's news on top of a built corpus: ``fraction`` of its files changed
    (``make_corpus.change``: added, rewritten, corrected, deleted, renamed, reflowed), then
    ``kg build`` again into a copy of each cold build's folder (its cache with it), timed against
    that cold build; then the next day's news (as many files, another seed) built into the same
    folder, as a daily rebuild finds it; and a cold build of the corpus after each day, whose
    exports the rebuilds must equal byte for byte. ``kg watch`` makes the same two changes."""
    import make_corpus  # beside this script, which Python puts first on the path

    days = [tmp / f"changed-{fraction}", tmp / f"changed-{fraction}-next"]
    shutil.copytree(corpus, days[0])
    changed = make_corpus.change(days[0], fraction, DAY_SEEDS[0])
    shutil.copytree(days[0], days[1])
    make_corpus.change(days[1], fraction, DAY_SEEDS[1])
    references = [tmp / f"changed-{fraction}-cold", tmp / f"changed-{fraction}-next-cold"]
    for day, reference in zip(days, references, strict=True):
        run_build(day, reference, max(builds))
    found: dict[str, Any] = {"fraction": fraction, "changed": changed, "builds": {}}
    for jobs, built in builds.items():
        out = tmp / f"changed-{fraction}-{jobs}"
        shutil.copytree(built, out)  # times kept: the folder is the build's, as it left it
        for key, day, reference in zip(("builds", "next_day"), days, references, strict=True):
            rebuild = run_build(day, out, jobs)
            rebuild["of_cold"] = rebuild["wall"] / colds[jobs]
            rebuild["differs"] = differing_exports(out, reference)
            found.setdefault(key, {})[jobs] = rebuild
        shutil.rmtree(out)
        for key, watched in zip(
            ("watched", "watched_next_day"),
            watched_rebuilds(corpus, tmp, fraction, built, jobs, references),
            strict=True,
        ):
            watched["of_cold"] = watched["seconds"] / colds[jobs]
            found.setdefault(key, {})[jobs] = watched
    for folder in (*references, *days):
        shutil.rmtree(folder)
    return found


DAY_SEEDS = (1, 2)  # make_corpus.change's seed for each day's news


def watched_rebuilds(
    corpus: Path, tmp: Path, fraction: float, built: Path, jobs: int, references: list[Path]
) -> list[dict[str, Any]]:
    """The same two days' changes made to a corpus ``kg watch`` is watching, from the same cold
    build: for each, the seconds of the rebuild it makes (from its check of the corpus to its
    exports written, as it reports them), its stages, and how its exports differ from the cold
    build of that day's corpus. The watch checks every 0.2 s; it started up to date, and had
    read what the cache holds of every file before the first change."""
    import make_corpus

    work, out = tmp / "watched-corpus", tmp / "watched-out"
    shutil.copytree(corpus, work)
    shutil.copytree(built, out)
    command = [sys.executable, "-m", "kg.cli", "watch", str(work), "--out", str(out), "-j", str(jobs)]
    proc = subprocess.Popen(
        [*command, "--interval", "0.2", "--timings"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    days: list[dict[str, Any]] = []
    try:
        _line_with(proc.stdout, "watching")  # said just before it waits for its next check
        for seed in DAY_SEEDS:
            # Stopped while the change is made, so that no check sees half of it (and while
            # the last day's exports are compared).
            proc.send_signal(signal.SIGSTOP)
            if days:
                days[-1]["differs"] = differing_exports(out, references[len(days) - 1])
            make_corpus.change(work, fraction, seed)  # the seeds measure_change gives
            proc.send_signal(signal.SIGCONT)
            said = re.search(r"rebuilt in ([\d.]+) s", _line_with(proc.stdout, "rebuilt in"))
            assert said is not None
            stages: dict[str, float] = {}
            while "export html" not in stages and (line := proc.stdout.readline()):
                if m := re.match(r"^  (\S.*?)\s+([\d.]+) s$", line):
                    stages[m.group(1).strip()] = float(m.group(2))
            days.append({"seconds": float(said.group(1)), "stages": stages})
        proc.send_signal(signal.SIGSTOP)
        days[-1]["differs"] = differing_exports(out, references[-1])
    finally:
        # SIGTERM, not SIGINT: a benchmark started in the background passes on an ignored SIGINT.
        proc.send_signal(signal.SIGCONT)
        proc.terminate()
        proc.communicate(timeout=120)
        shutil.rmtree(out)
        shutil.rmtree(work)
    return days


def _line_with(stream: Any, marker: str) -> str:
    """The first line of a process's output holding ``marker``."""
    while line := stream.readline():
        if marker in line:
            return str(line)
    raise SystemExit(f"kg watch ended before saying {marker!r}")


def measure(
    corpus: Path, jobs_list: list[int], repeat: int = 1, dask: int = 0, changes: tuple[float, ...] = ()
) -> dict[str, Any]:
    texts = cleaned_texts(corpus)
    chars = sum(map(len, texts))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    ref = reference(texts)
    result: dict[str, Any] = {
        "corpus": str(corpus),
        "articles": len(texts),
        "chars": chars,
        "mb": round(mb, 3),
        "reference": ref,
        "builds": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in jobs_list:
            out = Path(tmp) / f"out-{jobs}"
            colds = []
            for _ in range(repeat):  # the fastest of ``repeat`` cold builds: noise only ever adds
                shutil.rmtree(out, ignore_errors=True)
                colds.append(run_build(corpus, out, jobs))
            cold = min(colds, key=lambda c: c["wall"])
            cold["walls"] = [c["wall"] for c in colds]
            again = run_build(corpus, out, jobs)
            watched = run_build(corpus, Path(tmp) / f"watched-{jobs}", jobs, watch_memory=True)
            shutil.rmtree(Path(tmp) / f"watched-{jobs}")
            cold["peak_rss_mb"], cold["wall_watched"] = watched["peak_rss_mb"], watched["wall"]
            result["builds"][jobs] = {"cold": cold, "unchanged": again}
        outs = {jobs: Path(tmp) / f"out-{jobs}" for jobs in jobs_list}
        walls = {jobs: result["builds"][jobs]["cold"]["wall"] for jobs in jobs_list}
        result["changes"] = [measure_change(corpus, Path(tmp), f, outs, walls) for f in changes]
        if dask:
            local = Path(tmp) / f"out-{jobs_list[0]}"
            result["dask"] = dask_build(corpus, Path(tmp) / "out-dask", dask, local)
        one = sorted(p for p in corpus.rglob("*.txt"))[:1]
        if one:
            single = Path(tmp) / "one"
            single.mkdir()
            (single / one[0].name).write_bytes(one[0].read_bytes())
            result["cold_start_one_article"] = run_build(single, Path(tmp) / "out-one", 1)["wall"]
    result["quality"] = quality(corpus, max(jobs_list))
    return result


def quality(corpus: Path, jobs: int) -> dict[str, Any]:
    """Extraction and identity scores where the corpus has the generator's gold beside it
    (bench/make_corpus.py writes gold.jsonl and identity.jsonl next to corpus/)."""
    gold, identity = corpus.parent / "gold.jsonl", corpus.parent / "identity.jsonl"
    if not gold.is_file():
        return {}
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "eval",
        "--gold",
        str(gold),
        str(corpus),
        "--json",
        "-j",
        str(jobs),
    ]
    if identity.is_file():
        command += ["--identity", str(identity)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    scores = json.loads(done.stdout)
    return {"micro": scores["micro"], "identity": scores.get("identity", {})}


def print_table(r: dict[str, Any]) -> None:
    posseg = r["reference"]["posseg"]
    print(f"\n{r['corpus']}: {r['articles']:,} articles, {r['chars']:,} characters ({r['mb']:.1f} MB)")
    print(f"{'':<34}{'seconds':>9}{'× posseg':>10}{'articles/s':>12}{'MB/s':>8}")

    def row(name: str, seconds: float) -> None:
        rate = r["articles"] / seconds if seconds else 0
        print(f"{name:<34}{seconds:>9.2f}{seconds / posseg:>10.3f}{rate:>12.0f}{r['mb'] / seconds:>8.2f}")

    row("jieba.posseg, one core (reference)", posseg)
    row("jieba.lcut, one core", r["reference"]["lcut"])
    for jobs, b in r["builds"].items():
        cold, again = b["cold"], b["unchanged"]
        row(f"kg build --jobs {jobs} (whole, cold)", cold["wall"])
        if len(cold.get("walls", [])) > 1:
            print(f"    {'fastest of':<30}" + " ".join(f"{w:.2f}" for w in cold["walls"]) + " s")
        for stage, seconds in cold["stages"].items():
            print(f"    {stage:<30}{seconds:>9.2f}{seconds / posseg:>10.3f}")
        print(
            f"    {'peak memory (process tree, PSS)':<30}{cold['peak_rss_mb']:>9.0f} MB"
            f"   (in a run of its own: {cold['wall_watched']:.1f} s watched)"
        )
        print(
            f"  rebuild, nothing changed{'':<9}{again['wall']:>9.2f}{again['wall'] / posseg:>10.3f}"
            f"   {again['wall'] / cold['wall']:.1%} of cold{'' if again['up_to_date'] else ' (NOT up to date)'}"
        )
    for change in r.get("changes", []):
        what = ", ".join(f"{n} {kind}" for kind, n in change["changed"].items() if n)
        print(f"  {change['fraction']:.0%} of the files changed ({what}):")
        for heading, built, watched in _DAYS:
            if built not in change:
                continue  # a run from before the next day was measured
            if heading:
                print(f"    {heading}:")
            for jobs, b in change[built].items():
                _print_rebuild(f"rebuild --jobs {jobs}", b["wall"], posseg, b)
            for jobs, w in change.get(watched, {}).items():
                _print_rebuild(f"rebuild in kg watch --jobs {jobs}", w["seconds"], posseg, w)
    if d := r.get("dask"):
        row(f"kg build --engine dask, {d['workers']} workers", d["wall"])
        verdict = (
            "byte-identical to the local engine's" if not d["differs"] else f"DIFFER: {d['differs'][:5]}"
        )
        print(f"    exports {verdict}")
    if "cold_start_one_article" in r:
        print(f"cold start, kg build on one article {r['cold_start_one_article']:>8.2f} s")
    if q := r.get("quality"):
        m = q["micro"]
        print(
            f"extraction micro P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} (kg eval, gold.jsonl)"
        )
        for kind, s in q["identity"].items():
            print(
                f"identity {kind:<13} P {s['precision']:.3f} R {s['recall']:.3f}"
                f"  ({s['names']:,} names of {s['entities']:,} real entities on {s['nodes']:,} nodes)"
            )


# Each day's rows in a change's results: a heading, the kg build rebuilds, the kg watch ones.
_DAYS = (
    ("", "builds", "watched"),
    (
        f"the next day, as many files changed again (seed {DAY_SEEDS[1]}), into the same folder",
        "next_day",
        "watched_next_day",
    ),
)


def _print_rebuild(name: str, seconds: float, posseg: float, b: dict[str, Any]) -> None:
    verdict = "byte-identical to a cold build" if not b["differs"] else f"DIFFER: {b['differs'][:5]}"
    print(
        f"    {name:<30}{seconds:>9.2f}{seconds / posseg:>10.3f}   {b['of_cold']:.1%} of cold; exports {verdict}"
    )
    for stage, spent in b["stages"].items():
        print(f"      {stage:<28}{spent:>9.2f}")


def scaling(results: list[dict[str, Any]], jobs_list: list[int]) -> None:
    """Per-article time of the last corpus against the first's, for each --jobs."""
    first, last = results[0], results[-1]
    for jobs in jobs_list:
        per_first = first["builds"][jobs]["cold"]["wall"] / first["articles"]
        per_last = last["builds"][jobs]["cold"]["wall"] / last["articles"]
        print(
            f"scaling --jobs {jobs}: {first['articles']:,} → {last['articles']:,} articles, "
            f"per-article time ×{per_last / per_first:.2f}"
        )


def plot(results: list[dict[str, Any]], jobs_list: list[int], path: Path) -> None:
    """Per-article time (as a ratio to the reference, and in ms) and peak memory against corpus
    size, one line per --jobs, log-scaled sizes."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file
    import matplotlib.pyplot as plt

    sizes = [r["articles"] for r in results]
    fig, (ratio_ax, ms_ax, mem_ax) = plt.subplots(1, 3, figsize=(15, 4.2))
    for jobs in jobs_list:
        walls = [r["builds"][jobs]["cold"]["wall"] for r in results]
        ratio_ax.plot(
            sizes,
            [w / r["reference"]["posseg"] for w, r in zip(walls, results, strict=True)],
            marker="o",
            label=f"--jobs {jobs}",
        )
        ms_ax.plot(
            sizes,
            [1000 * w / n for w, n in zip(walls, sizes, strict=True)],
            marker="o",
            label=f"--jobs {jobs}",
        )
        mem_ax.plot(
            sizes,
            [r["builds"][jobs]["cold"]["peak_rss_mb"] for r in results],
            marker="o",
            label=f"--jobs {jobs}",
        )
    ratio_ax.set_title("cold build ÷ one-core posseg over the same text")
    ms_ax.set_title("cold build, ms per article")
    mem_ax.set_title("peak memory, MB (PSS of the process tree)")
    for ax in (ratio_ax, ms_ax, mem_ax):
        ax.set_xscale("log")
        ax.set_xlabel("articles")
        ax.grid(True, alpha=0.3)
        ax.legend()
    ratio_ax.axhline(0.75, color="#e4572e", linestyle="--", linewidth=0.8)
    ratio_ax.axhline(0.45, color="#e4572e", linestyle=":", linewidth=0.8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpora", nargs="*", type=Path, default=[ROOT / "corpus"])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="Cold builds per --jobs; the fastest is shown.")
    parser.add_argument("--no-record", action="store_true", help="Do not append to bench/results.jsonl.")
    parser.add_argument(
        "--dask",
        type=int,
        default=0,
        metavar="N",
        help="Also build on a Dask LocalCluster of N worker processes and compare its exports.",
    )
    parser.add_argument(
        "--change",
        type=float,
        nargs="+",
        default=[],
        metavar="FRACTION",
        help="Also change this fraction of the files (0.01 = 1%%) and time the rebuild against the cold build.",
    )
    parser.add_argument(
        "--plot", type=Path, help="With several corpora: draw time and memory against corpus size (PNG)."
    )
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="Only a cold build per --jobs with its memory watched: no reference, rebuild or quality.",
    )
    parser.add_argument(
        "--watch-every", type=float, default=0.05, metavar="SECONDS", help="Seconds between memory samples."
    )
    args = parser.parse_args()
    if args.memory_only:
        results = [measure_memory(corpus, args.jobs, args.watch_every) for corpus in args.corpora]
        for r in results:
            print_memory(r)
    else:
        results = [
            measure(corpus, args.jobs, max(1, args.repeat), args.dask, tuple(args.change))
            for corpus in args.corpora
        ]
        for r in results:
            print_table(r)
        if len(results) > 1:
            scaling(results, args.jobs)
        if args.plot and len(results) > 1:
            plot(results, args.jobs, args.plot)
            print(f"plot: {args.plot}")
    if not args.no_record:
        record = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip(),
            "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
            "results": results,
        }
        with RESULTS.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

"""Whether a build's output is up to date: a digest of everything it depends on, stamped beside
the exports, and the last build's report read back when nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from kg.cache import code_fingerprint, content_digest
from kg.exporters.atomic import write_text
from kg.pipeline import CorpusScan, corpus_files
from kg.text.load import METADATA_FILE

CACHE_DIR = ".kg-cache"
MEMO_DIR = "sections"  # in CACHE_DIR: what the sectioned exports keep for the next build


def build_key(
    corpus_dir: Path, formats: Sequence[str], only: Collection[str], max_bytes: int, out: Path | None = None
) -> tuple[str, CorpusScan]:
    """A digest of everything a build's output depends on: each file's bytes, options, code;
    with the files as read for it, which the build reads no second time (``CorpusScan``).

    With ``out``, each file's digest is kept in its cache (``SCAN_FILE``), and a file that has
    not been written since is not read again: the same device, inode, size, modification and
    change times, all older than that scan by ``SETTLED_NS`` (a file written in the same clock
    tick as it was read could keep its times; git's index guards the same way). At 100k
    articles, reading and hashing every file took 8 s of a build that changed nothing."""
    digest = hashlib.sha256(json.dumps([code_fingerprint(), list(formats), sorted(only), max_bytes]).encode())
    root = corpus_dir if corpus_dir.is_dir() else corpus_dir.parent
    kept = out / CACHE_DIR / SCAN_FILE if out is not None else None
    known = _settled(kept, root) if kept is not None else {}
    started = time.time_ns()
    scan = CorpusScan(corpus_files(corpus_dir, out))
    seen: dict[str, list[Any]] = {}
    digested = False  # whether any file was read: then the kept scan is out of date
    under = str(root) + os.sep  # the files' names under it, cut rather than parsed (pathlib's cost)
    for path in scan.files:
        full = str(path)
        shown = full[len(under) :] if full.startswith(under) else str(path.relative_to(root))
        digest.update(os.fsencode(shown) + b"\0")  # any bytes a file name holds
        try:
            # Its size and time before its bytes: a file written while it is read then differs.
            stat = path.stat()
            times = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
            found = known.get(shown)
            content = found[1] if found is not None and found[0] == times else None
            if content is None:
                raw, digested = path.read_bytes(), True
                content = content_digest(raw) if len(raw) == stat.st_size else None
                if content is None:  # written while read: its digest is of what was read, kept nowhere
                    digest.update(content_digest(raw))
                    continue
        except OSError as exc:
            digest.update(str(exc).encode())
            continue
        digest.update(content)
        scan.contents[path] = (stat.st_size, stat.st_mtime_ns, content)
        seen[shown] = [*times, content.hex()]
    metadata = root / METADATA_FILE
    if metadata.is_file():
        digest.update(metadata.read_bytes())
    # Nothing read: every file seen was kept as it was, so the scan is kept unless files went.
    if kept is not None and (digested or len(seen) != len(known)):
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_text(kept, json.dumps({"root": str(root.resolve()), "scanned": started, "files": seen}))
    return digest.hexdigest(), scan


SCAN_FILE = "scan.json"  # each corpus file's digest, with its device, inode, size and times
# How long before a scan a file must have been written last for its digest to be kept: more than
# the coarsest file-time tick (FAT's 2 s).
SETTLED_NS = 3_000_000_000


def _settled(kept: Path, root: Path) -> dict[str, tuple[list[int], bytes]]:
    """name → (device, inode, size, mtime, ctime), digest of each file the last scan of ``root``
    read, unless it was written within ``SETTLED_NS`` of that scan; nothing when the file is not
    a scan of this corpus, or not as ``build_key`` writes it."""
    try:
        data = json.loads(kept.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("root") != str(root.resolve()):
            return {}
        before = int(data["scanned"]) - SETTLED_NS
        found: dict[str, tuple[list[int], bytes]] = {}
        for name, entry in dict(data["files"]).items():
            *times, content = entry
            times = [int(t) for t in times]
            if (
                len(times) == 5
                and isinstance(content, str)
                and len(content) == 64
                and max(times[3:]) < before
            ):
                found[str(name)] = (times, bytes.fromhex(content))
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def stamps_of(paths: Sequence[Path]) -> dict[str, list[int]]:
    """name → [size, mtime in ns]: enough to notice an export deleted or edited since."""
    stamps = {}
    for path in paths:
        st = path.stat()
        stamps[path.name] = [st.st_size, st.st_mtime_ns]
    return stamps


def unchanged(stamp: Path, report: Path, key: str) -> tuple[dict[str, Any], list[Path]] | None:
    """The last build's report and outputs, when it was built from the same key and its
    exports are intact; None when anything differs."""
    try:
        last = json.loads(stamp.read_text(encoding="utf-8"))
        stamps = last["outputs"]
        if last["key"] != key:
            return None
        paths = [report.parent / name for name in stamps]
        if stamps_of(paths) != stamps:
            return None
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    return data, [p for p in paths if p.is_file()]

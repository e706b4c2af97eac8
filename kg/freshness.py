"""Whether a build's output is up to date: a digest of everything it depends on, stamped beside
the exports, and the last build's report read back when nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from kg.cache import code_fingerprint, content_digest
from kg.pipeline import CorpusScan, corpus_files
from kg.text.load import METADATA_FILE

CACHE_DIR = ".kg-cache"


def build_key(
    corpus_dir: Path, formats: Sequence[str], only: Collection[str], max_bytes: int, out: Path | None = None
) -> tuple[str, CorpusScan]:
    """A digest of everything a build's output depends on: each file's bytes, options, code;
    with the files as read for it, which the build reads no second time (``CorpusScan``)."""
    digest = hashlib.sha256(json.dumps([code_fingerprint(), list(formats), sorted(only), max_bytes]).encode())
    root = corpus_dir if corpus_dir.is_dir() else corpus_dir.parent
    scan = CorpusScan(corpus_files(corpus_dir, out))
    for path in scan.files:
        digest.update(os.fsencode(path.relative_to(root)) + b"\0")  # any bytes a file name holds
        try:
            # Its size and time before its bytes: a file written while it is read then differs.
            stat = path.stat()
            raw = path.read_bytes()
        except OSError as exc:
            digest.update(str(exc).encode())
            continue
        content = content_digest(raw)
        digest.update(content)
        if len(raw) == stat.st_size:
            scan.contents[path] = (stat.st_size, stat.st_mtime_ns, content)
    metadata = root / METADATA_FILE
    if metadata.is_file():
        digest.update(metadata.read_bytes())
    return digest.hexdigest(), scan


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

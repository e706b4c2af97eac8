"""Bytes in every encoding the field uses; bad files get a reason, not a crash."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.text.load import load_article

TEXT = "城南区人民医院召开2023年度工作会议\n2023-03-06\n3月5日上午,城南区人民医院召开2023年度工作会议。"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("gb18030", TEXT.encode("gbk")),
        ("utf-16", TEXT.encode("utf-16")),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    article = load_article(path)
    assert article.encoding == encoding
    assert article.title == "城南区人民医院召开2023年度工作会议"
    assert article.published == "2023-03-06"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  \n", "white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"abc \xff\xff\xff\xff def", "decodable"),
        (b"Only English words in this file.", "no Chinese"),
    ],
)
def test_bad_files_say_why(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason):
        load_article(path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(TEXT * 100, encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        load_article(path, max_bytes=1000)


def test_html_page(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>城南区人民医院召开2023年度工作会议</title>"
        "<script>var x = '党委书记张三主持';</script><style>p{color:red}</style></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><h1>城南区人民医院召开2023年度工作会议</h1>"
        "<p>3月5日上午,城南区人民医院召开2023年度工作会议。</p><p>党委书记欧阳明远主持会议。</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    article = load_article(path)
    assert article.title == "城南区人民医院召开2023年度工作会议"
    assert "欧阳明远主持会议" in article.text
    assert "var x" not in article.text and "color:red" not in article.text


def test_big5_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "tw.txt"
    path.write_bytes("臺東市立醫院召開年度工作會議\n院長林志明主持會議,全體醫護人員參加。".encode("big5"))
    assert load_article(path).encoding.startswith("big5")

"""Bad inputs: every failure is an IngestError naming the file, the problem and the fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ids import article_id_for
from index.loading import SUPPORTED_EXTENSIONS
from index.models import Article, IngestError
from tests.conftest import REPO
from tests.index.test_loading import BAD, load, one_article, one_error


def test_jsonl_bad_lines_are_reported_and_the_rest_is_read() -> None:
    path = BAD / "mixed.jsonl"
    items = load(path)
    errors = [i for i in items if isinstance(i, IngestError)]
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.path for a in articles] == [f"{path}#L1", f"{path}#L5"]
    assert [e.path for e in errors] == [f"{path}#L2", f"{path}#L4"]
    assert "line 2 is not valid JSON" in errors[0].message
    assert 'no "body", "text" or "content" field' in errors[1].message
    assert all(str(path) in e.message for e in errors)


BAD_FILES = [
    ("empty.txt", b"", "is empty"),
    ("blank.md", b"  \n\t\n  ", "only whitespace"),
    ("only_controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08", "binary"),
    (
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "binary file (it contains NUL bytes)",
    ),
    ("noise.html", bytes(range(1, 32)) * 40 + b"<p>hi</p>", "binary file (mostly control"),
    ("shiftjis.txt", "東京で記者会見が開かれた。".encode("shift_jis") * 20, "is not UTF-8"),
    ("broken.json", b'{"title": "x",\n "body": }', "not valid JSON: Expecting value at line 2"),
    (
        "unfinished.json",
        b'{"body": "abc',
        "JSON: Unterminated string starting at line 1, column 10",
    ),
    ("unfinished.jsonl", b'{"body": "abc', "Unterminated string starting at column 10"),
    ("string.json", b'"just a string"', "not an object or a list"),
    ("empty_list.json", b"[]", "empty list"),
    ("no_body.json", b'{"title": "Only a title", "date": "2024-01-01"}', 'no "body"'),
    ("number_body.json", b'{"body": 42}', 'field "body" is a int, not a string'),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nests JSON too deeply"),
    ("deep.jsonl", b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "line 1 nests JSON too deeply"),
    ("spaces_body.json", b'{"body": "   \\n  "}', "no article text"),
]


@pytest.mark.parametrize(("name", "content", "problem"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_gives_an_actionable_error(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert problem in one_error(path)


def test_html_without_main_text() -> None:
    assert "no article text found in this HTML page" in one_error(BAD / "nav_only.html")


def test_json_list_item_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([{"body": "A fine article about the harbor."}, 7]))
    good, bad = load(path)
    assert isinstance(good, Article) and good.path == f"{path}#1"
    assert isinstance(bad, IngestError) and bad.path == f"{path}#2"
    assert "is a JSON int, not an object" in bad.message


def test_missing_path_and_broken_link(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    first, second = load(missing, link)
    assert isinstance(first, IngestError) and "nope.txt: does not exist" in first.message
    assert isinstance(second, IngestError) and "broken symbolic link" in second.message


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 GB that would never fit in memory
        handle.truncate(50 * 10**9)
    message = one_error(path, limit=20 * 1024 * 1024)
    assert "is 47683.7 MB, over the 20 MB limit" in message
    assert "NEWSDESK_MAX_FILE_MB" in message


def test_unsupported_file_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert "unsupported file type '.pdf'" in one_error(path)


_UNREADABLE_PROBE = """
import os, pwd, sys
from index.loading import iter_articles
nobody = pwd.getpwnam("nobody")
os.setgid(nobody.pw_gid)
os.setuid(nobody.pw_uid)  # after the imports: the interpreter may live under /root
for item in iter_articles([sys.argv[1]], 10**6):
    print(item.message)
"""


def test_unreadable_file(tmp_path: Path) -> None:
    # subtle: root reads any file, so as root the loader runs as "nobody" in a child.
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)
        path = Path(folder) / "secret.txt"
        path.write_text("A perfectly good article nobody may read.")
        path.chmod(0)
        if os.geteuid() == 0:
            run = subprocess.run(
                [sys.executable, "-c", _UNREADABLE_PROBE, str(path)],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            message = run.stdout
        else:
            [item] = load(path)
            message = item.message
    assert f"{path}: cannot be read (permission denied)" in message
    assert "chmod" in message


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    text = "Café owners cheer\n\n“Señor Ruiz’s café reopened,” the mayor said — at last.\n"
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        data = "\ufeff".encode(codec) + text.encode(codec)
    else:
        data = text.encode(encoding)
    path = tmp_path / "cafe.txt"
    path.write_bytes(data)
    article = one_article(path)
    assert article.title == "Café owners cheer"
    assert article.text == "“Señor Ruiz’s café reopened,” the mayor said — at last."


def test_utf8_with_one_damaged_byte_is_still_utf8(tmp_path: Path) -> None:
    path = tmp_path / "damaged.txt"
    text = "“The café’s owner,” she said, “is Señor Núñez.”"
    path.write_bytes(text.encode() + b" Broken \xff byte. " + text.encode())
    article = one_article(path)
    assert article.text == f"{text} Broken \ufffd byte. {text}"


def test_utf8_cut_inside_its_last_character(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("The São Paulo café reopened, its owner said é".encode()[:-1])
    assert one_article(path).text == "The São Paulo café reopened, its owner said"


def test_text_is_normalised_before_offsets(tmp_path: Path) -> None:
    path = tmp_path / "messy.txt"
    path.write_bytes(
        b"Storm warning issued   \r\n\r\nWinds\x07 reach 90\x7f km/h.\t \r\n\r\n\r\n"
        b"\r\nSchools\x1b close early.   \r\n"
    )
    article = one_article(path)
    assert article.title == "Storm warning issued"
    assert article.text == "Winds reach 90 km/h.\n\nSchools close early."


CONTENT = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda text: text.encode("utf-8")),
    st.lists(st.text(max_size=40), max_size=4).map(
        lambda lines: "\n".join(
            json.dumps({"title": line, "body": line}) for line in lines
        ).encode()
    ),
)


@settings(max_examples=80, deadline=None)
@given(content=CONTENT, extension=st.sampled_from(sorted(SUPPORTED_EXTENSIONS)))
def test_any_content_gives_clean_articles_or_named_errors(content: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(content)
        for item in load(path):
            if isinstance(item, IngestError):
                assert str(path) in item.message
                continue
            text = item.text
            assert text and text == text.strip() and "\r" not in text
            assert not any(line != line.rstrip() for line in text.split("\n"))
            assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
            assert item.article_id == article_id_for(text) and item.title

"""Loading articles from every supported format, and refusing bad inputs clearly."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ids import article_id_for, content_hash
from index.loading import SUPPORTED_EXTENSIONS, iter_articles
from index.models import Article, IngestError
from index.sentences import split_sentences
from tests.conftest import REPO, SEEDS

DATA = Path(__file__).resolve().parents[1] / "data" / "articles"
GOOD, BAD = DATA / "good", DATA / "bad"
LIMIT = 1_000_000


def load(*paths: str | Path, limit: int = LIMIT) -> list[Article | IngestError]:
    return list(iter_articles(paths, limit))


def one_article(path: Path) -> Article:
    [item] = load(path)
    assert isinstance(item, Article), item
    assert item.path == str(path)
    assert item.article_id == article_id_for(item.text)
    return item


def one_error(path: Path, limit: int = LIMIT) -> str:
    [item] = load(path, limit=limit)
    assert isinstance(item, IngestError), item
    assert str(path) in item.message  # the message names the file…
    assert " — " in item.message  # …and says what to do
    return item.message


def test_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}


def test_txt_headline_and_ap_dateline() -> None:
    article = one_article(GOOD / "headline.txt")
    assert article.title == "Harbor ferry service resumes after storm"
    assert article.text.startswith("PORTVILLE, Maine (AP) — Ferry service")  # dateline kept
    assert article.extra["place"] == "Portville, Maine"
    assert article.source == "Associated Press"
    assert article.text.endswith("“Nobody wants that again.”")


def test_txt_without_headline_takes_title_from_first_sentence() -> None:
    article = one_article(GOOD / "lede_only.txt")
    assert article.text.startswith("The city council of Lindenfield voted")
    assert article.title.startswith("The city council of Lindenfield voted 7-2")
    assert article.title.endswith("…") and len(article.title) <= 81
    assert article.source is None and "place" not in article.extra


def test_seed_article_dateline_title_and_sentences() -> None:
    [seed] = sorted(SEEDS.glob("*.txt"))
    article = one_article(seed)
    assert article.text.startswith("QAMISHLI, Syria (AP) —")
    assert article.title.startswith("Russian troops have begun withdrawing")
    assert article.extra["place"] == "Qamishli, Syria"
    assert article.source == "Associated Press"
    assert len(split_sentences(article.text)) == 17


def test_markdown_heading_becomes_title() -> None:
    article = one_article(GOOD / "story.md")
    assert article.title == "Orchard growers count frost damage"
    assert article.text.startswith("Apple growers in the Vell valley")
    assert "#" not in article.text


def test_markdown_front_matter_fills_metadata(tmp_path: Path) -> None:
    path = tmp_path / "front.md"
    path.write_text(
        '---\ntitle: Valley frost\ndate: 2024-04-02\nsource: "Vell Post"\n'
        "author: Jo Park\ntags: farming\n---\n\n# Frost hits orchards\n\nGrowers lost blossoms.\n"
    )
    article = one_article(path)
    assert (article.title, article.date, article.source) == (
        "Valley frost",
        "2024-04-02",
        "Vell Post",
    )
    assert article.author == "Jo Park" and article.extra == {"tags": "farming"}
    assert article.text == "Growers lost blossoms."


def test_markdown_underlined_heading(tmp_path: Path) -> None:
    path = tmp_path / "setext.md"
    path.write_text("Frost hits orchards\n===================\n\nGrowers lost blossoms.\n")
    article = one_article(path)
    assert (article.title, article.text) == ("Frost hits orchards", "Growers lost blossoms.")


def test_a_rule_is_not_a_headline(tmp_path: Path) -> None:
    path = tmp_path / "rule.txt"
    path.write_text("***\nThe vote was close. Counting took all night.\n")
    article = one_article(path)
    assert article.title == "The vote was close."
    assert article.text.startswith("***")


@pytest.mark.parametrize("extension", [".html", ".htm"])
def test_html_main_text_and_metadata(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"page{extension}"
    path.write_bytes((GOOD / "page.html").read_bytes())
    article = one_article(path)
    assert article.title == "Observatory names new comet"
    assert article.date == "2024-03-14"
    assert article.author == "Priya Natarajan"
    assert article.url == "https://skyline.example/science/new-comet"
    assert article.source == "Skyline Gazette"
    assert article.text.startswith("Astronomers at the Hollins Ridge Observatory")
    assert "900 years" in article.text
    for boilerplate in ("Home", "Advertisement", "Copyright", "tracker"):
        assert boilerplate not in article.text


def test_jsonl_fields_extra_and_line_paths() -> None:
    path = GOOD / "records.jsonl"
    first, second = load(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.path, second.path) == (f"{path}#L1", f"{path}#L2")
    assert first.title == "Rail strike ends"
    assert (first.date, first.source) == ("2024-02-09", "Tarsk Herald")
    assert first.url == "https://herald.example/rail"
    assert first.author == "A. Ruiz, B. Chen"
    assert first.extra == {"section": "business"}
    assert second.date == "2024-02-11"  # RFC 2822 "published_at"
    assert second.title.startswith("A museum in Orlova reopened")


def test_json_list_items_and_date_policy() -> None:
    path = GOOD / "list.json"
    first, second = load(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.path, second.path) == (f"{path}#1", f"{path}#2")
    assert first.date == "2024-03-03"
    assert second.date is None and second.extra["date_raw"] == "not a date"


def test_json_single_object() -> None:
    article = one_article(GOOD / "single.json")
    assert article.date == "2024-05-20"
    assert article.source == "Brandt Courier"
    assert article.extra == {"tags": ["education", "food"]}


def test_json_file_holding_json_lines_and_paragraph_lists(tmp_path: Path) -> None:
    path = tmp_path / "actually_lines.json"
    records = [{"body": ["First paragraph here.", "Second one."]}, {"text": "Another story."}]
    path.write_text("\n".join(json.dumps(r) for r in records))
    first, second = load(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == "First paragraph here.\n\nSecond one."
    assert (first.path, second.path) == (f"{path}#L1", f"{path}#L2")


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
    ("string.json", b'"just a string"', "not an object or a list"),
    ("empty_list.json", b"[]", "empty list"),
    ("no_body.json", b'{"title": "Only a title", "date": "2024-01-01"}', 'no "body"'),
    ("number_body.json", b'{"body": 42}', 'field "body" is a int, not a string'),
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


def test_text_is_normalised_before_offsets(tmp_path: Path) -> None:
    path = tmp_path / "messy.txt"
    path.write_bytes(
        b"Storm warning issued   \r\n\r\nWinds\x07 reach 90\x7f km/h.\t \r\n\r\n\r\n"
        b"\r\nSchools\x1b close early.   \r\n"
    )
    article = one_article(path)
    assert article.title == "Storm warning issued"
    assert article.text == "Winds reach 90 km/h.\n\nSchools close early."


def test_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    def write(rel: str) -> None:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"A short story about {rel} and the people of the town.")

    for rel in [
        "b.txt",
        "a/z.md",
        "a/b/c.txt",
        "a/.draft.txt",
        ".git/x.txt",
        "notes.pdf",
        "c.htm.bak",
        "d.JSONL",
    ]:
        write(rel)
    (tmp_path / "d.JSONL").write_text('{"body": "Story d from a JSON Lines file."}\n')
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # a link loop must not hang
    items = load(tmp_path)
    assert all(isinstance(i, Article) for i in items), items
    relative = [str(Path(i.path).relative_to(tmp_path)) for i in items]
    assert relative == ["b.txt", "d.JSONL#L1", "a/z.md", "a/b/c.txt"]


def test_folder_without_articles_is_reported(tmp_path: Path) -> None:
    (tmp_path / "readme.pdf").write_bytes(b"%PDF")
    [item] = load(tmp_path)
    assert isinstance(item, IngestError) and "has no article files" in item.message


def test_same_text_in_two_formats_has_the_same_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Harbor news\n\nThe ferry runs again.  It is on time.\n")
    (tmp_path / "b.json").write_text(
        json.dumps({"title": "Other title", "body": "The ferry runs again. It is on time."})
    )
    first, second = load(tmp_path / "a.txt", tmp_path / "b.json")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.article_id == second.article_id


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


@pytest.mark.parametrize(
    "change",
    [
        {"text": "The ferry runs again, on time."},
        {"title": "Ferries back"},
        {"date": "2024-01-02"},
        {"source": "Harbor Times"},
        {"url": "https://harbor.example/2"},
        {"author": "Sam Lee"},
    ],
)
def test_content_hash_follows_text_and_metadata(change: dict[str, str]) -> None:
    article = Article(
        article_id="x",
        title="Ferry",
        text="The ferry runs again.",
        date="2024-01-01",
        source="Harbor News",
        url="https://harbor.example/1",
        author="Ann Oduya",
        path="a.txt",
    )
    assert content_hash(dataclasses.replace(article, **change)) != content_hash(article)
    assert content_hash(dataclasses.replace(article, path="moved/a.txt")) == content_hash(article)
    assert article_id_for("The  FERRY runs\nagain.") == article_id_for(article.text)

"""Loading articles from every supported format, walking folders, and stable ids."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from index.ids import article_id_for, content_hash
from index.loading import SUPPORTED_EXTENSIONS, iter_articles
from index.models import Article, IngestError
from index.sentences import split_sentences
from tests.conftest import SEEDS

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

"""What the page says instead of terminal wording: badges, browser hints, hidden paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import SearchFilter, Settings
from index.errors import IndexBusy
from index.loading import iter_articles
from ui.badges import filter_badges_html, filter_labels
from ui.paths import hide_paths
from ui.upload_words import for_browser


@pytest.mark.parametrize(
    ("flt", "labels"),
    [
        (None, []),
        (SearchFilter(), []),
        (SearchFilter(sources=("AP", "Reuters")), ["Outlet: AP", "Outlet: Reuters"]),
        (SearchFilter(since="2025-01-01", until="2025-01-31"), ["Dates: 2025-01-01 – 2025-01-31"]),
        (SearchFilter(since="2025-01-05", until="2025-01-05"), ["Date: 2025-01-05"]),
        (SearchFilter(since="2025-01-05"), ["From 2025-01-05"]),
        (SearchFilter(until="2025-01-05"), ["Until 2025-01-05"]),
        (SearchFilter(article_ids=("a",)), ["1 chosen article"]),
    ],
)
def test_each_active_filter_gets_one_label(flt: SearchFilter | None, labels: list[str]) -> None:
    assert filter_labels(flt) == labels
    assert (filter_badges_html(flt) == "") == (not labels)


def test_an_outlet_name_is_escaped_in_its_badge() -> None:
    badges = filter_badges_html(SearchFilter(sources=("<b onmouseover=x>Post</b>",)))
    assert "<b " not in badges and "&lt;b onmouseover=x&gt;Post&lt;/b&gt;" in badges


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.json", b'{"body": "unfinished'), ("broken.json", b'{"body": }')],
)
def test_a_json_error_keeps_its_spot_and_drops_the_terminal_hint(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (error,) = iter_articles([path], 10**6)
    assert "python -m json.tool" in error.message  # right for the CLI
    shown = for_browser(error.message)
    assert "json.tool" not in shown and "text editor" in shown
    assert "at line 1, column" in shown and "at at" not in shown


def test_an_over_size_upload_is_told_to_split_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    (error,) = iter_articles([path], 100)
    assert "NEWSDESK_MAX_FILE_MB" in error.message
    shown = for_browser(error.message)
    assert "NEWSDESK_MAX_FILE_MB" not in shown and "split it into smaller files" in shown


def test_store_paths_are_hidden_unless_asked_for(tmp_path: Path) -> None:
    store = tmp_path / "store"
    message = str(IndexBusy(f"another ingest is writing to {store} (lock {store}/ingest.lock)"))
    hidden = hide_paths(message, Settings(store_dir=store))
    assert str(tmp_path) not in hidden
    assert hidden == ("another ingest is writing to the index folder (lock the index folder)")
    assert hide_paths(message, Settings(store_dir=store, show_paths=True)) == message
    assert hide_paths(message, None) == message

"""Count messages agree in number: the helper and the CLI lines that use it."""

from __future__ import annotations

import pytest

from qa.words import plural


@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (0, "chunk", None, "0 chunks"),
        (1, "chunk", None, "1 chunk"),
        (2, "new chunk", None, "2 new chunks"),
        (1, "new chunk", None, "1 new chunk"),
        (1200, "article", None, "1,200 articles"),
        (1, "match", "matches", "1 match"),
        (3, "match", "matches", "3 matches"),
    ],
)
def test_plural_agrees_with_the_count(count, noun, many, expected):
    assert plural(count, noun, many) == expected


def test_cli_ingest_and_delete_of_one_article_speak_in_the_singular(tmp_path, capsys):
    from qa.cli import main

    article = tmp_path / "one.txt"
    article.write_text(
        "Harbour reopens\n\nThe harbour of Kelby reopened on Monday after the storm.\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as ingest:
        main(["ingest", str(article)])
    out = capsys.readouterr().out
    assert ingest.value.code == 0
    assert out.startswith("1 article in ") and "1 chunk added; 0 errors" in out
    with pytest.raises(SystemExit):
        main(["delete", str(article)])
    assert capsys.readouterr().out.strip() == f"{article}: 1 article removed"

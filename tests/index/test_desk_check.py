"""An upload's articles are checked against the sender's desks before anything is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.desk_check import check_desks
from index.errors import DeskNotHeld

MB = 1024 * 1024


def upload(tmp_path: Path, *records: dict) -> Path:
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (folder / "b.txt").write_text("Plain headline\n\nA plain article with no desk.\n")
    return folder


@pytest.mark.parametrize(
    ("holds", "default", "records", "refused"),
    [
        (None, None, [{"body": "x", "desk": "politics"}], None),  # the local user: any desk
        (frozenset(), None, [{"body": "x"}], None),  # holds no desk: desk-less only
        (frozenset(), None, [{"body": "x", "desk": "politics"}], "politics"),
        (frozenset({"sports"}), "sports", [{"body": "x"}], None),  # the default desk applies
        (frozenset({"sports"}), "sports", [{"body": "x", "desk": " SPORTS"}], None),
        (frozenset({"sports"}), "sports", [{"body": "x", "desk": "Politics"}], "politics"),
        (frozenset({"sports"}), "sports", [{"body": "x", "desk": None}], "no desk"),
        (frozenset({"sports", "politics"}), None, [{"body": "x", "desk": "politics"}], "no desk"),
    ],
)
def test_check_desks(tmp_path, holds, default, records, refused) -> None:
    folder = upload(tmp_path, *records)
    if refused is None:
        check_desks([folder], holds, default, MB)
        return
    with pytest.raises(DeskNotHeld) as caught:
        check_desks([folder], holds, default, MB)
    message = str(caught.value)
    assert "nothing was added" in message and str(folder) in message
    assert ("names no desk" in message) if refused == "no desk" else (f"'{refused}'" in message)


def test_records_ingest_would_refuse_are_left_to_ingest(tmp_path) -> None:
    folder = upload(tmp_path, {"title": "no body"}, {"body": "x", "embargo_until": "soon"})
    (folder / "b.txt").unlink()
    check_desks([folder], frozenset(), None, MB)  # nothing readable lands anywhere

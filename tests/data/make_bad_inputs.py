"""Build the bad-input corpus: the committed text fixtures plus generated hostile files.

Text fixtures live in ``tests/data/bad/`` (small, reviewable). Everything binary,
large or special (a 20 MB line, a FIFO, symlink loops, UTF-16, NUL bytes) is
generated here into a scratch folder at test time and never committed.

Each case says what a user must see: the problem named in the message (a
regular expression) and a marker word from the bad content that must end up in
no index. ``GOOD`` files are real articles that must be ingested in the same
batch. ``ACCEPTED`` files are odd but decodable text that the loader's decode
policy (``index/loaders/common.py``) promises to read correctly.

Usage: ``python tests/data/make_bad_inputs.py DEST`` writes the corpus to DEST.
"""

from __future__ import annotations

import codecs
import gzip
import os
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "bad"
LINE_20MB = 20_000_000
OVERSIZE_BYTES = 1_500_000  # tested with NEWSDESK_MAX_FILE_MB=1
DEEP = 100_000  # nesting depth of the deep JSON cases
DEEP_HTML = 40_000  # <div> depth of the deep HTML case (stays under the 1 MB test limit)


@dataclass(frozen=True)
class Bad:
    """An input that must be refused with a clear message and leave nothing behind."""

    name: str
    path: str  # relative to the corpus folder, as given to the CLI
    problem: str  # regex the error message must match (case-insensitive)
    marker: str | None = None  # a word of the bad content that no index may hold
    where: str | None = None  # the error's path when it is not ``path`` (file#L2, a link)


@dataclass(frozen=True)
class Accepted:
    """Odd but decodable text: ingested, with exactly this text stored."""

    name: str
    path: str
    expect: str  # must appear in the stored article text
    reject: str = ""  # must not appear (mojibake, control characters)


GOOD = {  # path -> a word of its text
    "good_1.txt": "zqxgoodone",
    "good_2.md": "zqxgoodtwo",
    "good_3.json": "zqxgoodthree",
    "good article ü 名.txt": "zqxgoododdname",
    "bad_line.jsonl#L1": "zqxgoodlineone",  # the good lines of a file with one bad line
    "bad_line.jsonl#L3": "zqxgoodlinethree",
    "loopdir/inside_loop.txt": "zqxinsideloop",
}

BAD = [
    Bad("empty", "empty.txt", r"is empty"),
    Bad("whitespace-only", "whitespace_only.md", r"only whitespace"),
    Bad("malformed-json", "malformed.json", r"not valid JSON.*line 1", "zqxmalformed"),
    Bad("trailing-comma-json", "trailing_comma.json", r"not valid JSON.*line 1", "zqxcomma"),
    Bad(
        "jsonl-bad-line",
        "bad_line.jsonl",
        r"line 2 is not valid JSON",
        "zqxbadline",
        where="bad_line.jsonl#L2",
    ),
    Bad(
        "jsonl-non-object",
        "non_object_line.jsonl",
        r"JSON list, not an object",
        "zqxarray",
        where="non_object_line.jsonl#L1",
    ),
    Bad(
        "json-no-body",
        "no_body.json",
        r'no "body".*fields: date, source, summary, title',
        "zqxnobody",
    ),
    Bad(
        "json-body-not-string",
        "body_not_string.json",
        r'"body" is a int, not a string',
        "zqxnumber",
    ),
    Bad("json-scalar", "scalar.json", r"holds a JSON str", "zqxscalar"),
    Bad("json-empty-list", "empty_list.json", r"empty list"),
    Bad("html-nav-only", "nav_only.html", r"no article text found", "zqxnav"),
    Bad("html-script-only", "script_only.html", r"no article text found", "zqxscript"),
    Bad(
        "html-deeply-nested",
        "deep_nested.html",
        r"no article text|could not be parsed",
        "zqxdeephtml",
    ),
    Bad("odd-name-bad-json", "odd name ñ 名 (bad).json", r"not valid JSON", "zqxoddname"),
    Bad("unsupported-type", "notes.pdf", r"unsupported file type '\.pdf'", "zqxpdf"),
    Bad("png-as-txt", "png_as_text.txt", r"binary file"),
    Bad("random-bytes-md", "random_bytes.md", r"binary file|not UTF-8"),
    Bad("gzip-as-json", "gzip_as.json", r"binary file|not UTF-8"),
    Bad("utf16-without-bom", "utf16_nobom.txt", r"binary file \(it contains NUL bytes\)", None),
    Bad("bom-then-garbage", "bad_bom.txt", r"byte-order mark but is not valid"),
    Bad("nul-bytes", "nul_bytes.txt", r"NUL bytes", "zqxnulbytes"),
    Bad("mostly-control-chars", "controls_many.txt", r"mostly control characters"),
    Bad("single-20mb-line", "line_20mb.txt", r"over the .* limit.*NEWSDESK_MAX_FILE_MB"),
    Bad(
        "over-size-limit", "oversize.txt", r"over the .* limit.*NEWSDESK_MAX_FILE_MB", "zqxoversize"
    ),
    Bad("fifo", "fifo.txt", r"not a regular file"),
    Bad("link-to-dev-zero", "devzero.txt", r"not a regular file"),
    Bad("broken-symlink", "broken_link.txt", r"broken symbolic link"),
    Bad(
        "symlink-file-loop",
        "loopdir",
        r"cannot be read \(Too many levels of symbolic links\)",
        where="loopdir/selfloop.txt",
    ),
    Bad("missing-path", "missing.txt", r"does not exist"),
    Bad("folder-without-articles", "empty_dir", r"has no article files"),
    Bad("unreadable-permissions", "unreadable.txt", r"permission denied", "zqxunreadable"),
    # JSON nested deeper than Python's parser recurses (RecursionError, not JSONDecodeError)
    Bad("deep-json-array", "deep/deep_array.json", r"nests JSON too deeply"),
    Bad("deep-json-object", "deep/deep_object.json", r"nests JSON too deeply", "zqxdeepobject"),
    Bad(
        "deep-jsonl-line",
        "deep/deep_line.jsonl",
        r"nests JSON too deeply",
        where="deep/deep_line.jsonl#L1",
    ),
]

ACCEPTED = [
    Accepted("latin-1", "latin1.txt", "Le café de la gare a rouvert", "Ã"),
    Accepted("cp1252-quotes", "cp1252.txt", "“a new chapter” for the town’s €2 million", "â€"),
    Accepted("utf16-le-bom", "utf16_bom.txt", "The café reopened on Monday", "\ufeff"),
    Accepted("utf16-be-bom", "utf16be_bom.md", "Le musée de Halwick a rouvert", "\ufeff"),
    Accepted("utf8-bom", "utf8_bom.txt", "Le théâtre de Jarrow", "\ufeff"),
    Accepted("few-control-chars", "controls_few.txt", "Storm hits the coast of Glenbrook", "\x07"),
    Accepted("truncated-utf8", "truncated_utf8.txt", "São Paulo café", "Ã"),
    Accepted("damaged-utf8", "damaged_utf8.txt", "Zoë and Renée met at the café in Montréal", "Ã"),
]


def _text(words: str, marker: str) -> str:
    return (
        f"{words} The {marker} council said the work would finish before the summer "
        "and that residents would be told about road closures in advance."
    )


def _generate(dest: Path, seed: int) -> None:
    rng = random.Random(seed)
    w = dest.joinpath
    w("png_as_text.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000))
    w("random_bytes.md").write_bytes(rng.randbytes(4096))
    w("gzip_as.json").write_bytes(gzip.compress(b'{"title": "x", "body": "zqxgzip text"}' * 50))
    w("utf16_nobom.txt").write_bytes(_text("Plain story.", "zqxutf16").encode("utf-16-le"))
    w("bad_bom.txt").write_bytes(codecs.BOM_UTF16_LE + b"A\x00B\x00\x00\xd8")  # lone surrogate
    w("nul_bytes.txt").write_bytes(
        _text("Harbour works.", "zqxnulbytes").encode().replace(b" ", b" \x00", 3)
    )
    w("controls_many.txt").write_bytes(bytes(rng.randrange(1, 9) for _ in range(3000)))
    with w("line_20mb.txt").open("wb") as handle:  # one line, no newline at all
        chunk = b"harbour council budget river bridge mayor tunnel vote. " * 1000
        while handle.tell() < LINE_20MB:
            handle.write(chunk[: LINE_20MB - handle.tell()])
    body = _text("Oversize file.", "zqxoversize") + "\n"
    w("oversize.txt").write_text(body * (OVERSIZE_BYTES // len(body) + 1))
    prose = _text("<p>The harbour bridge reopened.", "zqxdeephtml") + "</p>"
    w("deep_nested.html").write_text(
        "<html><body>" + "<div>" * DEEP_HTML + prose + "</div>" * DEEP_HTML + "</body></html>"
    )
    w("latin1.txt").write_bytes(
        "Le café de la gare a rouvert lundi après les inondations de l'été.".encode("latin-1")
    )
    w("cp1252.txt").write_bytes(
        "The mayor called the reopening “a new chapter” for the town’s €2 million harbour.".encode(
            "cp1252"
        )
    )
    w("utf16_bom.txt").write_bytes(
        "The café reopened on Monday after the floods in the harbour town.".encode("utf-16")
    )
    w("utf16be_bom.md").write_bytes(
        codecs.BOM_UTF16_BE
        + "Le musée de Halwick a rouvert ses portes mardi après deux ans de travaux.".encode(
            "utf-16-be"
        )
    )
    w("utf8_bom.txt").write_bytes(
        codecs.BOM_UTF8
        + "Le théâtre de Jarrow présente une "
        "nouvelle pièce cet hiver, a annoncé la mairie.".encode()
    )
    w("controls_few.txt").write_text(
        "Storm\x07 hits the coast of Glenbrook\x1b on Monday and "
        "floods the harbour road.\x0c Schools stay closed.\n"
    )
    w("truncated_utf8.txt").write_bytes(
        "The São Paulo café reopened on Monday after the flood, its owner said é".encode()[:-1]
    )
    w("damaged_utf8.txt").write_bytes(
        "Zoë and Renée met at the café in Montréal on Friday to plan the festival.".encode().replace(
            b"Friday", b"Fri\xffday"
        )
    )
    os.mkfifo(w("fifo.txt"))
    w("devzero.txt").symlink_to("/dev/zero")
    w("broken_link.txt").symlink_to(dest / "nowhere" / "gone.txt")
    loop = w("loopdir")
    loop.mkdir()
    (loop / "inside_loop.txt").write_text(
        "Lighthouse keeper retires in Ivybridge\n\n"
        + _text("The lighthouse keeper retired.", "zqxinsideloop")
    )
    (loop / "again").symlink_to(loop, target_is_directory=True)  # a folder loop
    (loop / "selfloop.txt").symlink_to(loop / "selfloop.txt")  # a file loop
    w("empty_dir").mkdir()
    unreadable = w("unreadable.txt")
    unreadable.write_text(_text("Secret memo.", "zqxunreadable"))
    unreadable.chmod(0)
    deep = w("deep")
    deep.mkdir()
    (deep / "deep_array.json").write_text("[" * DEEP + "]" * DEEP)
    (deep / "deep_object.json").write_text(
        '{"title": "zqxdeepobject", "body": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}"
    )
    (deep / "deep_line.jsonl").write_text("[" * DEEP + "]" * DEEP + "\n")


def build_corpus(dest: Path, seed: int = 7) -> Path:
    """Copy the committed fixtures into ``dest`` and generate the rest; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in FIXTURES.iterdir():
        shutil.copy2(item, dest / item.name)
    _generate(dest, seed)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/data/make_bad_inputs.py DEST")
    print(build_corpus(Path(sys.argv[1])))

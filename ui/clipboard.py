"""The "Copy answer" button: an answer and its numbered sources as plain text, to paste anywhere.

Streamlit has no clipboard API, so the button is a tiny page in an iframe
(``st.iframe``, which Streamlit allows ``clipboard-write``) that calls
``navigator.clipboard.writeText``, falling back to ``execCommand("copy")``
where the page is not a secure context (plain http on another host). The
text travels only as a JSON string literal with ``<``, ``>`` and ``&``
escaped, so article text can never close the script or become markup.
"""

from __future__ import annotations

import json

import streamlit as st

from qa import Answer

_LABEL = "Copy answer"

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: "Source Sans Pro", "Source Sans 3", system-ui, sans-serif; }
button { font: inherit; font-size: 0.875rem; color: rgb(49, 51, 63); background: #fff;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.25rem 0.75rem;
  min-height: 2.1rem; cursor: pointer; }
button:hover { border-color: #b45309; color: #b45309; }
</style></head><body>
<button type="button" id="copy" aria-live="polite" data-testid="ndCopyAnswer">__ND_LABEL__</button>
<script>
const text = __ND_TEXT__;
const button = document.getElementById("copy");
function fallback() {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch (e) { done = false; }
  area.remove();
  return done;
}
button.addEventListener("click", async () => {
  let done = false;
  try { await navigator.clipboard.writeText(text); done = true; } catch (e) { done = fallback(); }
  button.textContent = done ? "Copied" : "Could not copy: select the text instead";
  setTimeout(() => { button.textContent = "__ND_LABEL__"; }, 2500);
});
</script></body></html>
"""


def answer_text(answer: Answer) -> str:
    """The answer, then each numbered source: title, outlet · date, url, and the quote."""
    lines = [answer.text.strip()]
    if answer.citations and not answer.refused:
        lines += ["", "Sources:"]
        for c in answer.citations:
            where = " · ".join(p for p in (c.source, c.date) if p)
            lines.append(f"[{c.n}] {c.title or 'Untitled'}" + (f" — {where}" if where else ""))
            if c.url:
                lines.append(f"    {c.url}")
            lines.append(f"    “{' '.join(c.quote.split())}”")
    return "\n".join(lines) + "\n"


def script_literal(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside a ``<script>`` element."""
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def copy_button(answer: Answer) -> None:
    """A button under the answer that copies :func:`answer_text` to the clipboard."""
    page = _PAGE.replace("__ND_LABEL__", _LABEL).replace(
        "__ND_TEXT__", script_literal(answer_text(answer))
    )
    st.iframe(page, height=44)

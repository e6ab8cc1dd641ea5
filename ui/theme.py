"""The page's look: source cards, highlighted quotes, refusals. CSS only, no content."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
.nd-sources-label { font-size: 0.78rem; font-weight: 600; letter-spacing: .06em;
  text-transform: uppercase; color: #6b7280; margin: 0.2rem 0 0.4rem; }
.nd-card { border: 1px solid rgba(49, 51, 63, 0.14); border-radius: 0.6rem;
  padding: 0.75rem 0.95rem; margin: 0 0 0.6rem; background: rgba(250, 250, 252, 0.9);
  scroll-margin-top: 4.5rem; transition: box-shadow .2s, border-color .2s; }
.nd-card:target { border-color: #d97706; box-shadow: 0 0 0 3px rgba(217, 119, 6, 0.22); }
.nd-head { display: flex; gap: 0.55rem; align-items: baseline; }
.nd-n { flex: none; min-width: 1.45rem; height: 1.45rem; border-radius: 0.4rem;
  background: #1f2937; color: #fff; font-size: 0.78rem; font-weight: 700;
  display: inline-flex; align-items: center; justify-content: center; }
.nd-title { font-weight: 600; line-height: 1.35; }
.nd-meta { color: #6b7280; font-size: 0.83rem; margin: 0.15rem 0 0.45rem; }
.nd-meta a { color: #b45309; text-decoration: none; }
.nd-meta a:hover { text-decoration: underline; }
.nd-context { margin: 0; font-size: 0.92rem; line-height: 1.6; color: #374151; }
.nd-context mark { background: #fde68a; color: #111827; padding: 0.05rem 0.15rem;
  border-radius: 0.2rem; }
.nd-passage .nd-context { color: #4b5563; }
.nd-refusal { border: 1px dashed #9ca3af; border-radius: 0.6rem; padding: 0.7rem 0.95rem;
  background: #f3f4f6; color: #374151; font-style: italic; display: flex; gap: 0.6rem; }
.nd-timeline { list-style: none; margin: 0.2rem 0 0.6rem; padding: 0 0 0 1rem;
  border-left: 2px solid #d97706; }
.nd-tl-event { position: relative; margin: 0 0 0.55rem; }
.nd-tl-event::before { content: ""; position: absolute; left: -1.36rem; top: 0.45rem;
  width: 0.6rem; height: 0.6rem; border-radius: 50%; background: #d97706; }
.nd-tl-date { display: block; font-weight: 600; font-size: 0.85rem; color: #92400e; }
.nd-tl-cite { text-decoration: none; font-weight: 600; }
.nd-refusal-icon { font-style: normal; font-weight: 700; color: #6b7280; }
.nd-filters { display: flex; flex-wrap: wrap; gap: 0.3rem 0.35rem; align-items: center;
  font-size: 0.8rem; margin: 0 0 0.35rem; }
.nd-filters-lead { color: #6b7280; font-weight: 600; }
.nd-badge { background: #fef3c7; color: #92400e; border: 1px solid #fcd34d;
  border-radius: 999px; padding: 0.05rem 0.55rem; max-width: 100%; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
.nd-conflict, .nd-update { border-left: 4px solid #dc2626; background: #fef2f2;
  border-radius: 0.45rem; padding: 0.5rem 0.8rem; margin: 0.2rem 0 0.6rem;
  font-size: 0.9rem; line-height: 1.5; overflow-wrap: anywhere; }
.nd-update { border-left-color: #2563eb; background: #eff6ff; }
.nd-flag { font-weight: 700; color: #991b1b; margin-right: 0.3rem; }
.nd-flag-update { color: #1e40af; }
.nd-sides { margin: 0.25rem 0 0; padding-left: 1.1rem; }
.nd-value { font-weight: 600; color: #111827; }
.nd-side-meta, .nd-was { color: #6b7280; font-size: 0.85em; }
.nd-cite { color: #b45309; font-weight: 600; text-decoration: none; }
.stChatMessage a[href^="#cite-"] { text-decoration: none; font-weight: 600;
  font-size: 0.8em; vertical-align: super; color: #b45309; padding: 0 0.05rem; }
</style>
"""


def apply_theme() -> None:
    """Inject the stylesheet once per run (it renders no visible element)."""
    st.html(_CSS)

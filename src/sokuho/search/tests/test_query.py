import os
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sokuho.ja.analysis import index_terms
from sokuho.search.query import (
    FTS5_TOKENIZE,
    MAX_TERMS,
    Clause,
    Query,
    highlight_terms,
    parse_query,
    to_fts5,
    to_tsquery,
)

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

DOCS = {
    "tokyo": "東京都の知事が会見した。",
    "kyoto": "京都府の知事が会見した。",
    "ai": "ＡＩを活用する企業が増えている。",
    "computer": "ｺﾝﾋﾟｭｰﾀ関連株が上昇した。",
    "violin": "バイオリン奏者のウィットモア氏が来日した。",
    "sansha": "三者協議が２０日に開かれた。",
    "anna": "市民団体のアンナ・ベルク共同代表が批判した。",
    "genpatsu": "原発の廃炉に向けた工程表で合意した。",
    "taifu": "台風１５号が上陸する恐れがある。",
    "nichigin": "日銀の総裁が講演した。",
}

HOSTILE = [
    "",
    " ",
    "　",
    "-",
    "--",
    "- -",
    "OR",
    "OR OR",
    "|",
    "｜｜",
    '"',
    '""',
    '"""',
    "「",
    "」",
    "『』",
    "＂",
    '"東京',
    "東京「都",
    "*",
    "東京*",
    "NEAR(東京 京都)",
    "NEAR(",
    "body:東京",
    "{body}: 東京",
    "^東京",
    "東京 AND NOT 京都",
    "東京 + 京都",
    "'; DROP TABLE t; --",
    "' OR 1=1 --",
    "\\'\\\\",
    "東京\x00京都",
    "\x00",
    "東京\ud800",
    "!!!???...",
    "★☆♪",
    "(((",
    ")",
    "東京 " * 200,
    "東" * 5000,
    "\ufdfa" * 50,
    "-東京",
    "-東京 -京都",
    "OR 東京 OR",
    "東京 OR -京都",
    "'東京' & !'京都' <-> '都':*",
    "の が を に",
]

FTS5_STRING = r'"(?:[^"]|"")*"'
FTS5_GRAMMAR = re.compile(rf"(?:\s*(?:{FTS5_STRING}|\(|\)|\+|\bAND\b|\bOR\b|\bNOT\b))*\s*")
TSQUERY_LEXEME = r"'(?:[^'\\]|''|\\.)*'"
TSQUERY_GRAMMAR = re.compile(rf"(?:\s*(?:{TSQUERY_LEXEME}|\(|\)|<->|&|\||!))*\s*")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Overrides the project-wide fixture: pure functions, no Django cache to clear."""
    yield


def fts5_table(tokenize: str = FTS5_TOKENIZE) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, body, tokenize="{tokenize}")')
    rows = [(key, " ".join(index_terms(text))) for key, text in DOCS.items()]
    db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    return db


@pytest.fixture(scope="module", params=[FTS5_TOKENIZE, "unicode61"])
def db(request):
    connection = fts5_table(request.param)
    yield connection
    connection.close()


def search(db: sqlite3.Connection, text: str) -> set[str]:
    expression = to_fts5(parse_query(text))
    if not expression:
        return set()
    return {key for (key,) in db.execute("SELECT key FROM t WHERE t MATCH ?", (expression,))}


def fts5_strings(expression: str) -> list[str]:
    return [s[1:-1].replace('""', '"') for s in re.findall(FTS5_STRING, expression)]


# -- parsing -------------------------------------------------------------------------------


def test_words_are_and_and_japanese_words_are_phrases():
    query = parse_query("東京都知事 台風")
    assert query.groups == (
        (Clause(("東京", "都", "知事")),),
        (Clause(("台風",)),),
    )
    assert query.excluded == ()
    assert not query.is_empty


@pytest.mark.parametrize("text", ["東京　台風", "東京 台風", "  東京\t\n台風  "])
def test_ascii_and_full_width_spaces_separate_words(text):
    assert parse_query(text) == parse_query("東京 台風")


@pytest.mark.parametrize(
    "text", ['"東京 知事"', "「東京 知事」", "『東京 知事』", "＂東京 知事＂", "“東京 知事”"]
)
def test_phrase_quotes(text):
    assert parse_query(text).groups == ((Clause(("東京", "知事")),),)


def test_unbalanced_quote_runs_to_the_end():
    assert parse_query('台風 "東京 知事').groups == (
        (Clause(("台風",)),),
        (Clause(("東京", "知事")),),
    )


@pytest.mark.parametrize("text", ["台風 -京都", "台風 －京都", "-京都 台風", "台風 --京都"])
def test_excluded_words(text):
    query = parse_query(text)
    assert query.groups == ((Clause(("台風",)),),)
    assert query.excluded == (Clause(("京都",)),)


def test_excluded_phrase_and_compound_alternative():
    query = parse_query('台風 -"東京都"')
    assert query.excluded == (Clause(("東京", "都")), Clause(("東京都",)))


def test_dash_inside_a_word_is_not_an_exclusion():
    assert parse_query("wi-fi").groups == ((Clause(("wi", "fi")),),)


@pytest.mark.parametrize("text", ["原発 OR 廃炉", "原発 | 廃炉", "原発｜廃炉", "原発 OR OR 廃炉"])
def test_or(text):
    assert parse_query(text).groups == ((Clause(("原発",)), Clause(("廃炉",))),)


def test_or_binds_neighbours_only():
    assert parse_query("台風 原発 OR 廃炉 日銀").groups == (
        (Clause(("台風",)),),
        (Clause(("原発",)), Clause(("廃炉",))),
        (Clause(("日銀",)),),
    )


@pytest.mark.parametrize("text", ["原発 or 廃炉", "原発 Or 廃炉"])
def test_only_uppercase_or_is_an_operator(text):
    assert parse_query(text).groups == (
        (Clause(("原発",)),),
        (Clause(("or",)),),
        (Clause(("廃炉",)),),
    )


@pytest.mark.parametrize("text", ["OR 原発", "原発 OR", "原発 OR -京都"])
def test_dangling_or_is_ignored(text):
    assert parse_query(text).groups == ((Clause(("原発",)),),)


def test_compound_word_has_an_alternative():
    assert parse_query("三者").groups == ((Clause(("三", "者")), Clause(("三者",))),)


@pytest.mark.parametrize("text", ["-京都", "の", "★", "", "-京都 -東京", "OR"])
def test_no_positive_word_is_an_empty_query(text):
    query = parse_query(text)
    assert query.is_empty
    assert query == Query()
    assert to_fts5(query) == to_tsquery(query) == ""
    assert highlight_terms(query) == set()


def test_duplicates_are_dropped():
    assert parse_query("台風 台風 ＡＩ ai").groups == ((Clause(("台風",)),), (Clause(("ai",)),))


def test_limits():
    query = parse_query(" ".join(f"語{i}" for i in range(100)))
    assert sum(len(c.terms) for g in query.groups for c in g) <= MAX_TERMS
    query = parse_query("東" * 5000)
    assert 0 < sum(len(c.terms) for g in query.groups for c in g) <= MAX_TERMS


def test_highlight_terms():
    query = parse_query("三者 原発 OR 廃炉 -京都")
    assert highlight_terms(query) == {"三", "者", "三者", "原発", "廃炉"}


# -- compilers -----------------------------------------------------------------------------


def test_to_fts5():
    assert to_fts5(parse_query("東京都知事 原発 OR 廃炉 -京都")) == (
        '("東京" + "都" + "知事" AND ("原発" OR "廃炉")) NOT "京都"'
    )
    assert to_fts5(parse_query("三者 -東京都")) == (
        '("三" + "者" OR "三者") NOT ("東京" + "都" OR "東京都")'
    )


def test_to_tsquery():
    assert to_tsquery(parse_query("東京都知事 原発 OR 廃炉 -京都")) == (
        "('東京' <-> '都' <-> '知事') & ('原発' | '廃炉') & !'京都'"
    )
    assert to_tsquery(parse_query("三者 -東京都")) == (
        "(('三' <-> '者') | '三者') & !(('東京' <-> '都') | '東京都')"
    )


def test_compilers_quote_whatever_a_query_holds():
    """Queries built by hand, not by the parser, are quoted too."""
    query = Query(((Clause(('a"b', "c'd\\")),), (Clause(("",)), Clause(("x",)))))
    assert to_fts5(query) == '"a""b" + "c\'d\\" AND "x"'
    assert to_tsquery(query) == "('a\"b' <-> 'c''d\\\\') & 'x'"
    assert to_fts5(Query(((Clause(("",)),),))) == ""


# -- hostile input -------------------------------------------------------------------------


def check_query(text: str, db: sqlite3.Connection) -> None:
    query = parse_query(text)
    fts5 = to_fts5(query)
    tsquery = to_tsquery(query)
    assert FTS5_GRAMMAR.fullmatch(fts5), fts5
    assert TSQUERY_GRAMMAR.fullmatch(tsquery), tsquery
    terms = [t for g in query.groups for c in g for t in c.terms]
    terms += [t for c in query.excluded for t in c.terms]
    assert len(terms) <= MAX_TERMS
    assert set(fts5_strings(fts5)) == set(terms)
    if fts5:
        db.execute("SELECT key FROM t WHERE t MATCH ?", (fts5,)).fetchall()
    else:
        assert query.is_empty and not tsquery


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_are_harmless(text, db):
    check_query(text, db)


QUERY_CHARS = st.sampled_from(
    [*"\"「」『』“”＂-－ 　|｜()*:^+{}'\\;\x00", "OR", "NOT", "AND", "NEAR", "東京", "京都", "三者"]
)


@SETTINGS
@given(st.text() | st.lists(QUERY_CHARS | st.characters(), max_size=60).map("".join))
@example("東京\ud800 -\udfff京都")
def test_any_query_is_harmless(text):
    with fts5_table() as db:
        check_query(text, db)


def test_non_string_is_an_empty_query():
    assert parse_query(None).is_empty  # type: ignore[arg-type]


# -- FTS5 end to end -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("京都", {"kyoto"}),
        ("東京都", {"tokyo"}),
        ("東京", {"tokyo"}),
        ("知事", {"tokyo", "kyoto"}),
        ("知事 -京都", {"tokyo"}),
        ('"知事が会見"', {"tokyo", "kyoto"}),
        ("「会見 知事」", set()),
        ("AI", {"ai"}),
        ("ａｉ", {"ai"}),
        ("コンピューター", {"computer"}),
        ("コンピュータ", {"computer"}),
        ("ヴァイオリン", {"violin"}),
        ("ウィトモア", {"violin"}),
        ("三者", {"sansha"}),
        ("協議", {"sansha"}),
        ("三者協議", {"sansha"}),
        ("三", {"sansha"}),
        ("アンナ・ベルク", {"anna"}),
        ("ベルク", {"anna"}),
        ('"アンナ ベルク"', {"anna"}),
        ("原発 OR 台風", {"genpatsu", "taifu"}),
        ("原発 台風", set()),
        ("日銀", {"nichigin"}),
        ("(日銀)", {"nichigin"}),
        ("日銀*", {"nichigin"}),
        ("^日銀:", {"nichigin"}),
    ],
)
def test_fts5_search(db, text, expected):
    assert search(db, text) == expected


def test_fts5_query_with_nothing_to_match_finds_nothing(db):
    assert search(db, "の") == set()


@SETTINGS
@given(st.text(max_size=200))
@example("Zürich café हिन्दी け゚ ㇷ゚ 𠮷野家 Wi-Fi 1,234人")
def test_fts5_tokenize_keeps_every_term_as_one_token(text):
    """With FTS5_TOKENIZE, FTS5's tokens for an indexed row are exactly index_terms."""
    terms = index_terms(text)
    with sqlite3.connect(":memory:") as db:
        db.execute(f'CREATE VIRTUAL TABLE t USING fts5(body, tokenize="{FTS5_TOKENIZE}")')
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        db.execute("INSERT INTO t VALUES (?)", (" ".join(terms),))
        tokens = [term for (term,) in db.execute("SELECT term FROM v ORDER BY offset")]
    assert tokens == terms


def test_default_unicode61_would_fold_terms_again():
    """Why FTS5_TOKENIZE is not plain unicode61: it strips diacritics and marks."""
    terms = index_terms("Zürich हिन्दी")
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61')")
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        db.execute("INSERT INTO t VALUES (?)", (" ".join(terms),))
        tokens = [term for (term,) in db.execute("SELECT term FROM v ORDER BY offset")]
    assert terms == ["zürich", "हिन्दी"]
    assert tokens == ["zurich", "ह", "न", "द"]


# -- PostgreSQL, when the project's DATABASE_URL points at one -----------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="DATABASE_URL is not a PostgreSQL URL",
)
def test_tsquery_against_postgresql():
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:

        def matches(text: str, query: str) -> bool:
            tsquery = to_tsquery(parse_query(query))
            row = connection.execute(
                "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
                (" ".join(index_terms(text)), tsquery),
            ).fetchone()
            return row[0]

        assert matches(DOCS["tokyo"], "東京都")
        assert matches(DOCS["tokyo"], "知事 -京都")
        assert not matches(DOCS["tokyo"], "京都")
        assert matches(DOCS["sansha"], "三者協議")
        assert matches(DOCS["anna"], "「アンナ ベルク」")
        for text in HOSTILE:
            tsquery = to_tsquery(parse_query(text))
            if tsquery:
                connection.execute("SELECT to_tsquery('simple', %s)", (tsquery,))

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sudachipy import SplitMode

from sokuho.ja import analysis
from sokuho.ja.analysis import (
    fold_katakana,
    index_terms,
    normalize_text,
    nouns,
    query_compound,
    query_terms,
    sudachi_config,
    term_spans,
)

ARTICLE = (
    "青葉市と港北県、国の三者協議が２０日、県庁で開かれ、老朽化した原子力発電所（原発）の廃炉に"
    "向けた工程表について大筋で合意した。費用は総額で約１兆２千億円、1,234人が署名した。"
    "市民団体のアンナ・ベルク共同代表は「住民説明会の回数が少なすぎる」と批判した。\n"
    "台風１５号の接近に伴い、JR東海は東海道新幹線の計画運休を検討している。日銀の総裁は"
    "ＡＩ（人工知能）を活用した業務効率化に触れ、ｺﾝﾋﾟｭｰﾀ関連株への買いが目立った。"
    "東京都の知事は京都府の知事と会談した。ヴァイオリン奏者のウィットモア氏も来日した。"
)

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Overrides the project-wide fixture: pure functions, no Django cache to clear."""
    yield


def contains_phrase(terms: list[str], phrase: list[str]) -> bool:
    """Whether ``phrase`` occurs as consecutive items of ``terms`` (what FTS5 matches)."""
    return bool(phrase) and any(
        terms[i : i + len(phrase)] == phrase for i in range(len(terms) - len(phrase) + 1)
    )


def finds(text: str, word: str) -> bool:
    """A search for ``word`` finds ``text``: its query terms are adjacent in the index."""
    return contains_phrase(index_terms(text), query_terms(word))


# -- normalisation and folding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＩ", "ai"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("Ｔｏｋｙｏ　２０２６", "tokyo 2026"),
    ],
)
def test_normalize_text_is_nfkc_and_lowercase(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ウィットモア", "ウイトモア"),
        ("ウィトモア", "ウイトモア"),
        ("ウイットモア", "ウイトモア"),
        ("ヴァイオリン", "バイオリン"),
        ("ヴィーナス", "ビナス"),
        ("ヴェネツィア", "ベネツイア"),
        ("ヴォーカル", "ボカル"),
        ("ヴ", "ブ"),
        ("レヴュー", "レビュ"),
        ("コンピューター", "コンピュタ"),
        ("コンピュータ", "コンピュタ"),
        ("ー", ""),
        ("東京", "東京"),
        ("ai", "ai"),
    ],
)
def test_fold_katakana(term, expected):
    assert fold_katakana(term) == expected


@given(st.text())
def test_fold_katakana_is_idempotent(term):
    once = fold_katakana(term)
    assert fold_katakana(once) == once
    assert not set(once) & set("ーッァィゥェォヴ")


# -- variants find each other --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("ＡＩ", "AI"),
        ("AI", "ａｉ"),
        ("ｺﾝﾋﾟｭｰﾀ", "コンピューター"),
        ("コンピュータ", "コンピューター"),
        ("コンピューター", "ｺﾝﾋﾟｭｰﾀｰ"),
        ("ヴァイオリン", "バイオリン"),
        ("バイオリン", "ｳﾞｧｲｵﾘﾝ"),
        ("ウィットモア", "ウィトモア"),
        ("ウィトモア", "ウィットモア"),
        ("ウイルス", "ウィルス"),
        ("附属", "付属"),
        ("1,234人", "1234人"),
        ("Ｗｉ－Ｆｉ", "wi-fi"),
    ],
)
def test_spelling_and_width_variants_match(written, searched):
    assert query_terms(written) == query_terms(searched)
    assert finds(f"記者会見で{written}について説明した。", searched)


@pytest.mark.parametrize("word", ["原発", "台風", "日銀"])
def test_news_words_are_single_terms(word):
    assert query_terms(word) == [word]
    assert word in index_terms(ARTICLE)


def test_sansha_kyogi_found_by_parts_and_whole():
    text = "三者協議が２０日に開かれた。"
    terms = index_terms(text)
    for word in ["三者", "協議", "三者協議", "三"]:
        assert finds(text, word), word
    assert "三者" in terms  # the mode C compound as an extra term
    assert "3" not in terms


def test_numbers_are_not_normalised():
    """sudachidict-core's config would give 3 for 三 here, but 三 inside 三者."""
    assert query_terms("三") == ["三"]
    assert query_terms("三人") == ["三", "人"]
    assert query_terms("一万二千円")[0] == "一万二千"
    assert "12000" not in index_terms("一万二千円")
    assert query_terms("500円") == query_terms("５００円") == ["500", "円"]
    plugins = {p["class"].rsplit(".", 1)[-1]: p for p in sudachi_config()["pathRewritePlugin"]}
    assert plugins["JoinNumericPlugin"]["enableNormalize"] is False


def test_kyoto_does_not_match_tokyo_to():
    tokyo = "東京都の知事が会見した。"
    kyoto = "京都府の知事が会見した。"
    assert "京都" not in index_terms(tokyo)
    assert not finds(tokyo, "京都")
    assert finds(kyoto, "京都")
    assert finds(tokyo, "東京都")
    assert not finds(kyoto, "東京都")
    assert not finds(kyoto, "東京")


@pytest.mark.parametrize(
    "searched", ["アンナ・ベルク", "アンナ＝ベルク", "アンナ ベルク", "ｱﾝﾅ･ﾍﾞﾙｸ"]
)
def test_names_with_nakaguro(searched):
    assert query_terms(searched) == ["アンナ", "ベルク"]
    assert finds(ARTICLE, searched)
    assert finds(ARTICLE, "アンナ")
    assert finds(ARTICLE, "ベルク")


def test_rare_kanji_outside_the_dictionary_are_kept():
    """Sudachi tags unknown kanji such as 𠮷 as 補助記号; they must not vanish."""
    assert query_terms("𠮷野家") == ["𠮷", "野家"]
    assert "𩸽" in nouns("𩸽を焼いた")


# -- what is indexed -----------------------------------------------------------------------


def test_particles_auxiliaries_punctuation_and_space_are_not_indexed():
    terms = index_terms("東京の知事が、会見で「説明した」と述べた。\n　！？ ★")
    assert not {"の", "が", "で", "と", "た", "、", "。", "「", "」", "★", " ", "\n"} & set(terms)
    assert query_terms("東京の知事") == query_terms("東京 知事") == ["東京", "知事"]
    assert index_terms("、。「」！？ 　\n・…★") == []


def test_verbs_are_indexed_in_dictionary_form():
    assert finds("協議が始まった。", "始まる")
    assert finds("協議が始まる。", "始まった")


def test_mode_a_terms_come_first_then_mode_c_compounds():
    text = "東京都知事選挙と三者協議"
    a_terms = query_terms(text)
    terms = index_terms(text)
    assert terms[: len(a_terms)] == a_terms
    compounds = terms[len(a_terms) :]
    assert "東京都知事選挙" in compounds
    assert "三者" in compounds
    assert not set(compounds) & set(a_terms)


def test_mode_c_split_gives_the_same_terms_as_a_mode_a_pass():
    tokenizer = analysis._get_dictionary().tokenizer(SplitMode.A)
    direct = [
        term
        for m in tokenizer.tokenize(ARTICLE)
        if analysis._pos_class(m) != analysis._POS_DROP
        for term in analysis._form_terms(m.normalized_form())
    ]
    assert query_terms(ARTICLE) == direct


def test_query_compound():
    assert query_compound("三者") == "三者"
    assert query_compound("東京都") == "東京都"
    assert query_compound("東京都知事選挙") == "東京都知事選挙"
    assert query_compound("台風") is None  # not split in mode A
    assert query_compound("三者協議") is None  # two mode C words
    assert query_compound("") is None


def test_nouns_are_content_words():
    found = nouns("今回、三者協議で彼は原発について2件のことを述べた。青葉市の市長も出席した。")
    assert {"協議", "三者", "原発", "市長", "青葉"} <= set(found)
    for not_content in ["今回", "彼", "2", "三", "こと", "述べる", "の", "も"]:
        assert not_content not in found
    assert nouns("それは彼が") == []


def test_nouns_normalise_like_index_terms():
    assert nouns("ｺﾝﾋﾟｭｰﾀとヴァイオリン") == ["コンピュタ", "バイオリン"]
    assert set(nouns(ARTICLE)) <= set(index_terms(ARTICLE))


def test_term_spans_point_into_the_original_text():
    text = "𠮷野家で「ｺﾝﾋﾟｭｰﾀ」と東京都知事。"
    spans = term_spans(text)
    assert [span.term for span in spans] == query_terms(text)
    surfaces = [text[span.start : span.end] for span in spans]
    assert surfaces == ["𠮷", "野家", "ｺﾝﾋﾟｭｰﾀ", "東京", "都", "知事"]


def test_term_spans_across_chunks():
    text = ("台風が上陸した。" * 700) + "日銀"  # longer than one chunk
    spans = term_spans(text)
    assert len(text) > analysis.CHUNK_CHARS
    assert all(text[s.start : s.end] in {"台風", "上陸", "し", "日銀"} for s in spans)
    assert text[spans[-1].start : spans[-1].end] == "日銀"


# -- robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00",
        "東京\ud800都",  # lone surrogate: Sudachi cannot encode it
        "\ufdfa" * 3000,  # expands 18-fold under NFKC: over Sudachi's input limit
        "ア" * 60_000,
        "東京都" * 20_000,
        "a" * 100_000,
        "\u3099\u309a゛゜",
    ],
)
def test_awkward_text_never_raises(text):
    for function in (index_terms, query_terms, nouns, term_spans, query_compound):
        function(text)


def test_long_text_is_chunked_without_losing_terms():
    text = "台風が上陸した。" * 2000
    assert index_terms(text).count("台風") == 2000


def is_term(term: str) -> bool:
    categories = {unicodedata.category(char) for char in term}
    return (
        bool(term)
        and all(c[0] in "LNM" or c == "Co" for c in categories)
        and any(c[0] in "LN" for c in categories)
    )


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_gives_well_formed_terms(text):
    terms = index_terms(text)
    assert all(is_term(term) for term in terms)
    assert terms == index_terms(text)  # deterministic
    a_terms = query_terms(text)
    assert terms[: len(a_terms)] == a_terms
    assert all(term == fold_katakana(normalize_text(term)) for term in terms)


def test_thread_safety():
    texts = [ARTICLE[i:] + ARTICLE[:i] for i in range(0, len(ARTICLE), 7)]
    expected = [index_terms(text) for text in texts]
    barrier = threading.Barrier(4)

    def work(offset: int) -> list[list[str]]:
        barrier.wait()
        return [index_terms(texts[(offset + i) % len(texts)]) for i in range(len(texts))]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    for offset, result in enumerate(results):
        for i, terms in enumerate(result):
            assert terms == expected[(offset + i) % len(texts)]

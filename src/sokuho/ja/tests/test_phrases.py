from sokuho.ja.phrases import phrase_break_html, split_phrases


def test_phrases_join_back_to_the_headline():
    headline = "青葉市と港北県が三者協議、合計314人の交流事業で合意　交渉継続"
    phrases = split_phrases(headline)
    assert len(phrases) > 2
    assert "".join(phrases) == headline


def test_break_html_escapes_and_inserts_wbr():
    html = phrase_break_html("<script>alert(1)</script>新しい路面電車が開業")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<wbr>" in html

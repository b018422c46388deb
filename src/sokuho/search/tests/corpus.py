"""A small fictional Japanese news corpus and the labelled queries it must answer.

Every person, company, place and event here is invented for sokuho's tests. Each query
lists the articles it must return and those it must not; the "killed" and "draft"
articles must never be returned by anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from sokuho.news.tests import factories

# key: (section, label, headline, summary, body paragraphs, extra fields)
ARTICLES: dict[str, dict] = {
    "genpatsu": {
        "section": "japan",
        "title": "港北原発の廃炉工程表で大筋合意　三者協議",
        "summary": "県と市、国の三者協議で、廃炉作業の工程表に大筋で合意した。",
        "body": [
            "港北県と青葉市、国の三者協議が２０日、県庁で開かれ、老朽化した港北原子力発電所の"
            "廃炉に向けた工程表について大筋で合意した。",
            "作業は約３０年かかる見通しで、費用の分担は引き続き協議する。",
        ],
    },
    "genshiryoku": {
        "section": "japan",
        "title": "北浜原子力発電所の説明会を延期　住民から不安の声",
        "summary": "再稼働をめぐる住民説明会が延期された。",
        "body": ["北浜町は、原子力発電所の再稼働に関する住民説明会を来月に延期すると発表した。"],
    },
    "taifu": {
        "section": "life",
        "title": "台風１５号、東海地方に上陸の恐れ　新幹線は計画運休を検討",
        "summary": "気象台は暴風や高波への警戒を呼びかけている。",
        "body": ["大型で強い台風１５号は、あす未明にも東海地方に上陸する恐れがある。"],
    },
    "stage": {
        "section": "culture",
        "title": "市民会館で舞台写真展　風景と人物を切り取る",
        "summary": "青葉市民会館で舞台の写真展が開かれている。",
        "body": ["劇団の舞台を撮り続けた写真家の作品と、港町の風景写真を合わせて展示する。"],
    },
    "nichigin": {
        "section": "business",
        "title": "日銀、政策金利を据え置き　総裁「物価の動向を注視」",
        "summary": "金融政策決定会合で現状維持を決めた。",
        "body": ["日銀は２日間の会合を終え、政策金利の据え置きを決めた。"],
    },
    "chigin": {
        "section": "business",
        "title": "地銀３行が経営統合へ　北浜銀行など",
        "summary": "地方銀行３行が持ち株会社の設立で合意した。",
        "body": ["北浜銀行、港北銀行、青葉信用銀行の３行が経営統合に向けて協議を始めた。"],
    },
    "tokyo": {
        "section": "japan",
        "title": "東京都知事選挙が告示　過去最多の候補者",
        "summary": "投開票は来月の日曜日。",
        "body": ["任期満了に伴う東京都の知事選挙が告示され、過去最多の候補者が届け出た。"],
    },
    "kyoto": {
        "section": "culture",
        "title": "京都府の美術館で特別展　仏像の修復を公開",
        "summary": "京都の寺院に伝わる仏像の修復過程を紹介する。",
        "body": ["京都府立の美術館で、修復を終えた仏像の特別展が始まった。"],
    },
    "ai-full": {
        "section": "tech",
        "title": "ＡＩで議事録を自動作成　青葉市が導入",
        "summary": "人工知能を使った議事録作成システムを導入する。",
        "body": ["青葉市はＡＩ（人工知能）を活用し、会議の議事録を自動で作る仕組みを導入する。"],
    },
    "ai-half": {
        "section": "tech",
        "title": "生成AIの利用指針を公表　港北大学",
        "summary": "学生と教員向けの指針をまとめた。",
        "body": ["港北大学は、レポート作成での生成AIの使い方をまとめた指針を公表した。"],
    },
    "computer": {
        "section": "tech",
        "title": "量子コンピュータの試作機を公開　北浜電機",
        "summary": "北浜電機が研究所で試作機を報道陣に公開した。",
        "body": ["北浜電機は、量子コンピュータの試作機を研究所で公開した。"],
    },
    "computer-kana": {
        "section": "business",
        "title": "半導体関連株が上昇",
        "summary": "東京市場では半導体関連が買われた。",
        "body": ["ｺﾝﾋﾟｭｰﾀｰ向け半導体の需要が伸びるとの見方から、関連株が軒並み上昇した。"],
    },
    "violin": {
        "section": "culture",
        "title": "ヴァイオリン奏者ウィットモア氏が来日公演",
        "summary": "港北交響楽団と共演する。",
        "body": ["ヴァイオリン奏者のエマ・ウィットモア氏が来日し、港北交響楽団と共演する。"],
    },
    "violin-school": {
        "section": "life",
        "title": "子ども向けバイオリン教室、無料体験会",
        "summary": "青葉市の音楽教室が体験会を開く。",
        "body": ["青葉市の音楽教室が、小学生向けのバイオリン無料体験会を開く。"],
    },
    "berg": {
        "section": "world",
        "title": "市民団体代表が会見　工程表の見直しを要求",
        "summary": "アンナ・ベルク共同代表が記者会見した。",
        "body": ["市民団体のアンナ・ベルク共同代表は「住民説明会の回数が少なすぎる」と批判した。"],
    },
    "rossi": {
        "section": "world",
        "title": "マルコ・ロッシ外相が港北県を訪問",
        "summary": "港湾施設を視察した。",
        "body": ["来日中のマルコ・ロッシ外相は、港北県の港湾施設を視察した。"],
    },
    "sansha": {
        "section": "business",
        "title": "賃上げで政労使の三者協議、目標で一致",
        "summary": "政府、経営者団体、労働組合が協議した。",
        "body": ["政府と経営者団体、労働組合による三者協議が開かれ、賃上げの目標で一致した。"],
    },
    "visitors": {
        "section": "business",
        "title": "青葉産業展が閉幕　来場者は過去最多",
        "summary": "３日間の来場者は1,234人だった。",
        "body": ["青葉産業展の実行委員会によると、３日間の来場者は1,234人で過去最多だった。"],
    },
    "quarter": {
        "section": "business",
        "title": "北浜電機、第3四半期は増益",
        "summary": "半導体の販売が伸びた。",
        "body": ["北浜電機の第3四半期決算は、半導体の販売が伸びて増益となった。"],
    },
    "wifi": {
        "section": "tech",
        "title": "駅の無料Wi-Fi、全線に拡大　港北鉄道",
        "summary": "来年春までに全駅で使えるようにする。",
        "body": ["港北鉄道は、駅の無料Wi-Fiを来年春までに全線に広げると発表した。"],
    },
    "byline": {
        "section": "japan",
        "title": "青葉市議会が閉会　補正予算を可決",
        "summary": "市議会の定例会が閉会した。",
        "body": ["青葉市議会は最終日の本会議で、補正予算案を賛成多数で可決した。"],
        "authors": ["sato"],
        "topics": ["aoba-election"],
    },
    "quiz": {
        "section": "life",
        "label": "クイズ",
        "title": "今週のニュースから出題　あなたは何問わかる？",
        "summary": "今週の出来事から５問。",
        "body": ["今週の出来事を振り返る５問です。答えは記事の最後にあります。"],
    },
    "virus": {
        "section": "life",
        "title": "ウイルス性胃腸炎に注意　冬に流行",
        "summary": "手洗いの徹底を呼びかけている。",
        "body": ["保健所は、冬に流行するウイルス性胃腸炎への注意を呼びかけている。"],
    },
    "hospital": {
        "section": "life",
        "title": "港北大学附属病院に新病棟",
        "summary": "救急の受け入れを増やす。",
        "body": ["港北大学附属病院で新しい病棟が完成し、救急患者の受け入れを増やす。"],
    },
    "started": {
        "section": "japan",
        "title": "港湾の拡張工事　来月から",
        "summary": "工事は３年間の予定。",
        "body": ["港北港の拡張工事が始まった。完成は３年後の予定だ。"],
    },
    # Never returned: unpublished after going live (a kill), and a draft never published.
    "killed": {
        "section": "japan",
        "title": "取り消された記事　台風と原発と日銀",
        "summary": "この記事は取り消された。",
        "body": ["台風、原発、日銀、京都、ＡＩ、バイオリンについての誤った記事。"],
        "kill": True,
    },
    "draft": {
        "section": "japan",
        "title": "下書きの記事　台風と原発と日銀",
        "summary": "この記事は公開されていない。",
        "body": ["台風、原発、日銀、京都、ＡＩ、バイオリンについての下書き。"],
        "publish": False,
    },
}

NEVER = {"killed", "draft"}

# (query, must return, must not return)
QUERIES: list[tuple[str, set[str], set[str]]] = [
    # two-character words, which trigram search cannot find
    ("原発", {"genpatsu"}, {"genshiryoku", "stage"}),
    ("台風", {"taifu"}, {"stage"}),
    ("日銀", {"nichigin"}, {"chigin"}),
    ("地銀", {"chigin"}, {"nichigin"}),
    ("風景", {"stage"}, {"taifu"}),
    ("舞台", {"stage"}, {"taifu"}),
    # no substring hits
    ("京都", {"kyoto"}, {"tokyo"}),
    ("東京都", {"tokyo"}, {"kyoto"}),
    ("東京", {"tokyo", "computer-kana"}, {"kyoto"}),
    # compounds, whole and in parts
    ("東京都知事選挙", {"tokyo"}, {"kyoto"}),
    ("知事選挙", {"tokyo"}, set()),
    ("三者協議", {"genpatsu", "sansha"}, set()),
    ("三者", {"genpatsu", "sansha"}, set()),
    ("協議", {"genpatsu", "sansha", "chigin"}, set()),
    ("原子力発電所", {"genpatsu", "genshiryoku"}, set()),
    ("発電所", {"genpatsu", "genshiryoku"}, set()),
    # width variants
    ("AI", {"ai-full", "ai-half"}, set()),
    ("ＡＩ", {"ai-full", "ai-half"}, set()),
    ("ａｉ", {"ai-full", "ai-half"}, set()),
    ("人工知能", {"ai-full"}, {"ai-half"}),
    ("wi-fi", {"wifi"}, set()),
    ("Ｗｉ－Ｆｉ", {"wifi"}, set()),
    # katakana spelling variants
    ("コンピューター", {"computer", "computer-kana"}, set()),
    ("コンピュータ", {"computer", "computer-kana"}, set()),
    ("ｺﾝﾋﾟｭｰﾀ", {"computer", "computer-kana"}, set()),
    ("バイオリン", {"violin", "violin-school"}, set()),
    ("ヴァイオリン", {"violin", "violin-school"}, set()),
    ("ウィトモア", {"violin"}, set()),
    ("ウイットモア", {"violin"}, set()),
    ("ウィルス", {"virus"}, set()),
    # kanji spelling variants and inflection
    ("付属病院", {"hospital"}, set()),
    ("始まる", {"started", "kyoto"}, set()),
    # names with 中黒
    ("アンナ・ベルク", {"berg"}, set()),
    ("アンナ＝ベルク", {"berg"}, set()),
    ("ベルク", {"berg"}, set()),
    ('"アンナ ベルク"', {"berg"}, set()),
    ('"ベルク アンナ"', set(), {"berg"}),
    ("マルコ・ロッシ", {"rossi"}, set()),
    ("ロッシ外相", {"rossi"}, set()),
    # numbers
    ("1234人", {"visitors"}, set()),
    ("1,234人", {"visitors"}, set()),
    ("１２３４人", {"visitors"}, set()),
    ("第3四半期", {"quarter"}, set()),
    ("第３四半期", {"quarter"}, set()),
    ("１５号", {"taifu"}, set()),
    # operators
    ("知事 -京都", {"tokyo"}, {"kyoto"}),
    ("原発 OR 台風", {"genpatsu", "taifu"}, set()),
    ("原発 台風", set(), {"genpatsu", "taifu"}),
    ("半導体 -北浜", {"computer-kana"}, {"quarter", "computer"}),
    ('工程表 -"三者協議"', {"berg"}, {"genpatsu"}),
    ("北浜電機 増益", {"quarter"}, {"computer"}),
    # bylines, topics and labels are searchable too
    ("佐藤健太", {"byline"}, set()),
    ("kenta sato", {"byline"}, set()),
    ("市長選", {"byline"}, set()),
    ("クイズ", {"quiz"}, set()),
]

AUTHORS = {"sato": {"name": "佐藤 健太", "slug": "kenta-sato", "name_romanized": "Kenta Sato"}}
TOPICS = {"aoba-election": {"title": "青葉市長選 記事まとめ", "slug": "aoba-election"}}


def body_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs) + "<p>（テスト用の架空記事）</p>"


def build(now: datetime | None = None) -> dict[str, object]:
    """Publish the corpus through the editor's path; returns the pages by key.

    Articles are published a day apart, the first key newest, so "newest first" is the
    corpus order.
    """
    now = now or timezone.now()
    authors = {
        key: factories.author(item["name"], item["slug"], name_romanized=item["name_romanized"])
        for key, item in AUTHORS.items()
    }
    topics = {key: factories.topic(item["title"], item["slug"]) for key, item in TOPICS.items()}
    pages = {}
    for number, (key, item) in enumerate(ARTICLES.items()):
        page = factories.article(
            item["section"],
            title=item["title"],
            summary=item["summary"],
            body=body_html(item["body"]),
            label=item.get("label", ""),
            authors=[authors[a] for a in item.get("authors", [])],
            topics=[topics[t] for t in item.get("topics", [])],
            publish=item.get("publish", True),
            first_published_at=now - timedelta(days=number + 1),
        )
        if item.get("kill"):
            page.unpublish()
        pages[key] = page
    return pages

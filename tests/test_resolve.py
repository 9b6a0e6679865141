"""Resolution: mentions built by hand (no model) become one entity per real-world thing."""
from __future__ import annotations

import pytest

from kg.graph import build_graph
from kg.records import Article, Context, Entity, Mention
from kg.resolve import Resolution, home_org_name, place_key, resolve

JILIN = Context(publisher="吉林日报", home_province="吉林省")


def mentions(*specs: tuple) -> list[Mention]:
    """(article, text, label[, source]) -> Mentions at made-up, distinct offsets."""
    out, pos = [], 0
    for article, text, label, *source in specs:
        out.append(Mention(article, pos, pos + len(text), text, label, source[0] if source else "ner"))
        pos += len(text) + 1
    return out


def entity_of(res: Resolution, m: Mention) -> Entity:
    return res.entities[res.key_of[m]]


def groups(res: Resolution, ms: list[Mention]) -> list[set[str]]:
    """The mention texts that ended up in the same entity."""
    by_key: dict[str, set[str]] = {}
    for m in ms:
        by_key.setdefault(res.key_of[m], set()).add(m.text)
    return sorted(by_key.values(), key=lambda g: sorted(g))


# --- places -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surfaces, name, code",
    [
        (["珲春市", "珲春"], "珲春市", "222404"),
        (["延边朝鲜族自治州", "延边州", "延边"], "延边朝鲜族自治州", "222400"),
        (["吉林省", "吉林"], "吉林省", "220000"),
        (["长春市", "长春"], "长春市", "220100"),
    ],
)
def test_place_surface_forms_are_one_division(surfaces, name, code):
    ms = mentions(*[("a", s, "LOC") for s in surfaces])
    res = resolve(ms, JILIN)
    ent = entity_of(res, ms[0])
    assert {res.key_of[m] for m in ms} == {ent.key}
    assert ent.name == name and ent.kind == "Place"
    assert ent.aliases == frozenset(surfaces) - {name}
    assert res.places[ent.key].code == code
    assert res.mentions[ent.key] == len(surfaces)


def test_jilin_city_is_not_jilin_province():
    ms = mentions(("a", "吉林市", "LOC"), ("a", "吉林", "LOC"), ("a", "吉林省", "LOC"))
    res = resolve(ms, JILIN)
    assert groups(res, ms) == [{"吉林", "吉林省"}, {"吉林市"}]
    assert res.places[res.key_of[ms[0]]].code == "220200"


def test_hierarchy_up_to_the_province():
    ms = mentions(("a", "珲春市", "LOC"))
    res = resolve(ms, JILIN)
    key = res.key_of[ms[0]]
    chain = []
    while key in res.located_in:
        key = res.located_in[key]
        chain.append((res.entities[key].name, res.places[key].code, res.mentions[key]))
    assert chain == [("延边朝鲜族自治州", "222400", 0), ("吉林省", "220000", 0)]


@pytest.mark.parametrize(
    "specs, context, code",
    [
        # 朝阳区 is in Beijing and in Changchun: a province named in the article decides ...
        ([("a", "北京市", "LOC"), ("a", "朝阳区", "LOC")], JILIN, "110105"),
        ([("a", "长春市", "LOC"), ("a", "朝阳区", "LOC")], Context(), "220104"),
        # ... else the home province ...
        ([("a", "朝阳区", "LOC")], JILIN, "220104"),
        # ... else it stays a place of its own.
        ([("a", "朝阳区", "LOC")], Context(), None),
        ([("a", "北京市", "LOC"), ("a", "长春市", "LOC"), ("a", "朝阳区", "LOC")], Context(), None),
    ],
)
def test_ambiguous_place_takes_its_context(specs, context, code):
    ms = mentions(*specs)
    res = resolve(ms, context)
    key = res.key_of[ms[-1]]
    assert (res.places[key].code if key in res.places else None) == code
    assert res.entities[key].name == "朝阳区"


def test_same_name_in_two_places_is_two_nodes():
    ms = mentions(("a", "北京市", "LOC"), ("a", "朝阳区", "LOC"), ("b", "长春市", "LOC"), ("b", "朝阳区", "LOC"))
    res = resolve(ms, Context())
    assert res.key_of[ms[1]] != res.key_of[ms[3]]
    assert {res.places[res.key_of[ms[1]]].code, res.places[res.key_of[ms[3]]].code} == {"110105", "220104"}


def test_township_under_a_known_county():
    ms = mentions(("a", "通榆县乌兰花镇", "LOC"))
    res = resolve(ms, JILIN)
    key = res.key_of[ms[0]]
    assert key not in res.places and res.entities[key].name == "通榆县乌兰花镇"
    assert res.places[res.located_in[key]].code == "220822"


@pytest.mark.parametrize(
    "text, label, kind",
    [
        ("长春市", "ORG", "Place"),  # an official name is a place whatever the NER said
        ("松原市", "PER", "Place"),
        ("延边州", "ORG", "Place"),
        ("陕西西安", "ORG", "Place"),
        ("通榆县乌兰花镇", "ORG", "Place"),
        ("吉林", "ORG", "Organization"),  # a bare short name is not enough on its own
        ("吉林省税务局", "ORG", "Organization"),
        ("吉林省电力有限公司", "LOC", "Organization"),  # no place ends in 有限公司
        ("延边大学", "LOC", "Organization"),
    ],
)
def test_kind_from_the_form_of_the_name(text, label, kind):
    ms = mentions(("a", text, label))
    assert entity_of(resolve(ms, JILIN), ms[0]).kind == kind


def test_one_kind_per_name_by_majority():
    ms = mentions(("a", "吉林日报", "ORG"), ("b", "吉林日报", "ORG"), ("c", "吉林日报", "PER"))
    res = resolve(ms, JILIN)
    assert len({res.key_of[m] for m in ms}) == 1
    assert entity_of(res, ms[2]).kind == "Organization"


# --- deixis -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, label, name",
    [
        ("我省", "LOC", "吉林省"),
        ("全省", "LOC", "吉林省"),
        ("本省", "LOC", "吉林省"),
        ("省委", "ORG", "中共吉林省委员会"),
        ("省政府", "ORG", "吉林省人民政府"),
        ("省长", "ORG", "吉林省人民政府"),  # the government a bare title stands for (kg.patterns)
        ("副省长", "ORG", "吉林省人民政府"),
        ("本报", "ORG", "吉林日报"),
    ],
)
def test_deixis_with_context(text, label, name):
    ms = mentions(("a", text, label, "rule:deixis"))
    ent = entity_of(resolve(ms, JILIN), ms[0])
    assert ent.name == name and text not in ent.aliases


@pytest.mark.parametrize(
    "text, label", [("我省", "LOC"), ("省委", "ORG"), ("省政府", "ORG"), ("省长", "ORG"), ("市长", "ORG"), ("本报", "ORG")]
)
def test_deixis_without_context_is_dropped(text, label):
    ms = mentions(("a", text, label, "rule:deixis"))
    assert ms[0] not in resolve(ms, Context()).key_of


def test_home_province_given_by_short_name():
    ms = mentions(("a", "我省", "LOC", "rule:deixis"), ("a", "省委", "ORG", "rule:deixis"))
    res = resolve(ms, Context(home_province="吉林"))
    assert entity_of(res, ms[0]).name == "吉林省" and res.places[res.key_of[ms[0]]].code == "220000"
    assert entity_of(res, ms[1]).name == "中共吉林省委员会"


def test_deixis_and_names_meet():
    ms = mentions(
        ("a", "我省", "LOC", "rule:deixis"), ("b", "吉林省", "LOC"),
        ("a", "省委", "ORG", "rule:deixis"), ("b", "中共吉林省委", "ORG"), ("c", "吉林省委", "ORG"),
        ("a", "省政府", "ORG", "rule:deixis"), ("b", "吉林省政府", "ORG"),
    )
    res = resolve(ms, JILIN)
    assert groups(res, ms) == [{"中共吉林省委", "吉林省委", "省委"}, {"吉林省", "我省"}, {"吉林省政府", "省政府"}]


@pytest.mark.parametrize(
    "name, province, expected",
    [
        ("省射击队", "吉林省", "吉林省射击队"),
        ("我省射击队", "吉林省", "吉林省射击队"),
        ("本省射击队", "吉林省", "吉林省射击队"),
        ("省委宣传部", "吉林省", "中共吉林省委宣传部"),
        ("省政府办公厅", "吉林省", "吉林省人民政府办公厅"),
        ("省级财政", "吉林省", "省级财政"),  # 省级, 省内, 省市: not a body of the province
        ("省市区", "吉林省", "省市区"),
        ("省射击队", None, "省射击队"),
    ],
)
def test_home_org_name(name, province, expected):
    assert home_org_name(name, province) == expected


# --- organisations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "specs, expected, canonical",
    [
        (  # 省X with the home province; a group prefix (国网) and legal suffixes dropped
            [("a", "国网吉林省电力有限公司", "ORG"), ("b", "省电力公司", "ORG"), ("c", "国网吉林电力", "ORG"),
             ("c", "吉林电力", "ORG")],
            [{"国网吉林省电力有限公司", "省电力公司", "国网吉林电力", "吉林电力"}],
            "国网吉林省电力有限公司",
        ),
        (
            [("a", "吉林省射击队", "ORG"), ("b", "省射击队", "ORG"), ("c", "我省射击队", "ORG")],
            [{"吉林省射击队", "省射击队", "我省射击队"}],
            "吉林省射击队",
        ),
        (  # abbreviation in the article that names it in full; its suffix variant anywhere
            [("a", "中国第一汽车集团", "ORG"), ("a", "一汽", "ORG"), ("b", "一汽集团", "ORG")],
            [{"中国第一汽车集团", "一汽", "一汽集团"}],
            "中国第一汽车集团",
        ),
        (  # a company's name without its place
            [("a", "吉林启星铝业有限公司", "ORG"), ("b", "启星铝业", "ORG")],
            [{"吉林启星铝业有限公司", "启星铝业"}],
            "吉林启星铝业有限公司",
        ),
        (  # a company's brand, in the article that names the company in full
            [("a", "吉林启星铝业有限公司", "ORG"), ("a", "启星", "ORG"), ("b", "启星铝业", "ORG")],
            [{"吉林启星铝业有限公司", "启星", "启星铝业"}],
            "吉林启星铝业有限公司",
        ),
        (  # a team without its city
            [("a", "长春亚泰队", "ORG"), ("b", "亚泰队", "ORG")],
            [{"长春亚泰队", "亚泰队"}],
            "长春亚泰队",
        ),
        (
            [("a", "一汽解放汽车有限公司", "ORG"), ("a", "一汽解放", "ORG")],
            [{"一汽解放汽车有限公司", "一汽解放"}],
            "一汽解放汽车有限公司",
        ),
        (  # courts by their short names
            [("a", "长春市中级人民法院", "ORG"), ("a", "长春中院", "ORG"), ("b", "长春市中院", "ORG")],
            [{"长春市中级人民法院", "长春中院", "长春市中院"}],
            "长春市中级人民法院",
        ),
        (  # X市Y = XY: the place written either way
            [("a", "长春市科技局", "ORG"), ("b", "长春科技局", "ORG")],
            [{"长春市科技局", "长春科技局"}],
            "长春市科技局",
        ),
        (
            [("a", "北京市海淀区政府", "ORG"), ("b", "海淀区人民政府", "ORG")],
            [{"北京市海淀区政府", "海淀区人民政府"}],
            "北京市海淀区政府",
        ),
    ],
)
def test_short_forms_join_their_full_name(specs, expected, canonical):
    ms = mentions(*specs)
    res = resolve(ms, JILIN)
    assert groups(res, ms) == expected
    ent = entity_of(res, ms[0])
    assert ent.name == canonical
    assert ent.aliases == {m.text for m in ms} - {canonical}
    assert res.mentions[ent.key] == len(ms)


@pytest.mark.parametrize(
    "specs, context",
    [
        # a short form that fits two full names stays apart from both
        ([("a", "吉林启星铝业有限公司", "ORG"), ("b", "辽宁启星铝业有限公司", "ORG"), ("c", "启星铝业", "ORG")], JILIN),
        ([("a", "中国第一汽车集团", "ORG"), ("a", "天津一汽夏利汽车股份有限公司", "ORG"), ("a", "一汽", "ORG")], JILIN),
        # an abbreviation never seen with its full name
        ([("a", "中国第一汽车集团", "ORG"), ("b", "一汽", "ORG")], JILIN),
        # a listed company's own short name is not an abbreviation of another company
        ([("a", "国网吉林省电力有限公司", "ORG"), ("a", "吉电股份", "ORG")], JILIN),
        # a brand followed by another name is another company; a brand never seen with its company
        ([("a", "一汽解放汽车有限公司", "ORG"), ("a", "一汽", "ORG")], JILIN),
        ([("a", "吉林启星铝业有限公司", "ORG"), ("b", "启星", "ORG")], JILIN),
        # a part is not the whole; the kind of a company is not its name
        ([("a", "吉林大学", "ORG"), ("a", "吉林大学第一医院", "ORG")], JILIN),
        ([("a", "重庆国际信托有限公司", "ORG"), ("a", "信托公司", "ORG")], JILIN),
        ([("a", "吉林省电力市场管理委员会", "ORG"), ("a", "国网吉林省电力有限公司", "ORG")], JILIN),
        # without a home province 省射击队 is left as written
        ([("a", "吉林省射击队", "ORG"), ("a", "省射击队", "ORG")], Context()),
    ],
)
def test_organisations_kept_apart(specs, context):
    ms = mentions(*specs)
    res = resolve(ms, context)
    assert groups(res, ms) == sorted(({m.text} for m in ms), key=sorted)


def test_abbreviations_are_compared_within_their_articles_only(monkeypatch):
    # The abbreviation scan must not compare every short name with every company of the run:
    # that is quadratic in the vocabulary of an archive.
    import kg.resolve

    calls = []
    real = kg.resolve._is_subsequence
    monkeypatch.setattr(kg.resolve, "_is_subsequence", lambda a, b: calls.append((a, b)) or real(a, b))
    others = [(f"b{i}", f"{chr(0x4E00 + 2 * i)}{chr(0x4E01 + 2 * i)}一汽车有限公司", "ORG") for i in range(200)]
    ms = mentions(("a", "中国第一汽车集团", "ORG"), ("a", "一汽", "ORG"), *others)
    res = resolve(ms, JILIN)
    assert res.key_of[ms[0]] == res.key_of[ms[1]]
    assert len(calls) <= 2, len(calls)


def test_one_node_per_entity_across_articles():
    ms = mentions(*[(f"art-{i}", "国网吉林省电力有限公司" if i % 2 else "省电力公司", "ORG") for i in range(6)])
    res = resolve(ms, JILIN)
    assert len(set(res.key_of.values())) == 1 and res.mentions[res.key_of[ms[0]]] == 6


def test_publisher_resolves_to_its_group():
    ms = mentions(("a", "吉林日报社", "ORG"), ("a", "本报", "ORG", "rule:deixis"))
    res = resolve(ms, JILIN)
    assert res.key_for("Organization", "吉林日报") == res.key_of[ms[1]]
    assert res.key_for("Person", "景洋").startswith("per-")


# --- the graph --------------------------------------------------------------------------------


def test_graph_has_place_attributes_and_hierarchy():
    article = Article(title="珲春:提升民生服务质量", paragraphs=("珲春市在城乡基层治理工作中…",), source="p.md", line=1)
    ms = [
        Mention(article.id, 0, 2, "珲春", "LOC", "ner"),
        Mention(article.id, 11, 14, "珲春市", "LOC", "ner"),
    ]
    res = resolve(ms, JILIN)
    G = build_graph([article], [], res, JILIN)
    hunchun = res.key_of[ms[0]]
    assert G.nodes[hunchun]["label"] == "珲春市" and G.nodes[hunchun]["aliases"] == ("珲春",)
    assert G.nodes[hunchun]["adcode"] == "222404" and G.nodes[hunchun]["mentions"] == 2
    assert isinstance(G.nodes[hunchun]["lat"], float) and isinstance(G.nodes[hunchun]["lon"], float)
    path, node = [], hunchun
    while up := [v for _, v, k in G.out_edges(node, keys=True) if k == "locatedIn"]:
        node = up[0]
        path.append((G.nodes[node]["label"], G.nodes[node]["adcode"], G.nodes[node]["mentions"]))
    assert path == [("延边朝鲜族自治州", "222400", 0), ("吉林省", "220000", 0)]
    edge = G.edges[hunchun, place_key_of(res, "222400"), "locatedIn"]
    assert edge["evidence"] == () and edge["weight"] == 1
    assert not G.has_edge(article.id, place_key_of(res, "220000"))  # parents are not mentioned


def test_graph_drops_relations_whose_resolved_kinds_do_not_fit():
    # The pattern read 苏宁 as an organisation located in 江苏; the run calls 苏宁 a person by
    # majority, and a person has no kg:locatedIn (ontology/shapes.ttl).
    from kg.records import Evidence, Relation

    a = Article(title="江苏苏宁签下贝尔", paragraphs=("苏宁说。苏宁笑了。吉林大学在长春市。",), source="p.md", line=1)
    ms = [
        Mention(a.id, 0, 2, "江苏", "LOC", "ner"),
        Mention(a.id, 2, 4, "苏宁", "ORG", "ner"),
        Mention(a.id, 9, 11, "苏宁", "PER", "ner"),
        Mention(a.id, 14, 16, "苏宁", "PER", "ner"),
        Mention(a.id, 19, 23, "吉林大学", "ORG", "ner"),
        Mention(a.id, 24, 27, "长春市", "LOC", "ner"),
    ]
    ev = Evidence(a.id, "江苏苏宁签下贝尔", 0, 8, "place-chain", 0.85)
    rels = [Relation(ms[1], "locatedIn", ms[0], ev), Relation(ms[4], "locatedIn", ms[5], ev)]
    res = resolve(ms, JILIN)
    assert res.entities[res.key_of[ms[1]]].kind == "Person"
    G = build_graph([a], rels, res, JILIN)
    typed = {(G.nodes[u]["label"], G.nodes[v]["label"]) for u, v, k in G.edges(keys=True) if k == "locatedIn" and G[u][v][k]["evidence"]}
    assert typed == {("吉林大学", "长春市")}


def place_key_of(res: Resolution, code: str) -> str:
    return next(k for k, p in res.places.items() if p.code == code)


def test_place_keys_are_by_code():
    from kg.geo import Gazetteer

    gaz = Gazetteer.load()
    beijing, changchun = (p for p in gaz.full["朝阳区"] if p.code in ("110105", "220104"))
    assert place_key(beijing) != place_key(changchun)
    assert place_key(beijing).startswith("loc-")


def test_yearless_event_is_the_edition_named_in_its_article():
    ms = mentions(
        ("a1", "全国速度滑冰冠军赛", "EVT"),
        ("a1", "2024年全国速度滑冰冠军赛", "EVT"),
        ("a2", "全国速度滑冰冠军赛", "EVT"),  # another article: any edition
        ("a3", "2023年全国射击冠军赛", "EVT"),
        ("a3", "2024年全国射击冠军赛", "EVT"),
        ("a3", "全国射击冠军赛", "EVT"),  # two editions in the article: which one is unclear
    )
    res = resolve(ms, JILIN)
    assert entity_of(res, ms[0]) == entity_of(res, ms[1])
    assert entity_of(res, ms[0]).name == "2024年全国速度滑冰冠军赛"
    assert "全国速度滑冰冠军赛" in entity_of(res, ms[0]).aliases
    assert res.key_of[ms[2]] != res.key_of[ms[1]]
    assert len({res.key_of[m] for m in ms[3:]}) == 3


def test_short_event_name_is_the_full_one_of_its_article():
    ms = mentions(
        ("a", "边境口岸合作座谈会", "EVT"),  # the headline's short form
        ("a", "中俄边境口岸合作座谈会", "EVT"),
        ("b", "亚运会", "EVT"),
        ("b", "杭州亚运会", "EVT"),
        ("b", "第19届杭州亚运会", "EVT"),
        ("c", "亚运会", "EVT"),  # alone: any edition
    )
    res = resolve(ms, JILIN)
    assert entity_of(res, ms[0]).name == "中俄边境口岸合作座谈会"
    assert len({res.key_of[m] for m in ms[2:5]}) == 1
    assert entity_of(res, ms[2]).name == "第19届杭州亚运会"
    assert res.key_of[ms[5]] != res.key_of[ms[2]]


def test_abbreviated_programme_is_the_full_one_of_its_article():
    ms = mentions(
        ("a", "“千村示范、万村整治”工程", "PRG"),
        ("a", "千万工程", "PRG"),
        ("b", "千万工程", "PRG"),  # alone: stays a name of its own
        ("c", "“路网提升、路灯亮化”工程", "PRG"),
        ("c", "千万工程", "PRG"),  # the initials do not match
        ("d", "“三抓三促”行动", "PRG"),
        ("d", "三三行动", "PRG"),  # parts of one character: no abbreviation
    )
    res = resolve(ms, JILIN)
    assert res.key_of[ms[0]] == res.key_of[ms[1]]
    assert entity_of(res, ms[1]).name == "“千村示范、万村整治”工程"
    assert "千万工程" in entity_of(res, ms[1]).aliases
    assert res.key_of[ms[2]] != res.key_of[ms[0]]
    assert res.key_of[ms[4]] != res.key_of[ms[3]]
    assert res.key_of[ms[6]] != res.key_of[ms[5]]


def test_benbao_is_the_articles_own_publisher_when_it_has_one():
    ms = mentions(("a", "本报", "ORG", "rule:deixis"), ("b", "本报", "ORG", "rule:deixis"))
    res = resolve(ms, JILIN, publishers={"b": "长春日报"})
    assert entity_of(res, ms[0]).name == "吉林日报"
    assert entity_of(res, ms[1]).name == "长春日报"


def test_short_name_read_as_a_person_is_the_place_its_article_names_in_full():
    ms = mentions(("a", "敦化", "PER"), ("a", "敦化市", "LOC"), ("b", "敦化", "PER"))
    res = resolve(ms, JILIN)
    assert res.key_of[ms[0]] == res.key_of[ms[1]] and entity_of(res, ms[0]).name == "敦化市"
    # without the full name in its article, the NER reading stands
    ms = mentions(("b", "敦化", "PER"), ("c", "长春市", "LOC"))
    assert entity_of(resolve(ms, JILIN), ms[0]).kind == "Person"


def test_one_character_places_in_a_pair_get_their_full_names():
    ms = [
        Mention("a", 0, 1, "中", "LOC", "ner"),
        Mention("a", 1, 2, "美", "LOC", "ner"),
        Mention("a", 10, 11, "港", "LOC", "ner"),
        Mention("a", 11, 12, "澳", "LOC", "ner"),
        Mention("a", 20, 21, "以", "LOC", "ner"),  # 珲春市以政府购买服务的方式: alone, no node
    ]
    res = resolve(ms, JILIN)
    assert [entity_of(res, m).name for m in ms[:4]] == ["中国", "美国", "香港特别行政区", "澳门特别行政区"]
    assert res.places[res.key_of[ms[3]]].code == "820000"
    assert ms[4] not in res.key_of


@pytest.mark.parametrize("word", ["市州", "省市县", "乡镇"])
def test_kinds_of_division_are_no_place(word):
    ms = mentions(("a", word, "LOC"))
    assert ms[0] not in resolve(ms, JILIN).key_of


def test_a_name_cut_one_character_short_is_the_full_name_of_its_article():
    ms = mentions(("a", "张琼月", "PER"), ("a", "张琼", "PER"), ("a", "张琼月", "PER"), ("b", "张琼", "PER"))
    res = resolve(ms, JILIN)
    assert res.key_of[ms[1]] == res.key_of[ms[0]] and entity_of(res, ms[1]).name == "张琼月"
    assert entity_of(res, ms[3]).name == "张琼"  # another article: another person, maybe
    # the longer reading must be at least as common: 张琼月继 once does not absorb 张琼月 twice
    ms = mentions(("a", "张琼月", "PER"), ("a", "张琼月", "PER"), ("a", "张琼月继", "PER"))
    assert entity_of(resolve(ms, JILIN), ms[0]).name == "张琼月"


@pytest.mark.parametrize("text, label", [("徐", "PER"), ("公司", "ORG"), ("委员会", "ORG"), ("政府", "ORG")])
def test_no_node_for_a_bare_surname_or_head_word(text, label):
    ms = mentions(("a", text, label))
    assert ms[0] not in resolve(ms, JILIN).key_of


def test_a_ministry_is_a_name_of_its_own():
    ms = mentions(("a", "商务部", "ORG"))
    assert entity_of(resolve(ms, JILIN), ms[0]).name == "商务部"


CHANGCHUN = Context(publisher="长春日报", home_province="吉林省", home_city="长春")


@pytest.mark.parametrize(
    "text, label, name",
    [
        ("我市", "LOC", "长春市"),
        ("全市", "LOC", "长春市"),
        ("市委", "ORG", "中共长春市委员会"),
        ("市政府", "ORG", "长春市人民政府"),
        ("我省", "LOC", "吉林省"),
    ],
)
def test_city_deixis_with_a_home_city(text, label, name):
    ms = mentions(("a", text, label, "rule:deixis"))
    res = resolve(ms, CHANGCHUN)
    assert entity_of(res, ms[0]).name == name
    if label == "LOC":
        assert res.places[res.key_of[ms[0]]].code == ("220100" if name == "长春市" else "220000")


def test_city_deixis_without_a_home_city_is_dropped():
    ms = mentions(("a", "我市", "LOC", "rule:deixis"), ("a", "市委", "ORG", "rule:deixis"))
    assert not resolve(ms, JILIN).key_of


def test_city_organisations_take_the_home_city():
    assert home_org_name("市科技局", "吉林省", "长春市") == "长春市科技局"
    assert home_org_name("市委宣传部", "吉林省", "长春市") == "中共长春市委宣传部"
    assert home_org_name("省科技厅", "吉林省", "长春市") == "吉林省科技厅"
    assert home_org_name("市科技局", "吉林省") == "市科技局"
    assert home_org_name("市场监管局", "吉林省", "长春市") == "市场监管局"  # 市场 is a word


def test_city_organisations_take_the_one_city_their_article_names():
    ms = mentions(
        ("a", "长春市", "LOC"), ("a", "市卫生健康委员会", "ORG"),
        ("b", "白山市", "LOC"), ("b", "市卫生健康委员会", "ORG"),
        ("c", "长春市", "LOC"), ("c", "白山市", "LOC"), ("c", "市卫生健康委员会", "ORG"),  # which?
        ("d", "长春市卫生健康委员会", "ORG"),
    )
    res = resolve(ms, JILIN)
    assert entity_of(res, ms[1]).name == "长春市卫生健康委员会"
    assert res.key_of[ms[1]] == res.key_of[ms[7]]
    assert entity_of(res, ms[3]).name == "白山市卫生健康委员会"
    assert entity_of(res, ms[6]).name == "市卫生健康委员会"
    # a home city given by the user wins over the article's
    res = resolve(ms, CHANGCHUN)
    assert entity_of(res, ms[3]).name == "长春市卫生健康委员会"


def test_bodies_the_ner_finds_take_the_home_too():
    assert home_org_name("省委", "吉林省") == "中共吉林省委员会"
    assert home_org_name("市政府", "吉林省", "长春市") == "长春市人民政府"


def test_a_place_reading_that_ends_in_a_government_body_is_an_organisation():
    ms = mentions(("a", "广西壮族自治区商务厅", "LOC"))
    assert entity_of(resolve(ms, JILIN), ms[0]).kind == "Organization"


def test_prefecture_and_county_organisations_take_the_one_their_article_names():
    ms = mentions(
        ("a", "延边朝鲜族自治州", "LOC"), ("a", "延吉市", "LOC"), ("a", "珲春市", "LOC"),
        ("a", "州文化广播电视和旅游局", "ORG"), ("a", "州委", "ORG"), ("a", "州长", "ORG"),
        ("b", "农安县", "LOC"), ("b", "县教育局", "ORG"), ("b", "县城", "ORG"),
        ("c", "农安县", "LOC"), ("c", "德惠市", "LOC"), ("c", "榆树市", "LOC"), ("c", "长岭县", "LOC"),
        ("c", "县教育局", "ORG"),  # which county?
    )
    res = resolve(ms, JILIN)
    assert entity_of(res, ms[3]).name == "延边朝鲜族自治州文化广播电视和旅游局"
    assert entity_of(res, ms[4]).name == "中共延边朝鲜族自治州委员会"
    assert entity_of(res, ms[7]).name == "农安县教育局"
    assert entity_of(res, ms[13]).name == "县教育局"
    assert home_org_name("州长", "吉林省", None, {"州": "延边朝鲜族自治州"}) == "州长"  # a title
    assert home_org_name("县城管理局", "吉林省", None, {"县": "农安县"}) == "县城管理局"


def test_an_abbreviated_event_name_is_the_full_one_of_its_article():
    ms = mentions(
        ("a", "全国冬运会", "EVT"), ("a", "第十四届全国冬季运动会", "EVT"), ("a", "冬运会", "EVT"),
        ("b", "全运会", "EVT"), ("b", "第十二届全国残疾人运动会", "EVT"),  # 全…运…会 far apart: another event
        ("c", "冬运会", "EVT"), ("c", "第十四届全国冬季运动会", "EVT"), ("c", "吉林省第九届冬季运动会", "EVT"),
    )
    res = resolve(ms, JILIN)
    assert len({res.key_of[m] for m in ms[:3]}) == 1
    assert entity_of(res, ms[0]).name == "第十四届全国冬季运动会"
    assert res.key_of[ms[3]] != res.key_of[ms[4]]
    assert res.key_of[ms[5]] not in (res.key_of[ms[6]], res.key_of[ms[7]])  # two it could abbreviate

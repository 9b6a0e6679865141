"""The gazetteer: names news text uses for administrative divisions, their codes and hierarchy."""
from __future__ import annotations

import pytest

from kg.geo import PLACES, Gazetteer, Place, short_names


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_shipped_table_is_small_and_complete(gaz):
    assert PLACES.stat().st_size < 500_000
    levels = [p.level for p in gaz.by_code.values()]
    assert levels.count("province") == 34  # 31 + Taiwan, Hong Kong, Macao
    assert levels.count("city") > 300 and levels.count("county") > 2800


@pytest.mark.parametrize(
    "name, code, full",
    [
        ("珲春市", "222404", "珲春市"),
        ("珲春", "222404", "珲春市"),
        ("延边朝鲜族自治州", "222400", "延边朝鲜族自治州"),
        ("延边州", "222400", "延边朝鲜族自治州"),
        ("延边", "222400", "延边朝鲜族自治州"),
        ("吉林省", "220000", "吉林省"),
        ("吉林", "220000", "吉林省"),  # bare 吉林 is the province ...
        ("吉林市", "220200", "吉林市"),  # ... unless it says 市
        ("长春", "220100", "长春市"),
        ("长春市", "220100", "长春市"),
        ("通化", "220500", "通化市"),  # the city, not 通化县 inside it
        ("长白县", "220623", "长白朝鲜族自治县"),
        ("前郭尔罗斯", "220721", "前郭尔罗斯蒙古族自治县"),
        ("内蒙古", "150000", "内蒙古自治区"),
        ("广西", "450000", "广西壮族自治区"),
        ("香港", "810000", "香港特别行政区"),
        ("北京", "110000", "北京市"),
        ("西安", "610100", "西安市"),  # not 辽源市西安区: a district's short name needs context
        ("陕西西安", "610100", "西安市"),
        ("吉林省长春市朝阳区", "220104", "朝阳区"),
        ("长春朝阳", "220104", "朝阳区"),
        ("延边州珲春市", "222404", "珲春市"),
        (" 珲春市 ", "222404", "珲春市"),
    ],
)
def test_lookup_without_context(gaz, name, code, full):
    place = gaz.lookup(name)
    assert place is not None, name
    assert (place.code, place.name) == (code, full)


@pytest.mark.parametrize("name", ["朝阳区", "南关", "和平区", "东北", "长白山", "春市", "市州", "城区", "吉林长白山"])
def test_ambiguous_or_unknown_names_stay_unresolved(gaz, name):
    assert gaz.lookup(name) is None


@pytest.mark.parametrize(
    "name, context, code",
    [
        ("朝阳区", "吉林省", "220104"),  # Changchun's, not Beijing's
        ("朝阳区", "北京市", "110105"),
        ("朝阳区", "220000", "220104"),  # a context given by code
        ("朝阳区", ["长春市"], "220104"),
        ("南关", "吉林省", "220102"),  # a district's short name inside the context
        ("吉林", "吉林市", "220000"),  # the province rule is not undone by context
        ("珲春", "北京市", "222404"),  # unique names ignore the context
    ],
)
def test_lookup_with_context(gaz, name, context, code):
    place = gaz.lookup(name, context)
    assert place is not None and place.code == code


@pytest.mark.parametrize("context", [["吉林省", "北京市"], "上海市", None])
def test_context_that_does_not_single_out_one_candidate(gaz, context):
    assert gaz.lookup("朝阳区", context) is None


@pytest.mark.parametrize(
    "name, chain",
    [
        ("珲春市", [("222404", "珲春市", "county"), ("222400", "延边朝鲜族自治州", "city"), ("220000", "吉林省", "province")]),
        ("东城区", [("110101", "东城区", "county"), ("110000", "北京市", "province")]),  # municipality: no city level
        ("吉林省", [("220000", "吉林省", "province")]),
    ],
)
def test_parent_chain(gaz, name, chain):
    assert [(p.code, p.name, p.level) for p in gaz.chain(gaz.lookup(name))] == chain


def test_place_record(gaz):
    p = gaz.lookup("珲春")
    assert isinstance(p, Place) and p.parent == "222400"
    assert 42 < p.lat < 43.5 and 130 < p.lon < 131
    assert gaz.within(p, gaz.lookup("吉林省")) and not gaz.within(p, gaz.lookup("长春市"))


@pytest.mark.parametrize(
    "full, shorts",
    [
        ("延边朝鲜族自治州", {"延边", "延边州"}),
        ("双江拉祜族佤族布朗族傣族自治县", {"双江", "双江县"}),
        ("鄂温克族自治旗", {"鄂温克", "鄂温克旗"}),
        ("新疆维吾尔自治区", {"新疆"}),
        ("大兴安岭地区", {"大兴安岭"}),
        ("城区", set()),  # one character left is no name
        ("长春净月高新技术产业开发区", set()),  # development zones: official name only
    ],
)
def test_short_names(gaz, full, shorts):
    assert short_names(gaz.full[full][0]) == shorts


@pytest.mark.parametrize(
    "name, expected",
    [("长春市", True), ("延边州", True), ("陕西西安", True), ("吉林", False), ("白山", False), ("吉林省税务局", False)],
)
def test_is_place_name(gaz, name, expected):
    assert gaz.is_place_name(name) is expected


@pytest.mark.parametrize(
    "text, head, code, rest",
    [
        ("通榆县乌兰花镇", "通榆县", "220822", "乌兰花镇"),
        ("吉林启星铝业", "吉林", "220000", "启星铝业"),
        ("吉林省长春市税务局", "吉林省长春市", "220100", "税务局"),
        ("国网吉林", "", None, "国网吉林"),
    ],
)
def test_split_leading_place(gaz, text, head, code, rest):
    h, place, r = gaz.split(text)
    assert (h, place.code if place else None, r) == (head, code, rest)


def test_bad_table_names_file_and_line(tmp_path):
    from kg.errors import KgError

    bad = tmp_path / "places.tsv"
    bad.write_text("code\tname\tlevel\tparent\tlon\tlat\n220000\t吉林省\tstate\t\t1\t2\n", encoding="utf8")
    with pytest.raises(KgError, match=r"places.tsv:2:"):
        Gazetteer.read(bad)
    with pytest.raises(KgError, match="kg.train.places"):
        Gazetteer.read(tmp_path / "missing.tsv")


def test_derive_matches_shipped_table():
    from conftest import SHARED
    from kg.train.places import derive

    if not (SHARED / "data" / "geo" / "adcodes.csv").exists():
        pytest.skip("../shared/data/geo is not present")
    rows = derive(SHARED / "data" / "geo")
    shipped = [
        tuple(line.split("\t"))
        for line in PLACES.read_text(encoding="utf8").splitlines()
        if line and not line.startswith(("#", "code\t"))
    ]
    assert rows == shipped

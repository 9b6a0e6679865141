"""Build the NER's name lexicon (see kg.nlp.lexicon) from ../shared/data.

    python -m kg.train.lexicon --data ../shared/data --out build/lexicon.tsv

Sources: People's Daily January 1998 (nr person names, surname and given name joined; ns
places; nt organisations), CLUENER train (name; organization/company/government; scene), the
province/city/county names, and the MSR segmentation corpus, whose standard keeps whole
names as one word: its words ending in an organisation head (公司, 大学, 委员会, 局, ...) or an
administrative suffix (省, 市, 县, 镇, 村, ...) are organisation and place names. The MSRA NER data (the model's own training and test sets)
is never read. A name listed with two types keeps the more frequent one.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from kg.nlp.chars import fold
from kg.nlp.lexicon import MAX_LEN, MIN_LEN, Lexicon

CLUENER = {"name": "PER", "organization": "ORG", "company": "ORG", "government": "ORG", "scene": "LOC"}
PD = {"ns": "LOC", "nt": "ORG"}
# Heads that end organisation names and hardly any other word (not 部/队/所: 干部, 军队, 三百余所).
MSR_ORG = re.compile(
    r"(公司|集团|银行|大学|学院|中学|小学|学校|医院|研究院|研究所|研究中心|研究会|科学院|协会|学会|"
    r"基金会|联合会|委员会|代表团|俱乐部|出版社|报社|杂志社|电视台|电台|剧团|乐团|剧院|法院|检察院|"
    r"大使馆|人民政府|政府|局|厅|署|办公室|工会|联盟|厂|总队|支队|大队)$"
)
MSR_LOC = re.compile(r"(省|市|县|州|镇|乡|村|自治区|特区|开发区)$")
MSR_SKIP = re.compile(r"[0-9０-９某余各该本我其此这那多几]")


def _norm(name: str) -> str:
    return "".join(fold(c) for c in name.strip())


def collect(data: Path) -> Lexicon:
    votes: dict[str, Counter] = defaultdict(Counter)
    for line in open(data / "seg" / "pd1998-01.pos.txt", encoding="utf8"):
        toks = [t.rpartition("/") for t in line.split()]
        i = 0
        while i < len(toks):
            word, _, tag = toks[i]
            if tag == "nr":  # 江/nr 泽民/nr -> 江泽民
                j = i + 1
                while j < len(toks) and toks[j][2] == "nr" and j - i < 2:
                    word += toks[j][0]
                    j += 1
                votes[_norm(word)]["PER"] += 1
                i = j
                continue
            if tag in PD:
                votes[_norm(word)][PD[tag]] += 1
            i += 1
    for line in open(data / "ner" / "cluener_train.jsonl", encoding="utf8"):
        rec = json.loads(line)
        for typ, surfaces in rec.get("label", {}).items():
            if typ in CLUENER:
                for s in surfaces:
                    votes[_norm(s)][CLUENER[typ]] += 1
    for name in ("provinces.csv", "cities.csv", "areas.csv"):
        path = data / "geo" / name
        if path.exists():
            with open(path, encoding="utf8") as f:
                for row in csv.DictReader(f):
                    if row.get("name"):
                        votes[_norm(row["name"])]["LOC"] += 1
    msr: Counter = Counter()
    for line in open(data / "seg" / "msr_training.utf8", encoding="utf8"):
        msr.update(w for w in line.split() if len(w) >= 4 and not MSR_SKIP.search(w))
    for word, n in msr.items():
        if MSR_ORG.search(word):
            votes[_norm(word)]["ORG"] += n
        elif MSR_LOC.search(word) and len(word) <= 8:
            votes[_norm(word)]["LOC"] += n
    names = {
        name: c.most_common(1)[0][0]
        for name, c in votes.items()
        if MIN_LEN <= len(name) <= MAX_LEN
    }
    return Lexicon(names)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("build/lexicon.tsv"))
    args = ap.parse_args(argv)
    lex = collect(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lex.to_disk(args.out)
    print(f"{len(lex)} names -> {args.out}: {Counter(lex.names.values())}")


if __name__ == "__main__":
    main()

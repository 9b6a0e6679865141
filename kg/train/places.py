"""Derive the gazetteer `kg/models/places.tsv` from the division tables in `../shared/data/geo`.

    python -m kg.train.places --data ../shared/data

Inputs: `geo/adcodes.csv` (12-digit codes, names, coordinates; cpca, MIT) and
`geo/{provinces,cities,areas}.csv` (names and levels; modood/Administrative-divisions-of-China,
WTFPL). The output keeps one row per province, prefecture and county-level division: 6-digit
GB/T 2260 code, official name, level, parent code and coordinates rounded to 4 decimals (~10 m).
Townships (`streets.csv`, 41k rows) are left out to keep the package small. Placeholders
(市辖区, 县, 省直辖县级行政区划) and the duplicate city rows of the four municipalities are
dropped; their counties hang directly off the province.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

from kg.files import atomic_write

DEST = Path(__file__).resolve().parent.parent / "models" / "places.tsv"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}
HEADER = ("code", "name", "level", "parent", "lon", "lat")


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf8", newline="") as f:
        return list(csv.DictReader(f))


def derive(geo: Path) -> list[tuple[str, str, str, str, str, str]]:
    """The gazetteer rows, sorted by code."""
    names: dict[str, str] = {}
    for r in _read(geo / "provinces.csv"):
        names[r["code"] + "0000"] = r["name"]
    for r in _read(geo / "cities.csv"):
        names[r["code"] + "00"] = r["name"]
    for r in _read(geo / "areas.csv"):
        names[r["code"]] = r["name"]
    coords: dict[str, tuple[str, str]] = {}
    for r in _read(geo / "adcodes.csv"):
        code = r["adcode"][:6]
        if not code.isdigit() or code.startswith("99"):  # 99: a border stretch, not a division
            continue
        names[code] = r["name"]  # cpca's name wins: it is the one with coordinates
        if r["longitude"] and r["latitude"]:
            coords[code] = (f"{float(r['longitude']):.4f}", f"{float(r['latitude']):.4f}")

    def keep(code: str) -> bool:
        if names.get(code) in PLACEHOLDERS:
            return False
        return not (level_of(code) == "city" and code[:2] in MUNICIPALITIES)

    kept = {c for c in names if keep(c)}
    rows = []
    for code in sorted(kept):
        level = level_of(code)
        parent = ""
        if level == "county":
            parent = code[:4] + "00" if code[:4] + "00" in kept else code[:2] + "0000"
        elif level == "city":
            parent = code[:2] + "0000"
        if parent and parent not in kept:
            parent = ""
        lon, lat = coords.get(code, ("", ""))
        rows.append((code, names[code], level, parent, lon, lat))
    return rows


def write(rows, dest: Path) -> None:
    with atomic_write(dest) as f:
        f.write("# Chinese administrative divisions (GB/T 2260 codes), derived by kg.train.places from\n")
        f.write("# cpca adcodes.csv (MIT) and modood/Administrative-divisions-of-China (WTFPL).\n")
        f.write("\t".join(HEADER) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder (holds geo/)")
    ap.add_argument("--dest", type=Path, default=DEST)
    args = ap.parse_args(argv)
    rows = derive(args.data / "geo")
    write(rows, args.dest)
    levels = {lv: sum(1 for r in rows if r[2] == lv) for lv in ("province", "city", "county")}
    print(f"{len(rows)} places ({levels}) -> {args.dest} ({args.dest.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

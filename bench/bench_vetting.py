"""Vetting at scale (issue 6, item 5): our matcher against Splink on the same synthetic data.

A seeded registry of persons (bench/vetting_data.py: realistic names with many namesakes,
valid Heilongjiang ID numbers, nicknames and former names) and a candidate list of which a
share are registry persons written with noise (traditional characters, homophones, nicknames,
former names, swapped given names, ID typos, 15-digit IDs, two noises at once) and the rest
people not in the registry. Both matchers screen the list; each candidate's result is
compared with the truth.

    .venv/bin/python bench/bench_vetting.py                                  # 1M x 10k
    .venv/bin/python bench/bench_vetting.py --registry 20000 --candidates 1000   # quick
    .venv/bin/python bench/bench_vetting.py --no-splink                      # ours only

Ours (saohei.entities.matching): a candidate counts as predicted to match when search()
returns anything of tier 确认 or 疑似; a true positive when the true registry person is
among what it returns. Timed apart, as the product does them apart: the keys (fold_name,
readings: computed once when a record is imported, and stored), the Index built from the
stored keys in one bulk build (Index(entries), the product's path), and the screening
(search() for every candidate, its keys included).

Splink (DuckDB backend, link_only, registry x candidates), on the same columns: the name as
written, its pinyin (toneless, the main reading of each character, computed the same way on
both sides), the ID number (15-digit ones converted to 18, as any cleaning would), the birth
date and gender the ID number gives. A registry person with a nickname or former name has one
row per name. u by random sampling, m by EM on two blocking rules, the prior from
deterministic rules; a candidate is predicted to match when any registry row scores above the
threshold, a true positive when the true person's row does.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")

import django  # noqa: E402

django.setup()  # the matcher's reasons are translated strings

from vetting_data import NEGATIVE_KINDS, TRUE_KINDS, Dataset, generate  # noqa: E402

from saohei.entities.matching import Identity, Index, keys_of  # noqa: E402
from saohei.entities.matching import names as matching_names  # noqa: E402
from saohei.entities.matching.ids import parse_id  # noqa: E402

TARGETS = {"seconds": 60.0, "recall": 0.99}
PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--registry", type=int, default=1_000_000)
PARSER.add_argument("--candidates", type=int, default=10_000)
PARSER.add_argument("--seed", type=int, default=6)
PARSER.add_argument("--true-share", type=float, default=0.3, help="registry persons' share")
PARSER.add_argument("--no-splink", action="store_true", help="our matcher only")
PARSER.add_argument("--u-pairs", type=float, default=1e7, help="Splink's u sampling pairs")
PARSER.add_argument("--examples", type=int, default=2, help="misses shown per kind")


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def pad(text: str, width: int) -> str:
    """Left-justify counting wide (CJK) characters as two columns."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def rss_mb() -> tuple[float, float]:
    """(resident now, peak) in MB, from /proc (Linux)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


@dataclass
class Outcome:
    """One matcher's answer: for each candidate, the registry persons it found."""

    name: str
    found: dict[int, set[int]] = field(default_factory=dict)  # cid -> pids
    times: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU seconds
    memory: str = ""
    note: str = ""
    confirmed: Counter = field(default_factory=Counter)  # ours: tier of the true hit

    def score(self, data: Dataset, kind: str | None = None) -> dict:
        tp = fp = fn = tn = 0
        for c in data.candidates:
            if kind is not None and c.kind != kind:
                continue
            got = self.found.get(c.cid, set())
            if c.truth is not None and c.truth in got:
                tp += 1
            else:
                fp += bool(got)
                fn += c.truth is not None
                tn += c.truth is None and not got
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision,
                "recall": recall, "f1": f1}  # fmt: skip


# Ours ---------------------------------------------------------------------------------------


def clear_caches() -> None:
    """Start cold: nothing the generator or an earlier step left in the matcher's caches."""
    for fn in (matching_names.fold_name, matching_names.readings_of, matching_names.char_readings,
               parse_id):  # fmt: skip
        fn.cache_clear()


def build(data: Dataset, keys: list[tuple[str, str]]) -> Index:
    """The Index from the stored keys, as a vetting run builds it from the records: in one
    bulk build (Index(entries), i.e. add_many), the product's path; each entry's full form is
    worked out only when a candidate is compared with it."""
    return Index(
        (p.pid, Identity(p.name, p.id_number, p.aliases), k, r)
        for p, (k, r) in zip(data.registry, keys, strict=True)
    )


def run_ours(data: Dataset) -> tuple[Outcome, Index]:
    out = Outcome("ours")
    clear_caches()
    gc.collect()
    before, _ = rss_mb()
    start = time.perf_counter()
    keys = [keys_of(p.name) for p in data.registry]
    out.times["keys"] = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    index = build(data, keys)
    out.times["build"] = time.perf_counter() - start
    out.cpu["build"] = time.process_time() - cpu
    gc.collect()
    after, _ = rss_mb()
    out.memory = f"index {after - before:,.0f} MB"

    screen(data, index, out)
    return out, index


def screen(data: Dataset, index: Index, out: Outcome) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    for c in data.candidates:
        hits = index.search(Identity(c.name, c.id_number))
        out.found[c.cid] = {pid for pid, _ in hits}
        for pid, match in hits:
            if pid == c.truth:
                out.confirmed[match.tier] += 1
    out.times["screen"] = time.perf_counter() - start
    out.cpu["screen"] = time.process_time() - cpu


# Splink -------------------------------------------------------------------------------------


def pinyin_of(name: str, cache: dict[str, str]) -> str:
    """Toneless pinyin, the main reading of each character (traditional ones too)."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for char in name:
        reading = cache.get(char)
        if reading is None:
            reading = cache[char] = lazy_pinyin(char, style=Style.NORMAL)[0]
        out.append(reading)
    return "".join(out)


def id_columns(id_number: str) -> tuple[str, str | None, str | None]:
    """(the 18-digit ID, birth date, gender) as a data engineer would prepare them for
    Splink: 15 digits converted, birth date and gender read off the number when it has
    them (None when the digits are no date)."""
    from vetting_data import check_character

    if len(id_number) == 15:
        first17 = f"{id_number[:6]}19{id_number[6:]}"
        id_number = first17 + check_character(first17)
    try:
        birth = (
            f"{int(id_number[6:10]):04d}-{int(id_number[10:12]):02d}-{int(id_number[12:14]):02d}"
        )
        import datetime

        datetime.date.fromisoformat(birth)
    except ValueError:
        birth = None
    gender = "M" if int(id_number[16]) % 2 else "F"
    return id_number, birth, gender


BLOCKING = [
    "l.id_number = r.id_number",
    "l.name_py = r.name_py and l.birth_date = r.birth_date",
    "substr(l.id_number, 1, 14) = substr(r.id_number, 1, 14)",  # a slip after the date
    "substr(l.id_number, 7, 12) = substr(r.id_number, 7, 12)",  # a slip in the region
    "l.name_py = r.name_py and substr(l.id_number, 1, 6) = substr(r.id_number, 1, 6)",
]


def splink_settings():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    name = cl.CustomComparison(
        [
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.ExactMatchLevel("name_py"),
            cll.JaroWinklerLevel("name_py", 0.92),
            cll.JaroWinklerLevel("name_py", 0.8),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            name,
            cl.LevenshteinAtThresholds("id_number", [1, 2]),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=BLOCKING,
        additional_columns_to_retain=["person"],
        retain_intermediate_calculation_columns=False,
    )


def run_splink(data: Dataset, seed: int, u_pairs: float) -> tuple[Outcome, dict]:
    import duckdb
    import pyarrow as pa
    import splink
    from splink import DuckDBAPI, Linker

    out = Outcome("Splink")
    gc.collect()
    before, _ = rss_mb()
    start = time.perf_counter()
    cache: dict[str, str] = {}
    columns = ("unique_id", "person", "name", "name_py", "id_number", "birth_date", "gender")
    registry = {k: [] for k in columns}
    for p in data.registry:
        id18, birth, gender = id_columns(p.id_number)
        for name in (p.name, *p.aliases):
            row = (len(registry["unique_id"]), p.pid, name, pinyin_of(name, cache), id18,
                   birth, gender)  # fmt: skip
            for k, v in zip(columns, row, strict=True):
                registry[k].append(v)
    candidates = {k: [] for k in columns}
    for c in data.candidates:
        id18, birth, gender = id_columns(c.id_number)
        row = (c.cid, -1, c.name, pinyin_of(c.name, cache), id18, birth, gender)
        for k, v in zip(columns, row, strict=True):
            candidates[k].append(v)
    person_of = registry["person"]
    out.times["keys"] = time.perf_counter() - start

    start = time.perf_counter()
    con = duckdb.connect()
    db_api = DuckDBAPI(con)
    left = db_api.register(pa.table(registry), table_name="registry")
    right = db_api.register(pa.table(candidates), table_name="candidates")
    del registry, candidates
    linker = Linker([left, right], splink_settings(), log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        ["l.id_number = r.id_number and l.name = r.name"], recall=0.5
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    training.estimate_parameters_using_expectation_maximisation("l.id_number = r.id_number")
    training.estimate_parameters_using_expectation_maximisation(
        "l.name_py = r.name_py and substr(l.id_number, 1, 6) = substr(r.id_number, 1, 6)"
    )
    out.times["train"] = time.perf_counter() - start

    start = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.001)
    rows = (
        predictions.as_duckdbpyrelation()
        .select("source_dataset_l, unique_id_l, unique_id_r, match_probability")
        .fetchall()
    )
    out.times["predict"] = time.perf_counter() - start
    _, peak = rss_mb()
    out.memory = f"peak RSS +{peak - before:,.0f} MB over ours"

    # Which side is the registry: Splink orders the two inputs by its own rule.
    scored: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for source_l, uid_l, uid_r, probability in rows:
        reg_uid, cid = (uid_l, uid_r) if source_l == "registry" else (uid_r, uid_l)
        scored[int(cid)].append((probability, person_of[int(reg_uid)]))
    info = {"pairs": len(rows), "version": splink.__version__, "duckdb": duckdb.__version__}
    con.close()
    return out, scored, info


def at_threshold(scored: dict, threshold: float) -> dict[int, set[int]]:
    return {cid: {pid for p, pid in pairs if p >= threshold} for cid, pairs in scored.items()}


def best_threshold(data: Dataset, scored: dict) -> tuple[float, dict]:
    best = (0.5, None)
    for t in (0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
        figures = Outcome("", at_threshold(scored, t)).score(data)
        if best[1] is None or figures["f1"] > best[1]["f1"]:
            best = (t, figures)
    return best


# Printing -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(data: Dataset, columns: list[tuple[str, Outcome]]) -> None:
    """Precision, recall and F1 of every column beside the targets (which are ours), then
    the times."""
    ours = columns[0][1]
    figures = [(label, o.score(data)) for label, o in columns]
    mine = figures[0][1]
    splink = next((f for label, f in figures if label == "Splink p>=0.5"), None)
    print(f"\n{'':26}" + "".join(f"{label:>18}" for label, _ in figures) + "   target")
    recall_ok = verdict(mine["recall"] >= TARGETS["recall"])
    f1_ok = verdict(splink is None or mine["f1"] >= splink["f1"])
    for label, key, note in (
        ("precision", "precision", ""),
        ("recall (确认+疑似)", "recall", f"   >= {TARGETS['recall']:<12} {recall_ok}"),
        ("F1", "f1", f"   >= Splink's  {f1_ok}" if splink else ""),
    ):
        print(pad(label, 26) + "".join(f"{f[key]:>18.4f}" for _, f in figures) + note)
    for label, key in (("true positives", "tp"), ("false positives", "fp"),
                       ("false negatives", "fn")):  # fmt: skip
        print(pad(label, 26) + "".join(f"{f[key]:>18,}" for _, f in figures))
    tiers = ours.confirmed
    print(
        f"{pad('ours: true hits 确认/疑似', 26)}{tiers['confirmed']:>12,} / {tiers['possible']:,}"
    )
    print()
    t = ours.times
    total = t["build"] + t["screen"]
    print(f"{pad('ours: keys (at import, stored)', 44)} {fmt(t['keys']):>9}")
    print(f"{pad('ours: index from stored keys', 44)} {fmt(t['build']):>9}   ({ours.memory})")
    print(f"{pad('ours: screening', 44)} {fmt(t['screen']):>9}")
    print(f"{pad('ours: index + screening', 44)} {fmt(total):>9}   target < "
          f"{fmt(TARGETS['seconds']):<6} {verdict(total < TARGETS['seconds'])}"
          f"  (with the keys: {fmt(total + t['keys'])})")  # fmt: skip
    # The machine is shared: CPU time says what the work costs when the wall clock is
    # stretched by other processes (load average beside it).
    cpu = ours.cpu.get("build", 0) + ours.cpu.get("screen", 0)
    print(f"{pad('ours: index + screening, CPU time', 44)} {fmt(cpu):>9}   "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
    for _, o in columns[1:]:
        if "train" in o.times:
            print(f"{pad('Splink: pinyin and ID columns', 44)} {fmt(o.times['keys']):>9}")
            print(f"{pad('Splink: load, train (prior, u, EM x 2)', 44)} {fmt(o.times['train']):>9}")
            print(f"{pad('Splink: predict and fetch', 44)} {fmt(o.times['predict']):>9}")
            print(f"{pad('Splink: total', 44)} {fmt(sum(o.times.values())):>9}   "
                  f"({o.memory}; {o.note})")  # fmt: skip


def print_kinds(data: Dataset, outcomes: list[tuple[str, Outcome]]) -> None:
    counts = data.kinds()
    print(f"\n{'by kind':26}{'n':>8}" + "".join(f"{label:>18}" for label, _ in outcomes))
    for kind in TRUE_KINDS:
        row = pad(f"  {kind}", 26) + f"{counts[kind]:>8,}"
        for _, o in outcomes:
            f = o.score(data, kind)
            row += f"{f['recall']:>18.4f}"
        print(row + "   (recall)")
    for kind in NEGATIVE_KINDS:
        row = pad(f"  not in registry: {kind}", 26) + f"{counts[kind]:>8,}"
        for _, o in outcomes:
            f = o.score(data, kind)
            row += f"{f['fp']:>18,}"
        print(row + "   (false positives)")


def print_misses(data: Dataset, ours: Outcome, index: Index, examples: int) -> None:
    """Up to `examples` misses of each kind, with compare()'s verdict on the true pair."""
    from saohei.entities.matching import compare

    shown: Counter = Counter()
    print("\nour misses (false negatives, then false positives), with compare() on the pair:")
    for c in data.candidates:
        got = ours.found.get(c.cid, set())
        wrong = c.truth is not None and c.truth not in got
        if not wrong or shown[c.kinds] >= examples:
            continue
        shown[c.kinds] += 1
        p = data.registry[c.truth]
        match = compare(Identity(c.name, c.id_number), Identity(p.name, p.id_number, p.aliases))
        print(f"  FN {'+'.join(c.kinds)}: {c.name} {c.id_number}  vs  {p.name} {p.id_number}"
              f"{' ' + '/'.join(p.aliases) if p.aliases else ''}  -> {match}")  # fmt: skip
    for c in data.candidates:
        got = ours.found.get(c.cid, set()) - {c.truth}
        if not got or (c.truth is not None and c.truth in ours.found[c.cid]):
            continue
        if shown[("fp",) + c.kinds] >= examples:
            continue
        shown[("fp",) + c.kinds] += 1
        hits = index.search(Identity(c.name, c.id_number))
        pid, match = hits[0]
        p = data.registry[pid]
        print(f"  FP {'+'.join(c.kinds)}: {c.name} {c.id_number}  vs  {p.name} {p.id_number}"
              f"  -> {match}")  # fmt: skip


def main() -> None:
    args = PARSER.parse_args()
    print(f"generating {args.registry:,} registry persons and {args.candidates:,} candidates "
          f"(seed {args.seed})", flush=True)  # fmt: skip
    start = time.perf_counter()
    data = generate(args.registry, args.candidates, args.seed, args.true_share)
    true_n = sum(c.truth is not None for c in data.candidates)
    aliases = sum(bool(p.aliases) for p in data.registry)
    print(f"generated in {fmt(time.perf_counter() - start)}: {true_n:,} candidates in the "
          f"registry, {args.candidates - true_n:,} not; {aliases:,} registry persons with a "
          f"nickname or former name", flush=True)  # fmt: skip

    ours, index = run_ours(data)
    print(f"ours: screened in {fmt(ours.times['screen'])}", flush=True)
    columns: list[tuple[str, Outcome]] = [("ours", ours)]
    splinks: list[tuple[str, Outcome]] = []
    if not args.no_splink:
        s, scored, info = run_splink(data, args.seed, args.u_pairs)
        s.found = at_threshold(scored, 0.5)
        s.note = (f"splink {info['version']}, duckdb {info['duckdb']}, {info['pairs']:,} pairs "
                  f"scored >= 0.001")  # fmt: skip
        splinks.append(("Splink p>=0.5", s))
        t, _ = best_threshold(data, scored)
        oracle = Outcome("Splink", at_threshold(scored, t))
        splinks.append((f"Splink p>={t:g}*", oracle))
    columns += splinks
    print_table(data, columns)
    if splinks:
        print("  * the threshold that maximises Splink's F1, chosen with the truth (an oracle "
              "no user has)")  # fmt: skip
    print_kinds(data, columns)
    print_misses(data, ours, index, args.examples)


if __name__ == "__main__":
    main()

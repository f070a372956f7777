"""Graph benchmark (issue 7, item 4): which graph library the network view (打伞破网) uses.

A seeded synthetic graph of 1,000,000 nodes and 5,000,000 edges, the same edge list loaded into
each library, and in the same run, for each:

- build: the graph from the edge list (numpy arrays, as a loader would hold them);
- 2-hop and 3-hop: the nodes within k steps of sample nodes (the network view's k), median
  per sample node;
- components: the connected components of the whole graph;
- flagged paths: shortest paths from sample nodes to the nearest of 1,000 flagged nodes
  (officials), by one multi-source breadth-first search (a virtual source joined to every
  flagged node) and the paths read back from its tree.

The graph: 80% of the edges inside communities of 20–200 nodes (families, gangs, firms),
20% between any two nodes, so most nodes are one big component as in a real registry, with
hubs from a skewed choice of endpoints. Then, if Django can be set up, the product's own
2-hop view end to end (`saohei.linkage.network.build` + `analyse` from the database, and the
page through the test Client) on a throw-away SQLite database holding a district-sized
graph of persons, clues, cases, suspects, officials and ties. Target: a 2-hop view under
300 ms.

    .venv/bin/python bench/bench_graph.py                  # 1M / 5M (~3 min, ~8 GB with networkx)
    .venv/bin/python bench/bench_graph.py --nodes 100000 --edges 500000   # quick check
    .venv/bin/python bench/bench_graph.py --skip networkx  # without the slow peer
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET_2HOP_MS = 300.0


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


# The synthetic graph ------------------------------------------------------------------------


def generate(nodes: int, edges: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    inner = int(edges * 0.8)
    # Communities of 20-200 consecutive node ids; an inner edge joins two nodes of one.
    sizes = rng.integers(20, 201, size=nodes // 20 + 1)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    starts = starts[starts < nodes]
    ends = np.minimum(np.append(starts[1:], nodes), nodes)
    community = rng.integers(0, len(starts), size=inner)
    lo, span = starts[community], ends[community] - starts[community]
    a = lo + (rng.random(inner) * span).astype(np.int64)
    b = lo + (rng.random(inner) * span).astype(np.int64)
    # Outer edges: skewed endpoints (a few hubs), any two nodes.
    outer = edges - inner
    skew = (rng.pareto(1.5, size=outer) * nodes / 50).astype(np.int64) % nodes
    c = rng.permutation(nodes)[skew]
    d = rng.integers(0, nodes, size=outer)
    src, dst = np.concatenate([a, c]), np.concatenate([b, d])
    keep = src != dst
    return src[keep].astype(np.int64), dst[keep].astype(np.int64)


# One runner per library ---------------------------------------------------------------------


class Runner:
    name = ""

    def build(self, nodes, src, dst): ...
    def khop(self, node, k) -> int: ...
    def components(self) -> int: ...
    def flagged_paths(self, flagged, samples) -> list[list[int]]: ...


def paths_from_parents(parent: dict | list, samples, root) -> list[list[int]]:
    out = []
    for s in samples:
        path, node = [], s
        while node is not None and node != root and node != -1:
            path.append(int(node))
            node = parent[node] if not isinstance(parent, dict) else parent.get(node)
        out.append(path if node == root else [])
    return out


class Rustworkx(Runner):
    name = "rustworkx"

    def build(self, nodes, src, dst):
        import rustworkx as rx

        self.rx = rx
        g = rx.PyGraph(multigraph=False, node_count_hint=nodes + 1, edge_count_hint=len(src))
        g.add_nodes_from(range(nodes))
        g.extend_from_edge_list(list(zip(src.tolist(), dst.tolist(), strict=True)))
        self.g, self.n = g, nodes

    def khop(self, node, k):
        g, seen, frontier = self.g, {node}, [node]
        for _ in range(k):
            nxt = []
            for u in frontier:
                for v in g.neighbors(u):
                    if v not in seen:
                        seen.add(v)
                        nxt.append(v)
            frontier = nxt
        return len(seen)

    def components(self):
        return len(self.rx.connected_components(self.g))

    def flagged_paths(self, flagged, samples):
        g = self.g
        root = g.add_node("root")
        g.add_edges_from_no_data([(root, int(f)) for f in flagged])
        try:
            # Distances from the flagged set by layers, then each path walked back through a
            # neighbour one step nearer.
            dist = np.full(g.num_nodes() + 1, -1, dtype=np.int64)
            for depth, layer in enumerate(self.rx.bfs_layers(g, [root])):
                dist[np.asarray(layer, dtype=np.int64)] = depth
            out = []
            for s in samples:
                if dist[s] < 0:
                    out.append([])
                    continue
                path, node = [s], s
                while dist[node] > 1:
                    node = next(v for v in g.neighbors(node) if dist[v] == dist[node] - 1)
                    path.append(node)
                out.append(path)
            return out
        finally:
            g.remove_node(root)


class Igraph(Runner):
    name = "igraph"

    def build(self, nodes, src, dst):
        import igraph

        self.g = igraph.Graph(n=nodes, edges=np.column_stack([src, dst]), directed=False)
        self.g.simplify()
        self.n = nodes

    def khop(self, node, k):
        return len(self.g.neighborhood(node, order=k))

    def components(self):
        return len(self.g.connected_components())

    def flagged_paths(self, flagged, samples):
        g = self.g
        root = g.vcount()
        g.add_vertices(1)
        g.add_edges([(root, int(f)) for f in flagged])
        try:
            _order, _layers, parent = g.bfs(root)
            return paths_from_parents(parent, samples, root)
        finally:
            g.delete_vertices([root])


class Networkx(Runner):
    name = "networkx"

    def build(self, nodes, src, dst):
        import networkx as nx

        self.nx = nx
        g = nx.Graph()
        g.add_nodes_from(range(nodes))
        g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
        self.g, self.n = g, nodes

    def khop(self, node, k):
        return len(self.nx.single_source_shortest_path_length(self.g, node, cutoff=k))

    def components(self):
        return self.nx.number_connected_components(self.g)

    def flagged_paths(self, flagged, samples):
        g, root = self.g, -1
        g.add_edges_from((root, int(f)) for f in flagged)
        try:
            parent = dict(self.nx.bfs_predecessors(g, root))
            return paths_from_parents(parent, samples, root)
        finally:
            g.remove_node(root)


RUNNERS = {r.name: r for r in (Rustworkx, Igraph, Networkx)}


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def run_library(runner: Runner, nodes, src, dst, samples2, samples3, flagged, targets):
    row = {"library": runner.name}
    row["build"], _ = timed(runner.build, nodes, src, dst)
    runner.khop(int(samples2[0]), 2)  # warm-up
    t2 = [timed(runner.khop, int(s), 2) for s in samples2]
    t3 = [timed(runner.khop, int(s), 3) for s in samples3]
    row["2hop"] = statistics.median(t for t, _ in t2)
    row["2hop_n"] = statistics.median(n for _, n in t2)
    row["3hop"] = statistics.median(t for t, _ in t3)
    row["3hop_n"] = statistics.median(n for _, n in t3)
    row["components"], row["components_n"] = timed(runner.components)
    row["paths"], paths = timed(runner.flagged_paths, flagged, [int(t) for t in targets])
    row["path_lengths"] = [len(p) for p in paths]
    return row


# The product's own 2-hop view ---------------------------------------------------------------


def seed_district(persons: int, seed: int):
    """A district's network in the database: persons (a tenth with ID numbers that gang
    suspects resolve to), cases mentioning them in their roles (a few persons in many cases),
    gang cases with suspects, umbrella cases protecting a third of them with their officials,
    family and business ties, shared phones. Returns (office head, leaders, counts)."""
    import datetime
    import random

    from django.contrib.auth.models import Group

    from saohei.cases.choices import CaseKind, OfficialRank, SuspectRole
    from saohei.cases.models import Case, Official, Suspect
    from saohei.core.synthetic import chinese_name, id_number
    from saohei.entities.models import Mention, Person, Phone
    from saohei.entities.ties import PERSON_KINDS, Tie
    from saohei.orgs.choices import Role, UnitKind
    from saohei.orgs.models import Jurisdiction, Unit, User

    rng = random.Random(seed)
    district = Jurisdiction.objects.create(name="北湖区", code="230602")
    office_unit = Unit.objects.create(
        name="北湖区扫黑办", kind=UnitKind.OFFICE, jurisdiction=district
    )
    police = Unit.objects.create(name="北湖分局", kind=UnitKind.POLICE, jurisdiction=district)
    discipline = Unit.objects.create(
        name="北湖区纪委监委", kind=UnitKind.DISCIPLINE, jurisdiction=district
    )
    office = User.objects.create_user(username="bench_office", password="x", unit=office_unit)
    office.groups.set(Group.objects.filter(name=Role.OFFICE_ADMIN))
    office = User.objects.get(pk=office.pk)
    opener = User.objects.create_user(username="bench_police", password="x", unit=police)

    ids = [id_number(rng) if i % 10 == 0 else "" for i in range(persons)]
    numbers = [f"139{rng.randrange(10**8):08d}" for _ in range(persons // 20)]
    people = Person.objects.bulk_create(
        [
            Person(
                name=chinese_name(rng),
                id_number=ids[i],
                jurisdiction=district,
                entered_by_unit=office_unit,
                phones=rng.choice(numbers) if i % 7 == 0 else "",
                is_public_official=i % 97 == 0,
            )
            for i in range(persons)
        ],
        batch_size=2000,
    )
    Phone.objects.bulk_create(
        [Phone(number=n, jurisdiction=district) for n in numbers], batch_size=2000
    )
    n_cases = persons // 10
    day = datetime.date(2019, 6, 1)
    kinds = [CaseKind.EVIL_GANG, CaseKind.EVIL_GROUP, CaseKind.ORDINARY, CaseKind.ORDINARY]
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"AJ2019-{i:05d}",
                name=f"案件{i}",
                jurisdiction=district,
                kind=kinds[i % 4],
                opened_on=day,
                opened_by=opener,
                opening_unit=police,
                handling_unit=police,
                stage_since=day,
            )
            for i in range(n_cases)
        ],
        batch_size=2000,
    )
    # Mentions: persons chosen with a skew (a few are in many cases).
    mentions = []
    for case in cases:
        for _ in range(rng.randint(3, 10)):
            who = people[
                min(int(rng.paretovariate(1.2)) * 37 + rng.randrange(persons), persons - 1)
            ]
            role = rng.choice(["subject", "victim", "witness", "subject", "suspect"])
            mentions.append(Mention(case=case, person=who, role=role))
    Mention.objects.bulk_create(mentions, batch_size=5000)
    # Gang cases: suspects, the leader a person on record.
    with_id = [p for p, i in zip(people, ids, strict=True) if i]
    suspects, leaders = [], []
    gangs = [c for c in cases if c.kind != CaseKind.ORDINARY]
    for case in gangs:
        leader = rng.choice(with_id)
        leaders.append(leader)
        suspects.append(
            Suspect(
                case=case, name=leader.name, id_number=leader.id_number, role=SuspectRole.LEADER
            )
        )
        for j in range(rng.randint(3, 9)):
            other = rng.choice(with_id)
            role = SuspectRole.CORE if j < 2 else SuspectRole.MEMBER
            suspects.append(
                Suspect(case=case, name=other.name, id_number=other.id_number, role=role)
            )
    Suspect.objects.bulk_create(suspects, batch_size=2000)
    umbrellas = Case.objects.bulk_create(
        [
            Case(
                number=f"JJ2019-{i:05d}",
                name=f"保护伞案{i}",
                jurisdiction=district,
                kind=CaseKind.UMBRELLA,
                opened_on=day,
                opened_by=opener,
                opening_unit=discipline,
                handling_unit=discipline,
                stage_since=day,
                protects=gang,
            )
            for i, gang in enumerate(gangs[::3])
        ],
        batch_size=2000,
    )
    Official.objects.bulk_create(
        [
            Official(
                case=u, name=chinese_name(rng), employer="北湖区人民法院", rank=OfficialRank.STAFF
            )
            for u in umbrellas
            for _ in range(3)
        ],
        batch_size=2000,
    )
    ties, pairs = [], set()
    for _ in range(persons // 2):
        a, b = rng.randrange(persons), rng.randrange(persons)
        kind = rng.choice(PERSON_KINDS)
        if a != b and (a, b, kind) not in pairs:
            pairs.add((a, b, kind))
            ties.append(Tie(person=people[a], other_person=people[b], kind=kind))
    Tie.objects.bulk_create(ties, batch_size=5000)
    counts = (
        f"{persons:,} persons, {len(cases) + len(umbrellas):,} cases, {len(mentions):,} mentions, "
        f"{len(suspects):,} suspects, {len(umbrellas) * 3:,} officials, {len(ties):,} ties"
    )
    rng.shuffle(leaders)
    return office, leaders, counts


def product_view(args) -> list[tuple[str, float, str]]:
    """A district-sized graph in a throw-away SQLite database; the 2-hop view of gang
    leaders timed through saohei.linkage.network and through the page."""
    tmp = tempfile.mkdtemp(prefix="saohei-bench-graph-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ.setdefault("SAOHEI_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from saohei.linkage import network

    call_command("migrate", verbosity=0)
    setup_test_environment()
    start = time.perf_counter()
    office, leaders, counts = seed_district(args.db_persons, seed=args.seed)
    print(f"  district graph: {counts} (written in {fmt(time.perf_counter() - start)})")
    rows = []
    for k in (2, 3):
        builds, analyses, sizes = [], [], []
        for leader in leaders[: args.samples_db]:
            t0 = time.perf_counter()
            graph = network.build(office, ("person", leader.pk), k=k)
            t1 = time.perf_counter()
            network.analyse(graph)
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            analyses.append(t2 - t1)
            sizes.append(len(graph.nodes))
        total = statistics.median(b + a for b, a in zip(builds, analyses, strict=True))
        rows.append(
            (
                f"{k}-hop view: build from DB + paths + centrality",
                total,
                f"median {statistics.median(sizes):.0f} nodes; "
                f"DB {fmt(statistics.median(builds))}, analysis {fmt(statistics.median(analyses))}",
            )
        )
    client = Client()
    client.force_login(office)
    pages = []
    for leader in leaders[: args.samples_db]:
        url = reverse("network", args=["person", leader.pk]) + "?k=2"
        t0 = time.perf_counter()
        response = client.get(url)
        pages.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    rows.append(("2-hop page (test Client, end to end)", statistics.median(pages), ""))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--flagged", type=int, default=1000)
    parser.add_argument("--skip", action="append", default=[], choices=sorted(RUNNERS))
    parser.add_argument("--db-persons", type=int, default=20000)
    parser.add_argument("--samples-db", type=int, default=20)
    parser.add_argument("--no-db", action="store_true", help="skip the product's own view")
    args = parser.parse_args()

    print(f"graph benchmark: {args.nodes:,} nodes, {args.edges:,} edges, seed {args.seed}")
    t, (src, dst) = timed(generate, args.nodes, args.edges, args.seed)
    print(f"  generated {len(src):,} edges in {fmt(t)}")
    rng = np.random.default_rng(args.seed + 1)
    samples2 = rng.integers(0, args.nodes, size=args.samples)
    samples3 = samples2[: max(10, args.samples // 5)]
    flagged = rng.choice(args.nodes, size=args.flagged, replace=False)
    targets = rng.integers(0, args.nodes, size=args.samples)

    rows = []
    for name in ("rustworkx", "igraph", "networkx"):
        if name in args.skip:
            continue
        try:
            runner = RUNNERS[name]()
            row = run_library(runner, args.nodes, src, dst, samples2, samples3, flagged, targets)
        except ImportError as exc:
            print(f"  {name}: not installed ({exc}); `make bench` installs it")
            continue
        rows.append(row)
        print(f"  {name}: done")
        del runner
        gc.collect()

    # Same answers: hop sizes, components and path lengths agree between libraries.
    checks = {(r["2hop_n"], r["3hop_n"], r["components_n"], tuple(r["path_lengths"])) for r in rows}
    agree = "same answers" if len(checks) == 1 else "ANSWERS DIFFER"

    header = ["library", "build", "2-hop", "3-hop", "components", "flagged paths"]
    print()
    print(f"| {' | '.join(header)} |")
    print(f"|{'|'.join('---' for _ in header)}|")
    for r in rows:
        cells = [
            r["library"],
            fmt(r["build"]),
            f"{fmt(r['2hop'])} ({r['2hop_n']:.0f} nodes)",
            f"{fmt(r['3hop'])} ({r['3hop_n']:.0f} nodes)",
            f"{fmt(r['components'])} ({r['components_n']:,})",
            fmt(r["paths"]),
        ]
        print(f"| {' | '.join(cells)} |")
    print(
        f"\n2-hop and 3-hop: median per sample node ({len(samples2)} and {len(samples3)} nodes); "
        f"flagged paths: {args.flagged:,} flagged nodes, paths to {len(targets)} nodes read "
        f"back; {agree} across libraries."
    )
    if rows:
        best = min(rows, key=lambda r: r["2hop"])
        verdict = "ok" if best["2hop"] * 1000 < TARGET_2HOP_MS else "MISSED"
        print(
            f"2-hop on the {args.nodes:,}-node graph, best: {fmt(best['2hop'])} "
            f"— target < 300 ms: {verdict}"
        )

    if not args.no_db:
        print("\nthe product's view (saohei.linkage.network), office user, SQLite:")
        for label, seconds, note in product_view(args):
            verdict = ""
            if label.startswith("2-hop"):
                verdict = " ok" if seconds * 1000 < TARGET_2HOP_MS else " MISSED"
            print(f"  {label}: {fmt(seconds)}{verdict}  {note}")


if __name__ == "__main__":
    main()

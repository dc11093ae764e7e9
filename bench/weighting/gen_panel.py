#!/usr/bin/env python3
"""Synthetic survey panels for Concorde's weighting: a panel file and its population margins.

Two kinds, both deterministic for a given --seed (Python's Mersenne Twister):

* ``nantes`` (default): a panel of --n residents of Nantes (1,100 like the city's 2021
  survey), biased as real panels are, and the margins to weight it back:
  - quartier: the population of each of the 11 quartiers, column ``pop_list_table`` of
    ``ref/nantes_quartiers.csv`` (given with --quartiers);
  - sexe and age: plausible shares of the adult population of a student city (not official
    figures: Femme 52.5 %; 18-24 16 %, 25-39 28 %, 40-54 22 %, 55-69 19 %, 70+ 15 %),
    turned into counts summing exactly to the quartiers' total, so that every margin has the
    same total and R's ``survey::rake`` can be given the same file.
  The panel's biases, the usual ones of an online access panel: women over-represented (58 %),
  the young (18-24: 7 %) under-represented and the 40-69 over-represented, the central
  quartiers (Centre-ville, Hauts-Pavés - Saint-Félix, Île de Nantes) over-represented and the
  priority neighbourhoods (Nantes Nord, Dervallières - Zola, Bellevue - Chantenay - Sainte-Anne,
  Malakoff - Saint-Donatien) under-represented; the centre's respondents are younger.
  The answers depend on these variables, so that weighting moves the estimates:
  - ``aide`` (helped a relative or neighbour in the last 12 months, oui/non): women and the
    55-69 more often;
  - ``asso`` (member of an association, oui/non): more with age and in the centre;
  - ``isolement`` (feels isolated: jamais/parfois/souvent): the young, the 70+ and the priority
    neighbourhoods more often; about 3 % left empty (no answer);
  - ``proches`` (number of people one can count on, 0-10): a number, for a weighted mean.

* ``bench``: --n respondents on --vars variables v1..vK of --categories categories each
  (population shares drawn between 0.5 and 1.5 then normalised; sampling probabilities biased
  by another such draw; v2..vK partly follow v1 so that the margins are correlated), for the
  raking benchmark.

Usage (from the repository root):
  python3 bench/weighting/gen_panel.py --quartiers ../shared/ref/nantes_quartiers.csv \\
      --panel crates/weighting/tests/fixtures/panel.csv \\
      --margins crates/weighting/tests/fixtures/margins.csv
  python3 bench/weighting/gen_panel.py --kind bench --n 250000 --vars 4 --categories 50 \\
      --panel /tmp/bench_panel.csv --margins /tmp/bench_margins.csv
"""

import argparse
import csv
import math
import random

SEXE = [("Femme", 0.525), ("Homme", 0.475)]
AGE = [("18-24", 0.16), ("25-39", 0.28), ("40-54", 0.22), ("55-69", 0.19), ("70+", 0.15)]
PANEL_SEXE = {"Femme": 0.58, "Homme": 0.42}
PANEL_AGE = {"18-24": 0.07, "25-39": 0.22, "40-54": 0.27, "55-69": 0.28, "70+": 0.16}
# Relative propensity of a quartier's residents to be in the panel.
PANEL_QUARTIER = {
    "Centre-ville": 1.7,
    "Hauts-Pavés - Saint-Félix": 1.35,
    "Île de Nantes": 1.3,
    "Nantes Nord": 0.5,
    "Dervallières - Zola": 0.6,
    "Bellevue - Chantenay - Sainte-Anne": 0.65,
    "Malakoff - Saint-Donatien": 0.8,
}
CENTRE = {"Centre-ville", "Hauts-Pavés - Saint-Félix", "Île de Nantes"}
PRIORITY = {"Nantes Nord", "Dervallières - Zola", "Bellevue - Chantenay - Sainte-Anne",
            "Malakoff - Saint-Donatien"}


def counts(shares, total):
    """Integer counts in these shares summing exactly to total (the last takes the rounding)."""
    out = [round(s * total) for _, s in shares]
    out[-1] = total - sum(out[:-1])
    return [(name, c) for (name, _), c in zip(shares, out)]


def pick(rng, weights):
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


def nantes(args):
    rng = random.Random(args.seed)
    with open(args.quartiers, encoding="utf-8") as f:
        quartiers = [(r["quartier"], int(r["pop_list_table"])) for r in csv.DictReader(f)]
    total = sum(p for _, p in quartiers)
    margins = [("sexe", c) for c in counts(SEXE, total)]
    margins += [("age", c) for c in counts(AGE, total)]
    margins += [("quartier", q) for q in quartiers]
    propensity = {q: p * PANEL_QUARTIER.get(q, 1.0) for q, p in quartiers}
    rows = []
    for i in range(1, args.n + 1):
        quartier = pick(rng, propensity)
        sexe = pick(rng, PANEL_SEXE)
        age_w = dict(PANEL_AGE)
        if quartier in CENTRE:
            age_w["18-24"] *= 2.2
            age_w["25-39"] *= 1.4
            age_w["70+"] *= 0.7
        age = pick(rng, age_w)
        a = list(PANEL_AGE).index(age)
        aide = rng.random() < logistic(-0.4 + 0.5 * (sexe == "Femme") + 0.45 * (age == "55-69"))
        asso = rng.random() < logistic(-1.3 + 0.3 * a + 0.4 * (quartier in CENTRE))
        iso = -1.2 + 0.8 * (age == "18-24") + 0.9 * (age == "70+") + 0.7 * (quartier in PRIORITY)
        u = rng.random()
        isolement = "souvent" if u < logistic(iso - 1.2) else ("parfois" if u < logistic(iso + 0.6) else "jamais")
        if rng.random() < 0.03:
            isolement = ""
        proches = max(0, min(10, round(rng.gauss(4.5 - 0.6 * (age == "70+") + 0.5 * asso, 2.0))))
        rows.append([f"R{i:04d}", sexe, age, quartier, "oui" if aide else "non",
                     "oui" if asso else "non", isolement, str(proches)])
    write(args.panel, ["id", "sexe", "age", "quartier", "aide", "asso", "isolement", "proches"], rows)
    write(args.margins, ["variable", "modalite", "effectif"],
          [[v, c, str(n)] for v, (c, n) in margins])


def bench(args):
    rng = random.Random(args.seed)
    k, m = args.vars, args.categories
    pop = [[rng.uniform(0.5, 1.5) for _ in range(m)] for _ in range(k)]
    bias = [[rng.uniform(0.5, 1.5) for _ in range(m)] for _ in range(k)]
    sample = [[p * b for p, b in zip(pop[v], bias[v])] for v in range(k)]
    cats = list(range(m))
    rows = []
    for i in range(1, args.n + 1):
        first = rng.choices(cats, weights=sample[0])[0]
        codes = [first]
        for v in range(1, k):
            # Correlated with v1 one time in three.
            codes.append((first + v) % m if rng.random() < 1 / 3 else rng.choices(cats, weights=sample[v])[0])
        rows.append([f"B{i}"] + [f"c{c:02d}" for c in codes])
    write(args.panel, ["id"] + [f"v{v + 1}" for v in range(k)], rows)
    total = 1_000_000
    margins = []
    for v in range(k):
        s = sum(pop[v])
        for c, n in counts([(f"c{j:02d}", p / s) for j, p in enumerate(pop[v])], total):
            margins.append([f"v{v + 1}", c, str(n)])
    write(args.margins, ["variable", "modalite", "effectif"], margins)


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kind", choices=["nantes", "bench"], default="nantes")
    p.add_argument("--n", type=int, default=1100)
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--quartiers", default="../shared/ref/nantes_quartiers.csv")
    p.add_argument("--vars", type=int, default=4)
    p.add_argument("--categories", type=int, default=50)
    p.add_argument("--panel", required=True)
    p.add_argument("--margins", required=True)
    args = p.parse_args()
    (nantes if args.kind == "nantes" else bench)(args)


if __name__ == "__main__":
    main()

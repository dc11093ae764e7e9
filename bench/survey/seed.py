#!/usr/bin/env python3
"""A questionnaire of 30 questions (every kind) and a panel file of N respondents answering it.

Usage: seed.py OUT_DIR [N]   → OUT_DIR/definition.json, OUT_DIR/panel.csv, OUT_DIR/margins.csv
The answers are random with a fixed seed; sexe/age/quartier columns are drawn with a bias so
that raking has work to do.
"""
import json, random, sys, os

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 250_000
os.makedirs(out, exist_ok=True)
r = random.Random(11)

def text(fr):
    return {"fr": fr}

def opts(k):
    return [{"code": f"o{i}", "label": text(f"Option {i}")} for i in range(1, k + 1)]

qs = []
for i in range(10):
    qs.append({"code": f"s{i}", "kind": "single", "label": text(f"Choix unique {i}"), "options": opts(4)})
for i in range(5):
    qs.append({"code": f"m{i}", "kind": "multiple", "label": text(f"Choix multiple {i}"), "options": opts(6), "max_choices": 3})
for i in range(5):
    qs.append({"code": f"e{i}", "kind": "scale", "label": text(f"Échelle {i}"), "min": 0, "max": 10})
for i in range(3):
    qs.append({"code": f"n{i}", "kind": "number", "label": text(f"Nombre {i}"), "min": 0, "max": 1000})
for i in range(3):
    qs.append({"code": f"g{i}", "kind": "matrix", "label": text(f"Tableau {i}"), "options": opts(4),
               "rows": [{"code": f"r{j}", "label": text(f"Ligne {j}")} for j in range(1, 4)]})
for i in range(2):
    qs.append({"code": f"k{i}", "kind": "ranking", "label": text(f"Classement {i}"), "options": opts(4)})
for i in range(2):
    qs.append({"code": f"t{i}", "kind": "short_text", "label": text(f"Texte {i}")})
sections = [{"title": text(f"Page {p + 1}"), "questions": qs[p * 10:(p + 1) * 10]} for p in range(3)]
json.dump({"sections": sections}, open(f"{out}/definition.json", "w"), ensure_ascii=False)

quartiers = [f"Quartier {i}" for i in range(1, 41)]
ages = ["18-29", "30-44", "45-59", "60-74", "75+"]
header = ["id", "sexe", "age", "quartier"]
for q in qs:
    if q["kind"] == "matrix":
        header += [f"{q['code']}.r{j}" for j in range(1, 4)]
    elif q["kind"] == "ranking":
        header += [f"{q['code']}.o{j}" for j in range(1, 5)]
    else:
        header.append(q["code"])
with open(f"{out}/panel.csv", "w") as f:
    f.write(";".join(header) + "\n")
    for i in range(n):
        row = [f"R{i}", r.choice("FFFH"), r.choices(ages, [1, 2, 3, 3, 1])[0], r.choice(quartiers)]
        for q in qs:
            k = q["kind"]
            if k == "single":
                row.append(f"o{r.randint(1, 4)}" if r.random() < 0.95 else "")
            elif k == "multiple":
                row.append("|".join(sorted(r.sample([f"o{j}" for j in range(1, 7)], r.randint(1, 3)))))
            elif k == "scale":
                row.append(str(r.randint(0, 10)))
            elif k == "number":
                row.append(str(r.randint(0, 1000)))
            elif k == "matrix":
                row += [f"o{r.randint(1, 4)}" for _ in range(3)]
            elif k == "ranking":
                order = list(range(1, 5)); r.shuffle(order)
                row += [str(x) for x in order]
            else:
                row.append(r.choice(["", "Un avis.", "Plus de bancs"]))
        f.write(";".join(row) + "\n")
with open(f"{out}/margins.csv", "w") as f:
    f.write("variable;modalite;effectif\nsexe;F;52\nsexe;H;48\n")
    for a, s in zip(ages, [27, 26, 21, 17, 9]):
        f.write(f"age;{a};{s}\n")
    for q in quartiers:
        f.write(f"quartier;{q};{r.randint(5000, 30000)}\n")
print(f"{len(qs)} questions, {n} respondents", file=sys.stderr)

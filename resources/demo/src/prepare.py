"""Stage `prepare`: a seeded, stratified train/test split of the dataset named in params.yaml."""
import os
import random

from common import read_params, read_table, write_table

params = read_params()
rows = read_table(params["dataset"])
columns = list(rows[0].keys())
target = params["target"]
rng = random.Random(params["split"]["seed"])

by_class = {}
for row in rows:
    by_class.setdefault(row[target], []).append(row)

train, test = [], []
for label in sorted(by_class):
    group = by_class[label]
    rng.shuffle(group)
    cut = round(len(group) * params["split"]["test_fraction"])
    test.extend(group[:cut])
    train.extend(group[cut:])

os.makedirs("build", exist_ok=True)
write_table("build/train.csv", train, columns)
write_table("build/test.csv", test, columns)
print(f"prepare: {len(train)} training rows, {len(test)} test rows, {len(by_class)} classes")

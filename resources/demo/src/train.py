"""Stage `train`: a nearest-centroid classifier, with optional shrinkage towards the overall mean."""
import json

from common import read_params, read_table

params = read_params()
target = params["target"]
shrinkage = float(params["train"]["shrinkage"])
rows = read_table("build/train.csv")
features = [c for c in rows[0] if c != target]

overall = [sum(float(r[f]) for r in rows) / len(rows) for f in features]
centroids = {}
for label in sorted({r[target] for r in rows}):
    members = [r for r in rows if r[target] == label]
    mean = [sum(float(r[f]) for r in members) / len(members) for f in features]
    centroids[label] = [(1 - shrinkage) * m + shrinkage * o for m, o in zip(mean, overall)]

with open("build/model.json", "w", encoding="utf-8") as f:
    json.dump({"kind": "nearest-centroid", "features": features, "centroids": centroids}, f, indent=2)
print(f"train: {len(centroids)} centroids over {len(features)} features from {len(rows)} rows")

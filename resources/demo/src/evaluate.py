"""Stage `evaluate`: accuracy and per-class recall on the held-out rows, written to metrics.json."""
import json
import math

from common import read_params, read_table

params = read_params()
target = params["target"]
with open("build/model.json", encoding="utf-8") as f:
    model = json.load(f)
rows = read_table("build/test.csv")


def predict(row):
    x = [float(row[f]) for f in model["features"]]
    return min(model["centroids"], key=lambda label: math.dist(x, model["centroids"][label]))


correct, per_class = 0, {}
for row in rows:
    hit = predict(row) == row[target]
    correct += hit
    seen, right = per_class.get(row[target], (0, 0))
    per_class[row[target]] = (seen + 1, right + hit)

metrics = {
    "accuracy": correct / len(rows),
    "recall": {label: right / seen for label, (seen, right) in sorted(per_class.items())},
    "test_rows": len(rows),
}
with open("metrics.json", "w", encoding="utf-8") as f:
    json.dump(metrics, f, indent=2)
print(f"evaluate: accuracy {metrics['accuracy']:.3f} on {len(rows)} rows")

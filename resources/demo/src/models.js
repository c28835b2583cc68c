// Runs in: a stage's child process or a predict process (Node, no dependencies).
// The demo's model families on one encoding of an application: logistic regression (gradient
// descent, L2) and gradient-boosted trees (log loss, shallow trees on binned features), plus the
// bank's fixed scorecard that is the first champion. Also the metrics evaluate.js reports.
'use strict';

const NUMERIC = ['age', 'income', 'amount', 'term', 'credit_history_years', 'previous_defaults'];
const CATEGORICAL = ['employment', 'region'];
const INPUTS = [...NUMERIC, ...CATEGORICAL];

/** The encoding learned from training rows: means and spreads of numbers, the categories seen. */
function fitEncoding(rows) {
  const n = rows.length;
  const numeric = NUMERIC.map((name) => {
    const values = rows.map((r) => Number(r[name]));
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n) || 1;
    return { name, mean, sd };
  });
  const categorical = CATEGORICAL.map((name) => ({ name, values: [...new Set(rows.map((r) => String(r[name])))].sort() }));
  return { numeric, categorical };
}

/** Feature names of an encoding: the numbers, the loan's monthly burden, one-hot categories. */
function featureNames(enc) {
  return [...enc.numeric.map((c) => c.name), 'burden', ...enc.categorical.flatMap((c) => c.values.map((v) => `${c.name}=${v}`))];
}

/** One record (numbers may be text, as read from CSV) as a feature vector; throws naming a bad field. */
function encode(enc, record) {
  const x = [];
  for (const c of enc.numeric) {
    const v = typeof record[c.name] === 'number' ? record[c.name] : Number(record[c.name]);
    if (record[c.name] === undefined || record[c.name] === '' || !Number.isFinite(v)) throw new Error(`${c.name} must be a number, not ${JSON.stringify(record[c.name])}`);
    x.push((v - c.mean) / c.sd);
  }
  // The monthly repayment against income: the one interaction a linear model cannot build itself.
  x.push(Number(record.amount) / Number(record.term) / Math.max(Number(record.income), 1));
  for (const c of enc.categorical) {
    const v = String(record[c.name]);
    for (const known of c.values) x.push(v === known ? 1 : 0); // an unseen category encodes as none of them
  }
  return x;
}

const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function logLoss(labels, probs) {
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probs[i]));
    s -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / labels.length;
}

/** Logistic regression by batch gradient descent; `onEpoch(epoch, loss)` sees the training loss. */
function trainLogistic(X, y, { epochs, lr, l2 }, onEpoch) {
  const n = X.length;
  const d = X[0].length;
  const w = new Array(d).fill(0);
  let b = 0;
  for (let epoch = 0; ; epoch++) {
    const probs = X.map((x) => sigmoid(b + x.reduce((s, v, j) => s + v * w[j], 0)));
    const loss = logLoss(y, probs) + (l2 / 2) * w.reduce((s, v) => s + v * v, 0);
    if (!Number.isFinite(loss)) throw new Error(`the loss diverged at epoch ${epoch}; try a smaller train.lr (now ${lr}).`);
    onEpoch(epoch, loss);
    if (epoch === epochs) break;
    const gw = new Array(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const err = probs[i] - y[i];
      gb += err;
      for (let j = 0; j < d; j++) gw[j] += err * X[i][j];
    }
    b -= (lr * gb) / n;
    for (let j = 0; j < d; j++) w[j] -= lr * (gw[j] / n + l2 * w[j]); // the bias is not regularized
  }
  return { weights: w, bias: b };
}

/** Up to `bins - 1` split points per feature: the distinct quantiles of the training values. */
function binEdges(X, bins) {
  const d = X[0].length;
  return Array.from({ length: d }, (_, j) => {
    const sorted = X.map((x) => x[j]).sort((a, b) => a - b);
    const edges = [];
    for (let q = 1; q < bins; q++) {
      const v = sorted[Math.floor((q * sorted.length) / bins)];
      if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
    }
    return edges;
  });
}

function binOf(edges, v) {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo; // values below edges[0] are bin 0; at or above edges[k-1], bin k
}

/**
 * Gradient-boosted trees for log loss (Newton steps, as XGBoost does): each tree splits on
 * binned features to the given depth, leaves weigh -G/(H + lambda), shrunk by the learning rate.
 */
function trainBoosted(X, y, { nEstimators, depth, learningRate, minLeaf = 20, lambda = 1 }, onTree) {
  const n = X.length;
  const d = X[0].length;
  const edges = binEdges(X, 32);
  const B = X.map((x) => x.map((v, j) => binOf(edges[j], v)));
  const rate = y.reduce((a, b) => a + b, 0) / n;
  const base = Math.log(Math.max(rate, 1e-6) / Math.max(1 - rate, 1e-6));
  const F = new Array(n).fill(base);
  const trees = [];
  onTree(0, logLoss(y, F.map(sigmoid)));
  for (let t = 1; t <= nEstimators; t++) {
    const g = new Array(n);
    const h = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(F[i]);
      g[i] = p - y[i];
      h[i] = Math.max(p * (1 - p), 1e-6);
    }
    const build = (rows, level) => {
      let G = 0;
      let H = 0;
      for (const i of rows) {
        G += g[i];
        H += h[i];
      }
      const leaf = { value: (-G / (H + lambda)) * learningRate };
      if (level >= depth || rows.length < 2 * minLeaf) return leaf;
      let best = null;
      const parent = (G * G) / (H + lambda);
      for (let j = 0; j < d; j++) {
        const k = edges[j].length + 1;
        const gs = new Float64Array(k);
        const hs = new Float64Array(k);
        const cs = new Int32Array(k);
        for (const i of rows) {
          gs[B[i][j]] += g[i];
          hs[B[i][j]] += h[i];
          cs[B[i][j]]++;
        }
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < k - 1; b++) {
          gl += gs[b];
          hl += hs[b];
          cl += cs[b];
          if (cl < minLeaf || rows.length - cl < minLeaf) continue;
          const gain = (gl * gl) / (hl + lambda) + ((G - gl) * (G - gl)) / (H - hl + lambda) - parent;
          if (gain > 1e-9 && (best === null || gain > best.gain)) best = { gain, feature: j, bin: b };
        }
      }
      if (best === null) return leaf;
      const left = rows.filter((i) => B[i][best.feature] <= best.bin);
      const right = rows.filter((i) => B[i][best.feature] > best.bin);
      // Split on the raw value: x < edges[bin] goes left, exactly as the bins were counted.
      return { feature: best.feature, threshold: edges[best.feature][best.bin], left: build(left, level + 1), right: build(right, level + 1) };
    };
    const tree = build(Array.from({ length: n }, (_, i) => i), 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) F[i] += treeValue(tree, X[i]);
    onTree(t, logLoss(y, F.map(sigmoid)));
  }
  return { base, trees };
}

function treeValue(node, x) {
  while (node.value === undefined) node = x[node.feature] < node.threshold ? node.left : node.right;
  return node.value;
}

/** The bank's scorecard before any model: points for risk, mapped to a probability by a fixed curve. */
function scorecardPoints(card, record) {
  const num = (k) => Number(record[k]);
  let points = 0;
  if (num('amount') / num('term') / Math.max(num('income'), 1) > card.burden_limit) points += card.points.high_burden;
  points += card.points.per_previous_default * num('previous_defaults');
  if (num('credit_history_years') < card.short_history_years) points += card.points.short_history;
  points += card.points.employment[String(record.employment)] ?? 0;
  return points;
}

/** Probability of default for one record under any model this file knows. */
function probability(model, record) {
  switch (model.kind) {
    case 'logistic-regression': {
      const x = encode(model.encoding, record);
      return sigmoid(model.bias + x.reduce((s, v, j) => s + v * model.weights[j], 0));
    }
    case 'boosted-trees': {
      const x = encode(model.encoding, record);
      return sigmoid(model.trees.reduce((s, t) => s + treeValue(t, x), model.base));
    }
    case 'scorecard': {
      for (const k of INPUTS) if (record[k] === undefined || record[k] === '') throw new Error(`${k} is missing`);
      return sigmoid(model.offset + model.scale * scorecardPoints(model, record));
    }
    default:
      throw new Error(`a ${model.kind ?? 'unknown'} model is not one this project knows (logistic-regression, boosted-trees, scorecard)`);
  }
}

/** Area under the ROC curve (ties count half), from the rank-sum of the positives. */
function auc(labels, scores) {
  const order = scores.map((s, i) => [s, labels[i]]).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k][1] === 1) {
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Accuracy, AUC, F1 (of defaults), log loss, and the confusion counts at a 0.5 threshold. */
function scoreAll(labels, probs) {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  probs.forEach((p, i) => {
    const hit = p >= 0.5 ? 1 : 0;
    if (hit && labels[i]) tp++;
    else if (hit) fp++;
    else if (labels[i]) fn++;
    else tn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    accuracy: (tp + tn) / labels.length,
    auc: auc(labels, probs),
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    log_loss: logLoss(labels, probs),
    confusion: { tp, fp, tn, fn },
  };
}

module.exports = { NUMERIC, CATEGORICAL, INPUTS, fitEncoding, featureNames, encode, trainLogistic, trainBoosted, probability, scoreAll, auc, logLoss };

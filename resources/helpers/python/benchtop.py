# Runs in: a stage's child process (Python 3 stdlib).
"""Report to Benchtop from a pipeline stage, with the Python standard library only.

Benchtop starts every stage as a child process with these environment variables:

- ``BENCHTOP_RUN_ID``: the run this stage belongs to.
- ``BENCHTOP_STAGE``: the stage's name.
- ``BENCHTOP_PROJECT_DIR``: the project folder (also the stage's working directory).
- ``BENCHTOP_PARAMS_FILE``: a JSON file with the stage's resolved params as a nested object,
  e.g. ``{"split": {"seed": 42}, "train": {"lr": 0.1}}``.

A stage reports by printing lines on stdout made of the exact prefix ``::benchtop:: `` (with one
trailing space) and a single-line JSON object::

    ::benchtop:: {"type":"metric","key":"loss","value":0.25,"step":3}
    ::benchtop:: {"type":"param","key":"train.lr","value":0.1}
    ::benchtop:: {"type":"tag","key":"model","value":"softmax"}
    ::benchtop:: {"type":"artifact","path":"build/model.json"}

Every other line on stdout is an ordinary log line. Each line is flushed as soon as it is written,
so Benchtop shows it live. Outside Benchtop the lines are simply printed, and ``params()`` is ``{}``.

Usage::

    import benchtop
    lr = benchtop.params().get("train", {}).get("lr", 0.1)
    benchtop.log_metric("loss", 0.25)          # step 0, then 1, 2, ... per key
    benchtop.log_metric("loss", 0.2, step=10)  # an explicit step (later automatic steps follow it)
    benchtop.log_params({"train": {"lr": lr}}) # one line per key: train.lr
    benchtop.set_tag("model", "softmax")
    benchtop.log_artifact("build/model.json")  # relative to the project folder
"""
import json
import math
import numbers
import os

__all__ = ["params", "log_metric", "log_params", "set_tag", "log_artifact", "PREFIX"]

PREFIX = "::benchtop:: "

# The next automatic step for each metric key.
_next_step = {}


def params():
    """The stage's resolved params (a nested dict) from BENCHTOP_PARAMS_FILE; {} when it is unset."""
    path = os.environ.get("BENCHTOP_PARAMS_FILE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict):
        raise ValueError(f"benchtop: BENCHTOP_PARAMS_FILE ({path}) must hold a JSON object, not {type(data).__name__}")
    return data


def log_metric(key, value, step=None):
    """Records a metric value. Without a step, each key counts its own steps from 0."""
    _check_key("metric", key)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"benchtop: metric {key!r} must be a finite number, got {type(value).__name__} {value!r}")
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"benchtop: metric {key!r} must be a finite number, got {value!r}")
    if step is None:
        step = _next_step.get(key, 0)
    elif isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"benchtop: step for metric {key!r} must be an integer >= 0, got {step!r}")
    step = int(step)
    _next_step[key] = step + 1
    _emit({"type": "metric", "key": key, "value": value, "step": step})


def log_params(values):
    """Records params: one line per key; nested dicts are flattened with dots ({"a": {"b": 1}} -> a.b)."""
    if not isinstance(values, dict):
        raise ValueError(f"benchtop: log_params takes a dict, got {type(values).__name__}")
    for key, value in _flatten(values, ""):
        _check_key("param", key)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"benchtop: param {key!r} must be a string, finite number or boolean, got {value!r}")
        if not isinstance(value, (str, bool, int, float)):
            raise ValueError(f"benchtop: param {key!r} must be a string, number or boolean, got {type(value).__name__} {value!r}")
        _emit({"type": "param", "key": key, "value": value})


def set_tag(key, value):
    """Sets a string tag on the run."""
    _check_key("tag", key)
    if not isinstance(value, str):
        raise ValueError(f"benchtop: tag {key!r} must have a string value, got {type(value).__name__} {value!r}")
    _emit({"type": "tag", "key": key, "value": value})


def log_artifact(path):
    """Records a file the stage produced. Give it relative to the project folder (the working directory)."""
    path = os.fspath(path) if isinstance(path, os.PathLike) else path
    if not isinstance(path, str) or path == "":
        raise ValueError(f"benchtop: artifact path must be a non-empty string, got {path!r}")
    if os.path.isabs(path):
        root = os.path.abspath(os.environ.get("BENCHTOP_PROJECT_DIR") or os.getcwd())
        rel = os.path.relpath(os.path.abspath(path), root)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            raise ValueError(f"benchtop: artifact {path!r} is outside the project folder {root!r}")
        path = rel
    _emit({"type": "artifact", "path": path.replace(os.sep, "/")})


def _flatten(values, prefix):
    for key, value in values.items():
        if not isinstance(key, str) or key == "":
            raise ValueError(f"benchtop: param keys must be non-empty strings, got {key!r} under {prefix or 'the top level'!r}")
        full = prefix + key
        if isinstance(value, dict):
            yield from _flatten(value, full + ".")
        else:
            yield full, value


def _check_key(kind, key):
    if not isinstance(key, str) or key == "":
        raise ValueError(f"benchtop: {kind} key must be a non-empty string, got {key!r}")


def _emit(message):
    print(PREFIX + json.dumps(message, separators=(",", ":"), allow_nan=False), flush=True)

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

Outside a pipeline, a script (or a notebook) can start and finish its own run. With a running
``benchtop ui`` or app (found from ``BENCHTOP_URL`` and ``BENCHTOP_TOKEN``, else from
``.benchtop/server.json`` in the current folder or one above it) it logs through its local API.
With none running, it logs to the project's inbox instead: the project is ``BENCHTOP_PROJECT``, else
the nearest folder up from the current one holding ``.benchtop/config.yaml``; each run is one file,
``.benchtop/inbox/<run id>.jsonl``, one JSON line appended per call (``{"v":1,"call":"runs.log",
"input":{...}}``, the local API's own inputs), and a logged artifact is copied beside it. The next
``benchtop`` command in the project, or the app opening it, takes the inbox in::

    with benchtop.start_run(name="baseline", experiment="churn", params={"lr": 0.1}) as run:
        for step in range(100):
            run.log_metric("loss", 1 / (step + 1), step=step)   # or benchtop.log_metric(...)
        run.set_tag("model", "softmax")
        run.log_artifact("build/model.json")

Points are buffered and sent in batches (every 500 points, every second, and at the end). The run
ends ``succeeded`` when the block ends, ``failed`` when it raises (``cancelled`` on Ctrl+C or
SIGTERM); a run started without ``with`` is ended the same way when the script exits. Inside a pipeline stage or
``benchtop exec``, ``start_run`` returns the stage's run and reports with the lines above.

Usage::

    import benchtop
    lr = benchtop.params().get("train", {}).get("lr", 0.1)
    benchtop.log_metric("loss", 0.25)          # step 0, then 1, 2, ... per key
    benchtop.log_metric("loss", 0.2, step=10)  # an explicit step (later automatic steps follow it)
    benchtop.log_params({"train": {"lr": lr}}) # one line per key: train.lr
    benchtop.set_tag("model", "softmax")
    benchtop.log_artifact("build/model.json")  # relative to the project folder

A model version's predict command (``benchtop serve``, docs/predict-protocol.md) answers one JSON
line on stdout per JSON line of input on stdin; ``serve_predictions`` does the reading, writing and
error handling, so a predictor is a few lines::

    import json, benchtop
    model = json.load(open(benchtop.model_path()))   # the verified copy of the version's artifact
    benchtop.serve_predictions(lambda record: {"label": predict(model, record)})
"""
import atexit
import datetime
import json
import math
import numbers
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import urllib.error
import urllib.request

__all__ = ["params", "log_metric", "log_params", "set_tag", "log_artifact", "start_run", "active_run", "Run", "BenchtopError", "PREFIX", "model_path", "serve_predictions"]

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
    """Records a metric value (NaN and ±Infinity are kept). Without a step, each key counts its own steps from 0."""
    if _active is not None:
        return _active.log_metric(key, value, step)
    _check_key("metric", key)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"benchtop: metric {key!r} must be a number, got {type(value).__name__} {value!r}")
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or Infinity: the protocol carries them as these strings, and they are kept.
        value = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if step is None:
        step = _next_step.get(key, 0)
    elif isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
        raise ValueError(f"benchtop: step for metric {key!r} must be an integer >= 0, got {step!r}")
    step = int(step)
    _next_step[key] = step + 1
    _emit({"type": "metric", "key": key, "value": value, "step": step})


def log_params(values):
    """Records params: one line per key; nested dicts are flattened with dots ({"a": {"b": 1}} -> a.b)."""
    if _active is not None:
        return _active.log_params(values)
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
    if _active is not None:
        return _active.set_tag(key, value)
    _check_key("tag", key)
    if not isinstance(value, str):
        raise ValueError(f"benchtop: tag {key!r} must have a string value, got {type(value).__name__} {value!r}")
    _emit({"type": "tag", "key": key, "value": value})


def log_artifact(path):
    """Records a file the stage produced. Give it relative to the project folder (the working directory)."""
    if _active is not None:
        return _active.log_artifact(path)
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


# --- Runs a script starts itself, through the local API of `benchtop ui` -------------------------

SERVER_FILE = os.path.join(".benchtop", "server.json")
_FLUSH_POINTS = 500
_FLUSH_SECONDS = 1.0

# The run started with start_run() outside a pipeline; the module-level functions log to it.
_active = None


class BenchtopError(RuntimeError):
    """Benchtop refused a call, or no Benchtop server could be found."""


def _now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _wire_number(value):
    # Plain JSON has no NaN or Infinity; Benchtop's wire format tags them (shared/contract/wire.ts).
    if isinstance(value, float) and not math.isfinite(value):
        return {"$nonFinite": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    return value


def _pid_alive(pid):
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


_NOT_FOUND = (
    "benchtop: found neither a running Benchtop server nor a Benchtop project for {where}. Run the script "
    "inside a project (a folder with .benchtop/, made by `benchtop init`, or set BENCHTOP_PROJECT), where "
    "it logs even with nothing running; or start a server with `benchtop ui --no-open`; or run it as a "
    "tracked run with `benchtop exec -- python {script}`."
)


def _read_server(folder):
    """(url, token) of a live server whose file is in this folder's .benchtop/, else None (a file
    left by a server that is no longer running is ignored)."""
    candidate = os.path.join(folder, SERVER_FILE)
    if not os.path.isfile(candidate):
        return None
    try:
        with open(candidate, encoding="utf-8") as f:
            info = json.load(f)
        if _pid_alive(info.get("pid")) and info.get("url") and info.get("token"):
            return str(info["url"]).rstrip("/"), str(info["token"])
    except (OSError, ValueError):
        pass
    return None


def _connect():
    """A client for the running server; else one appending to the project's inbox."""
    url = os.environ.get("BENCHTOP_URL")
    token = os.environ.get("BENCHTOP_TOKEN")
    if url and token:
        return _Client(url.rstrip("/"), token)
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "train.py"
    named = os.environ.get("BENCHTOP_PROJECT")
    folder = os.path.abspath(named or os.getcwd())
    project = None
    while True:
        server = _read_server(folder)
        if server is not None:
            return _Client(*server)
        # A project is what `benchtop` itself takes for one: a folder with .benchtop/config.yaml.
        if os.path.isfile(os.path.join(folder, ".benchtop", "config.yaml")):
            project = folder
            break
        parent = os.path.dirname(folder)
        if named or parent == folder:
            break
        folder = parent
    if project is None:
        raise BenchtopError(_NOT_FOUND.format(where=named or os.getcwd(), script=script))
    return _InboxClient(project)


class _Client:
    def __init__(self, url, token):
        self.url = url
        self.token = token
        # The server is on the loopback address: never route it through an HTTP(S)_PROXY.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method, body):
        data = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
        req = urllib.request.Request(
            f"{self.url}/api/{method}",
            data=data,
            method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with self._opener.open(req, timeout=60) as res:
                answer = json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read().decode("utf-8")).get("error", {})
            except ValueError:
                error = {}
            message = error.get("message") or f"HTTP {e.code}"
            hint = error.get("hint")
            raise BenchtopError(f"benchtop: {method} was refused: {message}" + (f" {hint}" if hint else "")) from None
        except urllib.error.URLError as e:
            raise BenchtopError(f"benchtop: cannot reach the Benchtop server at {self.url} ({e.reason}); is `benchtop ui` still running?") from None
        if not answer.get("ok"):
            error = answer.get("error", {})
            raise BenchtopError(f"benchtop: {method} failed: {error.get('message', 'unknown error')}")
        return answer.get("value")


INBOX_DIR = os.path.join(".benchtop", "inbox")


def _new_run_id():
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"run-{stamp}-{secrets.token_hex(4)}"


class _InboxClient:
    """No server runs: each call becomes one JSON line appended to .benchtop/inbox/<run id>.jsonl.

    The run's id is chosen here, so later calls can name it. A line is one write() on a file opened
    for appending (no buffering in between), so a crash leaves at most a torn last line, which
    Benchtop skips. An artifact is copied into <run id>.files/ at once: the run keeps the bytes it
    logged even if the file changes before Benchtop takes the inbox in.
    """

    def __init__(self, project_dir):
        self.project_dir = project_dir
        self.inbox = os.path.join(project_dir, INBOX_DIR)
        self._fd = None
        self._run_id = None
        self._copies = 0

    def call(self, method, body):
        if method == "project.current":
            return {"path": self.project_dir}
        if method == "runs.create":
            run_id = _new_run_id()
            os.makedirs(self.inbox, exist_ok=True)
            self._fd = os.open(os.path.join(self.inbox, run_id + ".jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o644)
            self._run_id = run_id
            self._append(method, dict(body, id=run_id, pid=os.getpid(), startedAt=_now_iso(), gitCommit=None, gitDirty=None))
            sys.stderr.write(
                f"benchtop: no Benchtop server is running; run {run_id} is logged to .benchtop/inbox/{run_id}.jsonl in "
                f"{self.project_dir}, and the next benchtop command there, or the app, takes it in.\n"
            )
            return {"runId": run_id}
        if method == "runs.logArtifact":
            source = os.path.join(self.project_dir, body["path"])
            if not os.path.isfile(source):
                raise BenchtopError(f"benchtop: there is no file at {body['path']} to log as an artifact")
            self._copies += 1
            base = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(source)) or "file"
            copy = f"{self._run_id}.files/{self._copies:06d}-{base}"
            os.makedirs(os.path.join(self.inbox, self._run_id + ".files"), exist_ok=True)
            shutil.copyfile(source, os.path.join(self.inbox, *copy.split("/")))
            self._append(method, body, copy=copy)
            name = body.get("name") or body["path"]
            return {"path": name, "stage": "", "role": "artifact"}
        if method == "runs.end":
            self._append(method, dict(body, at=_now_iso()))
            try:
                os.fsync(self._fd)
            except OSError:
                pass
            os.close(self._fd)
            self._fd = None
            return {"status": body.get("status", "succeeded")}
        self._append(method, body)
        return {}

    def _append(self, method, body, **extra):
        if self._fd is None:
            raise BenchtopError(f"benchtop: run {self._run_id} has ended; start a new one to log more")
        line = dict({"v": 1, "call": method, "input": body}, **extra)
        data = (json.dumps(line, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")
        while data:
            written = os.write(self._fd, data)
            data = data[written:]


def _param_text(value):
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"benchtop: a param must be a string, finite number or boolean, got {value!r}")
    if not isinstance(value, (str, bool, int, float)):
        raise ValueError(f"benchtop: a param must be a string, number or boolean, got {type(value).__name__} {value!r}")
    return value if isinstance(value, str) else str(value)


class Run:
    """A run this script started; log to it, then end it (or use it in a with-block)."""

    def __init__(self, client, run_id, project_dir):
        self._client = client
        self.id = run_id
        self.project_dir = project_dir
        self._lock = threading.RLock()
        self._metrics = []
        self._params = {}
        self._tags = {}
        self._next_step = {}
        self._ended = False
        self._error = None
        self._wake = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="benchtop-flush", daemon=True)
        self._flusher.start()

    def __repr__(self):
        return f"<benchtop.Run {self.id}>"

    def log_metric(self, key, value, step=None):
        """Records a metric value; NaN and ±Infinity are kept. Without a step, each key counts from 0."""
        _check_key("metric", key)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"benchtop: metric {key!r} must be a number, got {type(value).__name__} {value!r}")
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
        with self._lock:
            self._check_open()
            if step is None:
                step = self._next_step.get(key, 0)
            elif isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
                raise ValueError(f"benchtop: step for metric {key!r} must be an integer >= 0, got {step!r}")
            step = int(step)
            self._next_step[key] = max(step + 1, self._next_step.get(key, 0))
            self._metrics.append({"key": key, "value": _wire_number(value), "step": step, "at": _now_iso()})
            if len(self._metrics) >= _FLUSH_POINTS:
                self.flush()

    def log_metrics(self, values, step=None):
        for key, value in values.items():
            self.log_metric(key, value, step)

    def log_param(self, key, value):
        self.log_params({key: value})

    def log_params(self, values):
        """Records params (write-once); nested dicts are flattened with dots ({"a": {"b": 1}} -> a.b)."""
        if not isinstance(values, dict):
            raise ValueError(f"benchtop: log_params takes a dict, got {type(values).__name__}")
        with self._lock:
            self._check_open()
            for key, value in _flatten(values, ""):
                _check_key("param", key)
                text = _param_text(value)
                if key in self._params and self._params[key] != text:
                    raise ValueError(f"benchtop: param {key!r} is already {self._params[key]!r}; params are fixed once logged")
                self._params[key] = text

    def set_tag(self, key, value):
        _check_key("tag", key)
        if not isinstance(value, str):
            raise ValueError(f"benchtop: tag {key!r} must have a string value, got {type(value).__name__} {value!r}")
        with self._lock:
            self._check_open()
            self._tags[key] = value

    def log_artifact(self, path, name=None):
        """Copies a file of the project into the run's artifacts (sent at once, after pending points)."""
        path = os.fspath(path) if isinstance(path, os.PathLike) else path
        if not isinstance(path, str) or path == "":
            raise ValueError(f"benchtop: artifact path must be a non-empty string, got {path!r}")
        rel = os.path.relpath(os.path.abspath(path), self.project_dir)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            raise ValueError(f"benchtop: artifact {path!r} is outside the project folder {self.project_dir!r}")
        body = {"runId": self.id, "path": rel.replace(os.sep, "/")}
        if name is not None:
            body["name"] = name
        with self._lock:
            self._check_open()
            self.flush()
            return self._client.call("runs.logArtifact", body)

    def flush(self):
        """Sends everything waiting, in batches."""
        with self._lock:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            while self._metrics or self._params or self._tags:
                batch, self._metrics = self._metrics[:_FLUSH_POINTS], self._metrics[_FLUSH_POINTS:]
                params, tags = self._params, self._tags
                self._params, self._tags = {}, {}
                self._client.call("runs.log", {"runId": self.id, "metrics": batch, "params": params, "tags": tags})

    def end(self, status="succeeded"):
        """Sends what is waiting and ends the run: succeeded, failed or cancelled."""
        global _active
        with self._lock:
            if self._ended:
                return
            error = None
            try:
                self.flush()
            except BenchtopError as e:
                error = e
            self._ended = True
            self._wake.set()
            if _active is self:
                _active = None
            # Values that could not be sent make the run incomplete: it ends failed, never running.
            self._client.call("runs.end", {"runId": self.id, "status": status if error is None else "failed"})
            if error is not None:
                raise error

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None or (issubclass(exc_type, SystemExit) and exc.code in (None, 0)):
            self.end("succeeded")
        else:
            self.end("cancelled" if issubclass(exc_type, KeyboardInterrupt) else "failed")
        return False

    def _check_open(self):
        if self._ended:
            raise BenchtopError(f"benchtop: run {self.id} has ended; start a new one to log more")

    def _flush_loop(self):
        while not self._ended:
            self._wake.wait(_FLUSH_SECONDS)
            if self._ended:
                return
            with self._lock:
                if self._ended or self._error is not None:
                    continue
                try:
                    self.flush()
                except BenchtopError as e:
                    # Raised to the script at its next flush or at the end.
                    self._error = e


class _StageRun:
    """start_run() inside a pipeline stage or `benchtop exec`: the stage's run, reported with lines."""

    def __init__(self):
        self.id = os.environ.get("BENCHTOP_RUN_ID")

    def log_metric(self, key, value, step=None):
        log_metric(key, value, step)

    def log_metrics(self, values, step=None):
        for key, value in values.items():
            log_metric(key, value, step)

    def log_param(self, key, value):
        log_params({key: value})

    def log_params(self, values):
        log_params(values)

    def set_tag(self, key, value):
        set_tag(key, value)

    def log_artifact(self, path, name=None):
        log_artifact(path)

    def flush(self):
        pass

    def end(self, status="succeeded"):
        # The runner ends the stage's run from the process's exit code.
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return False


def active_run():
    """The run started with start_run() and not yet ended, or None."""
    return _active


def start_run(name=None, experiment=None, params=None, tags=None):
    """Starts a run through the local Benchtop server; use it directly or as `with start_run(...) as run:`."""
    global _active
    if os.environ.get("BENCHTOP_RUN_ID"):
        run = _StageRun()
        if params:
            log_params(params)
        for key, value in (tags or {}).items():
            set_tag(key, value)
        return run
    if _active is not None:
        raise BenchtopError(f"benchtop: run {_active.id} is still active; end it before starting another")
    client = _connect()
    project = client.call("project.current", {})
    if not project:
        raise BenchtopError("benchtop: the Benchtop server has no project open; open one in its window first")
    project_dir = project["path"]
    body = {"source": _source(project_dir)}
    if name is not None:
        body["name"] = str(name)
    if experiment is not None:
        body["experiment"] = str(experiment)
    if params:
        body["params"] = {key: _param_text(value) for key, value in _flatten(params, "")}
    if tags:
        for key, value in tags.items():
            if not isinstance(value, str):
                raise ValueError(f"benchtop: tag {key!r} must have a string value, got {type(value).__name__} {value!r}")
        body["tags"] = dict(tags)
    created = client.call("runs.create", body)
    _active = Run(client, created["runId"], project_dir)
    _install_exit_hooks()
    return _active


def _source(project_dir):
    script = sys.argv[0] if sys.argv and sys.argv[0] not in ("", "-c", "-") else "python"
    if script == "python":
        return script
    rel = os.path.relpath(os.path.abspath(script), project_dir)
    return script if rel.startswith(os.pardir) else rel.replace(os.sep, "/")


_hooks_installed = False
_died_with = None


def _install_exit_hooks():
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    previous = sys.excepthook

    def excepthook(exc_type, exc, tb):
        global _died_with
        _died_with = exc_type
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
    atexit.register(_end_at_exit)
    # SIGTERM kills Python without running atexit; end the run first, unless the script handles it.
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _end_on_sigterm)
    except ValueError:
        pass  # start_run() outside the main thread: signals cannot be handled there


def _end_on_sigterm(signum, frame):
    run = _active
    if run is not None:
        try:
            run.end("cancelled")
        except BenchtopError as e:
            sys.stderr.write(f"{e}\n")
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _end_at_exit():
    run = _active
    if run is None:
        return
    if _died_with is None:
        status = "succeeded"
    elif issubclass(_died_with, KeyboardInterrupt):
        status = "cancelled"
    else:
        status = "failed"
    try:
        run.end(status)
    except BenchtopError as e:
        sys.stderr.write(f"{e}\n")


def model_path():
    """The served version's artifact (a verified copy: a file, or a folder), from BENCHTOP_MODEL_PATH."""
    path = os.environ.get("BENCHTOP_MODEL_PATH")
    if not path:
        raise BenchtopError("BENCHTOP_MODEL_PATH is not set: run this predictor through `benchtop serve`, or set it to the model file.")
    return path


def serve_predictions(fn, stdin=None, stdout=None):
    """Answers the predict protocol until stdin closes: one JSON line out per JSON line in, in order.

    ``fn(record)`` returns the output (anything JSON can hold, without NaN or infinities). A record
    whose ``fn`` raises is answered ``{"$error": "message"}`` and the next one is read as usual.
    While ``fn`` runs, ``print`` goes to stderr, so a stray print cannot break the protocol.
    """
    source = stdin if stdin is not None else sys.stdin
    out = stdout if stdout is not None else sys.stdout
    real_stdout = sys.stdout
    # Ready: the model has been loaded (the code above this call has run).
    out.write('{"$ready": true}\n')
    out.flush()
    for line in source:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sys.stdout = sys.stderr
            try:
                answer = fn(record)
            finally:
                sys.stdout = real_stdout
            text = json.dumps(answer, allow_nan=False, separators=(",", ":"))
        except Exception as e:  # one bad record must not stop the others
            text = json.dumps({"$error": str(e) or type(e).__name__})
        out.write(text + "\n")
        out.flush()

"""simctl: start pbxsim and drive its control API from Python tests.

Standard library only (urllib), so any test can import it:

    import sys; sys.path.insert(0, "tests/pbxsim")
    from simctl import Sim

    with Sim.start(tmpdir=d) as sim:
        sim.register("101", answermode="auto")
        call = sim.call("101", "102")
        ...

Sim.start() spawns /usr/bin/python3 tests/pbxsim/pbxsim.py --port 0
--port-file ..., waits for the port file, and exposes .port, .url,
.ws_url, .ari_user, .ari_password.  Every control call raises SimError on an
HTTP error; SimError.status and .body tell what the simulator answered.
If starting fails, or on stop(dump_log=True), the simulator's log is printed.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PBXSIM = os.path.join(HERE, "pbxsim.py")
PYTHON = "/usr/bin/python3"


class SimError(Exception):
    def __init__(self, status, body, method, path):
        super().__init__("%s %s -> %s %s" % (method, path, status, body))
        self.status = status
        self.body = body


class Sim:
    def __init__(self, proc, port, tmpdir, log_path, ari_user, ari_password, scheme="http", own_tmp=None):
        self.proc = proc
        self.port = port
        self.tmpdir = tmpdir
        self.log_path = log_path
        self.ari_user = ari_user
        self.ari_password = ari_password
        self.scheme = scheme
        self.url = "%s://127.0.0.1:%d" % (scheme, port)
        self.ws_url = "%s://127.0.0.1:%d" % ("wss" if scheme == "https" else "ws", port)
        self._own_tmp = own_tmp

    # ---- life -----------------------------------------------------------------------

    @classmethod
    def start(cls, users=None, extra_args=None, tmpdir=None, ari_user="offhook", ari_password="secret",
              timeout=15.0, stasis=None):
        """Spawn the simulator.  users: None (default users), a path, or a dict
        {"users": [...]} written to tmpdir/users.json.  stasis: {"100": "app"}."""
        own_tmp = None
        if tmpdir is None:
            own_tmp = tempfile.TemporaryDirectory(prefix="pbxsim-")
            tmpdir = own_tmp.name
        os.makedirs(tmpdir, exist_ok=True)
        port_file = os.path.join(tmpdir, "pbxsim.port")
        log_path = os.path.join(tmpdir, "pbxsim.log")
        if os.path.exists(port_file):
            os.unlink(port_file)
        args = [PYTHON, PBXSIM, "--port", "0", "--port-file", port_file,
                "--ari-user", ari_user, "--ari-password", ari_password]
        if isinstance(users, dict):
            path = os.path.join(tmpdir, "users.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(users, f)
            args += ["--users", path]
        elif users:
            args += ["--users", str(users)]
        for ext, app in (stasis or {}).items():
            args += ["--stasis", "%s=%s" % (ext, app)]
        args += list(extra_args or [])
        scheme = "https" if "--tls-cert" in args else "http"
        logf = open(log_path, "w")
        proc = subprocess.Popen(args, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        logf.close()
        deadline = time.time() + timeout
        port = None
        while time.time() < deadline:
            if proc.poll() is not None:
                break
            try:
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    port = int(text)
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        if port is None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(3)
                except subprocess.TimeoutExpired:
                    proc.kill()
            cls._print_log(log_path, "pbxsim did not start")
            raise RuntimeError("pbxsim did not start (exit code %s); log: %s" % (proc.poll(), log_path))
        return cls(proc, port, tmpdir, log_path, ari_user, ari_password, scheme, own_tmp)

    @staticmethod
    def _print_log(path, title):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = "(no log)"
        sys.stderr.write("----- %s: %s -----\n%s\n----- end of pbxsim log -----\n" % (title, path, text[-20000:]))

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self, dump_log=False):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if dump_log:
            self._print_log(self.log_path, "pbxsim log")
        if self._own_tmp is not None:
            self._own_tmp.cleanup()
            self._own_tmp = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop(dump_log=exc_type is not None)
        return False

    # ---- HTTP -----------------------------------------------------------------------

    def request(self, method, path, body=None, auth=False, headers=None, raw=False, timeout=10.0):
        """Any request to the simulator.  Returns parsed JSON (or None)."""
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if auth:
            tok = base64.b64encode(("%s:%s" % (self.ari_user, self.ari_password)).encode()).decode()
            hdrs["Authorization"] = "Basic " + tok
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        ctx = None
        if self.scheme == "https":
            import ssl
            ctx = ssl._create_unverified_context()
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=ctx) as r:
                text = r.read()
                if raw:
                    return r.status, dict(r.headers), text
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read()
            if raw:
                return e.code, dict(e.headers), text
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = text.decode("utf-8", "replace")
            raise SimError(e.code, parsed, method, path)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body if body is not None else {}, **kw)

    def ari(self, method, path, query=None, body=None):
        """An ARI request with the right credentials: ari("GET", "/channels")."""
        q = ("?" + urllib.parse.urlencode(query)) if query else ""
        return self.request(method, "/ari" + path + q, body=body, auth=True)

    # ---- control API ----------------------------------------------------------------

    def state(self):
        return self.get("/sim/state")

    def stats(self):
        return self.get("/sim/stats")

    def add_user(self, extension, name="", mobile="", email="", app=None, register=False, **kw):
        body = dict(extension=extension, name=name, mobile=mobile, email=email, app=app, register=register)
        body.update(kw)
        return self.post("/sim/users", body)

    def remove_user(self, extension):
        return self.request("DELETE", "/sim/users/%s" % extension)

    def set_stasis(self, extension, app):
        return self.post("/sim/stasis", {"extension": extension, "app": app})

    def register(self, ext, answermode=None, tone_hz=None, answer_delay_ms=None):
        body = {}
        if answermode:
            body["answermode"] = answermode
        if tone_hz is not None:
            body["tone_hz"] = tone_hz
        if answer_delay_ms is not None:
            body["answer_delay_ms"] = answer_delay_ms
        return self.post("/sim/devices/%s/register" % ext, body)

    def unregister(self, ext):
        return self.post("/sim/devices/%s/unregister" % ext)

    def call(self, frm, to):
        """A phone dials; returns {"call": id, "channel": id, "state": ...}."""
        return self.post("/sim/calls", {"from": str(frm), "to": str(to)})

    def calls(self):
        return self.get("/sim/calls")["calls"]

    def call_info(self, call_id):
        return self.get("/sim/calls/%s" % call_id)

    def call_action(self, call_id, action, **body):
        return self.post("/sim/calls/%s/%s" % (call_id, action), body)

    def phone(self, ext):
        return self.get("/sim/phones/%s" % ext)

    def answer(self, ext_or_call):
        """Answer what rings at an extension ("102") or a call id ("c3")."""
        return self._phone_or_call(ext_or_call, "answer")

    def reject(self, ext_or_call, cause="busy"):
        return self._phone_or_call(ext_or_call, "reject", cause=cause)

    def hangup(self, ext_or_call, all=False):
        if str(ext_or_call).startswith("c"):
            return self.call_action(ext_or_call, "hangup")
        return self.post("/sim/phones/%s/hangup" % ext_or_call, {"all": all})

    def hold(self, ext_or_call):
        return self._phone_or_call(ext_or_call, "hold")

    def unhold(self, ext_or_call):
        return self._phone_or_call(ext_or_call, "unhold")

    def dtmf(self, ext_or_call, digits, duration_ms=180):
        return self._phone_or_call(ext_or_call, "dtmf", digits=digits, duration_ms=duration_ms)

    def _phone_or_call(self, target, action, **body):
        target = str(target)
        if target.startswith("c"):
            return self.call_action(target, action, **body)
        return self.post("/sim/phones/%s/%s" % (target, action), body)

    def tone(self, ext, freq):
        return self.post("/sim/phones/%s/tone" % ext, {"freq": freq})

    def audio(self, ext, window_ms=1000):
        return self.get("/sim/phones/%s/audio?window_ms=%d" % (ext, window_ms))

    def message(self, frm, to, body):
        return self.post("/sim/messages", {"from": str(frm), "to": str(to), "body": body})

    def messages(self, ext):
        return self.get("/sim/phones/%s/messages" % ext)["messages"]

    def media(self):
        return self.get("/sim/media")["media"]

    def media_flow(self, channel, xoff):
        return self.post("/sim/media/%s/flow" % channel, {"xoff": xoff})

    def media_drop(self, channel):
        return self.post("/sim/media/%s/drop" % channel)

    def drop_events(self, mode="abort"):
        return self.post("/sim/events/drop", {"mode": mode})

    def restart(self, unregister=False, down_ms=0):
        return self.post("/sim/restart", {"unregister": unregister, "down_ms": down_ms})

    def faults(self, **faults):
        """faults(rest_delay_ms=200, drop_rest=True, corrupt_next_events=1,
        inject_raw="...", duplicate_next=1, reorder_next=1, events_delay_ms=0)"""
        return self.post("/sim/faults", faults)

    def clear_faults(self):
        return self.request("DELETE", "/sim/faults")

    def requests(self, since=0):
        return self.get("/sim/requests?since=%d" % since)["requests"]

    def clear_requests(self):
        return self.request("DELETE", "/sim/requests")

    def wait_for(self, predicate, timeout=5.0, interval=0.02, what="condition"):
        """Poll predicate() until it returns a true value; return that value."""
        deadline = time.time() + timeout
        while True:
            v = predicate()
            if v:
                return v
            if time.time() > deadline:
                raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
            time.sleep(interval)

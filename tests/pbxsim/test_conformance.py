#!/usr/bin/python3
"""Conformance: pbxsim answers like the real Asterisk recorded in
../shared/ari-transcripts/ (or $OFFHOOK_TRANSCRIPTS, or argv[1]).

For every *.jsonl transcript the simulator is started with the recording's
users (100 Alice Anders -> Stasis(dialtone,incoming), 101 Bob Brown, 102 Carol
Chen, 103 Dave Diaz) and credentials dialtone/dialtone-secret; the recorded
REST requests, media WebSocket traffic and phone actions are replayed in the
recorded order, and what the simulator answers is compared with what Asterisk
answered:

* REST: status, reason phrase, content type and body (every field name and
  JSON type recursively, and every value except ids, time stamps, SIP call ids,
  RTP statistics and other values that differ between any two runs);
* events: the same events with the same fields (same normalisation), in the
  same order *per object* (channel, bridge, device, endpoint, messages).
  Asterisk publishes from several threads, so the recordings themselves
  interleave different objects differently from run to run (e.g. the order of
  PeerStatusChange and DeviceStateChanged of 101 and 102 in 01-startup), and a
  channel's ChannelVarset events are ordered separately from its other events
  (02 and 03 show ChannelHold before, respectively after, the BRIDGEPEER
  varsets of the same hold).  Every event, including every ChannelVarset, must
  be there;
* media WebSocket: the handshake, MEDIA_START and every other text message
  (fields and values), frame sizes, the first frame being silence, 20 ms
  pacing, the close code, and the frequency of the audio each side hears;
* phones: the number of calls a phone has, the SIP MESSAGEs it received.

A difference fails with a readable diff.
"""

import asyncio
import difflib
import glob
import json
import math
import os
import re
import struct
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import aiohttp  # noqa: E402

from simctl import Sim  # noqa: E402


def transcripts_dir():
    if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]):
        return sys.argv[1]
    env = os.environ.get("OFFHOOK_TRANSCRIPTS")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(HERE))
    return os.path.join(os.path.dirname(repo), "shared", "ari-transcripts")


USER = "dialtone"
PASSWORD = "dialtone-secret"
APP = "dialtone"

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")
CHAN_ID_RE = re.compile(r"^\d{9,11}\.\d+$")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PTR_RE = re.compile(r"WebSocket/INCOMING/0x[0-9a-f]+")
CONTACT_RE = re.compile(r"sip:(\d+)-0x[0-9a-f]+@127\.0\.0\.1:\d+")
TS_KEYS = {"timestamp", "creationtime", "startup_time", "last_reload_time"}
QOS_PREFIX = "RTPAUDIOQOS"
NUMERIC_VARS = {"ANSWEREDTIME", "ANSWEREDTIME_MS", "DIALEDTIME", "DIALEDTIME_MS", "RINGTIME", "RINGTIME_MS",
                "PROGRESSTIME", "PROGRESSTIME_MS"}


class Ids:
    """Ids in order of appearance: the k-th channel of the recording is the
    k-th channel of the simulator."""

    def __init__(self):
        self.chan = []
        self.bridge = []
        self.conn = []

    def _idx(self, lst, v):
        if v not in lst:
            lst.append(v)
        return lst.index(v)

    def see_event(self, ev):
        for key in ("channel", "caller", "peer"):
            c = ev.get(key)
            if isinstance(c, dict) and "id" in c and "dialplan" in c:
                self._idx(self.chan, c["id"])
        b = ev.get("bridge")
        if isinstance(b, dict) and "id" in b:
            self._idx(self.bridge, b["id"])
        if ev.get("type") == "ChannelVarset" and ev.get("variable") == "MEDIA_WEBSOCKET_CONNECTION_ID":
            self._idx(self.conn, ev["value"])

    def chan_ph(self, v):
        return "<chan#%d>" % self._idx(self.chan, v)

    def bridge_ph(self, v):
        return "<bridge#%d>" % self._idx(self.bridge, v)

    def conn_ph(self, v):
        return "<conn#%d>" % self._idx(self.conn, v)


def norm(obj, ids, path=""):
    """Replace run-dependent values by placeholders, keep names and types."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            p = path + "." + k
            if k in TS_KEYS and isinstance(v, str):
                out[k] = "<ts>" if TS_RE.match(v) else "<BAD TIME STAMP %r>" % v
            elif k == "id" and isinstance(v, str) and CHAN_ID_RE.match(v):
                out[k] = ids.chan_ph(v)
            elif k == "id" and isinstance(v, str) and UUID_RE.fullmatch(v) and ".bridge" in p or \
                    (k == "id" and isinstance(v, str) and UUID_RE.fullmatch(v) and path in ("", ".[]")):
                out[k] = ids.bridge_ph(v)
            elif k in ("channels", "channel_ids") and isinstance(v, list):
                out[k] = [ids.chan_ph(x) if isinstance(x, str) and CHAN_ID_RE.match(x) else norm(x, ids, p) for x in v]
            elif k == "protocol_id" and isinstance(v, str):
                out[k] = "<pid>" if v else ""
            elif k == "roundtrip_usec" and isinstance(v, str):
                out[k] = "0" if v == "0" else ("<rtt>" if v.isdigit() else "<BAD rtt %r>" % v)
            elif k == "variables" and isinstance(v, dict) and ".message" in p:
                out[k] = {hk: ("<hdr>" if isinstance(hv, str) else type(hv).__name__) for hk, hv in v.items()}
            elif k in ("connection_id", "MEDIA_WEBSOCKET_CONNECTION_ID") and isinstance(v, str):
                out[k] = ids.conn_ph(v)
            elif k == "channel_id" and isinstance(v, str) and CHAN_ID_RE.match(v):
                out[k] = ids.chan_ph(v)
            elif k == "kernel" or k == "date":
                out[k] = v
            else:
                out[k] = norm(v, ids, p)
        if out.get("type") == "ChannelVarset" and isinstance(out.get("value"), str):
            var = out.get("variable", "")
            val = obj["value"]
            if var.startswith(QOS_PREFIX):
                out["value"] = "<qos>"
            elif var in NUMERIC_VARS and val != "":
                out["value"] = "<n>" if val.isdigit() else "<BAD number %r>" % val
            elif var == "BRIDGEPVTCALLID" and val:
                out["value"] = "<pid>"
            elif var == "MEDIA_WEBSOCKET_CONNECTION_ID":
                out["value"] = ids.conn_ph(val)
        return out
    if isinstance(obj, list):
        return [norm(x, ids, path + ".[]") for x in obj]
    if isinstance(obj, str):
        if UUID_RE.fullmatch(obj):
            if obj in ids.conn:
                return ids.conn_ph(obj)
            if obj in ids.bridge:
                return ids.bridge_ph(obj)
        s = PTR_RE.sub("WebSocket/INCOMING/<ptr>", obj)
        s = CONTACT_RE.sub(r"sip:\1-<contact>@127.0.0.1:<port>", s)
        if CHAN_ID_RE.match(s):
            return ids.chan_ph(s)
        return s
    return obj


def shape_diff(a, b):
    return "\n".join(difflib.unified_diff(
        json.dumps(a, indent=1, sort_keys=True).splitlines(),
        json.dumps(b, indent=1, sort_keys=True).splitlines(),
        "recorded (Asterisk)", "pbxsim", lineterm="", n=2))


def obj_keys(ev, ids):
    """The objects an event belongs to (for per-object ordering)."""
    t = ev["type"]
    keys = []
    if t == "Dial":
        keys.append("channel " + ids.chan_ph(ev["peer"]["id"]))
        if "caller" in ev:
            keys.append("channel " + ids.chan_ph(ev["caller"]["id"]))
    elif isinstance(ev.get("channel"), dict):
        keys.append("channel " + ids.chan_ph(ev["channel"]["id"]))
    if isinstance(ev.get("bridge"), dict):
        keys.append("bridge " + ids.bridge_ph(ev["bridge"]["id"]))
    if t == "DeviceStateChanged":
        keys.append("device " + PTR_RE.sub("WebSocket/INCOMING/<ptr>", ev["device_state"]["name"]))
    if t in ("ContactStatusChange", "PeerStatusChange"):
        keys.append("endpoint " + ev["endpoint"]["resource"])
    if t == "TextMessageReceived":
        keys.append("messages")
    if not keys:
        keys.append("other")
    if t == "ChannelVarset":
        keys = [k + " (varsets)" for k in keys]
    return keys


def summary_line(ev):
    """One readable line per normalised event for diffs."""
    t = ev["type"]
    bits = [t]
    ch = ev.get("channel")
    if isinstance(ch, dict):
        bits.append("%s[%s %s/%s/%s %s(%s)]" % (ch.get("name"), ch.get("state"), ch["dialplan"]["context"],
                                                ch["dialplan"]["exten"], ch["dialplan"]["priority"],
                                                ch["dialplan"]["app_name"], ch["dialplan"]["app_data"]))
    for k in ("variable", "value", "dialstatus", "dialstring", "cause", "cause_txt", "soft", "args", "digit",
              "device_state", "contact_info", "peer", "dialplan_app", "dialplan_app_data", "musicclass"):
        if k in ev:
            v = ev[k]
            if k == "peer" and isinstance(v, dict) and "name" in v:
                v = v["name"] + "[" + v["state"] + "]"
            bits.append("%s=%s" % (k, json.dumps(v, sort_keys=True)))
    return " ".join(bits)


class ReplayFailure(AssertionError):
    pass


class Replay:
    def __init__(self, test, path, sim):
        self.test = test
        self.path = path
        self.name = os.path.basename(path)
        self.sim = sim
        with open(path, encoding="utf-8") as f:
            self.lines = [json.loads(l) for l in f if l.strip()]
        self.failures = []
        self.rec_ids = Ids()
        self.sim_ids = Ids()
        self.sim_events = []
        self.rec_events = [l["event"] for l in self.lines if l["kind"] == "event"]
        for ev in self.rec_events:
            self.rec_ids.see_event(ev)
        self.idmap = {}
        self.media = {}                 # ws name -> MediaConn
        self.port_to_ext = {}
        self.counts = {"rest": 0, "events": 0, "media_text": 0, "media_frames": 0, "phone": 0, "checks": 0}
        self.events_ws = None
        self.session = None
        self.auth = aiohttp.BasicAuth(USER, PASSWORD)

    def fail(self, msg):
        self.failures.append("%s: %s" % (self.name, msg))

    # ---- ids ---------------------------------------------------------------------

    def learn(self, rec, got):
        """Map recorded ids to simulator ids from parallel REST answers."""
        if isinstance(rec, dict) and isinstance(got, dict):
            for k, v in rec.items():
                if k in ("id",) and isinstance(v, str) and isinstance(got.get(k), str):
                    self.idmap.setdefault(v, got[k])
                elif k == "MEDIA_WEBSOCKET_CONNECTION_ID" and isinstance(got.get(k), str):
                    self.idmap.setdefault(v, got[k])
                elif k in got:
                    self.learn(v, got[k])
        elif isinstance(rec, list) and isinstance(got, list) and len(rec) == len(got):
            for a, b in zip(rec, got):
                self.learn(a, b)

    async def resolve(self, rec_id):
        if rec_id in self.idmap:
            return self.idmap[rec_id]
        for lst_rec, attr in ((self.rec_ids.chan, "chan"), (self.rec_ids.bridge, "bridge"),
                              (self.rec_ids.conn, "conn")):
            if rec_id in lst_rec:
                k = lst_rec.index(rec_id)
                deadline = time.time() + 3.0
                while time.time() < deadline:
                    lst_sim = getattr(self.sim_ids, attr)
                    if len(lst_sim) > k:
                        self.idmap[rec_id] = lst_sim[k]
                        return lst_sim[k]
                    await asyncio.sleep(0.01)
                self.fail("the simulator never created the object the recording calls %s (%s #%d)" % (rec_id, attr, k))
                return rec_id
        return rec_id

    async def translate(self, url):
        tokens = set(re.findall(r"\d{9,11}\.\d+", url)) | set(UUID_RE.findall(url))
        for tok in sorted(tokens, key=len, reverse=True):
            url = url.replace(tok, await self.resolve(tok))
        return url

    # ---- events -------------------------------------------------------------------

    async def read_events(self):
        async for msg in self.events_ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                ev = json.loads(msg.data)
                self.sim_ids.see_event(ev)
                self.sim_events.append(ev)

    async def quiet(self, period=0.25, limit=3.0):
        deadline = time.time() + limit
        n = len(self.sim_events)
        last = time.time()
        while time.time() < deadline:
            await asyncio.sleep(0.02)
            if len(self.sim_events) != n:
                n = len(self.sim_events)
                last = time.time()
            elif time.time() - last >= period:
                return

    # ---- HTTP ------------------------------------------------------------------------

    async def raw_http(self, method, path, headers):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.sim.port)
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % self.sim.port]
        lines += ["%s: %s" % (k, v) for k, v in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *hlines = head.decode("latin-1").split("\r\n")
        _, status, reason = status_line.split(" ", 2)
        hdrs = {}
        for h in hlines:
            if ":" in h:
                k, v = h.split(":", 1)
                hdrs[k.strip().lower()] = v.strip()
        body = b""
        if "content-length" in hdrs:
            body = await reader.readexactly(int(hdrs["content-length"]))
        writer.close()
        return int(status), reason, hdrs, body

    async def do_rest(self, line):
        self.counts["rest"] += 1
        url = await self.translate(line["url"])
        method = line["method"]
        headers = dict(line.get("headers") or {})
        upgrade = headers.get("Upgrade", "").lower() == "websocket"
        if upgrade or url.startswith("/media/"):
            status, reason, hdrs, body = await self.raw_http(method, url, headers)
            ctype = hdrs.get("content-type")
        else:
            kwargs = {"headers": headers}
            if "auth" in line:
                if line["auth"]:
                    kwargs["auth"] = aiohttp.BasicAuth(line["auth"]["user"], line["auth"]["password"])
            else:
                kwargs["auth"] = self.auth
            if "raw_body" in line:
                kwargs["data"] = line["raw_body"].encode()
            elif line.get("body") is not None:
                kwargs["data"] = json.dumps(line["body"]).encode()
                kwargs["headers"].setdefault("Content-Type", "application/json")
            async with self.session.request(method, "http://127.0.0.1:%d%s" % (self.sim.port, url), **kwargs) as r:
                status, reason, body = r.status, r.reason, await r.read()
                ctype = r.headers.get("Content-Type")
        where = "REST #%d %s %s" % (line["seq"], method, line["url"])
        if status != line["status"] or reason != line["reason"]:
            self.fail("%s: status %s %r, recorded %s %r (body %s)" % (where, status, reason, line["status"],
                                                                     line["reason"], body[:300]))
            return
        want_ct = line.get("content_type")
        got_ct = ctype.split(";")[0].strip() if ctype else None
        if want_ct != got_ct:
            self.fail("%s: content type %r, recorded %r" % (where, got_ct, want_ct))
        rec = line.get("response")
        if isinstance(rec, str):
            got = body.decode("utf-8", "replace")
            if got != rec:
                self.fail("%s: body differs:\n%s" % (where, shape_diff(rec, got)))
            return
        got = json.loads(body) if body else None
        self.learn(rec, got)
        a, b = norm(rec, self.rec_ids), norm(got, self.sim_ids)
        if isinstance(a, list) and isinstance(b, list) and "/endpoints" not in line["url"] \
                and "/config/" not in line["url"]:
            a = sorted(a, key=lambda x: json.dumps(x, sort_keys=True))
            b = sorted(b, key=lambda x: json.dumps(x, sort_keys=True))
        if a != b:
            self.fail("%s: answer differs:\n%s" % (where, shape_diff(a, b)))
        self.counts["checks"] += 1
        if method == "POST" and re.search(r"/channels/[^/]+/hold$", line["url"]) and status == 204:
            await self.check_phone_hears_channel(line["url"].split("/")[3], 425, "music on hold after ARI hold")

    # ---- phones ----------------------------------------------------------------------

    async def sim_get(self, path):
        async with self.session.get("http://127.0.0.1:%d%s" % (self.sim.port, path)) as r:
            return await r.json()

    async def sim_post(self, path, body):
        async with self.session.post("http://127.0.0.1:%d%s" % (self.sim.port, path), json=body) as r:
            data = await r.json()
            if r.status >= 400:
                self.fail("control %s %s -> %s %s" % (path, body, r.status, data))
            return data

    async def check_phone_hears_channel(self, rec_chan_id, hz, what):
        sim_id = await self.resolve(rec_chan_id)
        state = await self.sim_get("/sim/state")
        ext = None
        for c in state["channels"]:
            if c["id"] == sim_id:
                ext = c["sim"]["endpoint"]
        if ext is None:
            self.fail("%s: channel %s has no phone" % (what, rec_chan_id))
            return
        await self.check_phone_hears(ext, hz, what)

    async def check_phone_hears(self, ext, hz, what, window_ms=300):
        await asyncio.sleep(window_ms / 1000.0 + 0.06)
        a = await self.sim_get("/sim/phones/%s/audio?window_ms=%d" % (ext, window_ms))
        self.counts["checks"] += 1
        if a["dominant_hz"] is None or abs(a["dominant_hz"] - hz) > 5:
            self.fail("%s: phone %s hears %s Hz (rms %s, %d frames), expected %d Hz" % (
                what, ext, a["dominant_hz"], a["rms"], a["frames"], hz))

    async def do_phone(self, line):
        ext = line.get("ext")
        self.counts["phone"] += 1
        if line.get("action") == "started":
            self.port_to_ext[line["sip"].rsplit(":", 1)[1]] = ext
            if line.get("register"):
                await self.sim_post("/sim/devices/%s/register" % ext,
                                    {"answermode": line.get("answermode", "manual"), "tone_hz": line.get("tone_hz")})
            return
        ev = line.get("event")
        if isinstance(ev, dict) and ev.get("type") == "UNREGISTERING":
            await self.sim_post("/sim/devices/%s/unregister" % ext, {})
            return
        cmd = line.get("command")
        if cmd == "dial":
            await self.sim_post("/sim/calls", {"from": ext, "to": line["params"]})
        elif cmd == "hold":
            await self.sim_post("/sim/phones/%s/hold" % ext, {})
        elif cmd == "resume":
            await self.sim_post("/sim/phones/%s/unhold" % ext, {})
        elif cmd == "sndcode":
            await self.sim_post("/sim/phones/%s/dtmf" % ext, {"digits": line["params"]})
        elif cmd == "hangup":
            await self.sim_post("/sim/phones/%s/hangup" % ext, {})
        elif cmd == "listcalls":
            m = re.search(r"Active calls \((\d+)\)", line.get("data") or "")
            if m:
                p = await self.sim_get("/sim/phones/%s" % ext)
                self.counts["checks"] += 1
                if len(p["calls"]) != int(m.group(1)):
                    self.fail("seq %d: phone %s has %d calls, the recorded phone had %s: %s" % (
                        line["seq"], ext, len(p["calls"]), m.group(1), p["calls"]))
        elif line.get("tool") == "sipp" and line.get("action") == "send MESSAGE":
            await self.sim_post("/sim/messages", {"from": ext, "to": line["to"], "body": line["body"]})

    # ---- media -----------------------------------------------------------------------

    async def do_media(self, line):
        name = line.get("ws", "media")
        if line.get("action") == "open":
            url = await self.translate(line["url"])
            ws = await self.session.ws_connect("ws://127.0.0.1:%d%s" % (self.sim.port, url), autoping=True)
            conn = MediaConn(ws)
            conn.task = asyncio.ensure_future(conn.read())
            self.media[name] = conn
            self.counts["checks"] += 1
            if line["status"] != 101:
                self.fail("media open recorded status %s" % line["status"])
            return
        conn = self.media.get(name)
        if conn is None:
            self.fail("seq %d: media line for a connection that was not opened" % line["seq"])
            return
        typ, direction = line.get("type"), line.get("dir")
        where = "media %s seq %d" % (name, line["seq"])
        if direction == "in" and typ == "text":
            got = await conn.next_text(3.0)
            self.counts["media_text"] += 1
            if got is None:
                self.fail("%s: expected text %r, the simulator sent nothing" % (where, line["data"]))
                return
            a, b = parse_media_text(line["data"]), parse_media_text(got)
            a, b = norm(a, self.rec_ids), norm(b, self.sim_ids)
            for x in (a, b):            # queue depth depends on scheduling, its type does not
                if isinstance(x.get("queue_length"), (int, str)):
                    x["queue_length"] = "<int>" if str(x["queue_length"]).isdigit() else x["queue_length"]
            if a != b:
                self.fail("%s: text message differs:\n%s" % (where, shape_diff(a, b)))
        elif direction == "in" and typ == "binary":
            n = line["n"]
            frame = await conn.frame(n, 3.0)
            self.counts["media_frames"] += 1
            if frame is None:
                self.fail("%s: binary frame #%d never came" % (where, n))
                return
            if len(frame) != line["len"]:
                self.fail("%s: frame #%d is %d bytes, recorded %d" % (where, n, len(frame), line["len"]))
            rec_silent = line["head_hex"] == "0" * 16 and n == 1
            got_silent = not any(frame)
            if rec_silent != got_silent:
                self.fail("%s: frame #%d %s silence, the recorded one %s" % (
                    where, n, "is" if got_silent else "is not", "was" if rec_silent else "was not"))
        elif direction == "in" and typ == "close":
            # Asterisk may close before the DELETE that caused it is answered
            # (04b records the close first): checked once the replay is over.
            conn.expect_close = (line["code"], where)
        elif direction == "out" and typ == "text":
            await conn.ws.send_str(line["data"])
        elif direction == "out" and typ == "binary_start":
            await self.send_tone(conn, line)
        elif typ == "summary":
            self.check_summary(conn, line, where)
        elif direction == "out" and typ == "binary_done":
            pass
        else:
            self.fail("%s: media line not understood: %s" % (where, line))

    async def send_tone(self, conn, line):
        frames, size, hz = line["frames"], line["len"], line.get("tone_hz") or 0
        samples = size // 2
        t0 = time.time()
        for i in range(frames):
            pcm = struct.pack("<%dh" % samples, *(int(8000 * math.sin(2 * math.pi * hz * (i * samples + k) / 16000))
                                                  for k in range(samples)))
            await conn.ws.send_bytes(pcm)
            if line.get("paced"):
                delay = t0 + (i + 1) * 0.02 - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
        if line.get("paced") and hz:
            # the phone bridged with this media channel must hear the tone
            ext = await self.media_peer_phone(conn)
            if ext:
                a = await self.sim_get("/sim/phones/%s/audio?window_ms=300" % ext)
                self.counts["checks"] += 1
                if a["dominant_hz"] is None or abs(a["dominant_hz"] - hz) > 5:
                    self.fail("phone %s hears %s Hz while the app sends %d Hz" % (ext, a["dominant_hz"], hz))

    async def media_peer_phone(self, conn):
        chan_id = conn.channel_id
        state = await self.sim_get("/sim/state")
        bridge = None
        for c in state["channels"]:
            if c["id"] == chan_id:
                bridge = c["sim"]["bridge"]
        for c in state["channels"]:
            if bridge and c["sim"]["bridge"] == bridge and c["sim"]["endpoint"]:
                return c["sim"]["endpoint"]
        return None

    def check_summary(self, conn, line, where):
        self.counts["checks"] += 1
        sizes = {len(f) for _, f in conn.frames}
        want = {int(k) for k in line["sizes"]}
        if not conn.frames or sizes != want:
            self.fail("%s: frame sizes %s, recorded %s" % (where, sorted(sizes), sorted(want)))
        times = [t for t, _ in conn.frames]
        gaps = [b - a for a, b in zip(times, times[1:]) if b - a < 0.1]
        if len(gaps) >= 10:
            mean = sum(gaps) / len(gaps) * 1000
            if not 17.0 <= mean <= 23.5:
                self.fail("%s: frames arrive every %.1f ms on average, recorded %s ms" % (
                    where, mean, line["interarrival_ms"]["mean"]))
        tc = line.get("tone_check_first_2s")
        if tc:
            sys.path.insert(0, HERE)
            from pbxsimlib import audio
            pcm = b"".join(f for _, f in conn.frames[1:101])
            hz, level = audio.analyse(pcm)
            if hz is None or abs(hz - tc["dominant_hz"]) > 5:
                self.fail("%s: the app hears %s Hz, the recorded app heard %s Hz" % (where, hz, tc["dominant_hz"]))

    # ---- the run -----------------------------------------------------------------------

    async def run(self):
        self.session = aiohttp.ClientSession()
        reader = None
        try:
            for line in self.lines:
                kind = line["kind"]
                if kind == "events_ws":
                    if line["action"] == "open":
                        url = line["url"].replace("app=" + APP, "app=" + APP)
                        self.events_ws = await self.session.ws_connect(
                            "ws://127.0.0.1:%d%s" % (self.sim.port, url), auth=self.auth, autoping=True)
                        reader = asyncio.ensure_future(self.read_events())
                        self.counts["checks"] += 1
                    elif line["action"] == "close_frame":
                        await self.quiet()
                        await self.events_ws.close(code=line.get("code", 1000))
                    continue
                if kind == "rest":
                    await self.do_rest(line)
                elif kind == "phone":
                    await self.do_phone(line)
                elif kind == "media_ws":
                    await self.do_media(line)
                elif kind in ("event", "note", "sip"):
                    pass
                else:
                    self.fail("line kind %r not understood" % kind)
            for conn in self.media.values():
                if conn.expect_close is not None:
                    code = await conn.closed_code(3.0)
                    self.counts["checks"] += 1
                    if code != conn.expect_close[0]:
                        self.fail("%s: media socket closed with %r, recorded %s" % (
                            conn.expect_close[1], code, conn.expect_close[0]))
            if reader is not None:
                await asyncio.wait_for(reader, 3.0)
            await self.check_messages()
        finally:
            for conn in self.media.values():
                if conn.task:
                    conn.task.cancel()
                if not conn.ws.closed:
                    await conn.ws.close()
            await self.session.close()
        self.compare_events()

    async def check_messages(self):
        """05: the SIP MESSAGEs Asterisk sent to the phones reached the simulated phones."""
        expected = {}
        for line in self.lines:
            if line["kind"] != "sip" or not line["first_line"].startswith("MESSAGE "):
                continue
            port = line["dst"].rsplit(":", 1)[1]
            ext = self.port_to_ext.get(port)
            if ext is None:
                continue
            head, _, body = line["raw"].partition("\n\n")
            hdrs = {}
            for h in head.split("\n")[1:]:
                k, _, v = h.partition(":")
                hdrs[k.strip()] = v.strip()
            frm = hdrs.get("From", "").split(";tag=")[0]
            custom = {k: v for k, v in hdrs.items() if k.startswith("X-")}
            expected.setdefault(ext, []).append({"from": frm, "body": body, "headers": custom})
        if not expected:
            return
        await asyncio.sleep(0)
        for ext, msgs in expected.items():
            # the simulator's phone log survives the unregistration at the end
            got = await self.sim_get("/sim/phones/%s/messages" % ext)
            got = [{"from": m["from"], "body": m["body"], "headers": m["headers"]} for m in got["messages"]]
            self.counts["checks"] += 1
            if got != msgs:
                self.fail("phone %s received other SIP MESSAGEs:\n%s" % (ext, shape_diff(msgs, got)))

    def compare_events(self):
        self.counts["events"] = len(self.sim_events)
        rec_ids, sim_ids = Ids(), Ids()

        def group(events, ids):
            for ev in events:
                ids.see_event(ev)
            groups = {}
            for ev in events:
                for key in obj_keys(ev, ids):
                    groups.setdefault(key, []).append(norm(ev, ids))
            return groups

        for ev in self.sim_events:
            if ev.get("application") != APP or ev.get("asterisk_id") != "00:00:00:00:00:00":
                self.fail("event without application/asterisk_id: %s" % ev)
                break
        rg, sg = group(self.rec_events, rec_ids), group(self.sim_events, sim_ids)
        for key in sorted(set(rg) | set(sg)):
            a, b = rg.get(key, []), sg.get(key, [])
            if a == b:
                continue
            la, lb = [summary_line(e) for e in a], [summary_line(e) for e in b]
            if la != lb:
                diff = "\n".join(difflib.unified_diff(la, lb, "recorded (Asterisk)", "pbxsim", lineterm="", n=3))
                self.fail("events of %s differ (order or types):\n%s" % (key, diff))
            else:
                for x, y in zip(a, b):
                    if x != y:
                        self.fail("event of %s differs in its fields:\n%s" % (key, shape_diff(x, y)))
                        break


class MediaConn:
    def __init__(self, ws):
        self.ws = ws
        self.texts = []
        self.text_pos = 0
        self.frames = []
        self.close_code = None
        self.done = asyncio.Event()
        self.task = None
        self.channel_id = None
        self.expect_close = None

    async def read(self):
        try:
            async for msg in self.ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self.texts.append(msg.data)
                    if self.channel_id is None:
                        d = parse_media_text(msg.data)
                        self.channel_id = d.get("channel_id")
                elif msg.type == aiohttp.WSMsgType.BINARY:
                    self.frames.append((time.time(), msg.data))
        finally:
            self.close_code = self.ws.close_code
            self.done.set()

    async def next_text(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.text_pos < len(self.texts):
                self.text_pos += 1
                return self.texts[self.text_pos - 1]
            await asyncio.sleep(0.01)
        return None

    async def frame(self, n, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.frames) >= n:
                return self.frames[n - 1][1]
            await asyncio.sleep(0.01)
        return None

    async def closed_code(self, timeout):
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except asyncio.TimeoutError:
            return None
        return self.close_code


def parse_media_text(text):
    """Plain-text ("MEDIA_START k:v k:v") or JSON control message -> dict."""
    text = text.strip()
    if text.startswith("{"):
        return json.loads(text)
    head, _, rest = text.partition(" ")
    d = {"event": head}
    for item in rest.split(" ") if rest else []:
        k, sep, v = item.partition(":")
        if not sep:
            d.setdefault("_words", []).append(item)
            continue
        d[k] = int(v) if v.isdigit() and k not in ("channel_id", "connection_id") else v
    return d


class ConformanceTest(unittest.TestCase):
    maxDiff = None

    def replay(self, path):
        d = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pbxsim-conf-%d-%s" % (os.getpid(), os.path.basename(path)))
        sim = Sim.start(tmpdir=d, ari_user=USER, ari_password=PASSWORD, stasis={"100": APP})
        failed = True
        try:
            r = Replay(self, path, sim)
            asyncio.run(r.run())
            print("\n  %s: %d REST, %d events, %d media texts, %d frames, %d phone actions, %d other checks" % (
                r.name, r.counts["rest"], r.counts["events"], r.counts["media_text"], r.counts["media_frames"],
                r.counts["phone"], r.counts["checks"]), file=sys.stderr)
            if r.failures:
                raise ReplayFailure("\n\n".join(r.failures[:25]) +
                                    ("\n... and %d more" % (len(r.failures) - 25) if len(r.failures) > 25 else ""))
            self.assertGreater(r.counts["rest"] + r.counts["events"], 0, "nothing was compared")
            failed = False
        finally:
            sim.stop(dump_log=failed)


def _make_tests():
    d = transcripts_dir()
    files = sorted(glob.glob(os.path.join(d, "*.jsonl")))

    def test_dir(self):
        self.assertTrue(os.path.isdir(d), "no transcripts directory %s (set OFFHOOK_TRANSCRIPTS)" % d)
        self.assertTrue(files, "no *.jsonl transcripts in %s" % d)

    ConformanceTest.test_00_transcripts_present = test_dir
    for path in files:
        name = "test_" + re.sub(r"[^0-9a-zA-Z]+", "_", os.path.basename(path)[:-6])

        def t(self, path=path):
            self.replay(path)
        t.__doc__ = "replay %s" % os.path.basename(path)
        setattr(ConformanceTest, name, t)


_make_tests()

if __name__ == "__main__":
    argv = [sys.argv[0]] + [a for a in sys.argv[1:] if not os.path.isdir(a)]
    unittest.main(argv=argv, verbosity=2)

"""The control API under /sim/: tests act as the other phones, look at the
simulator's state and inject faults.  JSON in, JSON out, no auth (the
server binds 127.0.0.1 only).  Errors are {"error": "..."} with 400 (bad
request), 404 (unknown extension / call) or 409 (wrong state)."""

import json
import time

from aiohttp import web

ROUTES_DOC = [
    ("GET", "/sim", "this list"),
    ("GET", "/sim/state", "endpoints, channels, bridges, apps, phone calls, media connections"),
    ("GET", "/sim/stats", "event counters, achieved event rate, scale-mode figures"),
    ("GET", "/sim/users", "the users"),
    ("POST", "/sim/users", '{"extension","name","mobile","email","app"?,"register"?,"answermode"?,"tone_hz"?} -> 201 user'),
    ("DELETE", "/sim/users/{ext}", "remove a user (unregisters it first)"),
    ("POST", "/sim/stasis", '{"extension","app"}: calls to extension run Stasis(app,incoming); app null removes'),
    ("POST", "/sim/devices/{ext}/register", '{"answermode":"manual"|"auto","tone_hz","answer_delay_ms"} (all optional)'),
    ("POST", "/sim/devices/{ext}/unregister", "the phone hangs up its calls and unregisters"),
    ("GET", "/sim/calls", "every phone-side call (leg)"),
    ("POST", "/sim/calls", '{"from","to"} -> {"call": id, "channel": id|null, "state"}'),
    ("GET", "/sim/calls/{id}", "one call leg"),
    ("POST", "/sim/calls/{id}/answer|reject|hangup|hold|unhold|dtmf",
     'reject {"cause":"busy"|"rejected"}; dtmf {"digits","duration_ms"?}'),
    ("GET", "/sim/phones/{ext}", "a phone: registration, calls, DTMF it received, tone"),
    ("POST", "/sim/phones/{ext}/answer|reject|hangup|hold|unhold|dtmf",
     "the same on the phone's current call (answer/reject: the ringing one; hangup {\"all\":true} ends all)"),
    ("POST", "/sim/phones/{ext}/tone", '{"freq": Hz} what the phone says into any call (0 = silence)'),
    ("GET", "/sim/phones/{ext}/audio", '?window_ms=1000 -> {"dominant_hz","frames","rms","window_ms"} of what it heard'),
    ("GET", "/sim/phones/{ext}/messages", '{"messages":[{"from","from_user","body","headers","via"}]}; DELETE clears'),
    ("POST", "/sim/messages", '{"from","to","body"}: a phone sends SIP MESSAGE -> 202 {"delivered"}'),
    ("GET", "/sim/media", "media WebSocket connections with frame counters"),
    ("GET", "/sim/media/{channel_id}/audio", "?window_ms= analysis of the audio the app sent"),
    ("POST", "/sim/media/{channel_id}/flow", "{xoff: bool}: send MEDIA_XOFF (queue full) or MEDIA_XON now"),
    ("POST", "/sim/media/{channel_id}/drop", "abort the media socket (the PBX then hangs the channel up)"),
    ("POST", "/sim/events/drop", '{"mode":"abort"|"close"}: drop every events socket -> {"dropped": n}'),
    ("POST", "/sim/restart", '{"unregister":false,"down_ms":0}: lose all channels/bridges/sockets, new startup time'),
    ("GET", "/sim/faults", "current faults"),
    ("POST", "/sim/faults", '{"rest_delay_ms","drop_rest","corrupt_next_events","inject_raw","duplicate_next",'
                            '"reorder_next","events_delay_ms"}'),
    ("DELETE", "/sim/faults", "clear all faults"),
    ("GET", "/sim/requests", "log of /ari requests: method, path, query, body, status, time (?since=index)"),
    ("DELETE", "/sim/requests", "clear the log"),
]


class BadRequest(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def jres(data, status=200):
    return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json")


class ControlApi:
    def __init__(self, pbx, ari_server, mode_state=None):
        self.pbx = pbx
        self.ari = ari_server
        self.mode_state = mode_state if mode_state is not None else {}

    def add_routes(self, app):
        r = app.router
        r.add_route("*", "/sim", self.wrap(self.index))
        r.add_route("*", "/sim/", self.wrap(self.index))
        r.add_route("*", "/sim/{tail:.*}", self.wrap(self.dispatch))

    def wrap(self, fn):
        async def handler(request):
            if request.remote not in ("127.0.0.1", "::1", None):
                return jres({"error": "loopback only"}, 403)
            try:
                body = {}
                if request.can_read_body:
                    text = await request.text()
                    if text.strip():
                        try:
                            body = json.loads(text)
                        except ValueError:
                            raise BadRequest(400, "body is not valid JSON")
                        if not isinstance(body, dict):
                            raise BadRequest(400, "body must be a JSON object")
                res = fn(request, body)
                self.pbx.flush_devices()
                if isinstance(res, web.Response):
                    return res
                status, data = res
                return jres(data, status)
            except BadRequest as e:
                return jres({"error": e.message}, e.status)
        return handler

    # ---- helpers -------------------------------------------------------------------

    def ep(self, ext):
        ep = self.pbx.endpoints.get(ext)
        if ep is None:
            raise BadRequest(404, "no such extension: %s" % ext)
        return ep

    def leg(self, cid):
        for ep in self.pbx.endpoints.values():
            for leg in ep.legs:
                if leg.id == cid:
                    return leg
        raise BadRequest(404, "no such call: %s" % cid)

    @staticmethod
    def need(body, *names):
        for n in names:
            if n not in body or body[n] in (None, ""):
                raise BadRequest(400, "missing field: %s" % n)

    # ---- routing -------------------------------------------------------------------

    def index(self, request, body):
        return 200, {"routes": [{"method": m, "path": p, "doc": d} for m, p, d in ROUTES_DOC]}

    def dispatch(self, request, body):
        parts = [p for p in request.match_info["tail"].split("/") if p]
        m = request.method
        n = len(parts)
        if n == 1 and parts[0] == "state" and m == "GET":
            return self.state()
        if n == 1 and parts[0] == "stats" and m == "GET":
            return self.stats()
        if n >= 1 and parts[0] == "users":
            if n == 1 and m == "GET":
                return 200, {"users": [u.json() for u in self.pbx.users.values()]}
            if n == 1 and m == "POST":
                return self.add_user(body)
            if n == 2 and m == "DELETE":
                self.ep(parts[1])
                self.pbx.remove_user(parts[1])
                return 200, {"removed": parts[1]}
        if n == 1 and parts[0] == "stasis" and m == "POST":
            self.need(body, "extension")
            u = self.pbx.users.get(str(body["extension"]))
            if u is None:
                raise BadRequest(404, "no such extension")
            u.app = body.get("app") or None
            return 200, u.json()
        if n == 3 and parts[0] == "devices" and m == "POST":
            ep = self.ep(parts[1])
            if parts[2] == "register":
                am = body.get("answermode")
                if am not in (None, "auto", "manual"):
                    raise BadRequest(400, "answermode must be auto or manual")
                changed = self.pbx.register(ep.ext, am, body.get("tone_hz"), body.get("answer_delay_ms"))
                return 200, {"extension": ep.ext, "registered": True, "changed": changed,
                             "contact": ep.contact_uri}
            if parts[2] == "unregister":
                changed = self.pbx.unregister(ep.ext)
                return 200, {"extension": ep.ext, "registered": False, "changed": changed}
        if n >= 1 and parts[0] == "calls":
            if n == 1 and m == "GET":
                return 200, {"calls": [l.json() for e in self.pbx.endpoints.values() for l in e.legs]}
            if n == 1 and m == "POST":
                return self.place_call(body)
            if n == 2 and m == "GET":
                return 200, self.leg(parts[1]).json()
            if n == 3 and m == "POST":
                return self.leg_action(self.leg(parts[1]), parts[2], body)
        if n >= 2 and parts[0] == "phones":
            ep = self.ep(parts[1])
            if n == 2 and m == "GET":
                return 200, self.phone_json(ep)
            if n == 3 and parts[2] == "audio" and m == "GET":
                return 200, self.pbx.phone_audio(ep, self.int_q(request, "window_ms", 1000))
            if n == 3 and parts[2] == "messages" and m == "GET":
                return 200, {"messages": ep.messages}
            if n == 3 and parts[2] == "messages" and m == "DELETE":
                ep.messages.clear()
                return 200, {"messages": []}
            if n == 3 and parts[2] == "tone" and m == "POST":
                if "freq" not in body or not isinstance(body["freq"], (int, float)) or not 0 <= body["freq"] <= 7900:
                    raise BadRequest(400, "freq must be a number of Hz between 0 and 7900")
                ep.tone.set(body["freq"])
                return 200, {"extension": ep.ext, "tone_hz": ep.tone.freq}
            if n == 3 and m == "POST":
                return self.phone_action(ep, parts[2], body)
        if n == 1 and parts[0] == "messages" and m == "POST":
            self.need(body, "from", "to")
            frm, to = str(body["from"]), str(body["to"])
            self.ep(frm)
            if to not in self.pbx.users:
                raise BadRequest(404, "no such extension: %s" % to)
            delivered = self.pbx.phone_message(frm, to, str(body.get("body", "")))
            return 202, {"delivered": delivered}
        if n >= 1 and parts[0] == "media":
            if n == 1 and m == "GET":
                return 200, {"media": [self.media_json(c) for c in self.pbx.media_by_conn.values()]}
            if n == 3 and parts[2] == "audio" and m == "GET":
                ch = self.pbx.channels.get(parts[1])
                if ch is None or ch.media is None:
                    raise BadRequest(404, "no such media channel")
                return 200, self.pbx.media_audio(ch, self.int_q(request, "window_ms", 1000))
            if n == 3 and parts[2] in ("flow", "drop") and m == "POST":
                ch = self.pbx.channels.get(parts[1])
                if ch is None or ch.media is None or ch.media.sink is None:
                    raise BadRequest(404, "no such connected media channel")
                if parts[2] == "drop":
                    ch.media.sink.abort()
                    return 200, {"dropped": True}
                xoff = bool(body.get("xoff", True))
                ch.media.queue_full = xoff
                ch.media.forced_xoff = xoff
                self.pbx._media_text(ch.media, ch.media.event_text("MEDIA_XOFF" if xoff else "MEDIA_XON"))
                return 200, {"xoff": xoff}
        if n == 2 and parts[0] == "events" and parts[1] == "drop" and m == "POST":
            mode = body.get("mode", "abort")
            if mode not in ("abort", "close"):
                raise BadRequest(400, "mode must be abort or close")
            return 200, {"dropped": self.pbx.drop_event_sockets(mode)}
        if n == 1 and parts[0] == "restart" and m == "POST":
            self.pbx.restart(bool(body.get("unregister")))
            down = int(body.get("down_ms") or 0)
            self.ari.down_until = time.time() + down / 1000.0 if down else 0
            return 200, {"startup_time": self.pbx.asterisk_info()["status"]["startup_time"]}
        if n == 1 and parts[0] == "faults":
            if m == "GET":
                return 200, self.pbx.faults.json()
            if m == "DELETE":
                from .pbx import Faults
                self.pbx.faults = Faults()
                return 200, self.pbx.faults.json()
            if m == "POST":
                return self.set_faults(body)
        if n == 1 and parts[0] == "requests":
            if m == "GET":
                since = self.int_q(request, "since", 0)
                items = list(self.pbx.requests)[since:]
                return 200, {"requests": items, "count": len(self.pbx.requests)}
            if m == "DELETE":
                self.pbx.requests.clear()
                return 200, {"requests": []}
        raise BadRequest(404, "no such control route: %s %s" % (m, request.path))

    @staticmethod
    def int_q(request, name, default):
        v = request.query.get(name)
        if v is None:
            return default
        try:
            return int(v)
        except ValueError:
            raise BadRequest(400, "%s must be an integer" % name)

    # ---- actions ---------------------------------------------------------------------

    def add_user(self, body):
        self.need(body, "extension")
        ext = str(body["extension"])
        if ext in self.pbx.users:
            raise BadRequest(409, "extension exists: %s" % ext)
        if not ext.replace("+", "").isalnum():
            raise BadRequest(400, "bad extension")
        u = self.pbx.add_user(ext, body.get("name", ""), body.get("mobile", ""), body.get("email", ""),
                              body.get("app"))
        if body.get("register"):
            self.pbx.register(ext, body.get("answermode"), body.get("tone_hz"))
        else:
            ep = self.pbx.endpoints[ext]
            if body.get("answermode") in ("auto", "manual"):
                ep.answermode = body["answermode"]
            if body.get("tone_hz") is not None:
                ep.tone.set(body["tone_hz"])
        return 201, u.json()

    def place_call(self, body):
        self.need(body, "from", "to")
        frm, to = str(body["from"]), str(body["to"])
        ep = self.ep(frm)
        if not ep.registered:
            raise BadRequest(409, "phone %s is not registered" % frm)
        leg = self.pbx.phone_dial(frm, to)
        return 200, {"call": leg.id, "channel": leg.channel.id if leg.channel else None, "state": leg.state,
                     "close_reason": leg.close_reason}

    CAUSES = {"busy": 17, "rejected": 21, "decline": 21}

    def leg_action(self, leg, action, body):
        pbx = self.pbx
        if action == "answer":
            if leg.state != "incoming":
                raise BadRequest(409, "call %s is not ringing here (state %s)" % (leg.id, leg.state))
            pbx.phone_answer(leg)
        elif action == "reject":
            if leg.state != "incoming":
                raise BadRequest(409, "call %s is not ringing here (state %s)" % (leg.id, leg.state))
            cause = self.CAUSES.get(body.get("cause", "busy"))
            if cause is None:
                raise BadRequest(400, "cause must be busy or rejected")
            pbx.phone_reject(leg, cause)
        elif action == "hangup":
            if leg.state == "closed":
                raise BadRequest(409, "call %s is already closed" % leg.id)
            pbx.phone_hangup(leg)
        elif action in ("hold", "unhold"):
            if leg.state != "established":
                raise BadRequest(409, "call %s is not established (state %s)" % (leg.id, leg.state))
            pbx.phone_hold(leg, action == "hold")
        elif action == "dtmf":
            digits = str(body.get("digits", ""))
            if not digits or any(c not in "0123456789*#ABCD" for c in digits):
                raise BadRequest(400, "digits must be DTMF characters 0-9*#A-D")
            if leg.state != "established":
                raise BadRequest(409, "call %s is not established (state %s)" % (leg.id, leg.state))
            pbx.phone_dtmf(leg, digits, body.get("duration_ms", 180))
        else:
            raise BadRequest(404, "no such call action: %s" % action)
        return 200, leg.json()

    def phone_action(self, ep, action, body):
        legs = ep.active_legs()
        if action in ("answer", "reject"):
            ringing = [l for l in legs if l.state == "incoming"]
            if not ringing:
                raise BadRequest(409, "nothing rings at %s" % ep.ext)
            return self.leg_action(ringing[0], action, body)
        if action == "hangup":
            if not legs:
                return 200, {"extension": ep.ext, "hung_up": []}
            targets = legs if body.get("all") else [legs[-1]]
            for l in targets:
                self.pbx.phone_hangup(l)
            return 200, {"extension": ep.ext, "hung_up": [l.id for l in targets]}
        if action in ("hold", "unhold", "dtmf"):
            up = [l for l in legs if l.state == "established"]
            if not up:
                raise BadRequest(409, "no established call at %s" % ep.ext)
            return self.leg_action(up[-1], action, body)
        raise BadRequest(404, "no such phone action: %s" % action)

    def set_faults(self, body):
        f = self.pbx.faults
        known = {"rest_delay_ms", "drop_rest", "corrupt_next_events", "inject_raw", "duplicate_next",
                 "reorder_next", "events_delay_ms"}
        unknown = set(body) - known
        if unknown:
            raise BadRequest(400, "unknown fault(s): %s" % ", ".join(sorted(unknown)))
        injected = 0
        for k, v in body.items():
            if k == "inject_raw":
                if not isinstance(v, str):
                    raise BadRequest(400, "inject_raw must be a string")
                injected = self.pbx.inject_raw(v)
            elif k == "drop_rest":
                f.drop_rest = bool(v)
            else:
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise BadRequest(400, "%s must be a non-negative integer" % k)
                setattr(f, k, v)
        out = f.json()
        out["injected"] = injected
        return 200, out

    # ---- views ---------------------------------------------------------------------------

    def phone_json(self, ep):
        return {"extension": ep.ext, "name": ep.user.name, "registered": ep.registered,
                "contact": ep.contact_uri if ep.registered else None, "answermode": ep.answermode,
                "tone_hz": ep.tone.freq, "device_state": self.pbx.device_state(ep.ext),
                "calls": [l.json() for l in ep.legs if l.state != "closed"],
                "dtmf_received": "".join(ep.dtmf_received), "messages": len(ep.messages)}

    def media_json(self, ch):
        m = ch.media
        return {"channel": ch.id, "connection_id": m.connection_id, "format": m.fmt, "connected": m.connected,
                "json": m.json_mode, "frames_to_app": m.frames_out, "frames_from_app": m.frames_in,
                "queue_length": m.queue_len, "bridge": ch.bridge.id if ch.bridge else None}

    def state(self):
        pbx = self.pbx
        chans = []
        for c in pbx.channels.values():
            j = c.json()
            j["sim"] = {"tech": c.tech, "stasis_app": c.stasis_app, "bridge": c.bridge.id if c.bridge else None,
                        "endpoint": c.endpoint.ext if c.endpoint else None, "moh": c.moh,
                        "hold_indicated": c.hold_indicated, "call": c.leg.id if c.leg else None,
                        "connection_id": c.media.connection_id if c.media else None}
            chans.append(j)
        return 200, {
            "startup_time": pbx.asterisk_info()["status"]["startup_time"],
            "endpoints": [dict(self.phone_json(e), endpoint=pbx.endpoint_json(e), app=e.user.app)
                          for e in pbx.endpoints.values()],
            "channels": chans,
            "bridges": [b.json() for b in pbx.bridges.values()],
            "apps": [{"name": a.name, "sockets": len(a.sockets), "subscribe_all": a.subscribe_all}
                     for a in pbx.apps.values()],
            "media": [self.media_json(c) for c in pbx.media_by_conn.values()],
            "device_states": pbx.device_states,
        }

    def stats(self):
        pbx = self.pbx
        s = dict(pbx.stats)
        s["uptime_s"] = round(time.time() - s.pop("started"), 3)
        s["events_per_s"] = round(pbx.events_rate(5.0), 1)
        s["events_per_s_1s"] = round(pbx.events_rate(1.0), 1)
        s["endpoints"] = len(pbx.endpoints)
        s["registered"] = sum(1 for e in pbx.endpoints.values() if e.registered)
        s["channels"] = len(pbx.channels)
        s["bridges"] = len(pbx.bridges)
        s["calls_active"] = sum(1 for e in pbx.endpoints.values() for l in e.legs if l.state != "closed" and l.direction == "outgoing")
        s["media_ticks"] = pbx.media_stats["ticks"]
        s["media_late_ticks"] = pbx.media_stats["late_ticks"]
        s.update(self.mode_state)
        return 200, s

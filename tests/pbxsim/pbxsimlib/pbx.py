"""The simulated PBX: state, event publication, endpoints and registration,
device states, applications and MESSAGE routing.  Calls live in calls.py and
the audio engine in media.py (mixins of Pbx)."""

import asyncio
import collections
import json
import random
import time

from .calls import CallsMixin
from .media import MediaMixin
from .objects import App, Endpoint, User, new_contact
from .util import ASTERISK_ID, data, hex_id, json_fields, json_str, json_value, ts

_ASTERISK_ID = '"asterisk_id": "%s"' % ASTERISK_ID
_APP_LAST = _ASTERISK_ID + ', "application": '


class AriError(Exception):
    """An ARI error answer: status + {"message": ...} (or {"error": ...})."""

    def __init__(self, status, message, reason=None, key="message"):
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason
        self.key = key


class Faults:
    def __init__(self):
        self.rest_delay_ms = 0
        self.drop_rest = False
        self.corrupt_next_events = 0
        self.duplicate_next = 0
        self.reorder_next = 0
        self.events_delay_ms = 0

    def json(self):
        return dict(self.__dict__)


DEFAULT_USERS = [
    ("100", "Alice Anders", "+15550100", "alice@example.com"),
    ("101", "Bob Brown", "+15550101", "bob@example.com"),
    ("102", "Carol Chen", "+15550102", "carol@example.com"),
    ("103", "Dave Diaz", "+15550103", "dave@example.com"),
]


class Pbx(CallsMixin, MediaMixin):
    def __init__(self, log=None):
        self.log = log or (lambda *a: None)
        self.users = collections.OrderedDict()
        self.endpoints = {}
        self.channels = collections.OrderedDict()
        self.bridges = collections.OrderedDict()
        self.apps = {}
        self.media_by_conn = {}
        self.device_states = {}         # Stasis:<name> -> state (controlled devices)
        self.global_vars = {}
        self.faults = Faults()
        self.requests = collections.deque(maxlen=5000)
        self.stats = {"events_total": 0, "events_sent": 0, "rest_requests": 0, "started": time.time()}
        self.event_counts = collections.deque(maxlen=3000)   # [t * 100, events], 30 s
        self._rate_last = [None, 0]
        self._dirty_devices = set()
        self._reorder_hold = None
        self._chan_seq = 0
        self._pjsip_seq = 0
        self.msg_channel = None
        self.dial_timeout_s = 30
        self.loop = None
        self.startup = time.time()
        MediaMixin.__init__(self)

    # ---- basics ----------------------------------------------------------------

    def next_chan_seq(self):
        n = self._chan_seq
        self._chan_seq += 1
        return n

    def next_pjsip_seq(self):
        n = self._pjsip_seq
        self._pjsip_seq += 1
        return n

    def get_loop(self):
        if self.loop is None:
            self.loop = asyncio.get_event_loop()
        return self.loop

    def later(self, delay_s, fn, *args):
        return self.get_loop().call_later(delay_s, self._guard, fn, args)

    def _guard(self, fn, args):
        try:
            fn(*args)
            self.flush_devices()
        except Exception as e:  # a timer must never kill the loop
            self.log("timer error: %r" % (e,))
            import traceback
            traceback.print_exc()

    # ---- users -----------------------------------------------------------------

    def add_user(self, ext, name="", mobile="", email="", app=None):
        ext = str(ext)
        user = User(ext, name, mobile, email, app)
        self.users[ext] = user
        self.endpoints[ext] = Endpoint(user)
        return user

    def load_users(self, spec):
        for u in spec.get("users", []):
            user = self.add_user(u["extension"], u.get("name", ""), u.get("mobile", ""),
                                 u.get("email", ""), u.get("app"))
            ep = self.endpoints[user.ext]
            if "answermode" in u:
                ep.answermode = u["answermode"]
            if "tone_hz" in u:
                ep.tone.set(u["tone_hz"])
            if u.get("registered"):
                self.register(user.ext)
        self.flush_devices()

    def load_default_users(self):
        for ext, name, mobile, email in DEFAULT_USERS:
            self.add_user(ext, name, mobile, email)

    def remove_user(self, ext):
        ep = self.endpoints[ext]
        if ep.registered:
            self.unregister(ext)
        del self.endpoints[ext]
        del self.users[ext]

    def stasis_app_for(self, ext):
        u = self.users.get(ext)
        return u.app if u else None

    # ---- events ----------------------------------------------------------------

    def event(self, etype, fields, refs, order="std"):
        """Publish an event, its keys in the order Asterisk uses.

        fields: (key, value) pairs or a dict; a RawJson value (a cached
        snapshot) is written as it is. refs: what the event is about, for
        applications without subscribeAll: a dict, or a function making one.
        The text is written once for all applications (only "application"
        differs), exactly as json.dumps() of the event would be."""
        t = time.time()
        self._count_event(t)
        apps = [a for a in self.apps.values() if a.sockets]
        if not apps:
            return
        now = ts(t)
        if type(fields) is dict:
            fields = fields.items()
        if order == "varset":
            f = dict(fields)
            head = '{"variable": %s, "value": %s, "type": "%s", "timestamp": "%s", "channel": %s, %s' % (
                json_value(f["variable"]), json_value(f["value"]), etype, now,
                json_value(f["channel"]), _APP_LAST)
            tail = "}"
        elif order == "devstate":
            head = '{"type": "%s", "application": ' % etype
            tail = ', "timestamp": "%s", %s, %s}' % (now, json_fields(fields), _ASTERISK_ID)
        elif order == "cause_first":
            pairs = list(fields)
            channel = [v for k, v in pairs if k == "channel"][0]
            rest = json_fields([(k, v) for k, v in pairs if k != "channel"])
            head = '{%s%s"type": "%s", "timestamp": "%s", "channel": %s, %s' % (
                rest, ", " if rest else "", etype, now, json_value(channel), _APP_LAST)
            tail = "}"
        else:
            rest = json_fields(fields)
            head = '{"type": "%s", "timestamp": "%s", %s%s%s' % (
                etype, now, rest, ", " if rest else "", _APP_LAST)
            tail = "}"
        self.publish_text(etype, head, tail, refs, apps)

    def publish_text(self, etype, head, tail, refs, apps=None):
        """Send head + the application's name (JSON) + tail to every
        application that wants the event."""
        for app in apps if apps is not None else list(self.apps.values()):
            if not app.sockets or not app.wants(etype, refs):
                continue
            self._deliver(app, head + app.name_json + tail)

    def _count_event(self, t):
        """events_total, and a count per 10 ms for events_rate()."""
        self.stats["events_total"] += 1
        key = int(t * 100)
        b = self._rate_last
        if b[0] == key:
            b[1] += 1
        else:
            b = self._rate_last = [key, 1]
            self.event_counts.append(b)

    def events_rate(self, window=5.0):
        """Events per second over the last `window` seconds."""
        since = (time.time() - window) * 100
        n = 0
        for key, count in reversed(self.event_counts):
            if key < since:
                break
            n += count
        return n / window

    def _deliver(self, app, text):
        f = self.faults
        if not (f.corrupt_next_events > 0 or f.duplicate_next > 0 or f.reorder_next > 0):
            self._send_app(app, text)
            return
        texts = [text]
        if f.corrupt_next_events > 0:
            f.corrupt_next_events -= 1
            texts = [text[: len(text) // 2] + "\x00{garbage"]
        elif f.duplicate_next > 0:
            f.duplicate_next -= 1
            texts = [text, text]
        elif f.reorder_next > 0:
            if self._reorder_hold is None:
                self._reorder_hold = (app, text)
                return
            f.reorder_next -= 1
            held_app, held = self._reorder_hold
            self._reorder_hold = None
            self._send_app(app, text)
            self._send_app(held_app, held)
            return
        for t in texts:
            self._send_app(app, t)

    def _send_app(self, app, text):
        for s in list(app.sockets):
            s.enqueue(text)
            self.stats["events_sent"] += 1

    def events_backlog(self):
        """The most bytes any events socket has waiting in the simulator
        (its pending events and its transport's buffer; what sits in the
        kernel's socket buffers is not counted)."""
        return max((s.backlog() for a in self.apps.values() for s in a.sockets), default=0)

    def inject_raw(self, text):
        n = 0
        for app in self.apps.values():
            for s in app.sockets:
                s.enqueue(text)
                n += 1
        return n

    # channel-scoped helpers

    def ev_chan(self, etype, ch, extra=None, order="std"):
        fields = list(extra.items()) if extra else []
        fields.append(("channel", ch.json_text()))
        self.event(etype, fields, lambda: self._chan_refs(ch), order=order)

    def _chan_refs(self, ch, *more):
        refs = {"channels": [ch.id] + [c.id for c in more if c is not None]}
        if ch.endpoint is not None:
            refs["endpoints"] = ["PJSIP/" + ch.endpoint.ext]
        if ch.bridge is not None:
            refs["bridges"] = [ch.bridge.id]
        if ch.stasis_app:
            refs["app"] = ch.stasis_app
        return refs

    def varset(self, ch, name, value):
        """ChannelVarset, the most frequent event: written here directly."""
        ch.vars[name] = value
        t = time.time()
        self._count_event(t)
        apps = [a for a in self.apps.values() if a.sockets]
        if not apps:
            return
        head = '{"variable": %s, "value": %s, "type": "ChannelVarset", "timestamp": "%s", "channel": %s, %s' % (
            json_str(name), json_value(value), ts(t), ch.json_text(), _APP_LAST)
        self.publish_text("ChannelVarset", head, "}", lambda: self._chan_refs(ch), apps)

    def ev_bridge(self, etype, bridge):
        self.event(etype, (("bridge", bridge.json_text()),), {"bridges": [bridge.id]})

    def devstate_event(self, name, state):
        self.event("DeviceStateChanged", {"device_state": {"name": name, "state": state}},
                   {"devices": [name]}, order="devstate")

    # ---- device states -----------------------------------------------------------

    def device_state(self, ext):
        ep = self.endpoints.get(ext)
        if ep is None:
            return "INVALID"
        chans = list(ep.channels.values())
        if not chans:
            return "NOT_INUSE" if ep.registered else "UNAVAILABLE"
        if any(c.hold_indicated for c in chans):
            return "ONHOLD"
        states = {c.state for c in chans}
        ringing = "Ringing" in states
        inuse = bool(states & {"Up", "Ring", "Busy", "Dialing"})
        if ringing and inuse:
            return "RINGINUSE"
        if ringing:
            return "RINGING"
        if inuse:
            return "INUSE"
        return "NOT_INUSE"

    def touch_device(self, ep):
        if ep is not None:
            self._dirty_devices.add(ep.ext)

    def flush_devices(self, only=None):
        for ext in list(self._dirty_devices):
            if only is not None and ext not in only:
                continue
            self._dirty_devices.discard(ext)
            ep = self.endpoints.get(ext)
            if ep is None:
                continue
            st = self.device_state(ext)
            if st != ep.devstate:
                ep.devstate = st
                self.devstate_event("PJSIP/" + ext, st)

    def endpoint_json(self, ep):
        return ep.json(list(ep.channels))

    # ---- registration ----------------------------------------------------------

    def register(self, ext, answermode=None, tone_hz=None, answer_delay_ms=None):
        ep = self.endpoints[ext]
        if answermode:
            ep.answermode = answermode
        if tone_hz is not None:
            ep.tone.set(tone_hz)
        if answer_delay_ms is not None:
            ep.answer_delay_ms = int(answer_delay_ms)
        if ep.registered:
            return False
        ep.contact_uri = new_contact(ext)
        refs = {"endpoints": ["PJSIP/" + ext]}
        self.event("ContactStatusChange", {
            "endpoint": self.endpoint_json(ep),
            "contact_info": {"uri": ep.contact_uri, "contact_status": "NonQualified", "aor": ext, "roundtrip_usec": "0"}},
            refs)
        ep.registered = True
        self.event("PeerStatusChange", {"endpoint": self.endpoint_json(ep), "peer": {"peer_status": "Reachable"}}, refs)
        self.event("ContactStatusChange", {
            "endpoint": self.endpoint_json(ep),
            "contact_info": {"uri": ep.contact_uri, "contact_status": "Reachable", "aor": ext,
                             "roundtrip_usec": str(random.randrange(200, 800))}},
            refs)
        self.touch_device(ep)
        self.flush_devices()
        return True

    def unregister(self, ext):
        ep = self.endpoints[ext]
        for leg in list(ep.active_legs()):
            self.phone_hangup(leg)
        if not ep.registered:
            return False
        refs = {"endpoints": ["PJSIP/" + ext]}
        ep.registered = False
        self.event("PeerStatusChange", {"endpoint": self.endpoint_json(ep), "peer": {"peer_status": "Unreachable"}}, refs)
        self.touch_device(ep)
        self.flush_devices()
        self.event("ContactStatusChange", {
            "endpoint": self.endpoint_json(ep),
            "contact_info": {"uri": ep.contact_uri, "contact_status": "Removed", "aor": ext, "roundtrip_usec": "0"}},
            refs)
        return True

    # ---- applications ----------------------------------------------------------

    def app_connect(self, names, sock, subscribe_all):
        for name in names:
            app = self.apps.get(name)
            if app is None:
                app = self.apps[name] = App(name)
            app.sockets.append(sock)
            if subscribe_all:
                app.subscribe_all = True

    def app_disconnect(self, names, sock):
        for name in names:
            app = self.apps.get(name)
            if app is None:
                continue
            if sock in app.sockets:
                app.sockets.remove(sock)
            if not app.sockets and not any(c.stasis_app == name for c in self.channels.values()):
                del self.apps[name]

    def app_registered(self, name):
        app = self.apps.get(name)
        return app is not None and bool(app.sockets)

    def drop_event_sockets(self, mode="abort"):
        n = 0
        for app in list(self.apps.values()):
            for s in list(app.sockets):
                s.drop(mode)
                n += 1
        return n

    # ---- MESSAGE -----------------------------------------------------------------

    def _msg_chan(self):
        from .objects import Channel
        if self.msg_channel is None or not self.msg_channel.alive:
            ch = Channel(self, "Message", "Message/ast_msg_queue")
            ch.state = "Up"
            self.channels[ch.id] = ch
            self.msg_channel = ch
            self.ev_chan("ChannelCreated", ch)
        return self.msg_channel

    def phone_message(self, from_ext, to_ext, body):
        """A phone sends SIP MESSAGE to another extension (05-chat-message)."""
        sender = self.endpoints[from_ext]
        target_user = self.users[to_ext]
        from_hdr = '"%s" <sip:%s@127.0.0.1>' % (sender.user.name, from_ext) if sender.user.name \
            else "<sip:%s@127.0.0.1>" % from_ext
        to_uri = "pjsip:%s@127.0.0.1" % to_ext
        ch = self._msg_chan()
        ch.set_dialplan("messages", to_ext, 1)
        tag = hex_id(8)
        callid = "%d-%d@127.0.0.1" % (random.randrange(1, 9), random.randrange(10000, 99999))
        branch = "z9hG4bK-%s" % hex_id(10)
        variables = {
            "PJSIP_RECVADDR": "127.0.0.1:%d" % sender.port,
            "PJSIP_TRANSPORT": "udp",
            "PJSIP_ENDPOINT": sender.user.name or from_ext,
            "Via": "SIP/2.0/UDP 127.0.0.1:%d;rport=%d;received=127.0.0.1;branch=%s" % (sender.port, sender.port, branch),
            "From": "%s;tag=%s" % (from_hdr, tag),
            "To": "<sip:%s@127.0.0.1>" % to_ext,
            "Call-ID": callid,
            "CSeq": "2 MESSAGE",
            "Authorization": ('Digest username="%s", realm="asterisk", nonce="%d/%s", uri="sip:127.0.0.1:5060", '
                              'response="%s", algorithm=MD5, cnonce="%s", opaque="%s", qop=auth, nc=00000001') % (
                from_ext, int(time.time()), hex_id(32), hex_id(32), hex_id(8), hex_id(16)),
            "Max-Forwards": "70",
            "User-Agent": "pbxsim-phone",
            "Content-Type": "text/plain;charset=UTF-8",
            "Content-Length": str(len(body.encode("utf-8"))),
        }
        tmr = {"from": from_hdr, "to": to_uri, "body": body, "variables": variables}
        refs = {"endpoints": ["PJSIP/" + from_ext, "PJSIP/" + to_ext], "channels": [ch.id]}
        delivered = False
        if target_user.app:
            ch.set_dialplan(priority=1, app="NoOp",
                            data="MESSAGE for %s from %s is handled over ARI" % (to_ext, from_hdr))
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "NoOp", "dialplan_app_data": ch.dialplan["app_data"]})
            ch.set_dialplan(priority=2, app="Hangup", data="")
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "Hangup", "dialplan_app_data": ""})
            self.event("TextMessageReceived", {"endpoint": self.endpoint_json(sender), "message": tmr}, refs)
            delivered = self.app_registered(target_user.app)
        else:
            data_ = "MESSAGE from %s to %s: %s" % (from_hdr, to_uri, body)
            ch.set_dialplan(priority=1, app="NoOp", data=data_)
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "NoOp", "dialplan_app_data": data_})
            ms = "pjsip:%s,%s" % (to_ext, from_hdr)
            ch.set_dialplan(priority=2, app="MessageSend", data=ms)
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "MessageSend", "dialplan_app_data": ms})
            target = self.endpoints[to_ext]
            if target.registered:
                target.messages.append({"from": from_hdr, "from_user": from_ext, "to": "sip:%s@127.0.0.1" % to_ext,
                                        "body": body, "headers": {}, "time": time.time(), "via": "dialplan"})
                status = "SUCCESS"
                delivered = True
            else:
                status = "FAILURE"
            self.varset(ch, "MESSAGE_SEND_STATUS", status)
            ch.set_dialplan(priority=3, app="NoOp", data="MessageSend status: %s" % status)
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "NoOp", "dialplan_app_data": ch.dialplan["app_data"]})
            self.event("TextMessageReceived", {"endpoint": self.endpoint_json(sender), "message": tmr}, refs)
            ch.set_dialplan(priority=4, app="Hangup", data="")
            self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "Hangup", "dialplan_app_data": ""})
        return delivered

    def ari_send_message(self, to, from_, body, variables):
        """PUT /endpoints/.../sendMessage: deliver to the registered phone."""
        tech, _, resource = to.partition(":") if ":" in to and "/" not in to.split(":")[0] else to.partition("/")
        if tech.lower() != "pjsip":
            raise AriError(404, "Endpoint not found")
        ext = resource.split("@", 1)[0]
        ep = self.endpoints.get(ext)
        if ep is None or not ep.registered:
            raise AriError(404, "Endpoint not found")
        from .util import sip_from_header, user_of_uri
        hdr = sip_from_header(from_)
        ep.messages.append({"from": hdr, "from_user": user_of_uri(hdr), "to": ep.contact_uri,
                            "body": body if body is not None else "", "headers": dict(variables or {}),
                            "time": time.time(), "via": "ari"})

    # ---- restart -------------------------------------------------------------------

    def restart(self, unregister=False):
        """Asterisk restarted: every channel, bridge, app and socket is gone."""
        for app in list(self.apps.values()):
            for s in list(app.sockets):
                s.drop("close")
        self.apps.clear()
        for ep in self.endpoints.values():
            ep.channels.clear()
        for ch in list(self.channels.values()):
            if ch.media is not None and ch.media.sink is not None:
                ch.media.sink.close(1001)
            ch.alive = False
            if ch.dial_in and ch.dial_in.timer:
                ch.dial_in.timer.cancel()
        self.channels.clear()
        self.bridges.clear()
        self.media_by_conn.clear()
        self.msg_channel = None
        for ep in self.endpoints.values():
            for leg in ep.active_legs():
                leg.state = "closed"
                leg.close_reason = "pbx restarted"
                leg.closed = time.time()
            if unregister:
                ep.registered = False
            ep.devstate = None
        self._dirty_devices.clear()
        self._chan_seq = 0
        self._pjsip_seq = 0
        self.startup = time.time()

    # ---- views -----------------------------------------------------------------

    def asterisk_info(self, only=None):
        info = json.loads(json.dumps(data()["asterisk_info"]))
        info["status"]["startup_time"] = ts(self.startup)
        info["status"]["last_reload_time"] = ts(self.startup)
        if only:
            keep = [k.strip() for k in only.split(",")]
            info = {k: v for k, v in info.items() if k in keep}
        return info

    def endpoint_config(self, ext):
        u = self.users[ext]
        out = []
        for attr, value in data()["endpoint"]:
            if attr in ("aors", "auth"):
                value = ext
            elif attr == "callerid":
                value = '"%s" <%s>' % (u.name, ext) if u.name else "<%s>" % ext
            out.append({"attribute": attr, "value": value})
        return out

    def aor_config(self, ext):
        return [{"attribute": a, "value": v} for a, v in data()["aor"]]

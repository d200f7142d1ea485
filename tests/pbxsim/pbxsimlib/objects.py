"""The PBX's objects: users/endpoints (simulated phones), phone-side call
legs, channels, bridges, Stasis applications and media connections."""

import collections
import random
import time

from . import audio
from .util import RawJson, hex_id, json_str, json_value, new_uuid, pointer, ts


class User:
    def __init__(self, ext, name="", mobile="", email="", app=None):
        self.ext = str(ext)
        self.name = name or ""
        self.mobile = mobile or ""
        self.email = email or ""
        self.app = app or None          # calls to ext run Stasis(app,incoming)

    def json(self):
        return {"extension": self.ext, "name": self.name, "mobile": self.mobile,
                "email": self.email, "app": self.app}


def default_tone(ext):
    table = {"101": 500, "102": 700, "103": 900}
    if ext in table:
        return table[ext]
    try:
        return 600 + 50 * (int(ext) % 16)
    except ValueError:
        return 650


class Endpoint:
    """PJSIP/<ext>: the endpoint and the simulated phone registered on it."""

    def __init__(self, user):
        self.user = user
        self.ext = user.ext
        self.registered = False
        self.contact_uri = ""
        self.port = 5000 + (abs(hash(self.ext)) % 4000)
        self.answermode = "manual"
        self.answer_delay_ms = 0
        self.tone = audio.ToneSource(default_tone(self.ext))
        self.legs = []                  # Leg, newest last
        self.rx = collections.deque(maxlen=250)   # (tick, frame) the phone heard, 5 s
        self.capture = True
        self.messages = []
        self.dtmf_received = []
        self.devstate = None            # last published device state
        self.channels = {}              # id -> Channel of this endpoint (PJSIP)

    def json(self, channel_ids):
        return {"technology": "PJSIP", "resource": self.ext,
                "state": "online" if self.registered else "offline",
                "channel_ids": channel_ids}

    def active_legs(self):
        return [l for l in self.legs if l.state != "closed"]


class Leg:
    """One call as a simulated phone sees it (its 'line')."""
    _seq = 0

    def __init__(self, endpoint, direction, peer, channel=None):
        Leg._seq += 1
        self.id = "c%d" % Leg._seq
        self.endpoint = endpoint
        self.direction = direction      # outgoing | incoming
        self.peer = peer                # what the phone shows: number / URI
        self.peer_name = ""
        self.channel = channel          # PBX channel of this phone, or None (direct call)
        self.direct_peer = None         # Leg of the other phone for a direct (REFER) call
        self.state = "dialing" if direction == "outgoing" else "incoming"
        self.held = False               # the phone put the call on hold
        self.close_reason = None
        self.created = time.time()
        self.answered = None
        self.closed = None

    def json(self):
        return {"call": self.id, "extension": self.endpoint.ext, "direction": self.direction,
                "peer": self.peer, "peer_name": self.peer_name, "state": self.state,
                "held": self.held, "direct": self.channel is None,
                "channel": self.channel.id if self.channel else None,
                "close_reason": self.close_reason}


class Channel:
    def __init__(self, pbx, tech, name, cid=None):
        self._text = None
        self.pbx = pbx
        self.id = cid or "%d.%d" % (int(time.time()), pbx.next_chan_seq())
        self.tech = tech                # PJSIP | WebSocket | Message
        self.name = name
        self.state = "Down"
        self.protocol_id = ""
        self.caller = {"name": "", "number": ""}
        self.connected = {"name": "", "number": ""}
        self.dialplan = {"context": "default", "exten": "s", "priority": 1, "app_name": "", "app_data": ""}
        self.base_app = ("", "")        # app shown again in ChannelDestroyed
        self.created = time.time()
        self.creationtime = ts(self.created)
        self.vars = {}
        self.endpoint = None            # Endpoint for PJSIP channels
        self.leg = None                 # the phone's Leg for PJSIP channels
        self.stasis_app = None
        self.stasis_args = []
        self.stasis_pending_status = False
        self.bridge = None
        self.dial_out = None            # Dial where this channel is the caller
        self.dial_in = None             # Dial where this channel is the dialed peer
        self.originate = None           # dict(app, args, ...) for originated channels
        self.hold_indicated = False     # chan_pjsip got a HOLD indication (device ONHOLD)
        self.moh = False                # hears music on hold
        self.mute_in = False
        self.mute_out = False
        self.media = None               # MediaState for WebSocket channels
        self.answered_at = None
        self.alive = True
        self.hangup_cause = None

    # What a snapshot shows is cached as JSON text (most events carry the
    # channel's snapshot, and most of them, the ChannelVarsets, do not change
    # it): these attributes and set_dialplan() drop the cached text.

    @property
    def state(self):
        return self._state

    @state.setter
    def state(self, value):
        self._state = value
        self._text = None

    @property
    def protocol_id(self):
        return self._protocol_id

    @protocol_id.setter
    def protocol_id(self, value):
        self._protocol_id = value
        self._text = None

    @property
    def caller(self):
        return self._caller

    @caller.setter
    def caller(self, value):        # a new dict each time, never changed in place
        self._caller = value
        self._text = None

    @property
    def connected(self):
        return self._connected

    @connected.setter
    def connected(self, value):
        self._connected = value
        self._text = None

    def json(self):
        return {"id": self.id, "name": self.name, "state": self.state,
                "protocol_id": self.protocol_id,
                "caller": dict(self.caller), "connected": dict(self.connected),
                "accountcode": "", "dialplan": dict(self.dialplan),
                "creationtime": self.creationtime, "language": "en"}

    def json_text(self):
        """json.dumps(self.json()), cached until the snapshot changes."""
        text = self._text
        if text is None:
            c, n, d = self._caller, self._connected, self.dialplan
            text = self._text = RawJson(
                '{"id": %s, "name": %s, "state": %s, "protocol_id": %s, '
                '"caller": {"name": %s, "number": %s}, "connected": {"name": %s, "number": %s}, '
                '"accountcode": "", "dialplan": {"context": %s, "exten": %s, "priority": %s, '
                '"app_name": %s, "app_data": %s}, "creationtime": %s, "language": "en"}' % (
                    json_str(self.id), json_str(self.name), json_str(self._state),
                    json_str(self._protocol_id), json_str(c["name"]), json_str(c["number"]),
                    json_str(n["name"]), json_str(n["number"]), json_value(d["context"]),
                    json_value(d["exten"]), json_value(d["priority"]), json_value(d["app_name"]),
                    json_value(d["app_data"]), json_str(self.creationtime)))
        return text

    def set_dialplan(self, context=None, exten=None, priority=None, app=None, data=None):
        self._text = None
        if context is not None:
            self.dialplan["context"] = context
        if exten is not None:
            self.dialplan["exten"] = exten
        if priority is not None:
            self.dialplan["priority"] = priority
        if app is not None:
            self.dialplan["app_name"] = app
        if data is not None:
            self.dialplan["app_data"] = data


class Dial:
    """Dial() (or an originate) in progress or answered."""

    def __init__(self, caller, peer, dialstring, kind):
        self.caller = caller            # Channel or None (originate / externalMedia)
        self.peer = peer
        self.dialstring = dialstring
        self.kind = kind                # dialplan | originate | media
        self.started = time.time()
        self.ringing_at = None
        self.answered_at = None
        self.timer = None
        self.done = False


class Bridge:
    def __init__(self, bid=None, name="", bridge_type="mixing", kind="stasis"):
        self.id = bid or new_uuid()
        self.kind = kind                # stasis | basic
        self.bridge_type = bridge_type  # mixing | holding
        if bridge_type == "holding":
            self.technology = "holding_bridge"
        else:
            self.technology = "simple_bridge"
        self.bridge_class = "stasis" if kind == "stasis" else "basic"
        self.creator = "Stasis" if kind == "stasis" else ""
        self.name = name or ""
        self.channels = []
        self.creationtime = ts()
        self.video_mode = "talker" if kind == "stasis" else "none"
        self.alive = True

    def json(self):
        return {"id": self.id, "technology": self.technology, "bridge_type": self.bridge_type,
                "bridge_class": self.bridge_class, "creator": self.creator, "name": self.name,
                "channels": sorted(c.id for c in self.channels), "creationtime": self.creationtime,
                "video_mode": self.video_mode}

    def json_text(self):
        """json.dumps(self.json())."""
        return RawJson(
            '{"id": %s, "technology": %s, "bridge_type": %s, "bridge_class": %s, "creator": %s, '
            '"name": %s, "channels": [%s], "creationtime": %s, "video_mode": %s}' % (
                json_str(self.id), json_str(self.technology), json_str(self.bridge_type),
                json_str(self.bridge_class), json_str(self.creator), json_str(self.name),
                ", ".join([json_str(i) for i in sorted([c.id for c in self.channels])]),
                json_str(self.creationtime), json_str(self.video_mode)))


class App:
    def __init__(self, name):
        self.name = name
        self.name_json = json_str(name)
        self.sockets = []
        self.subscribe_all = False
        self.subs = {"channel": set(), "bridge": set(), "endpoint": set(), "deviceState": set()}
        self.events_allowed = []
        self.events_disallowed = []

    def json(self):
        if self.subscribe_all:
            return {"name": self.name,
                    "channel_ids": ["__AST_CHANNEL_ALL_TOPIC"],
                    "bridge_ids": ["__AST_BRIDGE_ALL_TOPIC"],
                    "endpoint_ids": ["__AST_ENDPOINT_ALL_TOPIC"],
                    "device_names": ["__AST_DEVICE_STATE_ALL_TOPIC"],
                    "events_allowed": self.events_allowed,
                    "events_disallowed": self.events_disallowed}
        return {"name": self.name,
                "channel_ids": sorted(self.subs["channel"]),
                "bridge_ids": sorted(self.subs["bridge"]),
                "endpoint_ids": sorted(self.subs["endpoint"]),
                "device_names": sorted(self.subs["deviceState"]),
                "events_allowed": self.events_allowed,
                "events_disallowed": self.events_disallowed}

    def wants(self, etype, refs):
        """refs: {"channels": [...], "bridges", "endpoints", "devices", "app"},
        or a function that makes it (only called without subscribeAll)."""
        if self.events_allowed and not any(f.get("type") == etype for f in self.events_allowed):
            return False
        if self.events_disallowed and any(f.get("type") == etype for f in self.events_disallowed):
            return False
        if self.subscribe_all:
            return True
        if callable(refs):
            refs = refs()
        for c in refs.get("channels", ()):
            if c in self.subs["channel"]:
                return True
        for b in refs.get("bridges", ()):
            if b in self.subs["bridge"]:
                return True
        for e in refs.get("endpoints", ()):
            if e in self.subs["endpoint"] or e.split("/")[0] in self.subs["endpoint"]:
                return True
        for d in refs.get("devices", ()):
            if d in self.subs["deviceState"]:
                return True
        return refs.get("app") == self.name


class MediaState:
    """chan_websocket's per-channel state (server connection type)."""
    QUEUE_MAX = 1000
    XOFF = 900
    XON = 800

    def __init__(self, channel, fmt, json_mode, app):
        self.channel = channel
        self.connection_id = new_uuid()
        self.fmt = fmt
        self.conv = audio.Converter(fmt)
        self.frame_size = audio.optimal_frame_size(fmt)
        self.json_mode = json_mode
        self.app = app
        self.sink = None                # set by the server when the socket connects
        self.connected = False
        self.queue = collections.deque()    # bytes (slin16 frame) or ("opt", text)
        self.queue_len = 0
        self.queue_full = False
        self.bulk = False
        self.leftover = b""
        self.report_drained = False
        self.paused = False
        self.first_frame = True
        self.gap_until = 0.0
        self.frames_out = 0             # frames sent to the app
        self.frames_in = 0              # frames the app sent
        self.rx = collections.deque(maxlen=250)  # what the app sent, as played (slin16)

    def event_text(self, event, **fields):
        """A control message in the connection's format (plain text or JSON)."""
        import json as _json
        cid = self.channel.id
        if self.json_mode:
            d = {"event": event}
            if event == "MEDIA_START":
                d.update(fields)
            else:
                d["channel_id"] = cid
                d.update(fields)
            return _json.dumps(d, separators=(",", ":"))
        if event == "MEDIA_START":
            return ("MEDIA_START connection_id:%(connection_id)s channel:%(channel)s channel_id:%(channel_id)s "
                    "format:%(format)s optimal_frame_size:%(optimal_frame_size)d ptime:%(ptime)d") % fields
        if event == "STATUS":
            return ("STATUS channel_id:%s queue_length:%d xon_level:%d xoff_level:%d queue_full:%s "
                    "bulk_media:%s media_paused:%s") % (
                cid, fields["queue_length"], fields["xon_level"], fields["xoff_level"],
                "true" if fields["queue_full"] else "false", "true" if fields["bulk_media"] else "false",
                "true" if fields["media_paused"] else "false")
        if event == "DTMF_END":
            return "DTMF_END digit:%s channel_id:%s" % (fields["digit"], cid)
        if event == "ERROR":
            return "ERROR channel_id:%s error_text:%s" % (cid, fields["error_text"])
        if event in ("MEDIA_MARK_PROCESSED", "MEDIA_BUFFERING_COMPLETED"):
            cor = fields.get("correlation_id") or ""
            return event + (" " + cor if cor else "")
        return event


def new_contact(ext):
    return "sip:%s-0x%012x@127.0.0.1:%d" % (ext, random.getrandbits(44) | (0x55 << 40), 5000 + random.randrange(4000))


def phone_call_id():
    return hex_id(16)


def ws_channel_name():
    return "WebSocket/INCOMING/%s" % pointer()

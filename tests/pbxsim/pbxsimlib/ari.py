"""The ARI surface: REST under /ari/ (basic auth), the events WebSocket
/ari/events and the chan_websocket media WebSocket /media/<connection_id>.
Status codes, reason phrases and error bodies are those of the recordings
in ../shared/ari-transcripts/ (06-bad-input in particular)."""

import asyncio
import base64
import json
import struct
import time
import urllib.parse

from aiohttp import WSMsgType, web

from . import audio
from .pbx import AriError
from .routes import match_route
from .util import ASTERISK_VERSION, HANGUP_REASONS, REASON_PHRASES, html_error, ts

SERVER_HEADER = "Asterisk/%s" % ASTERISK_VERSION


def json_response(status, body, reason=None):
    if status in (202, 204) and body is None:
        r = web.Response(status=status, reason=reason or REASON_PHRASES.get(status),
                         headers={"Server": SERVER_HEADER})
        r.pbxsim_no_content_type = True     # Asterisk sends none; see strip_content_type
        return r
    return web.Response(status=status, reason=reason or REASON_PHRASES.get(status, "Unknown"),
                        body=json.dumps(body).encode("utf-8"),
                        headers={"Content-Type": "application/json", "Server": SERVER_HEADER})


async def strip_content_type(request, response):
    if getattr(response, "pbxsim_no_content_type", False):
        response.headers.pop("Content-Type", None)


def html_response(status, reason, text):
    return web.Response(status=status, reason=reason, body=html_error(status, reason, text).encode(),
                        headers={"Content-Type": "text/html", "Server": SERVER_HEADER})


def unauthorized():
    r = json_response(401, {"message": "Authentication required"})
    r.headers["WWW-Authenticate"] = 'Basic realm="Asterisk REST Interface"'
    return r


def is_upgrade(request):
    return request.headers.get("Upgrade", "").lower() == "websocket" and \
        "upgrade" in request.headers.get("Connection", "").lower()


_TEXT_FRAME_SHORT = [bytes((0x81, n)) for n in range(126)]
_pack_medium = struct.Struct("!BBH").pack
_pack_long = struct.Struct("!BBQ").pack


def text_frames(texts):
    """Unmasked WebSocket text frames (server to client, no extension), one
    after the other, as one bytes object."""
    parts = []
    add = parts.append
    for text in texts:
        data = text.encode("utf-8")
        n = len(data)
        if n < 126:
            add(_TEXT_FRAME_SHORT[n])
        elif n < 65536:
            add(_pack_medium(0x81, 126, n))
        else:
            add(_pack_long(0x81, 127, n))
        add(data)
    return b"".join(parts)


class EventSocket:
    """One /ari/events connection: an ordered, non-blocking sender.

    The events of one turn of the loop (a REST request, a phone's action, a
    tick of the scale mode) go out as one write of ready-made text frames to
    the connection's transport: framing each event through aiohttp's writer
    and its own write costs the simulator more than making the event. The
    socket is opened without permessage-deflate (compress=False), so frames
    are plain; aiohttp's own writes on it (pongs, the close frame) are
    single transport writes too, and the order of writes is the order of
    the calls."""

    HIGH_WATER = 8 * 1024 * 1024        # bytes not yet taken by the kernel: wait

    def __init__(self, server, ws, request, names):
        self.server = server
        self.ws = ws
        self.request = request
        self.transport = request.transport
        self.names = names
        self.loop = asyncio.get_event_loop()
        self.pending = []
        self.scheduled = False
        self.closed = False
        self.opened = time.time()
        self.sent = 0

    def enqueue(self, text):
        if self.closed:
            return
        self.pending.append(text)
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self._flush)

    def _flush(self):
        self.scheduled = False
        if not self.pending:
            return
        tr = self.transport
        if self.closed or tr is None or tr.is_closing() or self.ws.closed:
            self.pending = []
            return
        delay = self.server.pbx.faults.events_delay_ms
        if delay:                       # each event delay ms after the one before
            text = self.pending.pop(0)
            self.scheduled = True
            self.loop.call_later(delay / 1000.0, self._send_delayed, text)
            return
        if tr.get_write_buffer_size() > self.HIGH_WATER:
            self.scheduled = True       # the client is slow: let the kernel take it first
            self.loop.call_later(0.005, self._flush)
            return
        texts, self.pending = self.pending, []
        tr.write(text_frames(texts))
        self.sent += len(texts)

    def backlog(self):
        """About how many bytes wait to be sent (here and in the transport)."""
        tr = self.transport
        if self.closed or tr is None or tr.is_closing():
            return 0
        return tr.get_write_buffer_size() + 700 * len(self.pending)

    def _send_delayed(self, text):
        self.scheduled = False
        tr = self.transport
        if self.closed or tr is None or tr.is_closing() or self.ws.closed:
            self.pending = []
            return
        tr.write(text_frames([text]))
        self.sent += 1
        if self.pending:
            self.scheduled = True
            self.loop.call_soon(self._flush)

    def close(self):
        """The socket is gone: nothing more is sent."""
        self.closed = True
        self.pending = []

    def drop(self, mode="abort"):
        if mode == "abort":
            self.close()
            tr = self.request.transport
            if tr is not None:
                tr.abort()
        else:
            if self.scheduled and not self.server.pbx.faults.events_delay_ms:
                self._flush()           # what was published before the close goes first
            self.close()
            asyncio.ensure_future(self.ws.close(code=1001, message=b"pbxsim"))


class MediaSink:
    """The server side of one media WebSocket: ordered text + binary sender."""

    def __init__(self, ws):
        self.ws = ws
        self.queue = asyncio.Queue()
        self.task = asyncio.ensure_future(self._writer())
        self.closed = False

    def send_text(self, text):
        if not self.closed:
            self.queue.put_nowait(("t", text))

    def send_bytes(self, data):
        if not self.closed and self.queue.qsize() < 500:
            self.queue.put_nowait(("b", data))

    def close(self, code=1000):
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(("c", code))

    def abort(self):
        """The TCP connection breaks (a fault for the tests)."""
        self.closed = True
        tr = self.ws._req.transport if getattr(self.ws, "_req", None) is not None else None
        if tr is not None:
            tr.abort()

    async def _writer(self):
        try:
            while True:
                kind, data = await self.queue.get()
                if kind == "t":
                    await self.ws.send_str(data)
                elif kind == "b":
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.close(code=data)
                    break
        except (ConnectionError, RuntimeError, asyncio.CancelledError):
            pass


def _int(params, name, default=None):
    v = params.get(name)
    if v is None or v == "":
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        raise AriError(400, "Invalid parameter %s" % name)


class AriServer:
    def __init__(self, pbx, user, password, log=print):
        self.pbx = pbx
        self.user = user
        self.password = password
        self.log = log
        self.down_until = 0.0

    def add_routes(self, app):
        app.on_response_prepare.append(strip_content_type)
        app.router.add_route("*", "/ari", self.handle)
        app.router.add_route("*", "/ari/{tail:.*}", self.handle)
        app.router.add_route("*", "/media/{conn}", self.handle_media)

    # ---- auth ------------------------------------------------------------------

    def authorized(self, request):
        h = request.headers.get("Authorization", "")
        if h.lower().startswith("basic "):
            try:
                user, _, pw = base64.b64decode(h[6:].strip()).decode("utf-8").partition(":")
            except Exception:
                return False
            return user == self.user and pw == self.password
        key = request.query.get("api_key")
        if key is not None:
            user, _, pw = key.partition(":")
            return user == self.user and pw == self.password
        return False

    # ---- REST ----------------------------------------------------------------------

    async def handle(self, request):
        pbx = self.pbx
        raw = request.raw_path.split("?", 1)[0]
        tail = raw[len("/ari"):].strip("/")
        segments = [urllib.parse.unquote(s) for s in tail.split("/")] if tail else []
        body_text = await request.text() if request.can_read_body else ""
        entry = {"time": time.time(), "method": request.method, "path": request.path,
                 "query": {k: v for k, v in request.query.items()}, "body": None}
        if body_text:
            try:
                entry["body"] = json.loads(body_text)
            except ValueError:
                entry["body"] = body_text
        pbx.requests.append(entry)
        pbx.stats["rest_requests"] += 1
        if time.time() < self.down_until or pbx.faults.drop_rest:
            entry["status"] = None
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=503)
        if pbx.faults.rest_delay_ms:
            await asyncio.sleep(pbx.faults.rest_delay_ms / 1000.0)
        try:
            resp = await self._dispatch(request, segments, body_text)
        except AriError as e:
            resp = json_response(e.status, {e.key: e.message}, e.reason)
        except Exception as e:  # a bug in the simulator: say so like Asterisk would
            import traceback
            traceback.print_exc()
            resp = json_response(500, {"message": "pbxsim internal error: %r" % (e,)})
        pbx.flush_devices()
        entry["status"] = resp.status
        return resp

    async def _dispatch(self, request, segments, body_text):
        if not self.authorized(request):
            return unauthorized()
        matches = match_route(segments)
        if not matches:
            return json_response(404, {"message": "Resource not found"})
        chosen = None
        for method, tmpl, params in matches:
            if method == request.method:
                chosen = (tmpl, params)
                break
        if chosen is None:
            return json_response(405, {"message": "Invalid method"})
        tmpl, path_params = chosen
        if tmpl == "events":
            return await self.events_ws(request)
        params = dict(request.query)
        params.pop("api_key", None)
        body = None
        if body_text.strip():
            try:
                body = json.loads(body_text)
            except ValueError:
                raise AriError(400, "Error parsing request body")
            if isinstance(body, dict):
                for k, v in body.items():
                    if k != "variables" and k not in params:
                        params[k] = v
        handler = getattr(self, "r_" + request.method.lower() + "_" + tmpl.replace("/", "_").replace("{", "").replace("}", ""), None)
        if handler is None:
            return json_response(501, {"message": "Not implemented in pbxsim"})
        res = handler(path_params, params, body if isinstance(body, dict) else {})
        if asyncio.iscoroutine(res):
            res = await res
        if isinstance(res, web.StreamResponse):
            return res
        status, payload = res
        return json_response(status, payload)

    # helpers

    def chan(self, cid, message="Channel not found", reason=None):
        ch = self.pbx.channels.get(cid)
        if ch is None or not ch.alive:
            raise AriError(404, message, reason=reason)
        return ch

    def stasis_chan(self, cid):
        ch = self.chan(cid)
        if not ch.stasis_app:
            raise AriError(409, "Channel not in Stasis application")
        return ch

    def bridge(self, bid):
        b = self.pbx.bridges.get(bid)
        if b is None:
            raise AriError(404, "Bridge not found", reason="Not found")
        return b

    # ---- asterisk --------------------------------------------------------------------

    def r_get_asterisk_info(self, p, q, b):
        return 200, self.pbx.asterisk_info(q.get("only"))

    def r_get_asterisk_ping(self, p, q, b):
        return 200, {"ping": "pong", "timestamp": ts(), "asterisk_id": "00:00:00:00:00:00"}

    def r_get_asterisk_config_dynamic_configClass_objectType_id(self, p, q, b):
        cls, typ, oid = p["configClass"], p["objectType"], p["id"]
        if cls != "res_pjsip":
            raise AriError(404, "Configuration class '%s' not found" % cls)
        if typ not in ("endpoint", "aor"):
            raise AriError(404, "Object type '%s' not found" % typ)
        if oid not in self.pbx.users:
            raise AriError(404, "Object with id '%s' not found" % oid)
        return 200, self.pbx.endpoint_config(oid) if typ == "endpoint" else self.pbx.aor_config(oid)

    def r_get_asterisk_variable(self, p, q, b):
        name = q.get("variable")
        if not name:
            raise AriError(400, "Variable name is required")
        return 200, {"value": self.pbx.global_vars.get(name, "")}

    def r_post_asterisk_variable(self, p, q, b):
        name = q.get("variable")
        if not name:
            raise AriError(400, "Variable name is required")
        self.pbx.global_vars[name] = q.get("value", "")
        return 204, None

    # ---- endpoints -------------------------------------------------------------------

    def _endpoints_sorted(self):
        return sorted(self.pbx.endpoints.values(), key=lambda e: (len(e.ext), e.ext), reverse=True)

    def r_get_endpoints(self, p, q, b):
        return 200, [self.pbx.endpoint_json(e) for e in self._endpoints_sorted()]

    def r_get_endpoints_tech(self, p, q, b):
        if p["tech"].lower() != "pjsip":
            raise AriError(404, "No Endpoints found - invalid tech %s" % p["tech"])
        return 200, [self.pbx.endpoint_json(e) for e in self._endpoints_sorted()]

    def r_get_endpoints_tech_resource(self, p, q, b):
        ep = self.pbx.endpoints.get(p["resource"])
        if p["tech"].lower() != "pjsip" or ep is None:
            raise AriError(404, "Endpoint not found")
        return 200, self.pbx.endpoint_json(ep)

    def r_put_endpoints_tech_resource_sendMessage(self, p, q, b):
        self.pbx.ari_send_message("%s/%s" % (p["tech"], p["resource"]), q.get("from"), q.get("body"),
                                  b.get("variables"))
        return 202, None

    def r_put_endpoints_sendMessage(self, p, q, b):
        to = q.get("to")
        if not to:
            raise AriError(400, "To must be specified")
        self.pbx.ari_send_message(to, q.get("from"), q.get("body"), b.get("variables"))
        return 202, None

    # ---- device states -------------------------------------------------------------------

    def r_get_deviceStates(self, p, q, b):
        return 200, [{"name": n, "state": s} for n, s in self.pbx.device_states.items()]

    def r_get_deviceStates_deviceName(self, p, q, b):
        name = p["deviceName"]
        if name in self.pbx.device_states:
            return 200, {"name": name, "state": self.pbx.device_states[name]}
        if name.startswith("PJSIP/") and name[6:] in self.pbx.endpoints:
            return 200, {"name": name, "state": self.pbx.device_state(name[6:])}
        return 200, {"name": name, "state": "UNKNOWN"}

    VALID_DEVSTATES = {"UNKNOWN", "NOT_INUSE", "INUSE", "BUSY", "INVALID", "UNAVAILABLE", "RINGING",
                       "RINGINUSE", "ONHOLD"}

    def r_put_deviceStates_deviceName(self, p, q, b):
        name = p["deviceName"]
        if not name.startswith("Stasis:"):
            raise AriError(409, "Uncontrolled device specified")
        st = q.get("deviceState")
        if st not in self.VALID_DEVSTATES:
            raise AriError(400, "Invalid device state")
        self.pbx.device_states[name] = st
        self.pbx.devstate_event(name, st)
        return 204, None

    def r_delete_deviceStates_deviceName(self, p, q, b):
        name = p["deviceName"]
        if not name.startswith("Stasis:"):
            raise AriError(409, "Uncontrolled device specified")
        if name not in self.pbx.device_states:
            raise AriError(404, "Device not found")
        del self.pbx.device_states[name]
        self.pbx.devstate_event(name, "UNKNOWN")
        return 204, None

    # ---- applications ------------------------------------------------------------------

    def _app(self, name):
        app = self.pbx.apps.get(name)
        if app is None:
            raise AriError(404, "Application not found")
        return app

    def r_get_applications(self, p, q, b):
        return 200, [a.json() for a in self.pbx.apps.values()]

    def r_get_applications_applicationName(self, p, q, b):
        return 200, self._app(p["applicationName"]).json()

    def _event_source(self, q):
        src = q.get("eventSource")
        if not src:
            raise AriError(400, "Missing parameter eventSource")
        out = []
        for item in str(src).split(","):
            scheme, _, rest = item.partition(":")
            if scheme not in ("channel", "bridge", "endpoint", "deviceState"):
                raise AriError(400, "Invalid event source URI scheme")
            pbx = self.pbx
            exists = {
                "channel": lambda r: r in pbx.channels,
                "bridge": lambda r: r in pbx.bridges,
                "endpoint": lambda r: (r.split("/", 1)[0].upper() == "PJSIP" and
                                       ("/" not in r or r.split("/", 1)[1] in pbx.endpoints)),
                "deviceState": lambda r: True,
            }[scheme](rest)
            if not exists:
                raise AriError(422, "Event source does not exist")
            out.append((scheme, rest))
        return out

    def r_post_applications_applicationName_subscription(self, p, q, b):
        app = self._app(p["applicationName"])
        for scheme, rest in self._event_source(q):
            if not app.subscribe_all:
                app.subs[scheme].add(rest)
        return 200, app.json()

    def r_delete_applications_applicationName_subscription(self, p, q, b):
        app = self._app(p["applicationName"])
        for scheme, rest in self._event_source(q):
            if app.subscribe_all or rest not in app.subs[scheme]:
                raise AriError(422, "Event source was not subscribed to")
            app.subs[scheme].discard(rest)
        return 200, app.json()

    def r_put_applications_applicationName_eventFilter(self, p, q, b):
        app = self._app(p["applicationName"])
        filt = b.get("filter", b) if isinstance(b, dict) else {}
        allowed = filt.get("allowed", [])
        disallowed = filt.get("disallowed", [])
        if not isinstance(allowed, list) or not isinstance(disallowed, list):
            raise AriError(400, "Invalid filter")
        app.events_allowed = allowed
        app.events_disallowed = disallowed
        return 200, app.json()

    # ---- channels --------------------------------------------------------------------------

    def r_get_channels(self, p, q, b):
        return 200, [c.json() for c in self.pbx.channels.values() if c.alive]

    def r_get_channels_channelId(self, p, q, b):
        return 200, self.chan(p["channelId"]).json()

    def _originate(self, q, b, cid=None, create=False):
        endpoint = q.get("endpoint")
        if not endpoint:
            raise AriError(400, "Endpoint must be specified")
        app = q.get("app")
        if not app and not q.get("extension") and not create:
            raise AriError(400, "Application or extension must be specified")
        if create and not app:
            raise AriError(400, "Missing parameter app")
        if "/" not in endpoint:
            raise AriError(400, "Invalid endpoint specified")
        tech, _, resource = endpoint.partition("/")
        cid = cid or q.get("channelId")
        if cid and cid in self.pbx.channels:
            raise AriError(409, "Channel with given unique ID already exists")
        ep = self.pbx.endpoints.get(resource.split("@", 1)[0])
        if tech.upper() != "PJSIP" or ep is None or not ep.registered:
            raise AriError(500, "Allocation failed", key="error")
        args = q.get("appArgs")
        args = [a for a in str(args).split(",")] if args not in (None, "") else []
        timeout = _int(q, "timeout", 30)
        ch, resp = self.pbx.originate(ep, app=app, args=args, caller_id=q.get("callerId"),
                                      timeout=timeout if timeout and timeout > 0 else 30, cid=cid,
                                      context=q.get("context"), exten=q.get("extension"),
                                      priority=q.get("priority"), variables=(b or {}).get("variables"),
                                      create_only=create)
        return 200, resp

    def r_post_channels(self, p, q, b):
        return self._originate(q, b)

    def r_post_channels_channelId(self, p, q, b):
        return self._originate(q, b, cid=p["channelId"])

    def r_post_channels_create(self, p, q, b):
        return self._originate(q, b, create=True)

    def r_post_channels_channelId_dial(self, p, q, b):
        ch = self.stasis_chan(p["channelId"])
        if ch.tech != "PJSIP" or ch.dial_in is not None or ch.state != "Down":
            raise AriError(409, "Channel cannot be dialed.")
        self.pbx.ari_dial(ch, _int(q, "timeout", 30) or 30)
        return 204, None

    def r_delete_channels_channelId(self, p, q, b):
        ch = self.chan(p["channelId"])
        cause = 16
        if q.get("reason_code") not in (None, ""):
            try:
                cause = int(q["reason_code"])
            except ValueError:
                raise AriError(400, "Invalid reason for hangup provided")
        elif q.get("reason") not in (None, ""):
            if q["reason"] not in HANGUP_REASONS:
                raise AriError(400, "Invalid reason for hangup provided")
            cause = HANGUP_REASONS[q["reason"]]
        if ch.tech == "Message":
            return 204, None
        self.pbx.hangup(ch, cause, source="ari")
        return 204, None

    def r_post_channels_channelId_answer(self, p, q, b):
        self.pbx.ari_answer(self.stasis_chan(p["channelId"]))
        return 204, None

    def r_post_channels_channelId_ring(self, p, q, b):
        self.pbx.ari_ring(self.stasis_chan(p["channelId"]))
        return 204, None

    def r_delete_channels_channelId_ring(self, p, q, b):
        self.pbx.ari_ring(self.stasis_chan(p["channelId"]), on=False)
        return 204, None

    def r_post_channels_channelId_progress(self, p, q, b):
        self.stasis_chan(p["channelId"])
        return 204, None

    def r_post_channels_channelId_hold(self, p, q, b):
        self.pbx.ari_hold(self.stasis_chan(p["channelId"]), True)
        return 204, None

    def r_delete_channels_channelId_hold(self, p, q, b):
        self.pbx.ari_hold(self.stasis_chan(p["channelId"]), False)
        return 204, None

    def r_post_channels_channelId_moh(self, p, q, b):
        self.pbx.ari_moh(self.stasis_chan(p["channelId"]), True)
        return 204, None

    def r_delete_channels_channelId_moh(self, p, q, b):
        self.pbx.ari_moh(self.stasis_chan(p["channelId"]), False)
        return 204, None

    def r_post_channels_channelId_silence(self, p, q, b):
        self.stasis_chan(p["channelId"])
        return 204, None

    def r_delete_channels_channelId_silence(self, p, q, b):
        self.stasis_chan(p["channelId"])
        return 204, None

    def _mute(self, p, q, on):
        ch = self.stasis_chan(p["channelId"])
        d = q.get("direction", "both")
        if d not in ("both", "in", "out"):
            raise AriError(400, "Invalid direction specified")
        if d in ("both", "in"):
            ch.mute_in = on
        if d in ("both", "out"):
            ch.mute_out = on
        return 204, None

    def r_post_channels_channelId_mute(self, p, q, b):
        return self._mute(p, q, True)

    def r_delete_channels_channelId_mute(self, p, q, b):
        return self._mute(p, q, False)

    def r_post_channels_channelId_dtmf(self, p, q, b):
        ch = self.chan(p["channelId"])
        digits = q.get("dtmf")
        if not ch.stasis_app:
            raise AriError(409, "Channel not in Stasis application")
        if not digits:
            raise AriError(400, "DTMF is required")
        self.pbx.ari_dtmf(ch, str(digits))
        return 204, None

    def r_post_channels_channelId_redirect(self, p, q, b):
        ch = self.chan(p["channelId"])
        endpoint = q.get("endpoint")
        if not endpoint:
            raise AriError(400, "Endpoint parameter not provided")
        if not ch.stasis_app:
            raise AriError(409, "Channel not in Stasis application")
        tech = endpoint.partition("/")[0]
        if tech.upper() != ch.tech.upper():
            raise AriError(422, "Endpoint is not the same type as the channel")
        self.pbx.ari_redirect(ch, endpoint)
        return 204, None

    def r_post_channels_channelId_continue(self, p, q, b):
        ch = self.chan(p["channelId"])
        if not ch.stasis_app:
            raise AriError(409, "Channel not in Stasis application")
        self.pbx.ari_continue(ch, q.get("context"), q.get("extension"), _int(q, "priority", 1))
        return 204, None

    def r_get_channels_channelId_variable(self, p, q, b):
        ch = self.chan(p["channelId"], "Provided channel was not found", "Channel Not Found")
        name = q.get("variable")
        if not name:
            raise AriError(400, "Variable name is required")
        funcs = {"CALLERID(num)": ch.caller["number"], "CALLERID(name)": ch.caller["name"],
                 "CHANNEL(name)": ch.name, "UNIQUEID": ch.id}
        if name in funcs:
            return 200, {"value": funcs[name]}
        if name not in ch.vars:
            raise AriError(404, "Provided variable was not found")
        return 200, {"value": ch.vars[name]}

    def r_post_channels_channelId_variable(self, p, q, b):
        ch = self.chan(p["channelId"])
        name = q.get("variable")
        if not name:
            raise AriError(400, "Variable name is required")
        self.pbx.varset(ch, name, str(q.get("value", "")))
        return 204, None

    def r_post_channels_externalMedia(self, p, q, b):
        app = q.get("app")
        if not app:
            raise AriError(400, "Missing parameter app")
        transport = q.get("transport") or "udp"
        encapsulation = q.get("encapsulation") or "rtp"
        ctype = q.get("connection_type") or "client"
        fmt = q.get("format")
        if transport == "websocket" and encapsulation != "none":
            raise AriError(400, "encapsulation must be 'none' for websocket transport")
        if ctype == "server" and transport != "websocket":
            raise AriError(400, "'server' connection_type can only be used with the websocket transport")
        if not q.get("external_host") and not (transport == "websocket" and ctype == "server"):
            raise AriError(400, "external_host is required for all but websocket server connections")
        if not fmt:
            raise AriError(400, "Missing parameter format")
        if fmt not in audio.FORMATS:
            raise AriError(500, "An internal error prevented this request from being handled")
        if transport == "websocket" and ctype == "client":
            raise AriError(400, "external_host must be a valid websocket_client connection id.")
        if transport != "websocket":
            raise AriError(501, "pbxsim simulates only transport=websocket connection_type=server")
        cid = q.get("channelId")
        if cid and cid in self.pbx.channels:
            raise AriError(409, "Channel with given unique ID already exists")
        ch, resp = self.pbx.external_media(app, fmt, q.get("transport_data"), cid, b.get("variables"))
        return 200, resp

    # ---- bridges ---------------------------------------------------------------------------

    def r_get_bridges(self, p, q, b):
        return 200, [x.json() for x in self.pbx.bridges.values()]

    def r_get_bridges_bridgeId(self, p, q, b):
        return 200, self.bridge(p["bridgeId"]).json()

    def _create_bridge(self, q, bid=None):
        types = [t.strip() for t in str(q.get("type") or "mixing").split(",") if t.strip()]
        valid = {"mixing", "holding", "dtmf_events", "proxy_media", "video_sfu", "video_single", "sdp_label"}
        if not types or any(t not in valid for t in types):
            raise AriError(500, "Unable to create bridge. Possible duplicate bridge id '(null)'",
                           reason="Internal Error")
        bid = bid or q.get("bridgeId")
        if bid and bid in self.pbx.bridges:
            raise AriError(409, "Bridge with id '%s' already exists" % bid)
        b = self.pbx.create_bridge("holding" if "holding" in types else "mixing", q.get("name") or "", bid)
        return 200, b.json()

    def r_post_bridges(self, p, q, b):
        return self._create_bridge(q)

    def r_post_bridges_bridgeId(self, p, q, b):
        if p["bridgeId"] in self.pbx.bridges:
            return 200, self.pbx.bridges[p["bridgeId"]].json()
        return self._create_bridge(q, p["bridgeId"])

    def r_delete_bridges_bridgeId(self, p, q, b):
        self.pbx.destroy_bridge(self.bridge(p["bridgeId"]))
        return 204, None

    def _bridge_channels(self, p, q):
        bridge = self.bridge(p["bridgeId"])
        ids = q.get("channel")
        if not ids:
            raise AriError(400, "Missing parameter channel")
        chans = []
        for cid in str(ids).split(","):
            ch = self.pbx.channels.get(cid)
            if ch is None or not ch.alive:
                raise AriError(400, "Channel not found")
            chans.append(ch)
        return bridge, chans

    def r_post_bridges_bridgeId_addChannel(self, p, q, b):
        bridge, chans = self._bridge_channels(p, q)
        for ch in chans:
            if not ch.stasis_app:
                raise AriError(422, "Channel not in Stasis application")
        for ch in chans:
            self.pbx.add_to_bridge(bridge, ch)
        return 204, None

    def r_post_bridges_bridgeId_removeChannel(self, p, q, b):
        bridge, chans = self._bridge_channels(p, q)
        for ch in chans:
            if ch.bridge is not bridge:
                raise AriError(422, "Channel not in this bridge")
        for ch in chans:
            self.pbx.remove_from_bridge(bridge, ch)
        return 204, None

    def r_post_bridges_bridgeId_moh(self, p, q, b):
        bridge = self.bridge(p["bridgeId"])
        for ch in bridge.channels:
            self.pbx.ari_moh(ch, True)
        return 204, None

    def r_delete_bridges_bridgeId_moh(self, p, q, b):
        bridge = self.bridge(p["bridgeId"])
        for ch in bridge.channels:
            self.pbx.ari_moh(ch, False)
        return 204, None

    # ---- events WebSocket ---------------------------------------------------------------

    async def events_ws(self, request):
        names = [n for n in request.query.get("app", "").split(",") if n]
        if not names:
            return html_response(400, "Bad Request", "HTTP request is missing param: [app]")
        if not is_upgrade(request):
            return html_response(426, "Upgrade Required", "Upgrade to WebSocket required")
        subscribe_all = request.query.get("subscribeAll", "").lower() in ("true", "yes", "1")
        # no permessage-deflate: Asterisk's WebSocket server does not do it
        ws = web.WebSocketResponse(autoping=True, compress=False)
        await ws.prepare(request)
        sock = EventSocket(self, ws, request, names)
        self.pbx.app_connect(names, sock, subscribe_all)
        self.log("events socket open app=%s subscribeAll=%s" % (",".join(names), subscribe_all))
        try:
            async for _msg in ws:
                pass
        finally:
            self.pbx.app_disconnect(names, sock)
            sock.close()
            self.log("events socket closed app=%s" % ",".join(names))
        return ws

    # ---- media WebSocket ------------------------------------------------------------------

    async def handle_media(self, request):
        conn = request.match_info["conn"]
        ch = self.pbx.media_by_conn.get(conn)
        if ch is None or not ch.alive or ch.media.connected:
            return html_response(404, "Not found", "WebSocket instance not found")
        if not is_upgrade(request):
            return html_response(426, "Upgrade Required", "Upgrade to WebSocket required")
        ws = web.WebSocketResponse(autoping=True, compress=False)
        await ws.prepare(request)
        sink = MediaSink(ws)
        m = ch.media
        m.sink = sink
        self.pbx.start_media_clock()
        ok = self.pbx.media_connected(ch)
        self.pbx.flush_devices()
        if ok:
            sink.send_text(self.pbx.media_start_text(ch))
        else:
            sink.close(1000)
        try:
            async for msg in ws:
                if not ch.alive:
                    break
                if msg.type == WSMsgType.TEXT:
                    self.pbx.media_command(ch, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    self.pbx.media_binary(ch, msg.data)
                self.pbx.flush_devices()
        finally:
            if ch.alive:
                self.pbx.media_closed(ch)
                self.pbx.flush_devices()
            sink.closed = True
            sink.queue.put_nowait(("c", 1000))
        return ws

"""Calls: channels, the dial plan, Dial(), Stasis, originate, externalMedia,
bridges, hold, DTMF, transfers and hangups.  Each method emits the events in
the order the real Asterisk did in ../shared/ari-transcripts/ (see the
comments naming the transcript a sequence comes from)."""

import random
import time

from .objects import Bridge, Channel, Dial, Leg, MediaState, phone_call_id, ws_channel_name
from .util import cause_txt, new_uuid


def _qos_values():
    ssrc, them = random.getrandbits(31), random.getrandbits(31)
    rx, tx = random.randrange(100, 600), random.randrange(100, 600)
    return [
        ("RTPAUDIOQOS", "ssrc=%d;themssrc=%d;lp=0;rxjitter=0.000500;rxcount=%d;txjitter=0.000750;txcount=%d;"
                        "rlp=0;rtt=0.000000;rxmes=88.087887;txmes=88.087887" % (ssrc, them, rx, tx)),
        ("RTPAUDIOQOSJITTER", "minrxjitter=000.000000;maxrxjitter=000.001125;avgrxjitter=000.000639;"
                              "stdevrxjitter=000.000150;mintxjitter=000.000500;maxtxjitter=000.000500;"
                              "avgtxjitter=000.000500;stdevtxjitter=000.000000;"),
        ("RTPAUDIOQOSLOSS", "  minrxlost=000.000000;  maxrxlost=000.000000;  avgrxlost=000.000000;  "
                            "stdevrxlost=000.000000;  mintxlost=000.000000;  maxtxlost=000.000000;  "
                            "avgtxlost=000.000000;  stdevtxlost=000.000000;"),
        ("RTPAUDIOQOSRTT", "     minrtt=000.000000;     maxrtt=000.000000;     avgrtt=000.000000;     "
                           "stdevrtt=000.000000;"),
        ("RTPAUDIOQOSMES", "   minrxmes=088.087887;   maxrxmes=088.087887;   avgrxmes=088.087887;   "
                           "stdevrxmes=000.000000;   mintxmes=088.087887;   maxtxmes=088.087887;   "
                           "avgtxmes=088.087887;   stdevtxmes=000.000000;"),
    ]


DIAL_VARS = ["DIALSTATUS", "DIALEDPEERNUMBER", "DIALEDPEERNAME", "ANSWEREDTIME", "ANSWEREDTIME_MS",
             "DIALEDTIME", "DIALEDTIME_MS", "RINGTIME", "RINGTIME_MS", "PROGRESSTIME", "PROGRESSTIME_MS"]


class CallsMixin:

    # ---- channel life ----------------------------------------------------------

    def _new_pjsip_channel(self, ep, cid=None):
        ch = Channel(self, "PJSIP", "PJSIP/%s-%08x" % (ep.ext, self.next_pjsip_seq()), cid)
        ch.endpoint = ep
        ch.caller = {"name": ep.user.name, "number": ep.ext}
        ch.set_dialplan("internal", "s", 1, "", "")
        self.channels[ch.id] = ch
        ep.channels[ch.id] = ch
        return ch

    def _destroy(self, ch, cause):
        """ChannelDestroyed: the snapshot shows the channel's creating app again."""
        if not ch.alive:
            return
        ch.alive = False
        ch.hangup_cause = cause
        ch.set_dialplan(app=ch.base_app[0], data=ch.base_app[1])
        self.ev_chan("ChannelDestroyed", ch, {"cause": cause, "cause_txt": cause_txt(cause)})
        self.channels.pop(ch.id, None)
        if ch.endpoint is not None:
            ch.endpoint.channels.pop(ch.id, None)
        if ch.tech == "PJSIP":
            self.touch_device(ch.endpoint)
            if ch.leg is not None and ch.leg.state != "closed":
                self._close_leg(ch.leg, cause_txt(cause))
        if ch.tech == "WebSocket":
            self.devstate_event(ch.name, "UNKNOWN")
            m = ch.media
            if m is not None:
                self.media_by_conn.pop(m.connection_id, None)
                if m.sink is not None:
                    m.sink.close(1000)
        app = ch.stasis_app
        if app and app in self.apps and not self.apps[app].sockets and \
                not any(c.stasis_app == app for c in self.channels.values()):
            del self.apps[app]

    def _close_leg(self, leg, reason):
        leg.state = "closed"
        leg.close_reason = reason
        leg.closed = time.time()
        legs = leg.endpoint.legs
        closed = [l for l in legs if l.state == "closed"]
        for old in closed[:-20]:
            legs.remove(old)
        if leg.direct_peer is not None and leg.direct_peer.state != "closed":
            self._close_leg(leg.direct_peer, "Connection reset by peer")

    def _hangup_request(self, ch, cause, soft=False):
        extra = {"cause": cause}
        if soft:
            extra["soft"] = True
        self.ev_chan("ChannelHangupRequest", ch, extra, order="cause_first")

    def _qos(self, ch, peer=None):
        for name, value in _qos_values():
            self.varset(ch, name, value)
            if peer is not None and peer.alive:
                self.varset(peer, name + "BRIDGED", value)

    def _bridge_peer(self, ch):
        b = ch.bridge
        if b is None or len(b.channels) != 2:
            return None
        return b.channels[0] if b.channels[1] is ch else b.channels[1]

    def _set_state(self, ch, state):
        if ch.state != state:
            ch.state = state
            self.ev_chan("ChannelStateChange", ch)
            if ch.tech == "PJSIP":
                self.touch_device(ch.endpoint)

    def _dial_event(self, dial, status, dialstring=None):
        fields = {"dialstatus": status, "forward": "",
                  "dialstring": dial.dialstring if dialstring is None else dialstring}
        if dial.caller is not None:
            fields["caller"] = dial.caller.json_text()
        fields["peer"] = dial.peer.json_text()
        self.event("Dial", fields, lambda: self._chan_refs(dial.peer, dial.caller))

    def _dialplan_step(self, ch, context, exten, priority, app, data):
        ch.set_dialplan(context, exten, priority, app, data)
        self.ev_chan("ChannelDialplan", ch, {"dialplan_app": app, "dialplan_app_data": data})

    # ---- phones dialing: the dial plan (02, 03) --------------------------------------

    def phone_dial(self, from_ext, to):
        """A phone dials `to`.  Returns the caller's Leg."""
        ep = self.endpoints[from_ext]
        leg = Leg(ep, "outgoing", to)
        ep.legs.append(leg)
        if to not in self.users:
            # chan_pjsip answers 404 before any channel exists
            leg.state = "closed"
            leg.close_reason = "404 Not Found"
            leg.closed = time.time()
            return leg
        target = self.users[to]
        leg.peer_name = target.name
        ch = self._new_pjsip_channel(ep)
        ch.state = "Ring"
        ch.set_dialplan("internal", to, 1)
        ch.leg = leg
        leg.channel = ch
        self.ev_chan("ChannelCreated", ch)
        ch.protocol_id = phone_call_id()
        self.varset(ch, "SIPDOMAIN", "127.0.0.1")
        self.touch_device(ep)
        self._run_internal(ch, to)
        self.flush_devices()
        return leg

    def _run_internal(self, ch, exten):
        app = self.stasis_app_for(exten)
        if app:
            caller = '"%s" <%s>' % (ch.caller["name"], ch.caller["number"])
            self._dialplan_step(ch, "internal", exten, 1, "NoOp",
                                "Call for %s from %s goes to Stasis" % (exten, caller))
            self._dialplan_step(ch, "internal", exten, 2, "Stasis", "%s,incoming" % app)
            self._enter_stasis(ch, app, ["incoming"])
        else:
            self._dialplan_step(ch, "internal", exten, 1, "NoOp", "Internal call to %s" % exten)
            self._dialplan_step(ch, "internal", exten, 2, "Dial", "PJSIP/%s,30" % exten)
            self._dial(ch, exten)

    def _enter_stasis(self, ch, app, args):
        if not self.app_registered(app):
            self.varset(ch, "STASISSTATUS", "FAILED")
            self._pbx_end(ch, 16)
            return False
        ch.stasis_app = app
        ch.stasis_args = list(args)
        self.varset(ch, "STASISSTATUS", "")
        self.ev_chan("StasisStart", ch, {"args": list(args)})
        return True

    def _pbx_end(self, ch, cause):
        """The dial plan ran out of priorities: the channel is hung up."""
        self._destroy(ch, cause)

    # ---- Dial() ------------------------------------------------------------------

    def _dial(self, a, exten, context_kind="dialplan"):
        """Dial(PJSIP/exten,30) from channel a (02-call-101-102, 04c)."""
        for v in DIAL_VARS:
            self.varset(a, v, "")
        ep = self.endpoints.get(exten)
        if ep is None or not ep.registered:
            self.varset(a, "DIALSTATUS", "CHANUNAVAIL")
            self._pbx_end(a, 20)
            return
        b = self._new_pjsip_channel(ep)
        b.base_app = ("AppDial", "(Outgoing Line)")
        self.ev_chan("ChannelCreated", b)
        b.protocol_id = new_uuid()
        dial = Dial(a, b, exten, "dialplan")
        a.dial_out = dial
        b.dial_in = dial
        self.varset(b, "DIALEDPEERNUMBER", exten)
        b.connected = dict(a.caller)
        self._dialplan_step(b, "internal", exten, 1, "AppDial", "(Outgoing Line)")
        self.ev_chan("ChannelConnectedLine", b)
        self._dial_event(dial, "")
        # the INVITE reaches the phone
        leg = Leg(ep, "incoming", a.caller["number"], b)
        leg.peer_name = a.caller["name"]
        ep.legs.append(leg)
        b.leg = leg
        dial.timer = self.later(self.dial_timeout_s, self._dial_timeout, dial)
        # 180 Ringing
        a.connected = dict(b.caller)
        self.ev_chan("ChannelConnectedLine", a)
        self._set_state(b, "Ringing")
        dial.ringing_at = time.time()
        self.varset(a, "RINGTIME", "0")
        self.varset(a, "RINGTIME_MS", str(int((dial.ringing_at - dial.started) * 1000)))
        self._dial_event(dial, "RINGING", "")
        if a.leg is not None and a.leg.state == "dialing":
            a.leg.state = "ringing"
        self.touch_device(a.endpoint)
        self.touch_device(ep)
        self.flush_devices()
        self._maybe_auto_answer(leg)

    def _maybe_auto_answer(self, leg):
        ep = leg.endpoint
        if ep.answermode != "auto":
            return
        if ep.answer_delay_ms > 0:
            self.later(ep.answer_delay_ms / 1000.0, self._auto_answer, leg)
        else:
            self.phone_answer(leg)

    def _auto_answer(self, leg):
        if leg.state == "incoming":
            self.phone_answer(leg)

    def _dial_answered(self, dial):
        a, b = dial.caller, dial.peer
        if dial.timer:
            dial.timer.cancel()
        now = time.time()
        dial.answered_at = now
        b.answered_at = now
        self._set_state(b, "Up")
        self.varset(a, "DIALSTATUS", "ANSWER")
        self.varset(a, "DIALEDPEERNAME", b.name)
        self.varset(a, "DIALEDPEERNUMBER", dial.dialstring)
        b.set_dialplan(exten="")
        self._dial_event(dial, "ANSWER", "")
        if a.state != "Up":
            a.answered_at = now
            self._set_state(a, "Up")
        if a.leg is not None and a.leg.state in ("dialing", "ringing"):
            a.leg.state = "established"
            a.leg.answered = now
        bridge = Bridge(kind="basic")
        self.bridges[bridge.id] = bridge
        self.ev_bridge("BridgeCreated", bridge)
        self.touch_device(a.endpoint)
        self.touch_device(b.endpoint)
        self.flush_devices()
        self.ev_chan("ChannelDialplan", b, {"dialplan_app": "AppDial", "dialplan_app_data": "(Outgoing Line)"})
        self._enter_bridge(b, bridge)
        self._enter_bridge(a, bridge)
        for _ in range(3):
            self._bridgepeer_round(bridge)
        bridge.technology = "native_rtp"      # no event: only snapshots change (02)

    def _dial_failed(self, dial, cause, status):
        """The dialed phone answered busy / declined, or nobody answered."""
        a, b = dial.caller, dial.peer
        if dial.timer:
            dial.timer.cancel()
        dial.done = True
        if status != "NOANSWER":
            self._hangup_request(b, cause)
        if a is not None:
            self._dial_event(dial, status, "")
        else:
            self._dial_event(dial, status)
        self._destroy(b, cause)
        if a is not None:
            self.varset(a, "DIALSTATUS", status)
            a.dial_out = None
            self._pbx_end(a, cause)
        self.flush_devices()

    def _dial_timeout(self, dial):
        if dial.done or dial.answered_at or not dial.peer.alive:
            return
        if dial.peer.leg is not None and dial.peer.leg.state == "incoming":
            self._close_leg(dial.peer.leg, "no answer")
        self._dial_failed(dial, 19, "NOANSWER")

    # ---- phones: answer / reject / hangup / hold / dtmf --------------------------------

    def phone_answer(self, leg):
        if leg.state != "incoming":
            return False
        now = time.time()
        if leg.channel is None:                 # direct (REFER) call
            leg.state = "established"
            leg.answered = now
            if leg.direct_peer is not None:
                leg.direct_peer.state = "established"
                leg.direct_peer.answered = now
            return True
        ch = leg.channel
        leg.state = "established"
        leg.answered = now
        dial = ch.dial_in
        if dial is None:
            return True
        if dial.kind == "dialplan":
            self._dial_answered(dial)
        else:
            self._originate_answered(ch)
        self.flush_devices()
        return True

    def phone_reject(self, leg, cause=17):
        if leg.state != "incoming":
            return False
        if leg.channel is None:
            self._close_leg(leg, "rejected")
            return True
        ch = leg.channel
        self._close_leg(leg, "rejected")
        dial = ch.dial_in
        status = "BUSY" if cause == 17 else "CONGESTION"
        if dial is not None:
            self._dial_failed(dial, cause, status)
        else:
            self._destroy(ch, cause)
        self.flush_devices()
        return True

    def phone_hangup(self, leg):
        if leg.state == "closed":
            return False
        if leg.channel is None:
            self._close_leg(leg, "Connection reset by user")
            return True
        ch = leg.channel
        if leg.state == "incoming":
            return self.phone_reject(leg, 17)
        self._close_leg(leg, "Connection reset by user")
        self.hangup(ch, 16, source="phone")
        self.flush_devices()
        return True

    def phone_hold(self, leg, hold=True):
        """The phone sends a re-INVITE a=sendonly / a=sendrecv (02, 03)."""
        if leg.state not in ("established",) or leg.held == hold:
            return False
        leg.held = hold
        ch = leg.channel
        if ch is None:
            return True
        if hold:
            self.ev_chan("ChannelHold", ch, {"musicclass": "default"})
        else:
            self.ev_chan("ChannelUnhold", ch)
        b = ch.bridge
        if b is not None:
            self._bridgepeer_round(b)
            for other in b.channels:
                if other is not ch and other.tech == "PJSIP":
                    other.hold_indicated = hold
                    other.moh = hold
                    self.touch_device(other.endpoint)
        self.flush_devices()
        return True

    def phone_dtmf(self, leg, digits, duration_ms=180):
        ch = leg.channel
        if leg.state != "established":
            return False
        for d in digits:
            if ch is None:
                if leg.direct_peer is not None:
                    leg.direct_peer.endpoint.dtmf_received.append(d)
                continue
            if ch.stasis_app:
                self.ev_chan("ChannelDtmfReceived", ch, {"digit": d, "duration_ms": int(duration_ms)})
            b = ch.bridge
            if b is not None:
                for other in b.channels:
                    if other is ch:
                        continue
                    self.deliver_dtmf(other, d)
        return True

    def deliver_dtmf(self, ch, digit):
        """DTMF written to a channel: a phone hears it, chan_websocket sends DTMF_END."""
        if ch.tech == "PJSIP" and ch.endpoint is not None:
            ch.endpoint.dtmf_received.append(digit)
        elif ch.tech == "WebSocket" and ch.media is not None:
            m = ch.media
            m.gap_until = time.time() + 0.2
            if m.sink is not None:
                m.sink.send_text(m.event_text("DTMF_END", digit=digit))

    # ---- hangup ----------------------------------------------------------------------

    def hangup(self, ch, cause, source="ari"):
        """Hang up a channel.  source: phone | ari | media (the app closed the media socket)."""
        if not ch.alive:
            return
        if ch.stasis_app:
            self._hangup_stasis(ch, cause, source)
            return
        dial_out, dial_in = ch.dial_out, ch.dial_in
        if dial_in is not None and dial_in.answered_at and dial_in.caller is not None:
            self._end_basic_call(ch, dial_in.caller, cause, source, hanger_is_caller=False)
        elif dial_out is not None and dial_out.answered_at:
            self._end_basic_call(ch, dial_out.peer, cause, source, hanger_is_caller=True)
        elif dial_out is not None and not dial_out.done:
            self._cancel_dial(ch, dial_out, cause, source)
        elif dial_in is not None and not dial_in.answered_at and not dial_in.done:
            # ringing peer hung up by ARI, or originate cancelled
            if source == "ari":
                self._hangup_request(ch, 32, soft=True)
            else:
                self._hangup_request(ch, cause)
            dial_in.done = True
            if dial_in.timer:
                dial_in.timer.cancel()
            if dial_in.caller is not None:
                self._dial_event(dial_in, "CANCEL" if source == "ari" else "BUSY", "")
                self._destroy(ch, cause)
                a = dial_in.caller
                self.varset(a, "DIALSTATUS", "CANCEL" if source == "ari" else "BUSY")
                a.dial_out = None
                self._pbx_end(a, cause)
            else:
                self._dial_event(dial_in, "CANCEL")
                self._destroy(ch, cause)
        else:
            if source == "ari":
                self._hangup_request(ch, 32, soft=True)
            else:
                self._hangup_request(ch, cause)
            if ch.bridge is not None:
                self._leave_bridge(ch)
            self._destroy(ch, cause)
        self.flush_devices()

    def _hangup_stasis(self, ch, cause, source):
        """03 (ARI DELETE of the caller and of the externalMedia channel), 04a (phone hangup)."""
        peer = self._bridge_peer(ch)
        if ch.tech == "PJSIP" and ch.state == "Up":
            self._qos(ch, peer)
        if source == "ari":
            self._hangup_request(ch, 32, soft=True)
        else:
            self._hangup_request(ch, cause)
        if ch.bridge is not None:
            self._leave_bridge(ch)
        if ch.dial_in is not None and not ch.dial_in.done and ch.dial_in.timer:
            ch.dial_in.timer.cancel()
        self.ev_chan("StasisEnd", ch)
        self.varset(ch, "STASISSTATUS", "SUCCESS")
        if source == "ari" and ch.tech == "PJSIP":
            self._hangup_request(ch, cause, soft=True)
        self._destroy(ch, cause)
        self.flush_devices()

    def _cancel_dial(self, a, dial, cause, source):
        b = dial.peer
        if source == "ari":
            self._hangup_request(a, 32, soft=True)
        else:
            self._hangup_request(a, cause)
        dial.done = True
        if dial.timer:
            dial.timer.cancel()
        self._dial_event(dial, "CANCEL", "")
        if b.leg is not None and b.leg.state != "closed":
            self._close_leg(b.leg, "cancelled")
        self._destroy(b, 16)
        self.varset(a, "DIALSTATUS", "CANCEL")
        a.dial_out = None
        self._destroy(a, cause)

    def _end_basic_call(self, hanger, other, cause, source, hanger_is_caller):
        """A two-party dial plan call ends (02: the caller hangs up; 04c: the callee)."""
        a = hanger if hanger_is_caller else other
        b = other if hanger_is_caller else hanger
        bridge = hanger.bridge
        self._qos(hanger, other if bridge is not None and other.bridge is bridge else None)
        if source == "ari":
            self._hangup_request(hanger, 32, soft=True)
        else:
            self._hangup_request(hanger, cause)
        if bridge is not None:
            for c in (hanger, other):
                if c.bridge is bridge:
                    self.varset(c, "BRIDGEPEER", "")
                    self.varset(c, "BRIDGEPVTCALLID", "")
            self._leave_bridge(hanger, clear_vars=False)
        dial = a.dial_out

        def dial_times():
            now = time.time()
            ans = dial.answered_at if dial and dial.answered_at else now
            self.varset(a, "ANSWEREDTIME", str(int(now - ans)))
            self.varset(a, "ANSWEREDTIME_MS", str(int((now - ans) * 1000)))
            start = dial.started if dial else now
            self.varset(a, "DIALEDTIME", str(int(now - start)))
            self.varset(a, "DIALEDTIME_MS", str(int((now - start) * 1000)))
            self.varset(a, "DIALSTATUS", "ANSWER")
            if a.stasis_pending_status:
                a.stasis_pending_status = False
                self.varset(a, "STASISSTATUS", "SUCCESS")

        if hanger_is_caller:
            dial_times()
            self._hangup_request(a, cause, soft=True)
            qos = _qos_values()
            if bridge is not None and b.bridge is bridge:
                self._leave_bridge(b, clear_vars=False)
            self.varset(b, qos[0][0], qos[0][1])
            if bridge is not None and bridge.alive:
                self._destroy_bridge_object(bridge)
            for name, value in qos[1:]:
                self.varset(b, name, value)
            a.dial_out = None
            self._destroy(a, cause)
            self.flush_devices()
            b.dial_in = None
            self._destroy(b, cause)
        else:
            b.dial_in = None
            self._destroy(b, cause)
            if bridge is not None and a.bridge is bridge:
                self._leave_bridge(a, clear_vars=False)
            dial_times()
            if bridge is not None and bridge.alive:
                self._destroy_bridge_object(bridge)
            self.flush_devices()
            self._qos(a)
            a.dial_out = None
            self._destroy(a, cause)
        self.flush_devices()

    # ---- Stasis operations (REST) ---------------------------------------------------

    def ari_answer(self, ch):
        if ch.state == "Up":
            return
        ch.answered_at = time.time()
        self._set_state(ch, "Up")
        if ch.leg is not None and ch.leg.state in ("dialing", "ringing"):
            ch.leg.state = "established"
            ch.leg.answered = ch.answered_at
        self.flush_devices()

    def ari_ring(self, ch, on=True):
        if ch.leg is not None and ch.leg.state == "dialing" and on:
            ch.leg.state = "ringing"
        self.touch_device(ch.endpoint)
        self.flush_devices()

    def ari_hold(self, ch, hold=True):
        """03: 204, no ChannelHold event, the phone hears music on hold, its device is ONHOLD."""
        ch.hold_indicated = hold
        ch.moh = hold
        if ch.tech == "PJSIP":
            self.touch_device(ch.endpoint)
        self.flush_devices()

    def ari_moh(self, ch, on=True):
        ch.moh = on or ch.hold_indicated

    def ari_dtmf(self, ch, digits):
        for d in digits:
            self.deliver_dtmf(ch, d)

    def ari_continue(self, ch, context, exten, priority):
        """04c: StasisEnd, then the dial plan at context/exten/priority."""
        if ch.bridge is not None:
            self._leave_bridge(ch)
        self.ev_chan("StasisEnd", ch)
        app = ch.stasis_app
        ch.stasis_app = None
        ch.stasis_pending_status = True
        context = context or ch.dialplan["context"]
        exten = exten or ch.dialplan["exten"]
        if context == "transfer" and exten in self.users:
            self._dialplan_step(ch, "transfer", exten, 1, "NoOp", "Transfer to %s" % exten)
            self._dialplan_step(ch, "transfer", exten, 2, "Dial", "PJSIP/%s,30" % exten)
            self._dial(ch, exten, "transfer")
        elif context == "internal" and exten in self.users and int(priority or 1) == 1:
            self._run_internal(ch, exten)
        else:
            # nothing to run there: the channel leaves the dial plan and hangs up
            ch.set_dialplan(context, exten, int(priority or 1))
            self.varset(ch, "STASISSTATUS", "SUCCESS")
            ch.stasis_pending_status = False
            self._destroy(ch, 16)
        if app and app in self.apps and not self.apps[app].sockets and \
                not any(c.stasis_app == app for c in self.channels.values()):
            del self.apps[app]
        self.flush_devices()

    def ari_redirect(self, ch, endpoint):
        """04a/b: a SIP REFER to the phone of the channel; no ARI event at all."""
        tech, _, target = endpoint.partition("/")
        if ch.leg is None:
            return
        if target in self.endpoints and self.endpoints[target].registered:
            # (a) Refer-To is the target's registered contact: the two phones talk directly
            src = ch.leg.endpoint
            dst = self.endpoints[target]
            out = Leg(src, "outgoing", dst.contact_uri)
            inc = Leg(dst, "incoming", "sip:%s@127.0.0.1" % src.ext)
            inc.peer_name = src.user.name
            out.direct_peer, inc.direct_peer = inc, out
            out.state = "ringing"
            src.legs.append(out)
            dst.legs.append(inc)
            self.direct_legs.update((out, inc))
            self._maybe_auto_answer(inc)
        # (b) a URI towards the PBX itself: the recorded phone (baresip) gave up
        #     after a 401 challenge, so nothing happens.

    # ---- originate (04) ------------------------------------------------------------

    def originate(self, ep, app=None, args=None, caller_id=None, timeout=30, cid=None,
                  context=None, exten=None, priority=None, variables=None, create_only=False):
        from .util import parse_callerid
        ch = self._new_pjsip_channel(ep, cid)
        ch.base_app = ("AppDial2", "(Outgoing Line)")
        self.ev_chan("ChannelCreated", ch)
        ch.protocol_id = new_uuid()
        ch.originate = {"app": app, "args": list(args or []), "context": context, "exten": exten,
                        "priority": priority}
        for k, v in (variables or {}).items():
            ch.vars[k] = str(v)
        name, num = parse_callerid(caller_id) if caller_id else ("", "")
        ch.set_dialplan(app="AppDial2", data="(Outgoing Line)")
        self.ev_chan("ChannelDialplan", ch, {"dialplan_app": "AppDial2", "dialplan_app_data": "(Outgoing Line)"})
        if caller_id:
            ch.caller = {"name": name, "number": num}
            self.ev_chan("ChannelCallerId", ch, {"caller_presentation": 0,
                                                 "caller_presentation_txt": "Presentation Allowed, Not Screened"})
            ch.connected = {"name": name, "number": num}
            self.ev_chan("ChannelConnectedLine", ch)
        response = ch.json()
        if create_only:
            ch.stasis_app = app
            ch.stasis_args = list(args or [])
            self.varset(ch, "STASISSTATUS", "")
            self.ev_chan("StasisStart", ch, {"args": list(args or [])})
            return ch, response
        self._originate_dial(ch, timeout)
        return ch, response

    def _originate_dial(self, ch, timeout):
        ep = ch.endpoint
        dial = Dial(None, ch, ep.ext, "originate")
        ch.dial_in = dial
        self._dial_event(dial, "")
        leg = Leg(ep, "incoming", ch.caller["number"] or "anonymous", ch)
        leg.peer_name = ch.caller["name"]
        ep.legs.append(leg)
        ch.leg = leg
        self._set_state(ch, "Ringing")
        dial.ringing_at = time.time()
        self._dial_event(dial, "RINGING")
        self.flush_devices()
        dial.timer = self.later(float(timeout or 30), self._dial_timeout, dial)
        self._maybe_auto_answer(leg)

    def ari_dial(self, ch, timeout=30):
        """POST /channels/{id}/dial for a channel made with /channels/create."""
        self._originate_dial(ch, timeout)

    def _originate_answered(self, ch):
        dial = ch.dial_in
        if dial.timer:
            dial.timer.cancel()
        dial.answered_at = ch.answered_at = time.time()
        self._set_state(ch, "Up")
        self._dial_event(dial, "ANSWER")
        self.touch_device(ch.endpoint)
        self.flush_devices()
        o = ch.originate or {}
        if ch.stasis_app:                       # /channels/create + dial
            return
        if o.get("app"):
            app = o["app"]
            ch.set_dialplan(app="Stasis", data=",".join([app] + o["args"]))
            self._enter_stasis(ch, app, o["args"])
        else:
            context = o.get("context") or "internal"
            exten = o.get("exten") or "s"
            ch.set_dialplan(context, exten, int(o.get("priority") or 1))
            if context in ("internal", "transfer") and exten in self.users:
                if context == "transfer":
                    self._dialplan_step(ch, "transfer", exten, 1, "NoOp", "Transfer to %s" % exten)
                    self._dialplan_step(ch, "transfer", exten, 2, "Dial", "PJSIP/%s,30" % exten)
                    self._dial(ch, exten)
                else:
                    self._run_internal(ch, exten)
            else:
                self._destroy(ch, 1)

    # ---- externalMedia (03, 04) -------------------------------------------------------

    def external_media(self, app, fmt, transport_data=None, cid=None, variables=None):
        ch = Channel(self, "WebSocket", ws_channel_name(), cid)
        ch.base_app = ("AppDial2", "(Outgoing Line)")
        json_mode = bool(transport_data and "json" in transport_data)
        m = MediaState(ch, fmt, json_mode, app)
        ch.media = m
        self.channels[ch.id] = ch
        self.ev_chan("ChannelCreated", ch)
        for k, v in (variables or {}).items():
            ch.vars[k] = str(v)
        self.varset(ch, "MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE", str(m.frame_size))
        self.varset(ch, "MEDIA_WEBSOCKET_CONNECTION_ID", m.connection_id)
        self._dialplan_step(ch, "default", "s", 1, "AppDial2", "(Outgoing Line)")
        dialstring = "INCOMING" + ("/" + transport_data if transport_data else "")
        dial = Dial(None, ch, dialstring, "media")
        ch.dial_in = dial
        self._dial_event(dial, "")
        self.media_by_conn[m.connection_id] = ch
        resp = ch.json()
        resp["channelvars"] = {"MEDIA_WEBSOCKET_CONNECTION_ID": m.connection_id,
                               "MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE": str(m.frame_size)}
        return ch, resp

    def media_connected(self, ch):
        """The app connected /media/<id>: answer, then Stasis (03, 04)."""
        m = ch.media
        m.connected = True
        ch.answered_at = time.time()
        self._set_state(ch, "Up")
        dial = ch.dial_in
        if dial is not None:
            dial.answered_at = ch.answered_at
            self._dial_event(dial, "ANSWER")
        self.devstate_event(ch.name, "UNKNOWN")
        ch.set_dialplan(app="Stasis", data=m.app)
        if not self._enter_stasis(ch, m.app, []):
            return False
        return True

    def media_start_text(self, ch):
        m = ch.media
        fields = {"connection_id": m.connection_id, "channel": ch.name, "channel_id": ch.id,
                  "format": m.fmt, "optimal_frame_size": m.frame_size, "ptime": 20}
        if m.json_mode:
            cv = {"MEDIA_WEBSOCKET_CONNECTION_ID": m.connection_id,
                  "MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE": str(m.frame_size)}
            fields["channel_variables"] = cv
        return m.event_text("MEDIA_START", **fields)

    def media_closed(self, ch):
        """The app closed the media socket: chan_websocket hangs the channel up."""
        if ch.alive:
            ch.media.sink = None
            self.hangup(ch, 16, source="media")

    # ---- bridges ---------------------------------------------------------------------

    def create_bridge(self, bridge_type, name, bid=None):
        b = Bridge(bid, name, bridge_type, "stasis")
        self.bridges[b.id] = b
        self.ev_bridge("BridgeCreated", b)
        return b

    def _enter_bridge(self, ch, bridge):
        bridge.channels.append(ch)
        ch.bridge = bridge
        if len(bridge.channels) > 2 and bridge.kind == "stasis":
            bridge.technology = "softmix"
        self.ev_chan("ChannelEnteredBridge", ch, {"bridge": bridge.json_text()})
        if ch.media is not None:
            ch.media.first_frame = True

    def _bridgepeer_round(self, bridge):
        chans = list(bridge.channels)
        if len(chans) < 2:
            return
        # the caller-side (first to be the Dial caller / first added) goes first
        order = sorted(chans, key=lambda c: 0 if c.dial_out is not None else 1) if bridge.kind == "basic" else chans
        for c in order:
            others = [o for o in chans if o is not c]
            self.varset(c, "BRIDGEPEER", ",".join(o.name for o in others))
            if len(others) == 1 and others[0].protocol_id:
                self.varset(c, "BRIDGEPVTCALLID", others[0].protocol_id)

    def add_to_bridge(self, bridge, ch):
        """POST /bridges/{id}/addChannel (03, 04)."""
        if ch.bridge is bridge:
            return
        if ch.bridge is not None:
            self._leave_bridge(ch)
        self._enter_bridge(ch, bridge)
        if len(bridge.channels) == 2:
            self._bridgepeer_round(bridge)
            c0, c1 = bridge.channels
            changed = []
            for c, other in ((ch, c0 if ch is c1 else c1), (c0 if ch is c1 else c1, ch)):
                if c.connected != other.caller:
                    c.connected = dict(other.caller)
                    changed.append(c)
            for c in changed:
                self.ev_chan("ChannelConnectedLine", c)
            self._bridgepeer_round(bridge)
        elif len(bridge.channels) > 2:
            self._bridgepeer_round(bridge)

    def _leave_bridge(self, ch, clear_vars=True):
        bridge = ch.bridge
        if bridge is None:
            return
        if clear_vars:
            if ch.vars.get("BRIDGEPEER"):
                self.varset(ch, "BRIDGEPEER", "")
            if ch.vars.get("BRIDGEPVTCALLID"):
                self.varset(ch, "BRIDGEPVTCALLID", "")
        bridge.channels.remove(ch)
        ch.bridge = None
        self.ev_chan("ChannelLeftBridge", ch, {"bridge": bridge.json_text()})
        for other in bridge.channels:
            if ch.tech == "PJSIP" and ch.leg is not None and ch.leg.held and other.tech == "PJSIP":
                other.hold_indicated = False
                other.moh = False
                self.touch_device(other.endpoint)

    def remove_from_bridge(self, bridge, ch):
        self._leave_bridge(ch)
        self.flush_devices()

    def _destroy_bridge_object(self, bridge):
        bridge.alive = False
        self.bridges.pop(bridge.id, None)
        self.ev_bridge("BridgeDestroyed", bridge)

    def destroy_bridge(self, bridge):
        for ch in list(bridge.channels):
            self._leave_bridge(ch)
        self._destroy_bridge_object(bridge)
        self.flush_devices()

#!/usr/bin/python3
"""Unit tests of pbxsim's control API (/sim/...) and of the PBX behaviour it
drives: registration events, call states, hangup causes, tones and their
measurement, Stasis + externalMedia audio, messages, faults, the request log,
restart, the demo and scale modes, TLS, and the answers to bad control
requests."""

import asyncio
import base64
import collections
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import aiohttp  # noqa: E402

from simctl import Sim, SimError  # noqa: E402

APP = "offhook-test"


class Loop:
    """An asyncio loop in a thread, for WebSocket clients in sync tests."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


class WsClient:
    """Collects what a WebSocket sends (events or media) in a background loop."""

    def __init__(self, loop, url, auth=None):
        self.loop = loop
        self.items = []             # (time, kind, data)
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.close_code = None
        self.session = None
        self.ws = None
        loop.run(self._open(url, auth))

    async def _open(self, url, auth):
        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(url, auth=auth, autoping=True)
        asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            async for msg in self.ws:
                with self.lock:
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        self.items.append((time.time(), "text", msg.data))
                    elif msg.type == aiohttp.WSMsgType.BINARY:
                        self.items.append((time.time(), "binary", msg.data))
        finally:
            self.close_code = self.ws.close_code
            self.closed.set()

    def texts(self):
        with self.lock:
            return [d for _, k, d in self.items if k == "text"]

    def frames(self):
        with self.lock:
            return [(t, d) for t, k, d in self.items if k == "binary"]

    def events(self):
        out = []
        for t in self.texts():
            try:
                out.append(json.loads(t))
            except ValueError:
                out.append({"type": "<unparsable>", "raw": t})
        return out

    def wait(self, pred, timeout=5.0, what="event"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events():
                if pred(e):
                    return e
            time.sleep(0.01)
        raise AssertionError("timed out waiting for %s; got %s" % (
            what, [e.get("type") for e in self.events()][-30:]))

    def send_text(self, text):
        self.loop.run(self.ws.send_str(text))

    def send_bytes(self, data):
        self.loop.run(self.ws.send_bytes(data))

    def close(self):
        async def _close():
            if not self.ws.closed:
                await self.ws.close()
            await self.session.close()
        try:
            self.loop.run(_close())
        except Exception:
            pass


def tone_frame(hz, index, size=640, amplitude=8000):
    n = size // 2
    return struct.pack("<%dh" % n, *(int(amplitude * math.sin(2 * math.pi * hz * (index * n + k) / 16000))
                                     for k in range(n)))


class SimTestCase(unittest.TestCase):
    sim_args = []
    users = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pbxsim-test-")
        self.sim = Sim.start(users=self.users, extra_args=self.sim_args, tmpdir=self.tmp,
                             stasis={"100": APP})
        self.loop = Loop()
        self.clients = []
        self._failed = True

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.loop.stop()
        ok = all(not e for _, e in getattr(self._outcome, "errors", [])) if hasattr(self._outcome, "errors") \
            else True
        self.sim.stop(dump_log=not ok)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def events(self, app=APP, subscribe_all=True):
        url = "%s/ari/events?app=%s%s" % (self.sim.ws_url, app, "&subscribeAll=true" if subscribe_all else "")
        c = WsClient(self.loop, url, aiohttp.BasicAuth(self.sim.ari_user, self.sim.ari_password))
        self.clients.append(c)
        # the app is registered once the socket is up
        self.sim.wait_for(lambda: any(a["name"] == app for a in self.sim.state()["apps"]), what="app registered")
        return c

    def media(self, connection_id):
        c = WsClient(self.loop, "%s/media/%s" % (self.sim.ws_url, connection_id))
        self.clients.append(c)
        return c

    def assertHttpError(self, status, fn, *args, **kw):
        with self.assertRaises(SimError) as cm:
            fn(*args, **kw)
        self.assertEqual(cm.exception.status, status, cm.exception.body)
        return cm.exception.body


class RegistrationTest(SimTestCase):
    def test_register_and_unregister_emit_the_recorded_events(self):
        ev = self.events()
        self.assertEqual(self.sim.ari("GET", "/endpoints/PJSIP/101")["state"], "offline")
        r = self.sim.register("101")
        self.assertTrue(r["changed"])
        ev.wait(lambda e: e["type"] == "DeviceStateChanged" and e["device_state"]["name"] == "PJSIP/101")
        got = [(e["type"], e.get("contact_info", {}).get("contact_status") or e.get("peer", {}).get("peer_status")
                or e.get("device_state", {}).get("state"), e.get("endpoint", {}).get("state")) for e in ev.events()]
        self.assertEqual(got, [("ContactStatusChange", "NonQualified", "offline"),
                               ("PeerStatusChange", "Reachable", "online"),
                               ("ContactStatusChange", "Reachable", "online"),
                               ("DeviceStateChanged", "NOT_INUSE", None)])
        for e in ev.events():
            self.assertEqual(e["application"], APP)
            self.assertEqual(e["asterisk_id"], "00:00:00:00:00:00")
            self.assertRegex(e["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
        self.assertEqual(self.sim.ari("GET", "/endpoints/PJSIP/101")["state"], "online")
        self.assertFalse(self.sim.register("101")["changed"], "re-registering changes nothing")
        n = len(ev.events())
        self.sim.unregister("101")
        ev.wait(lambda e: e["type"] == "ContactStatusChange" and e["contact_info"]["contact_status"] == "Removed")
        types = sorted(e["type"] for e in ev.events()[n:])
        self.assertEqual(types, ["ContactStatusChange", "DeviceStateChanged", "PeerStatusChange"])
        dsc = [e for e in ev.events()[n:] if e["type"] == "DeviceStateChanged"][0]
        self.assertEqual(dsc["device_state"]["state"], "UNAVAILABLE")
        self.assertEqual(self.sim.ari("GET", "/endpoints/PJSIP/101")["state"], "offline")

    def test_users_can_be_added_and_removed(self):
        u = self.sim.add_user("150", "Zoe Zimmer", "+15550150", "zoe@example.com", register=True)
        self.assertEqual(u["name"], "Zoe Zimmer")
        eps = {e["resource"]: e["state"] for e in self.sim.ari("GET", "/endpoints")}
        self.assertEqual(eps["150"], "online")
        cfg = {a["attribute"]: a["value"] for a in self.sim.ari("GET", "/asterisk/config/dynamic/res_pjsip/endpoint/150")}
        self.assertEqual(cfg["callerid"], '"Zoe Zimmer" <150>')
        self.assertHttpError(409, self.sim.add_user, "150", "Again")
        self.sim.remove_user("150")
        self.assertNotIn("150", [e["resource"] for e in self.sim.ari("GET", "/endpoints")])
        self.assertHttpError(404, self.sim.remove_user, "150")


class CallTest(SimTestCase):
    def setUp(self):
        super().setUp()
        self.ev = self.events()
        self.sim.register("101", tone_hz=440)
        self.sim.register("102", tone_hz=1000)

    def chan_states(self):
        return sorted((c["name"].split("-")[0], c["state"]) for c in self.sim.ari("GET", "/channels"))

    def test_call_walks_down_ringing_up_and_hangs_up_normally(self):
        call = self.sim.call("101", "102")
        self.assertEqual(call["state"], "ringing")
        self.assertEqual(self.chan_states(), [("PJSIP/101", "Ring"), ("PJSIP/102", "Ringing")])
        p102 = self.sim.phone("102")
        self.assertEqual([c["state"] for c in p102["calls"]], ["incoming"])
        self.assertEqual(p102["calls"][0]["peer"], "101")
        self.assertEqual(p102["device_state"], "RINGING")
        self.sim.answer("102")
        self.assertEqual(self.chan_states(), [("PJSIP/101", "Up"), ("PJSIP/102", "Up")])
        self.assertEqual(self.sim.call_info(call["call"])["state"], "established")
        bridges = self.sim.ari("GET", "/bridges")
        self.assertEqual(len(bridges), 1)
        self.assertEqual(bridges[0]["bridge_class"], "basic")
        self.assertEqual(len(bridges[0]["channels"]), 2)
        # the phones hear each other
        self.sim.wait_for(lambda: (self.sim.audio("102", 300)["dominant_hz"] or 0) > 0, what="audio at 102")
        time.sleep(0.35)
        self.assertAlmostEqual(self.sim.audio("102", 300)["dominant_hz"], 440, delta=5)
        self.assertAlmostEqual(self.sim.audio("101", 300)["dominant_hz"], 1000, delta=5)
        self.sim.tone("101", 700)
        time.sleep(0.35)
        self.assertAlmostEqual(self.sim.audio("102", 300)["dominant_hz"], 700, delta=5)
        # phone hold: ChannelHold, the other phone's device is ONHOLD and it hears music on hold
        self.sim.hold("101")
        self.ev.wait(lambda e: e["type"] == "ChannelHold")
        self.ev.wait(lambda e: e["type"] == "DeviceStateChanged" and e["device_state"] == {"name": "PJSIP/102", "state": "ONHOLD"})
        time.sleep(0.35)
        self.assertAlmostEqual(self.sim.audio("102", 300)["dominant_hz"], 425, delta=5)
        self.sim.unhold("101")
        self.ev.wait(lambda e: e["type"] == "ChannelUnhold")
        self.sim.dtmf("101", "7#")
        self.assertEqual(self.sim.phone("102")["dtmf_received"], "7#")
        self.sim.hangup("101")
        d = self.ev.wait(lambda e: e["type"] == "ChannelDestroyed" and e["channel"]["name"].startswith("PJSIP/102"))
        self.assertEqual((d["cause"], d["cause_txt"]), (16, "Normal Clearing"))
        self.assertEqual(self.sim.ari("GET", "/channels"), [])
        self.assertEqual(self.sim.ari("GET", "/bridges"), [])
        self.assertEqual(self.sim.call_info(call["call"])["state"], "closed")
        self.ev.wait(lambda e: e["type"] == "DeviceStateChanged" and e["device_state"] == {"name": "PJSIP/101", "state": "NOT_INUSE"})

    def test_busy_and_rejected_hangup_causes(self):
        for how, cause, txt in (("busy", 17, "User busy"), ("rejected", 21, "Call Rejected")):
            n = len(self.ev.events())
            call = self.sim.call("101", "102")
            self.sim.reject("102", cause=how)
            d = self.ev.wait(lambda e: e["type"] == "ChannelDestroyed" and e["channel"]["name"].startswith("PJSIP/101")
                             and e in self.ev.events()[n:])
            self.assertEqual((d["cause"], d["cause_txt"]), (cause, txt))
            self.assertEqual(self.sim.call_info(call["call"])["state"], "closed")
            self.assertEqual(self.sim.ari("GET", "/channels"), [])

    def test_call_to_an_unregistered_phone_fails(self):
        call = self.sim.call("101", "103")
        self.assertEqual(call["state"], "closed")
        d = self.ev.wait(lambda e: e["type"] == "ChannelDestroyed")
        self.assertEqual(d["cause"], 20)
        varset = [e for e in self.ev.events() if e["type"] == "ChannelVarset" and e["variable"] == "DIALSTATUS"]
        self.assertEqual(varset[-1]["value"], "CHANUNAVAIL")

    def test_caller_cancels_while_ringing(self):
        call = self.sim.call("101", "102")
        self.sim.hangup(call["call"])
        self.ev.wait(lambda e: e["type"] == "Dial" and e["dialstatus"] == "CANCEL")
        self.assertEqual(self.sim.ari("GET", "/channels"), [])
        self.assertEqual(self.sim.phone("102")["calls"], [])

    def test_auto_answer(self):
        self.sim.register("103", answermode="auto")
        call = self.sim.call("101", "103")
        self.assertEqual(call["state"], "established")


class NoAnswerTest(SimTestCase):
    sim_args = ["--dial-timeout", "0.3"]

    def test_nobody_answers(self):
        ev = self.events()
        self.sim.register("101")
        self.sim.register("102")
        call = self.sim.call("101", "102")
        d = ev.wait(lambda e: e["type"] == "Dial" and e["dialstatus"] == "NOANSWER", timeout=3)
        self.assertEqual(d["peer"]["name"].split("-")[0], "PJSIP/102")
        destroyed = ev.wait(lambda e: e["type"] == "ChannelDestroyed" and e["channel"]["name"].startswith("PJSIP/101"))
        self.assertEqual((destroyed["cause"], destroyed["cause_txt"]), (19, "User alerting, no answer"))
        self.assertEqual(self.sim.call_info(call["call"])["state"], "closed")


class StasisMediaTest(SimTestCase):
    def test_incoming_call_to_the_app_with_external_media(self):
        ev = self.events()
        self.sim.register("101", tone_hz=500)
        call = self.sim.call("101", "100")
        start = ev.wait(lambda e: e["type"] == "StasisStart")
        self.assertEqual(start["args"], ["incoming"])
        cid = start["channel"]["id"]
        self.sim.ari("POST", "/channels/%s/ring" % cid)
        self.assertEqual(self.sim.call_info(call["call"])["state"], "ringing")
        self.sim.ari("POST", "/channels/%s/answer" % cid)
        self.assertEqual(self.sim.call_info(call["call"])["state"], "established")
        em = self.sim.ari("POST", "/channels/externalMedia", {"app": APP, "transport": "websocket",
                                                              "encapsulation": "none", "connection_type": "server",
                                                              "format": "slin16"})
        conn = em["channelvars"]["MEDIA_WEBSOCKET_CONNECTION_ID"]
        self.assertEqual(em["channelvars"]["MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"], "640")
        self.assertEqual(em["state"], "Down")
        bridge = self.sim.ari("POST", "/bridges", {"type": "mixing", "name": "t"})
        self.sim.ari("POST", "/bridges/%s/addChannel" % bridge["id"], {"channel": cid})
        with self.assertRaises(SimError) as cm:
            self.sim.ari("POST", "/bridges/%s/addChannel" % bridge["id"], {"channel": em["id"]})
        self.assertEqual((cm.exception.status, cm.exception.body), (422, {"message": "Channel not in Stasis application"}))
        m = self.media(conn)
        ev.wait(lambda e: e["type"] == "StasisStart" and e["channel"]["id"] == em["id"])
        self.sim.ari("POST", "/bridges/%s/addChannel" % bridge["id"], {"channel": em["id"]})
        self.sim.wait_for(lambda: len(m.frames()) >= 30, what="30 media frames")
        texts = m.texts()
        self.assertTrue(texts[0].startswith("MEDIA_START connection_id:%s channel:WebSocket/INCOMING/0x" % conn), texts[0])
        self.assertIn("format:slin16 optimal_frame_size:640 ptime:20", texts[0])
        frames = m.frames()
        self.assertTrue(all(len(f) == 640 for _, f in frames))
        self.assertFalse(any(frames[0][1]), "the first frame is silence")
        sys.path.insert(0, HERE)
        from pbxsimlib import audio
        hz, _ = audio.analyse(b"".join(f for _, f in frames[1:30]))
        self.assertAlmostEqual(hz, 500, delta=5, msg="the app hears the caller's tone")
        gaps = [b[0] - a[0] for a, b in zip(frames[1:], frames[2:])]
        self.assertAlmostEqual(sum(gaps) / len(gaps), 0.020, delta=0.004)
        # the app speaks 1000 Hz: the phone hears it
        for i in range(25):
            m.send_bytes(tone_frame(1000, i))
            time.sleep(0.02)
        self.assertAlmostEqual(self.sim.audio("101", 300)["dominant_hz"], 1000, delta=5)
        m.send_text("GET_STATUS")
        self.sim.wait_for(lambda: any(t.startswith("STATUS ") for t in m.texts()), what="STATUS")
        # DTMF from the phone: ARI event and DTMF_END on the media socket
        self.sim.dtmf("101", "5")
        dt = ev.wait(lambda e: e["type"] == "ChannelDtmfReceived")
        self.assertEqual((dt["digit"], dt["channel"]["id"]), ("5", cid))
        self.sim.wait_for(lambda: "DTMF_END digit:5 channel_id:%s" % em["id"] in m.texts(), what="DTMF_END")
        # DTMF from the app to the phone
        self.sim.ari("POST", "/channels/%s/dtmf" % cid, {"dtmf": "12#"})
        self.assertEqual(self.sim.phone("101")["dtmf_received"], "12#")
        # ARI hold: no ChannelHold, device ONHOLD, the phone hears music on hold
        self.sim.ari("POST", "/channels/%s/hold" % cid)
        ev.wait(lambda e: e["type"] == "DeviceStateChanged" and e["device_state"] == {"name": "PJSIP/101", "state": "ONHOLD"})
        time.sleep(0.35)
        self.assertAlmostEqual(self.sim.audio("101", 300)["dominant_hz"], 425, delta=5)
        self.assertFalse([e for e in ev.events() if e["type"] == "ChannelHold"])
        self.sim.ari("DELETE", "/channels/%s/hold" % cid)
        # hang up everything
        self.sim.ari("DELETE", "/channels/%s" % cid, {"reason": "normal"})
        self.sim.ari("DELETE", "/channels/%s" % em["id"])
        self.assertTrue(m.closed.wait(3))
        self.assertEqual(m.close_code, 1000)
        self.assertEqual(self.sim.call_info(call["call"])["state"], "closed")

    def test_json_media_control_and_queue(self):
        self.events()
        em = self.sim.ari("POST", "/channels/externalMedia", {"app": APP, "transport": "websocket",
                                                              "encapsulation": "none", "connection_type": "server",
                                                              "format": "slin16", "transport_data": "f(json)"})
        m = self.media(em["channelvars"]["MEDIA_WEBSOCKET_CONNECTION_ID"])
        self.sim.wait_for(lambda: m.texts(), what="MEDIA_START")
        start = json.loads(m.texts()[0])
        self.assertEqual(start["event"], "MEDIA_START")
        self.assertEqual(start["channel_variables"]["MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"], "640")
        m.send_text("GET_STATUS")
        self.sim.wait_for(lambda: len(m.texts()) >= 2, what="ERROR")
        self.assertEqual(json.loads(m.texts()[1])["error_text"], "Unable to parse JSON command")
        m.send_text('{"command": "START_MEDIA_BUFFERING"}')
        m.send_bytes(b"".join(tone_frame(1200, i) for i in range(10)) + b"\x00" * 100)
        m.send_text('{"command": "MARK_MEDIA", "correlation_id": "m1"}')
        m.send_text('{"command": "STOP_MEDIA_BUFFERING", "correlation_id": "b1"}')
        m.send_text('{"command": "REPORT_QUEUE_DRAINED"}')
        m.send_text('{"command": "GET_STATUS"}')
        st = json.loads(self.sim.wait_for(lambda: [t for t in m.texts() if '"STATUS"' in t], what="STATUS")[0])
        # 10 frames and a padded partial one; playing starts at once, so on a
        # loaded machine a frame or two may be gone before GET_STATUS is read.
        self.assertIn(st["queue_length"], (9, 10, 11))
        self.sim.wait_for(lambda: any('"QUEUE_DRAINED"' in t for t in m.texts()), timeout=3, what="QUEUE_DRAINED")
        names = [json.loads(t)["event"] for t in m.texts()]
        self.assertEqual(names[-3:], ["MEDIA_MARK_PROCESSED", "MEDIA_BUFFERING_COMPLETED", "QUEUE_DRAINED"])
        # flow control: past 900 queued frames MEDIA_XOFF, below 800 MEDIA_XON
        m.send_bytes(b"\x00" * 640 * 905)
        self.sim.wait_for(lambda: any('"MEDIA_XOFF"' in t for t in m.texts()), what="MEDIA_XOFF")
        m.send_text('{"command": "FLUSH_MEDIA"}')
        self.sim.wait_for(lambda: any('"MEDIA_XON"' in t for t in m.texts()), what="MEDIA_XON")
        m.send_text('{"command": "HANGUP"}')
        self.assertTrue(m.closed.wait(3))
        self.assertEqual(m.close_code, 1000)

    def test_originate_enters_stasis_only_when_answered(self):
        ev = self.events()
        self.sim.register("102")
        ch = self.sim.ari("POST", "/channels", {"endpoint": "PJSIP/102", "app": APP, "appArgs": "outgoing,x",
                                               "callerId": '"Alice Anders" <100>'})
        self.assertEqual(ch["caller"], {"name": "Alice Anders", "number": "100"})
        ev.wait(lambda e: e["type"] == "ChannelStateChange" and e["channel"]["state"] == "Ringing")
        time.sleep(0.1)
        self.assertFalse([e for e in ev.events() if e["type"] == "StasisStart"])
        ring = self.sim.phone("102")["calls"][0]
        self.assertEqual((ring["state"], ring["peer"], ring["peer_name"]), ("incoming", "100", "Alice Anders"))
        self.sim.answer("102")
        st = ev.wait(lambda e: e["type"] == "StasisStart")
        self.assertEqual(st["args"], ["outgoing", "x"])
        self.assertEqual(st["channel"]["id"], ch["id"])
        # blind transfer with continue: 103 rings with Alice's caller id
        self.sim.register("103")
        self.sim.ari("POST", "/channels/%s/continue" % ch["id"], {"context": "transfer", "extension": "103"})
        ev.wait(lambda e: e["type"] == "StasisEnd")
        ring = self.sim.phone("103")["calls"][0]
        self.assertEqual((ring["state"], ring["peer_name"]), ("incoming", "Alice Anders"))
        self.sim.answer("103")
        self.assertEqual(self.sim.ari("GET", "/bridges")[0]["bridge_class"], "basic")

    def test_originate_rejected(self):
        ev = self.events()
        self.sim.register("102")
        ch = self.sim.ari("POST", "/channels", {"endpoint": "PJSIP/102", "app": APP})
        self.sim.reject("102")
        d = ev.wait(lambda e: e["type"] == "ChannelDestroyed")
        self.assertEqual((d["channel"]["id"], d["cause"]), (ch["id"], 17))
        self.assertFalse([e for e in ev.events() if e["type"] == "StasisStart"])


class MessageTest(SimTestCase):
    def test_messages_between_phones_and_from_ari(self):
        ev = self.events()
        self.sim.register("101")
        self.sim.register("102")
        r = self.sim.message("101", "102", "Hi Carol")
        self.assertTrue(r["delivered"])
        t = ev.wait(lambda e: e["type"] == "TextMessageReceived")
        self.assertEqual(t["endpoint"]["resource"], "101", "endpoint is the sender")
        self.assertEqual(t["message"]["to"], "pjsip:102@127.0.0.1")
        self.assertEqual(t["message"]["body"], "Hi Carol")
        self.assertEqual(self.sim.messages("102")[0]["from"], '"Bob Brown" <sip:101@127.0.0.1>')
        self.sim.message("101", "100", "to the app")
        ev.wait(lambda e: e["type"] == "TextMessageReceived" and e["message"]["to"] == "pjsip:100@127.0.0.1")
        self.assertIn("Message/ast_msg_queue", [c["name"] for c in self.sim.ari("GET", "/channels")])
        self.sim.request("PUT", "/ari/endpoints/PJSIP/101/sendMessage?from=100&body=hello", body={"variables": {"X-Id": "7"}},
                         auth=True)
        got = self.sim.messages("101")[-1]
        self.assertEqual((got["from"], got["body"], got["headers"]), ("<sip:100@127.0.0.1>", "hello", {"X-Id": "7"}))
        with self.assertRaises(SimError) as cm:
            self.sim.request("PUT", "/ari/endpoints/PJSIP/103/sendMessage?from=100&body=x", auth=True)
        self.assertEqual((cm.exception.status, cm.exception.body), (404, {"message": "Endpoint not found"}))


class FaultTest(SimTestCase):
    def test_rest_delay_and_drop(self):
        self.sim.faults(rest_delay_ms=300)
        t = time.time()
        self.sim.ari("GET", "/asterisk/ping")
        self.assertGreaterEqual(time.time() - t, 0.29)
        self.sim.faults(rest_delay_ms=0, drop_rest=True)
        with self.assertRaises((urllib.error.URLError, ConnectionError, OSError)):
            self.sim.ari("GET", "/asterisk/ping")
        self.sim.clear_faults()
        self.assertEqual(self.sim.ari("GET", "/asterisk/ping")["ping"], "pong")

    def test_event_faults(self):
        ev = self.events()
        self.sim.faults(corrupt_next_events=1)
        self.sim.register("101")
        time.sleep(0.2)
        self.assertEqual(ev.events()[0]["type"], "<unparsable>")
        self.assertEqual(len(ev.events()), 4)
        self.sim.faults(duplicate_next=1)
        self.sim.unregister("101")
        time.sleep(0.2)
        self.assertEqual(len(ev.events()), 8)
        self.assertEqual(ev.events()[4], ev.events()[5])
        n = len(ev.events())
        self.sim.faults(reorder_next=1)
        self.sim.register("102")
        time.sleep(0.2)
        got = [e["type"] for e in ev.events()[n:]]
        self.assertEqual(got[:2], ["PeerStatusChange", "ContactStatusChange"], "the first two events swapped")
        r = self.sim.faults(inject_raw="not json at all")
        self.assertEqual(r["injected"], 1)
        self.sim.wait_for(lambda: "not json at all" in ev.texts(), what="injected text")

    def test_drop_events_and_restart(self):
        ev = self.events()
        self.sim.register("101")
        self.sim.register("102")
        self.sim.call("101", "102")
        self.assertEqual(self.sim.drop_events()["dropped"], 1)
        self.assertTrue(ev.closed.wait(3), "the events socket went away")
        before = self.sim.ari("GET", "/asterisk/info")["status"]["startup_time"]
        time.sleep(0.01)
        self.sim.restart()
        after = self.sim.ari("GET", "/asterisk/info")["status"]["startup_time"]
        self.assertNotEqual(before, after)
        self.assertEqual(self.sim.ari("GET", "/channels"), [])
        self.assertEqual(self.sim.ari("GET", "/applications"), [])
        self.assertEqual(self.sim.phone("101")["calls"], [])
        self.assertEqual(self.sim.ari("GET", "/endpoints/PJSIP/101")["state"], "online", "contacts survive a restart")
        self.sim.restart(down_ms=400)
        with self.assertRaises((urllib.error.URLError, ConnectionError, OSError)):
            self.sim.ari("GET", "/asterisk/ping")
        time.sleep(0.45)
        self.assertEqual(self.sim.ari("GET", "/asterisk/ping")["ping"], "pong")


    def test_events_delay(self):
        ev = self.events()
        self.sim.faults(events_delay_ms=150)
        t0 = time.time()
        self.sim.register("101")
        ev.wait(lambda e: e["type"] == "DeviceStateChanged", timeout=5, what="the fourth event")
        with ev.lock:
            times = [t for t, kind, _ in ev.items if kind == "text"]
        self.assertEqual(len(times), 4)
        self.assertGreaterEqual(times[0] - t0, 0.14)
        for a, b in zip(times, times[1:]):
            self.assertGreaterEqual(b - a, 0.14, "each event 150 ms after the one before")
        self.sim.faults(events_delay_ms=0)


class EventSocketTest(SimTestCase):
    def upgrade(self, extra_headers=""):
        """A raw upgrade of /ari/events: (status line and headers, socket)."""
        sock = socket.create_connection(("127.0.0.1", self.sim.port), 5)
        auth = base64.b64encode(("%s:%s" % (self.sim.ari_user, self.sim.ari_password)).encode()).decode()
        sock.sendall(("GET /ari/events?app=%s&subscribeAll=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Basic %s\r\n%s\r\n"
                      % (APP, auth, extra_headers)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            self.assertTrue(chunk, "the server closed the connection")
            head += chunk
        text, _, rest = head.partition(b"\r\n\r\n")
        return text.decode(), sock, rest

    def read_frames(self, sock, buf, n, timeout=5):
        """n WebSocket frames: [(opcode, payload)]; checks they are unmasked."""
        frames = []
        deadline = time.time() + timeout
        while len(frames) < n:
            while len(buf) >= 2:
                b0, b1 = buf[0], buf[1]
                self.assertEqual(b1 & 0x80, 0, "server frames are not masked")
                size, off = b1 & 0x7f, 2
                if size == 126:
                    if len(buf) < 4:
                        break
                    size, off = struct.unpack("!H", buf[2:4])[0], 4
                elif size == 127:
                    if len(buf) < 10:
                        break
                    size, off = struct.unpack("!Q", buf[2:10])[0], 10
                if len(buf) < off + size:
                    break
                frames.append((b0, buf[off:off + size]))
                buf = buf[off + size:]
            if len(frames) >= n:
                break
            self.assertLess(time.time(), deadline, "timed out reading frames")
            sock.settimeout(max(0.1, deadline - time.time()))
            chunk = sock.recv(65536)
            self.assertTrue(chunk, "the server closed the connection")
            buf += chunk
        return frames

    def test_no_deflate_and_plain_text_frames(self):
        """Asterisk's WebSocket server does not do permessage-deflate: an
        offer of it is not taken up, and events are plain final text frames
        of the JSON text json.dumps() writes."""
        head, sock, rest = self.upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
        try:
            self.assertTrue(head.startswith("HTTP/1.1 101"), head)
            self.assertNotIn("sec-websocket-extensions", head.lower())
            self.sim.wait_for(lambda: any(a["name"] == APP for a in self.sim.state()["apps"]),
                              what="app registered")
            self.sim.register("101")
            self.sim.register("102", answermode="auto")
            self.sim.call("101", "102")
            frames = self.read_frames(sock, rest, 40)
            for opcode, payload in frames:
                self.assertEqual(opcode, 0x81, "FIN + text, no RSV bit (no compression)")
                text = payload.decode("utf-8")
                ev = json.loads(text)
                self.assertEqual(json.dumps(ev), text, "the layout json.dumps() writes")
                self.assertEqual((ev["asterisk_id"], ev["application"]), ("00:00:00:00:00:00", APP))
            self.assertEqual([json.loads(p)["type"] for _, p in frames[:4]],
                             ["ContactStatusChange", "PeerStatusChange", "ContactStatusChange",
                              "DeviceStateChanged"])
        finally:
            sock.close()

    def test_snapshots_are_what_rest_shows(self):
        """The events' channel snapshots (cached as text) and REST's channel
        list agree, whatever changed the channel in between."""
        ev = self.events()
        self.sim.register("101")
        self.sim.register("102")
        call = self.sim.call("101", "102")
        self.sim.answer("102")
        self.sim.hold("101")
        self.sim.unhold("101")
        time.sleep(0.2)
        last = {}
        for e in ev.events():
            if "channel" in e:
                last[e["channel"]["id"]] = e["channel"]
            for key in ("caller", "peer"):
                if key in e and e["type"] == "Dial":
                    last[e[key]["id"]] = e[key]
        rest = {c["id"]: c for c in self.sim.ari("GET", "/channels")}
        self.assertEqual(len(rest), 2)
        for cid, snap in rest.items():
            self.assertEqual(last[cid], snap)
        self.assertEqual(rest[call["channel"]]["state"], "Up")


class RequestLogTest(SimTestCase):
    def test_every_ari_request_is_logged(self):
        self.sim.clear_requests()
        self.sim.ari("GET", "/channels")
        with self.assertRaises(SimError):
            self.sim.ari("POST", "/channels", body={"endpoint": "PJSIP/102"})
        reqs = self.sim.requests()
        self.assertEqual([(r["method"], r["path"], r["status"]) for r in reqs],
                         [("GET", "/ari/channels", 200), ("POST", "/ari/channels", 400)])
        self.assertEqual(reqs[1]["body"], {"endpoint": "PJSIP/102"})
        self.assertHttpError(401, self.sim.request, "GET", "/ari/endpoints?x=1")
        self.assertEqual(self.sim.requests()[-1]["query"], {"x": "1"})
        self.assertEqual(self.sim.requests()[-1]["status"], 401)
        self.sim.clear_requests()
        self.assertEqual(self.sim.requests(), [])


class BadControlRequestTest(SimTestCase):
    def test_bad_requests(self):
        s = self.sim
        self.assertIn("error", self.assertHttpError(400, s.request, "POST", "/sim/calls", b"{not json"))
        self.assertHttpError(400, s.post, "/sim/calls", {"from": "101"})
        self.assertHttpError(404, s.call, "999", "101")
        self.assertHttpError(409, s.call, "101", "102")         # 101 is not registered
        self.assertHttpError(404, s.register, "999")
        self.assertHttpError(400, s.register, "101", answermode="sometimes")
        self.assertHttpError(404, s.call_info, "c999999")
        self.assertHttpError(404, s.get, "/sim/nonsense")
        self.assertHttpError(400, s.tone, "101", -5)
        self.assertHttpError(400, s.post, "/sim/phones/101/tone", {"freq": "loud"})
        self.assertHttpError(409, s.answer, "101")              # nothing rings
        s.register("101")
        s.register("102")
        call = s.call("101", "102")
        self.assertHttpError(409, s.hold, call["call"])          # not answered yet
        self.assertHttpError(400, s.reject, "102", cause="because")
        s.answer("102")
        self.assertHttpError(400, s.dtmf, "101", "12x")
        self.assertHttpError(404, s.post, "/sim/calls/%s/explode" % call["call"])
        self.assertHttpError(400, s.faults, no_such_fault=1)
        self.assertHttpError(400, s.faults, rest_delay_ms=-1)
        self.assertHttpError(400, s.post, "/sim/events/drop", {"mode": "gently"})
        self.assertHttpError(404, s.post, "/sim/messages", {"from": "101", "to": "999", "body": "x"})
        self.assertEqual(s.hangup("103"), {"extension": "103", "hung_up": []})
        self.assertTrue(s.get("/sim")["routes"])

    def test_state_and_stats(self):
        st = self.sim.state()
        self.assertEqual(sorted(st), ["apps", "bridges", "channels", "device_states", "endpoints", "media",
                                      "startup_time"])
        self.assertEqual([e["extension"] for e in st["endpoints"]], ["100", "101", "102", "103"])
        self.assertEqual(st["endpoints"][0]["app"], APP)
        before = self.sim.stats()["events_total"]
        self.sim.register("101")
        self.assertEqual(self.sim.stats()["events_total"], before + 4)


class ModesTest(unittest.TestCase):
    def test_scale_mode_reaches_its_rate(self):
        with Sim.start(extra_args=["--scale", "60", "--calls", "10", "--rate", "300", "--quiet"]) as sim:
            time.sleep(2.5)
            st = sim.stats()
            self.assertEqual((st["endpoints"], st["registered"]), (60, 60))
            self.assertEqual(st["mode"], "scale")
            self.assertGreaterEqual(st["calls_up"], 8)
            self.assertGreater(st["events_per_s"], 100)
            self.assertEqual(len(sim.ari("GET", "/endpoints")), 60)

    def test_scale_mode_events_are_whole_and_consistent(self):
        """Every kind of event of the churn, each channel's life from
        ChannelCreated to ChannelDestroyed and nothing after, Dial naming
        channels that exist, messages and registrations among the calls."""
        with Sim.start(extra_args=["--scale", "40", "--calls", "8", "--rate", "5000", "--quiet"]) as sim:
            loop = Loop()
            try:
                ev = WsClient(loop, sim.ws_url + "/ari/events?app=bench&subscribeAll=true",
                              aiohttp.BasicAuth(sim.ari_user, sim.ari_password))
                time.sleep(3)
                texts = ev.texts()
                st = sim.stats()
                ev.close()
            finally:
                loop.stop()
            self.assertGreater(len(texts), 5000)
            self.assertGreaterEqual(st["calls_up"], 7)
            self.assertLessEqual(st["events_per_s_1s"], 6000)
            created, destroyed, seen = set(), set(), set()
            types = collections.Counter()
            for text in texts:
                e = json.loads(text)
                self.assertEqual(json.dumps(e), text)
                self.assertEqual((e["asterisk_id"], e["application"]), ("00:00:00:00:00:00", "bench"))
                types[e["type"]] += 1
                chans = [e[k]["id"] for k in ("channel", "caller", "peer")
                         if k in e and (k == "channel" or e["type"] == "Dial")]
                for cid in chans:
                    self.assertNotIn(cid, destroyed, "an event of %s after its ChannelDestroyed" % cid)
                    seen.add(cid)
                if e["type"] == "ChannelCreated":
                    self.assertNotIn(e["channel"]["id"], seen - {e["channel"]["id"]})
                    created.add(e["channel"]["id"])
                elif e["type"] == "ChannelDestroyed":
                    destroyed.add(e["channel"]["id"])
                elif e["type"] == "Dial" and e["dialstatus"] == "":
                    self.assertIn(e["peer"]["id"], created, "Dial names the channel just created")
                    self.assertEqual(e["peer"]["name"].split("-")[0], "PJSIP/" + e["dialstring"])
            for t in ("ChannelCreated", "ChannelVarset", "ChannelDialplan", "Dial", "ChannelStateChange",
                      "ChannelConnectedLine", "BridgeCreated", "ChannelEnteredBridge", "ChannelLeftBridge",
                      "BridgeDestroyed", "ChannelHold", "ChannelUnhold", "ChannelHangupRequest",
                      "ChannelDestroyed", "DeviceStateChanged", "PeerStatusChange", "ContactStatusChange",
                      "TextMessageReceived"):
                self.assertGreater(types[t], 0, t)
            self.assertGreater(len(created & destroyed), 10)
            self.assertGreater(types["ChannelVarset"], len(texts) / 3, "varsets are most of a call's events")

    def test_scale_mode_waits_for_a_client_that_does_not_read(self):
        with Sim.start(extra_args=["--scale", "200", "--calls", "50", "--rate", "100000", "--quiet"]) as sim:
            sock = socket.create_connection(("127.0.0.1", sim.port), 5)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            auth = base64.b64encode(("%s:%s" % (sim.ari_user, sim.ari_password)).encode()).decode()
            try:
                sock.sendall(("GET /ari/events?app=x&subscribeAll=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Basic %s\r\n\r\n"
                              % auth).encode())
                sim.wait_for(lambda: sim.stats()["backlog_waits"] > 0, timeout=10, what="the churn pausing")
                n1 = sim.stats()["events_total"]
                time.sleep(1)
                n2 = sim.stats()["events_total"]
                self.assertLess(n2 - n1, 20000, "no events made for nobody")
            finally:
                sock.close()
            sim.wait_for(lambda: sim.stats()["events_per_s_1s"] > 20000, timeout=10,
                         what="the churn going on once the client is gone")

    def test_demo_mode_keeps_life_going(self):
        with Sim.start(extra_args=["--demo", "--demo-interval", "0.1", "--quiet"]) as sim:
            users = sim.get("/sim/users")["users"]
            self.assertEqual(len(users), 12)
            self.assertEqual(users[0]["app"], "offhook-alice")
            sim.wait_for(lambda: sim.stats()["demo_actions"] >= 5, timeout=5, what="demo actions")
            sim.wait_for(lambda: sim.stats()["events_total"] > 40, timeout=5, what="demo events")


class TlsTest(unittest.TestCase):
    def test_https_and_wss(self):
        openssl = shutil.which("openssl")
        self.assertIsNotNone(openssl, "openssl (Debian package openssl) is needed to make a test certificate")
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
            subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
            with Sim.start(extra_args=["--tls-cert", cert, "--tls-key", key], tmpdir=d) as sim:
                self.assertTrue(sim.url.startswith("https://"))
                self.assertEqual(sim.ari("GET", "/asterisk/ping")["ping"], "pong")
                loop = Loop()
                try:
                    import ssl
                    ctx = ssl.create_default_context(cafile=cert)
                    ctx.check_hostname = False

                    async def go():
                        async with aiohttp.ClientSession() as s:
                            ws = await s.ws_connect(sim.ws_url + "/ari/events?app=x&subscribeAll=true", ssl=ctx,
                                                    auth=aiohttp.BasicAuth(sim.ari_user, sim.ari_password))
                            await asyncio.sleep(0.1)
                            sim_state = await asyncio.get_event_loop().run_in_executor(None, sim.state)
                            await ws.close()
                            return sim_state
                    st = loop.run(go())
                    self.assertEqual([a["name"] for a in st["apps"]], ["x"])
                finally:
                    loop.stop()


class CommandLineTest(unittest.TestCase):
    def test_port_file_and_banner_and_sigterm(self):
        with tempfile.TemporaryDirectory() as d:
            pf = os.path.join(d, "port")
            p = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "pbxsim.py"), "--port", "0",
                                  "--port-file", pf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                line = p.stdout.readline()
                self.assertRegex(line, r"^pbxsim listening on http://127\.0\.0\.1:\d+$")
                with open(pf) as f:
                    port = int(f.read())
                self.assertEqual(line.strip().rsplit(":", 1)[1], str(port))
                self.assertEqual([f for f in os.listdir(d)], ["port"], "no temporary file left behind")
                with socket.create_connection(("127.0.0.1", port), 2):
                    pass
            finally:
                p.terminate()
                self.assertEqual(p.wait(10), 0, "exits cleanly on SIGTERM")
                p.stdout.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)

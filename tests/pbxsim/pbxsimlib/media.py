"""The audio engine: every 20 ms each phone in a call says its tone, each
externalMedia channel plays the next frame the app queued (chan_websocket's
queue, XON/XOFF, marks, buffering), bridges mix, phones record what they
hear and the app receives what the others say."""

import asyncio
import json
import time

from . import audio


class MediaMixin:
    def __init__(self):
        self.tick_no = 0
        self.media_task = None
        self.media_stats = {"ticks": 0, "late_ticks": 0}
        self._media_errors = set()
        self._heard = {}
        self.direct_legs = set()        # phone-to-phone calls after a REFER
        self.audio_off = False          # --scale: phones neither talk nor listen

    # ---- the clock ---------------------------------------------------------------

    def start_media_clock(self):
        if self.media_task is None:
            self.media_task = asyncio.ensure_future(self._media_clock())

    async def _media_clock(self):
        loop = asyncio.get_event_loop()
        period = audio.FRAME_MS / 1000.0
        next_t = loop.time()
        while True:
            next_t += period
            delay = next_t - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.2:              # fell far behind (suspended): resynchronise
                next_t = loop.time()
                self.media_stats["late_ticks"] += 1
            try:
                self.media_tick()
            except Exception as e:  # never let the clock die; report each new error once
                key = repr(e)
                if key not in self._media_errors:
                    self._media_errors.add(key)
                    self.log("media tick error: %s" % key)
                    import traceback
                    traceback.print_exc()

    def _phone_voice(self, ch):
        """What a phone channel sends into the PBX this tick (None = nothing)."""
        leg = ch.leg
        if ch.state != "Up" or leg is None or leg.state != "established" or leg.held or ch.mute_in:
            return None
        return ch.endpoint.tone.next()

    def media_tick(self):
        self.tick_no += 1
        self.media_stats["ticks"] += 1
        if self.audio_off and not self.media_by_conn and not self.direct_legs:
            return                      # nothing to say or hear: skip the walk over every call
        now = time.time()
        sources = {}
        # externalMedia channels play what the app queued (silence if nothing)
        for ch in list(self.media_by_conn.values()):
            m = ch.media
            if m is None or not m.connected or not ch.alive:
                continue
            frame = self._dequeue(m)
            if frame is None:
                frame = audio.SILENCE
            else:
                m.rx.append((self.tick_no, frame))
            if ch.mute_in:
                frame = audio.SILENCE
            sources[ch.id] = frame
        done = set()
        for bridge in list(self.bridges.values()):
            members = bridge.channels
            if not members or not any(c.media is not None or (c.endpoint is not None and c.endpoint.capture)
                                      for c in members):
                continue
            members = list(members)
            for c in members:
                if c.id not in sources and c.tech == "PJSIP":
                    sources[c.id] = self._phone_voice(c)
            for c in members:
                done.add(c.id)
                inputs = [sources.get(o.id) for o in members if o is not c]
                self._deliver_audio(c, audio.mix(inputs), now)
        # channels outside bridges: music on hold, direct (REFER) calls
        for ch in list(self.channels.values()):
            if ch.id in done or ch.tech != "PJSIP":
                continue
            if ch.moh and ch.leg is not None and ch.leg.state == "established":
                self._deliver_audio(ch, None, now)
        for leg in list(self._direct_legs()):
            peer = leg.direct_peer
            if peer.state == "established" and not peer.held and not leg.held and leg.endpoint.capture:
                self._heard.setdefault(leg.endpoint, []).append(peer.endpoint.tone.next())
        # a phone with several calls hears them all at once
        for ep, frames in self._heard.items():
            ep.rx.append((self.tick_no, audio.mix(frames) or audio.SILENCE))
        self._heard = {}

    def _direct_legs(self):
        for leg in list(self.direct_legs):
            if leg.state == "closed":
                self.direct_legs.discard(leg)
            elif leg.state == "established":
                yield leg

    def _deliver_audio(self, ch, frame, now):
        if ch.tech == "PJSIP":
            ep = ch.endpoint
            if ch.leg is None or ch.leg.state != "established" or not ep.capture:
                return
            if ch.moh:
                if not hasattr(ch, "_moh_src"):
                    ch._moh_src = audio.ToneSource(audio.MOH_HZ)
                frame = ch._moh_src.next()
            if ch.mute_out or ch.leg.held:
                frame = audio.SILENCE
            self._heard.setdefault(ep, []).append(frame if frame is not None else audio.SILENCE)
        elif ch.tech == "WebSocket":
            m = ch.media
            if m is None or not m.connected or m.sink is None or frame is None:
                return
            if now < m.gap_until:
                return
            if ch.mute_out:
                frame = audio.SILENCE
            if m.first_frame:
                m.first_frame = False
                frame = audio.SILENCE
            m.frames_out += 1
            m.sink.send_bytes(m.conv.to_wire(frame))

    # ---- chan_websocket queue ----------------------------------------------------------

    def _dequeue(self, m):
        if m.paused:
            return None
        if m.queue_full and m.queue_len < m.XON and not getattr(m, "forced_xoff", False):
            m.queue_full = False
            self._media_text(m, m.event_text("MEDIA_XON"))
        if not m.queue:
            if m.report_drained:
                m.report_drained = False
                self._media_text(m, m.event_text("QUEUE_DRAINED"))
            return None
        item = m.queue.popleft()
        while isinstance(item, tuple):
            self._media_text(m, item[1])
            if not m.queue:
                return None
            item = m.queue.popleft()
        m.queue_len -= 1
        return item

    def _media_text(self, m, text):
        if m.sink is not None:
            m.sink.send_text(text)

    def _queue_frame(self, m, data):
        m.queue.append(m.conv.from_wire(data))
        m.queue_len += 1
        m.frames_in += 1
        if not m.queue_full and m.queue_len >= m.XOFF:
            m.queue_full = True
            self._media_text(m, m.event_text("MEDIA_XOFF"))

    def media_binary(self, ch, payload):
        m = ch.media
        if m.queue_len >= m.QUEUE_MAX:
            return
        size = m.frame_size
        if m.bulk and m.leftover:
            need = size - len(m.leftover)
            take = payload[:need]
            m.leftover += take
            if len(m.leftover) < size:
                return
            self._queue_frame(m, m.leftover)
            payload = payload[len(take):]
            m.leftover = b""
        if not m.bulk:
            m.leftover = b""
        off = 0
        while len(payload) - off >= size:
            self._queue_frame(m, payload[off:off + size])
            off += size
        if m.bulk and off < len(payload):
            m.leftover = payload[off:]

    def media_command(self, ch, text):
        """A TEXT message from the app (chan_websocket handle_command)."""
        m = ch.media
        text = text.strip()
        if not text or len(text) > 128:
            return
        data = None
        if m.json_mode:
            try:
                obj = json.loads(text)
                if not isinstance(obj, dict):
                    raise ValueError
            except ValueError:
                self._media_text(m, m.event_text("ERROR", error_text="Unable to parse JSON command"))
                return
            command = obj.get("command")
            cid = obj.get("correlation_id")
        else:
            command, _, data = text.partition(" ")
            cid = data or None
        if command == "ANSWER":
            if ch.state != "Up":
                self._set_state(ch, "Up")
        elif command == "HANGUP":
            self.hangup(ch, 16, source="media")
        elif command == "START_MEDIA_BUFFERING":
            m.bulk = True
        elif command == "STOP_MEDIA_BUFFERING":
            m.bulk = False
            if m.leftover:
                self._queue_frame(m, m.leftover + bytes(m.frame_size - len(m.leftover)))
                m.leftover = b""
            m.queue.append(("opt", m.event_text("MEDIA_BUFFERING_COMPLETED", correlation_id=cid or "")))
        elif command == "MARK_MEDIA":
            m.queue.append(("opt", m.event_text("MEDIA_MARK_PROCESSED", correlation_id=cid or "")))
        elif command == "FLUSH_MEDIA":
            m.queue.clear()
            m.queue_len = 0
            m.bulk = False
            m.leftover = b""
        elif command == "REPORT_QUEUE_DRAINED":
            m.report_drained = True
        elif command == "GET_STATUS":
            self._media_text(m, m.event_text("STATUS", queue_length=m.queue_len, xon_level=m.XON,
                                             xoff_level=m.XOFF, queue_full=m.queue_full,
                                             bulk_media=m.bulk, media_paused=m.paused))
        elif command == "PAUSE_MEDIA":
            m.paused = True
        elif command == "CONTINUE_MEDIA":
            m.paused = False
        # anything else: Asterisk logs "command unknown" and carries on

    # ---- measurements ------------------------------------------------------------------

    def phone_audio(self, ep, window_ms=1000):
        nframes = max(1, int(window_ms) // audio.FRAME_MS)
        min_tick = self.tick_no - nframes
        frames = [f for (t, f) in list(ep.rx) if t > min_tick]
        data = b"".join(frames)
        hz, level = audio.analyse(data) if data else (None, 0.0)
        return {"extension": ep.ext, "window_ms": int(window_ms), "frames": len(frames),
                "dominant_hz": round(hz, 1) if hz is not None else None, "rms": round(level, 1)}

    def media_audio(self, ch, window_ms=1000):
        m = ch.media
        nframes = max(1, int(window_ms) // audio.FRAME_MS)
        min_tick = self.tick_no - nframes
        frames = [f for (t, f) in list(m.rx) if t > min_tick]
        data = b"".join(frames)
        hz, level = audio.analyse(data) if data else (None, 0.0)
        return {"channel": ch.id, "window_ms": int(window_ms), "frames": len(frames),
                "dominant_hz": round(hz, 1) if hz is not None else None, "rms": round(level, 1)}

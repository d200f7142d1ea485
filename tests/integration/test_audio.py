#!/usr/bin/python3
"""Call audio through the real GStreamer pipeline, over the media socket
(issue 7). No sound card: the microphone is a 1000 Hz test source, the
speaker a WAV file the test measures."""

import os
import tempfile
import time

from audio import dominant_hz, read_tail, rms
from harness import ROOT_PATH, GLib, main
from test_calls import CallTestCase


class AudioTestCase(CallTestCase):

    def setUp(self):
        fd, self.wav = tempfile.mkstemp(prefix='offhook-speaker-', suffix='.wav')
        os.close(fd)
        self.addCleanup(os.unlink, self.wav)
        super().setUp()

    def start_offhookd(self, *args, wait=True):
        self.env_extra.update({
            'OFFHOOK_AUDIO_SOURCE': 'audiotestsrc is-live=true freq=1000 wave=sine volume=0.4',
            'OFFHOOK_AUDIO_SINK': ('audioconvert ! audioresample ! '
                                   'audio/x-raw,format=S16LE,rate=16000,channels=1 ! '
                                   # Hold releases the devices: appending,
                                   # the file keeps what came before.
                                   'wavenc ! filesink append=true buffer-mode=unbuffered location=%s' % self.wav),
        })
        return super().start_offhookd(*args, wait=wait)

    def heard_by_daemon(self, seconds=0.5):
        return dominant_hz(read_tail(self.wav, seconds))

    def heard_by_phone(self, ext):
        return self.sim.audio(ext, 500)

    def wait_daemon_hears(self, freq):
        self.wait_until(lambda: abs((self.heard_by_daemon() or 0) - freq) <= 5, 8,
                        'the daemon to play %d Hz (hears %s)' % (freq, self.heard_by_daemon()))

    def wait_phone_hears(self, ext, freq):
        self.wait_until(lambda: abs((self.heard_by_phone(ext).get('dominant_hz') or 0) - freq) <= 5,
                        8, '%s to hear %d Hz (hears %s)' % (ext, freq, self.heard_by_phone(ext)))

    def media_channel(self):
        media = self.wait_until(lambda: [m for m in self.sim.media() if m['connected']], 5,
                                'a media connection')
        return media[0]['channel']

    def wait_audio(self, path, state):
        self.wait_until(lambda: self.call_prop(path, 'AudioState') == state, 8,
                        'AudioState %s (is %s)' % (state, self.call_prop(path, 'AudioState')))

    def audio_states(self, path):
        return [v for _, v in self.signals.property_changes(path, 'Call', 'AudioState')]

    def active_outgoing_call(self, ext='102'):
        self.sim.tone(ext, 440)
        path = self.dial(ext)
        self.wait_call_state(path, 'ringing-out')
        self.sim.answer(ext)
        self.wait_call_state(path, 'active')
        self.wait_audio(path, 'flowing')
        return path

    def pause(self, seconds):
        deadline = time.monotonic() + seconds
        self.wait_until(lambda: time.monotonic() >= deadline, seconds + 2, 'a moment')


class AudioTest(AudioTestCase):

    def setUp(self):
        super().setUp()
        self.prepare()

    def test_outgoing_both_directions(self):
        path = self.active_outgoing_call()
        self.wait_until(lambda: 'flowing' in self.audio_states(path), 2, 'the flowing signal')
        self.assertEqual(self.audio_states(path)[:2], ['connecting', 'flowing'])
        self.wait_daemon_hears(440)
        self.wait_phone_hears('102', 1000)
        self.op(path, 'Hangup')
        self.wait_call_state(path, 'ended')
        self.wait_until(lambda: not [m for m in self.sim.media() if m['connected']], 5,
                        'the media socket to close')

    def test_incoming_both_directions(self):
        self.sim.tone('101', 440)
        t0 = time.monotonic()
        leg = self.sim.call('101', '100')
        path = self.wait_added_call(t0)
        self.assertEqual(self.call_prop(path, 'AudioState'), 'none')
        self.op(path, 'Accept')
        self.wait_audio(path, 'flowing')
        self.wait_daemon_hears(440)
        self.wait_phone_hears('101', 1000)
        self.sim.hangup(leg['call'])
        self.wait_call_state(path, 'ended')
        self.wait_audio(path, 'none')

    def test_hold_stops_both_directions(self):
        path = self.active_outgoing_call()
        self.wait_daemon_hears(440)
        self.op(path, 'Hold')
        self.wait_audio(path, 'none')
        # The phone hears music on hold, not our microphone.
        self.wait_phone_hears('102', 425)
        size = os.path.getsize(self.wav)
        self.pause(0.5)
        self.assertLess(os.path.getsize(self.wav) - size, 1600)   # < 50 ms of audio
        self.op(path, 'Unhold')
        self.wait_audio(path, 'flowing')
        self.wait_phone_hears('102', 1000)
        size = os.path.getsize(self.wav)
        self.pause(0.5)
        self.assertGreater(os.path.getsize(self.wav) - size, 8000)
        self.wait_daemon_hears(440)

    def test_mute_silences_only_the_microphone(self):
        path = self.active_outgoing_call()
        self.wait_phone_hears('102', 1000)
        self.call(path, 'org.freedesktop.DBus.Properties', 'Set', 'ssv',
                  ('org.offhook.Offhook1.Call', 'Muted', GLib.Variant('b', True)))
        self.wait_until(lambda: (self.heard_by_phone('102').get('rms') or 0) < 50, 5,
                        'silence at the phone')
        self.assertTrue(self.call_prop(path, 'Muted'))
        self.wait_daemon_hears(440)
        self.call(path, 'org.freedesktop.DBus.Properties', 'Set', 'ssv',
                  ('org.offhook.Offhook1.Call', 'Muted', GLib.Variant('b', False)))
        self.wait_phone_hears('102', 1000)
        changes = [v for _, v in self.signals.property_changes(path, 'Call', 'Muted')]
        self.assertEqual(changes, [True, False])

    def test_xoff_pauses_sending_without_growing_memory(self):
        path = self.active_outgoing_call()
        channel = self.media_channel()

        def sent():
            return [m for m in self.sim.media() if m['channel'] == channel][0]['frames_from_app']

        def rss_kb():
            with open('/proc/%d/status' % self.daemon.pid) as f:
                return int([l for l in f if l.startswith('VmRSS')][0].split()[1])

        self.sim.media_flow(channel, True)
        self.pause(0.2)
        before, rss_before = sent(), rss_kb()
        self.pause(1.0)
        self.assertLessEqual(sent() - before, 3)
        self.assertLess(rss_kb() - rss_before, 2048)
        self.sim.media_flow(channel, False)
        before = sent()
        self.wait_until(lambda: sent() - before > 20, 3, 'sending to resume')
        self.wait_phone_hears('102', 1000)

    def test_media_socket_dropping_reconnects(self):
        path = self.active_outgoing_call()
        channel = self.media_channel()
        self.sim.media_drop(channel)
        self.wait_until(lambda: 'stalled' in self.audio_states(path), 5, 'stalled')
        self.wait_audio(path, 'flowing')
        self.assertEqual(self.call_prop(path, 'State'), 'active')
        new = self.media_channel()
        self.assertNotEqual(new, channel)
        self.wait_phone_hears('102', 1000)
        self.wait_daemon_hears(440)


class BrokenDeviceTest(AudioTestCase):

    def start_offhookd(self, *args, wait=True):
        proc = super().start_offhookd(*args, wait=False)
        self.stop_process(proc)
        # A speaker that cannot be made.
        self.env_extra['OFFHOOK_AUDIO_SINK'] = 'no-such-element-anywhere'
        return CallTestCase.start_offhookd(self, *args, wait=wait)

    def test_device_that_fails_is_a_clear_error(self):
        self.prepare()
        path = self.dial('102')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.wait_audio(path, 'failed')
        self.assertIn('no-such-element-anywhere', self.daemon_log())
        # The call itself goes on, and the daemon is fine.
        self.assertEqual(self.call_prop(path, 'State'), 'active')
        self.op(path, 'Hangup')
        self.wait_call_state(path, 'ended')
        self.assertIsNone(self.daemon.poll())


class NoLeakTest(AudioTestCase):
    CALLS = 200
    BATCH = 10

    def state_or_gone(self, path):
        try:
            return self.call_prop(path, 'State')
        except GLib.Error:
            return 'gone'

    def test_no_leaks_over_200_calls(self):
        self.prepare()

        def count(what):
            return len(os.listdir('/proc/%d/%s' % (self.daemon.pid, what)))

        path = self.active_outgoing_call()
        self.op(path, 'Hangup')
        self.wait_removed(path)
        fds, threads = count('fd'), count('task')
        for _ in range(self.CALLS // self.BATCH):
            paths = [self.dial('102') for _ in range(self.BATCH)]
            for p in paths:
                self.wait_call_state(p, 'ringing-out')
            for _ in paths:
                self.sim.answer('102')
            for p in paths:
                self.wait_audio(p, 'flowing')
            self.call(ROOT_PATH, 'Phone', 'HangupAll')
            # Ended, or already gone after its grace time.
            self.wait_until(lambda: all(self.state_or_gone(p) in ('ended', 'gone')
                                        for p in paths), 10, 'the calls to end')
        self.wait_until(lambda: self.get_property(ROOT_PATH, 'Phone', 'Calls') == [], 10,
                        'every call to leave the bus')
        self.wait_until(lambda: not [m for m in self.sim.media() if m['connected']], 10,
                        'every media socket to close')
        # The ARI client's pool keeps up to 6 idle HTTP connections to the
        # PBX (more of them open when the machine is busy and requests
        # overlap); a leak per call would be hundreds.
        self.wait_until(lambda: count('fd') <= fds + 2 + 6, 10,
                        'file descriptors back to %d (are %d)' % (fds, count('fd')))
        # GLib keeps idle pool threads for up to 15 s before it lets them go.
        self.wait_until(lambda: count('task') <= threads + 4, 30,
                        'threads back to %d (are %d)' % (threads, count('task')))
        self.assertFalse([p for p in self.managed_objects() if '/Call/' in p])


if __name__ == '__main__':
    main()

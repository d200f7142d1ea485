#!/usr/bin/python3
"""The HUD (issue 11): offhook-hud under Xvfb against the real daemon and
the PBX simulator, driven only through the actions it exports on the bus
(org.gtk.Actions at /org/offhook/Hud), the way its own buttons drive it.

What the HUD shows is read with its dump-state action and compared with
the daemon's properties read just before and just after: when the daemon
did not change in between, the HUD must show exactly that.

Screenshots of every view are saved into the test's folder, or into
docs/screenshots/ of the source tree with OFFHOOK_SAVE_SCREENSHOTS=1.
"""

import json
import os
import shutil
import struct
import subprocess
import time
import unittest
import zlib

from harness import (BUILD_ROOT, IFACE, ROOT_PATH, SRC_ROOT, Gio, GLib, PbxTestCase,
                     Timeout, main)

OFFHOOK_HUD = os.environ.get('OFFHOOK_HUD',
                             os.path.join(BUILD_ROOT, 'clients', 'hud', 'offhook-hud'))
HUD_NAME = 'org.offhook.Hud'
HUD_PATH = '/org/offhook/Hud'
DEMO_USERS = os.path.join(SRC_ROOT, 'tests', 'pbxsim', 'users-demo.json')
SCREENSHOT_DIR = os.path.join(SRC_ROOT, 'docs', 'screenshots')


def png_facts(path):
    """(width, height, distinct byte values of the image data) of a PNG,
    with the standard library only."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise AssertionError('%s is not a PNG' % path)
    pos, idat, width, height = 8, b'', 0, 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height = struct.unpack('>II', chunk[:8])
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + length
    pixels = zlib.decompress(idat)
    # Skip each row's filter byte: what is left is (filtered) colour.
    stride = len(pixels) // height
    values = set()
    for row in range(0, height, max(1, height // 50)):
        values.update(pixels[row * stride + 1:(row + 1) * stride:7])
    return width, height, len(values)


class HudTestCase(PbxTestCase):
    """A daemon, the simulator with the demo's dozen users (no background
    traffic, so the test is deterministic), an X server and the HUD."""

    sim_users = DEMO_USERS

    def setUp(self):
        if not os.path.exists(OFFHOOK_HUD):
            raise unittest.SkipTest('offhook-hud is not built (GTK 4 or libadwaita missing)')
        if shutil.which('Xvfb') is None:
            raise unittest.SkipTest('Xvfb is not installed')
        self.hud = None
        self.dumps = 0
        super().setUp()
        if os.environ.get('OFFHOOK_SAVE_SCREENSHOTS') == '1':
            self.shot_dir = SCREENSHOT_DIR
        else:
            self.shot_dir = self.mkdir('screenshots')
        self.start_xvfb()

    def start_offhookd(self, *args, wait=True):
        self.env.update({'OFFHOOK_CALL_GRACE_MS': '1000', 'OFFHOOK_RING_TIMEOUT': '30'})
        return super().start_offhookd(*args, wait=wait)

    def tearDown(self):
        exited = self.hud is not None and self.hud.poll() is not None
        super().tearDown()
        if exited:
            raise AssertionError('offhook-hud exited during the test (%d)\n%s'
                                 % (self.hud.returncode, self.daemon_log()))

    def daemon_log(self):
        out = [super().daemon_log()]
        for name in ('offhook-hud.log', 'xvfb.log'):
            path = os.path.join(self.tmp, name)
            if os.path.exists(path):
                with open(path, errors='replace') as f:
                    out.append('--- %s ---\n%s' % (name, f.read()))
        return '\n'.join(out)

    # -- the display and the HUD --------------------------------------------

    def start_xvfb(self):
        read_end, write_end = os.pipe()
        log = open(os.path.join(self.tmp, 'xvfb.log'), 'ab')
        proc = subprocess.Popen(['Xvfb', '-displayfd', str(write_end), '-screen', '0',
                                 '1280x1024x24', '-nolisten', 'tcp', '-noreset'],
                                pass_fds=(write_end,), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=self.env)
        log.close()
        os.close(write_end)
        self.addCleanup(self.stop_process, proc)
        with os.fdopen(read_end) as f:
            display = f.readline().strip()
        self.assertTrue(display, 'Xvfb did not start')
        # A GNOME-like desktop (its font), without animations so that a
        # screenshot never catches a transition half-way; no accessibility
        # bus, no portal.
        settings = self.mkdir(os.path.join('config', 'gtk-4.0'))
        with open(os.path.join(settings, 'settings.ini'), 'w') as f:
            f.write('[Settings]\ngtk-font-name=Cantarell 11\ngtk-enable-animations=false\n')
        # Any GLib or GTK warning in the HUD is a bug: it ends the HUD.
        self.hud_env = dict(self.env, DISPLAY=':' + display, GDK_BACKEND='x11',
                            G_DEBUG='fatal-warnings',
                            GSK_RENDERER='cairo', GTK_A11Y='none', ADW_DISABLE_PORTAL='1',
                            GSETTINGS_BACKEND='memory', LIBGL_ALWAYS_SOFTWARE='1')

    def start_hud(self):
        self.hud = self.spawn([OFFHOOK_HUD], 'offhook-hud.log', env=self.hud_env)
        self.wait_for_name(HUD_NAME, proc=self.hud)
        self.wait_until(lambda: self.dump()['ready'], 10, 'the HUD to reach the daemon')

    def activate(self, action, parameter=None):
        params = [parameter] if parameter is not None else []
        self.bus.call_sync(HUD_NAME, HUD_PATH, 'org.gtk.Actions', 'Activate',
                           GLib.Variant('(sava{sv})', (action, params, {})), None,
                           Gio.DBusCallFlags.NONE, 10000, None)

    def dump(self):
        """What the HUD shows now (its active window, plus every window)."""
        if self.hud.poll() is not None:
            raise AssertionError('offhook-hud exited with %d\n%s'
                                 % (self.hud.returncode, self.daemon_log()))
        self.dumps += 1
        path = os.path.join(self.tmp, 'state-%d.json' % self.dumps)
        # Activate returns once the action ran; dump-state writes at once.
        self.activate('dump-state', GLib.Variant('s', path))
        with open(path) as f:
            return json.load(f)

    def screenshot(self, name):
        path = os.path.join(self.shot_dir, name + '.png')
        if os.path.exists(path):
            os.unlink(path)
        self.activate('screenshot', GLib.Variant('s', path))
        self.wait_until(lambda: os.path.exists(path), 10, 'the screenshot ' + name)
        width, height, colours = png_facts(path)
        self.assertGreater(os.path.getsize(path), 10 * 1024, name + ' is too small to show much')
        self.assertGreaterEqual((width, height), (800, 600), name)
        self.assertGreater(colours, 16, name + ' is (nearly) one colour')
        return path

    def show(self, view):
        self.activate('show-view', GLib.Variant('s', view))
        self.wait_until(lambda: self.dump()['view'] == view, 5, 'the %s view' % view)

    # -- comparing with the daemon ------------------------------------------

    def assert_shows(self, daemon, hud, what, timeout=5.0):
        """Waits until the HUD shows what the daemon has, read before and
        after the HUD's dump; returns the value."""
        last = {}

        def same():
            before = daemon()
            shown = hud(self.dump())
            after = daemon()
            last.update(before=before, shown=shown, after=after)
            return before == after == shown and [before]
        try:
            return self.wait_until(same, timeout, what)[0]
        except Timeout:
            raise AssertionError('the HUD does not show %s:\n daemon %r\n HUD    %r\n daemon %r'
                                 % (what, last.get('before'), last.get('shown'),
                                    last.get('after')))

    def daemon_presence(self):
        return {u['path']: u['Presence'] for u in self.users().values()}

    @staticmethod
    def hud_presence(state):
        return {u['path']: u['presence'] for u in state['users']}

    def daemon_calls(self):
        out = []
        for path in self.get_property(ROOT_PATH, 'Phone', 'Calls'):
            props = self.get_all(path, 'Call')
            out.append((path, props['State'], props['Muted'], props['AnswerTime']))
        return sorted(out)

    @staticmethod
    def hud_calls(state):
        return sorted((c['path'], c['state'], c['muted'], c['answer-time'])
                      for c in state['calls'])

    def daemon_sessions(self):
        return sorted((path, s['State'], s['AnswerTime']) for path, s in self.sessions().items())

    @staticmethod
    def hud_sessions(state):
        return sorted((s['path'], s['state'], s['answer-time']) for s in state['sessions'])

    def unread(self):
        return self.get_property(ROOT_PATH, 'Chat', 'Unread')

    def conversation(self, peer):
        """Oldest first, as the HUD shows it."""
        messages = self.call(ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}', (peer, {}))[0]
        return [(m['id'], m['direction'], m['body']) for m in reversed(messages)]

    def history_query(self, filter=None, rows=20):
        entries, total = self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu',
                                   (filter or {}, 0, rows))
        return total, [e['id'] for e in entries]

    @staticmethod
    def hud_history(state):
        return state['history']['total'], [e['id'] for e in state['history']['entries']]

    def call_added_since(self, t0):
        found = self.wait_until(lambda: self.signals.find('CallAdded', since=t0), 5, 'CallAdded')
        return found[0][4][0]

    def wait_removed(self, path):
        self.wait_until(lambda: self.signals.find('CallRemoved', where=lambda i: i[4][0] == path),
                        5, 'CallRemoved')

    def wait_call(self, path, state):
        self.wait_until(lambda: self.get_property(path, 'Call', 'State') == state, 5,
                        '%s to be %s' % (path, state))

    def write_directory(self):
        with open(DEMO_USERS) as f:
            users = json.load(f)['users']
        path = os.path.join(self.tmp, 'directory.csv')
        with open(path, 'w') as f:
            f.write('extension,name,mobile,email\n')
            for u in users:
                f.write('%s,%s,%s,%s\n' % (u['extension'], u['name'], u['mobile'], u['email']))
        return path

    def log_in(self):
        self.login(directory=GLib.Variant('s', self.write_directory()))
        self.wait_until(lambda: len(self.users()) == 12 and all(
            u['FullName'] for u in self.users().values()), 5, 'the demo users')


class HudTest(HudTestCase):

    def test_the_hud_shows_what_the_daemon_knows(self):
        # Not logged in: the sign-in form, and the state it is in.
        self.start_hud()
        state = self.dump()
        self.assertEqual(state['page'], 'login')
        self.assertEqual(state['connection']['state'], self.account('State'))
        self.assertFalse(state['login']['password-set'])
        self.screenshot('login')

        # Refused: still the form, with the daemon's reason.
        self.login(password='wrong', wait='access-denied')
        self.assert_shows(lambda: ('login', 'access-denied', self.account('LastError')),
                          lambda s: (s['page'], s['connection']['state'], s['login']['message']),
                          'the refusal')
        self.assertTrue(self.account('LastError'))

        self.log_in()
        self.assert_shows(lambda: ('main', self.account('State')),
                          lambda s: (s['page'], s['connection']['state']), 'the connection')
        self.assertEqual(self.dump()['connection']['banner'], '')

        # Every user with the daemon's presence; details from the directory.
        presence = self.assert_shows(self.daemon_presence, self.hud_presence, 'the presence')
        self.assertEqual(len(presence), 12)
        shown = {u['path']: u for u in self.dump()['users']}
        for name, user in self.users().items():
            row = shown[user['path']]
            self.assertEqual(row['title'], user['FullName'])
            self.assertEqual(row['extension'], user['Extension'])
            self.assertEqual(row['self'], name == '100')
            self.assertEqual(row['can-call-mobile'], bool(user['Mobile']))
        self.assertIn('offline', presence.values())

        # Calls between others: sessions, and presence that follows them.
        self.sim.call('101', '102')
        self.sim.answer('102')
        self.sim.call('103', '104')
        self.sim.call('105', '106')
        self.sim.answer('106')
        self.sim.hold('105')
        self.wait_until(lambda: sorted(s['State'] for s in self.sessions().values())
                        == ['in-call', 'on-hold', 'ringing'], 5, 'three sessions')
        self.assert_shows(self.daemon_sessions, self.hud_sessions, 'the sessions')
        presence = self.assert_shows(self.daemon_presence, self.hud_presence, 'busy users')
        self.assertTrue({'busy', 'ringing', 'on-hold'} <= set(presence.values()), presence)
        rows = {u['path']: u for u in self.dump()['users']}
        bob = rows[self.users()['101']['path']]
        self.assertEqual(bob['sessions'], self.users()['101']['Sessions'])
        self.assertTrue(bob['session-texts'][0].startswith('With Carol Chen (102)'),
                        bob['session-texts'])
        self.show('users')
        self.screenshot('users')

        # Searching narrows the list.
        self.activate('search-users', GLib.Variant('s', 'chen'))
        self.wait_until(lambda: [u['title'] for u in self.dump()['users']] == ['Carol Chen'], 3,
                        'the search')
        self.activate('search-users', GLib.Variant('s', ''))
        self.wait_until(lambda: len(self.dump()['users']) == 12, 3, 'all users again')

        # An incoming call rings in the HUD ...
        t0 = time.monotonic()
        leg = self.sim.call('107', '100')
        path = self.call_added_since(t0)
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the ringing call')
        state = self.dump()
        self.assertEqual(state['view'], 'calls', 'a ringing call brings the calls view')
        self.assertEqual(state['calls'][0]['state'], 'ringing-in')
        self.assertEqual(state['calls'][0]['name'], 'Henry Hughes')
        self.assertEqual(state['calls'][0]['buttons'], ['accept', 'reject'])
        self.assertEqual(state['badges']['calls'], 1)
        self.screenshot('call-incoming')

        # ... is accepted, muted, held, resumed and hung up from the HUD.
        self.activate('accept-call', GLib.Variant('s', path))
        self.wait_call(path, 'active')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the accepted call')
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'established', 3,
                        'the caller to be connected')
        self.assertEqual(self.dump()['calls'][0]['buttons'],
                         ['mute', 'hold', 'keypad', 'transfer', 'hangup'])
        self.activate('mute-call', GLib.Variant('(sb)', (path, True)))
        self.wait_until(lambda: self.get_property(path, 'Call', 'Muted'), 3, 'muted')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the muted call')
        self.activate('mute-call', GLib.Variant('(sb)', (path, False)))
        self.wait_until(lambda: not self.get_property(path, 'Call', 'Muted'), 3, 'unmuted')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the unmuted call')
        # The timer counts from AnswerTime on the HUD's clock.
        self.wait_until(lambda: self.dump()['calls'][0]['timer'] not in ('', '0:00'), 5,
                        'the call timer to tick')
        self.screenshot('call')

        self.activate('hold-call', GLib.Variant('s', path))
        self.wait_call(path, 'held')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the held call')
        self.activate('resume-call', GLib.Variant('s', path))
        self.wait_call(path, 'active')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the resumed call')
        self.activate('hangup-call', GLib.Variant('s', path))
        self.wait_call(path, 'ended')
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'closed', 3,
                        'the caller hung up')
        # Ended, then gone after the grace time: in the HUD as on the bus.
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the ended call')
        self.wait_removed(path)
        self.assertEqual(self.assert_shows(self.daemon_calls, self.hud_calls, 'no calls'), [])

        # Every call on the PBX.
        self.show('sessions')
        self.assert_shows(self.daemon_sessions, self.hud_sessions, 'the sessions')
        self.wait_until(lambda: any(s['talk-time'] not in ('', '0:00')
                                    for s in self.dump()['sessions']), 5, 'talk time')
        self.screenshot('sessions')

        # A message arrives: unread badge first, then the conversation.
        self.show('users')
        t0 = time.monotonic()
        self.sim.message('102', '100', 'Lunch at noon?')
        self.wait_until(lambda: self.signals.find('MessageReceived', since=t0), 3, 'the message')
        self.assertEqual(self.assert_shows(self.unread, lambda s: s['chat']['unread'], 'unread'),
                         {'102': 1})
        self.assertEqual(self.dump()['badges']['chat'], 1)
        self.activate('open-chat', GLib.Variant('s', '102'))
        self.wait_until(lambda: [m['body'] for m in self.dump()['chat']['messages']]
                        == ['Lunch at noon?'], 3, 'the message in the conversation')
        # On screen is read.
        self.assertEqual(self.assert_shows(self.unread, lambda s: s['chat']['unread'], 'read'),
                         {})
        self.activate('send-message', GLib.Variant('(ss)', ('102', 'Sure, 12:30 at the usual place')))
        self.wait_until(lambda: self.sim.messages('102'), 3, 'the reply at 102')
        self.sim.message('102', '100', 'Perfect, see you there!')
        self.wait_until(lambda: len(self.conversation('102')) == 3, 3, 'three messages')
        self.assertEqual(
            [(d, b) for _, d, b in self.assert_shows(
                lambda: self.conversation('102'),
                lambda s: [(m['id'], m['direction'], m['body']) for m in s['chat']['messages']],
                'the conversation')],
            [('incoming', 'Lunch at noon?'), ('outgoing', 'Sure, 12:30 at the usual place'),
             ('incoming', 'Perfect, see you there!')])
        self.assertEqual(self.assert_shows(self.unread, lambda s: s['chat']['unread'], 'read'),
                         {})
        self.screenshot('chat')

        # History: what the calls left, paged and filtered like the daemon.
        t0 = time.monotonic()
        self.sim.hangup('101')
        missed = self.sim.call('109', '100')
        missed_path = self.call_added_since(t0)
        self.sim.hangup(missed['call'])
        self.wait_until(lambda: len(self.signals.find('EntryAdded', since=t0)) >= 2, 5,
                        'two more history entries')
        self.show('history')
        total, ids = self.assert_shows(self.history_query, self.hud_history, 'the history')
        self.assertGreaterEqual(total, 3)
        self.activate('history-filter', GLib.Variant('a{sv}', {
            'missed-only': GLib.Variant('b', True)}))
        total, ids = self.assert_shows(
            lambda: self.history_query({'disposition': GLib.Variant('s', 'missed')}),
            self.hud_history, 'the missed calls')
        self.assertEqual(total, 1)
        # The filters add up, like the widgets a person sets.
        self.activate('history-filter', GLib.Variant('a{sv}', {
            'text': GLib.Variant('s', 'Henry')}))
        self.assertEqual(self.assert_shows(
            lambda: self.history_query({'text': GLib.Variant('s', 'Henry'),
                                        'disposition': GLib.Variant('s', 'missed')}),
            self.hud_history, 'missed calls of Henry'), (0, []))
        self.activate('history-filter', GLib.Variant('a{sv}', {
            'missed-only': GLib.Variant('b', False)}))
        total, ids = self.assert_shows(
            lambda: self.history_query({'text': GLib.Variant('s', 'Henry')}),
            self.hud_history, 'the calls of Henry')
        self.assertEqual(total, 1)
        self.activate('history-filter', GLib.Variant('a{sv}', {
            'text': GLib.Variant('s', ''), 'missed-only': GLib.Variant('b', False)}))
        self.assert_shows(self.history_query, self.hud_history, 'the whole history')
        self.screenshot('history')

        # The dark style, and still the daemon's presence.
        self.show('users')
        self.activate('color-scheme', GLib.Variant('s', 'dark'))
        self.assert_shows(self.daemon_presence, self.hud_presence, 'the presence at the end')
        self.wait_removed(missed_path)
        self.assertEqual(self.assert_shows(self.daemon_calls, self.hud_calls, 'no calls'), [])
        self.assertEqual(self.dump()['badges']['calls'], 0)
        self.screenshot('users-dark')


class LoggedInHudTest(HudTestCase):

    def setUp(self):
        super().setUp()
        self.log_in()
        self.start_hud()
        self.assert_shows(self.daemon_presence, self.hud_presence, 'the presence')

    def dial_pad(self, text):
        self.activate('set-number', GLib.Variant('s', text))
        return self.wait_until(lambda: (lambda d: d['number'] == text and d)(
            self.dump()['dial']), 3, 'the dial pad to show ' + text)

    def test_dial_pad_feedback(self):
        cases = [
            ('', 'empty', False, 'Type a number'),
            ('103', 'phone', True, 'Calls Dave Diaz'),
            ('+1 555 0100', 'phone', True, 'Calls this number'),
            ('Carol Chen', 'name', True, 'Calls Carol Chen at 102'),
            ('Nobody Here', 'name', False, 'No user is called'),
            ('101&102', 'invalid', False, 'Only digits'),
            ('PJSIP/101', 'invalid', False, 'Only digits'),
            ('1' * 33, 'invalid', False, 'at most 32 digits'),
        ]
        for text, kind, can_dial, hint in cases:
            with self.subTest(text=text):
                pad = self.dial_pad(text)
                self.assertEqual((pad['kind'], pad['can-dial']), (kind, can_dial))
                self.assertIn(hint, pad['hint'])

        # What the daemon refuses makes no call.
        t0 = time.monotonic()
        self.activate('dial', GLib.Variant('s', '101&102'))
        self.activate('dial', GLib.Variant('s', 'Nobody Here'))
        self.wait_until(lambda: time.monotonic() > t0 + 0.5, 2, 'a moment')
        self.assertEqual(self.signals.find('CallAdded', since=t0), [])
        self.assertEqual(self.dump()['calls'], [])

    def test_outgoing_call_dtmf_transfer_and_two_windows(self):
        t0 = time.monotonic()
        self.activate('call-user', GLib.Variant('s', self.users()['103']['path']))
        path = self.call_added_since(t0)
        self.wait_call(path, 'ringing-out')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the outgoing call')
        self.assertEqual(self.dump()['calls'][0]['buttons'], ['hangup'])
        self.sim.answer('103')
        self.wait_call(path, 'active')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the answered call')
        self.activate('send-dtmf', GLib.Variant('(ss)', (path, '12#')))
        self.wait_until(lambda: self.sim.phone('103')['dtmf_received'].endswith('12#'), 3,
                        'the tones at 103')

        # A second window shows the same.
        self.activate('new-window')
        self.wait_until(lambda: self.dump()['window-count'] == 2, 3, 'a second window')
        state = self.dump()
        first, second = state['windows']
        for key in ('users', 'calls', 'sessions', 'connection'):
            self.assertEqual(first[key], second[key], key)

        # Blind transfer: the call ends as transferred, 103 now rings 104.
        self.activate('transfer', GLib.Variant('(ss)', (path, '104')))
        self.wait_call(path, 'ended')
        self.assertEqual(self.get_property(path, 'Call', 'EndReason'), 'transferred')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the transferred call')
        self.wait_removed(path)
        self.assertEqual(self.assert_shows(self.daemon_calls, self.hud_calls, 'no calls'), [])
        self.wait_until(lambda: any(c['extension'] == '104' and c['state'] != 'closed'
                                    for c in self.sim.calls()), 5, '104 to ring')
        for window in range(2):
            self.assert_shows(self.daemon_sessions,
                              lambda s: self.hud_sessions(s['windows'][window]),
                              'the sessions in window %d' % window)

    def test_attended_transfer_and_reject(self):
        # 105 on hold, 106 on the line: join them.
        t0 = time.monotonic()
        self.activate('dial', GLib.Variant('s', '105'))
        first = self.call_added_since(t0)
        self.wait_call(first, 'ringing-out')
        self.sim.answer('105')
        self.wait_call(first, 'active')
        self.activate('hold-call', GLib.Variant('s', first))
        self.wait_call(first, 'held')
        t0 = time.monotonic()
        self.activate('dial', GLib.Variant('s', 'Grace Garcia'))
        second = self.call_added_since(t0)
        self.wait_call(second, 'ringing-out')
        self.sim.answer('106')
        self.wait_call(second, 'active')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'a held and an active call')
        self.activate('transfer-to', GLib.Variant('(ss)', (second, first)))
        self.wait_call(first, 'ended')
        self.wait_call(second, 'ended')
        for path in (first, second):
            self.assertEqual(self.get_property(path, 'Call', 'EndReason'), 'transferred')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'two transferred calls')

        # Declined from the HUD: the caller hears busy.
        t0 = time.monotonic()
        leg = self.sim.call('110', '100')
        path = self.call_added_since(t0)
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the ringing call')
        self.activate('reject-call', GLib.Variant('s', path))
        self.wait_call(path, 'ended')
        self.assertEqual(self.get_property(path, 'Call', 'EndReason'), 'rejected')
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'closed', 3,
                        'the caller to be hung up')
        self.assert_shows(self.daemon_calls, self.hud_calls, 'the declined call')

    def test_connection_state_and_a_daemon_restart(self):
        self.call(ROOT_PATH, 'Account', 'Disconnect')
        self.wait_state('disconnected')
        state = self.assert_shows(
            lambda: ('main', self.account('State')),
            lambda s: (s['page'], s['connection']['state']), 'disconnected')
        self.assertIn('Not connected', self.dump()['connection']['banner'])
        # The HUD's Connect is Account.Connect().
        self.activate('connect')
        self.wait_state('connected')
        self.assert_shows(lambda: ('main', self.account('State'), ''),
                          lambda s: (s['page'], s['connection']['state'],
                                     s['connection']['banner']), 'connected again')

        # Without the daemon there is nothing to show but that.
        self.daemon.terminate()
        self.daemon.wait(10)
        self.wait_until(lambda: (lambda s: (s['page'], s['daemon-running'], s['users']))(
            self.dump()) == ('unavailable', False, []), 5, 'the HUD to notice')
        # It comes back with the stored account, and the HUD with it.
        self.start_offhookd()
        self.wait_state('connected')
        self.assert_shows(self.daemon_presence, self.hud_presence, 'the presence after a restart',
                          timeout=10)
        self.assertEqual(self.dump()['page'], 'main')


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Desktop integration: offhook-notify and offhook-open-uri (issue 10).

The notification server is python-dbusmock's notification_daemon template on
the test's private bus; what the clients asked of it is read back from the
mock's call log (org.freedesktop.DBus.Mock.GetCalls), and the user's clicks
are the mock emitting ActionInvoked, NotificationClosed or NotificationReplied.
"""

import json
import os
import signal
import subprocess
import time

from harness import BUILD_ROOT, ROOT_PATH, Gio, GLib, main, wrapper
from test_calls import CallTestCase

NOTIFY = os.environ.get('OFFHOOK_NOTIFY',
                        os.path.join(BUILD_ROOT, 'clients', 'notify', 'offhook-notify'))
OPEN_URI = os.environ.get('OFFHOOK_OPEN_URI',
                          os.path.join(BUILD_ROOT, 'clients', 'notify', 'offhook-open-uri'))
NOTIFY_NAME = 'org.offhook.Notify'
SERVER = 'org.freedesktop.Notifications'
SERVER_PATH = '/org/freedesktop/Notifications'
MOCK = 'org.freedesktop.DBus.Mock'

ALL_CAPS = 'actions body body-markup persistence sound'


class Notification:
    """One Notify call the mock received, with the id the mock returned."""

    def __init__(self, nid, args):
        self.id = nid
        (self.app, self.replaces, self.icon, self.summary, self.body, self.actions,
         self.hints, self.timeout) = args

    @property
    def action_keys(self):
        return self.actions[0::2]

    def __repr__(self):
        return '<%d %r %r %r>' % (self.id, self.summary, self.body, self.actions)


class NotifyTestCase(CallTestCase):
    capabilities = ALL_CAPS
    start_notifier = True

    def setUp(self):
        super().setUp()
        self.prepare()
        self.start_mock()
        self.notifier = None
        if self.start_notifier:
            self.start_notify()

    # -- the processes --------------------------------------------------------

    def start_mock(self):
        proc = self.spawn(['/usr/bin/python3', '-m', 'dbusmock', '--template',
                           'notification_daemon', '--parameters',
                           json.dumps({'capabilities': self.capabilities})], 'dbusmock.log')
        self.daemon_logs.append('dbusmock.log')
        self.wait_for_name(SERVER, proc=proc)
        return proc

    def start_notify(self):
        self.daemon_logs.append('offhook-notify.log')
        self.notifier = self.spawn(wrapper() + [NOTIFY, '--verbose'], 'offhook-notify.log')
        self.wait_for_name(NOTIFY_NAME, proc=self.notifier)

    def open_uri(self, uri, wait=True):
        argv = wrapper() + [OPEN_URI, uri]
        if not wait:
            return subprocess.Popen(argv, env=self.env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=30)

    # -- the mock notification server ----------------------------------------

    def mock_calls(self, method):
        calls = self.bus.call_sync(SERVER, SERVER_PATH, MOCK, 'GetCalls', None,
                                   GLib.VariantType('(a(tsav))'), Gio.DBusCallFlags.NONE,
                                   5000, None).unpack()[0]
        return [args for _, name, args in calls if name == method]

    def notifications(self):
        # The mock hands out ids 1, 2, ... in the order Notify arrives.
        return [Notification(i + 1, args) for i, args in enumerate(self.mock_calls('Notify'))]

    def closed_ids(self):
        return [args[0] for args in self.mock_calls('CloseNotification')]

    def wait_notifications(self, count, message='notifications'):
        return self.wait_until(lambda: len(self.notifications()) >= count and self.notifications(),
                               5, '%d %s (have %r)' % (count, message, self.notifications()))

    def wait_closed(self, nid):
        self.wait_until(lambda: nid in self.closed_ids(), 5,
                        'CloseNotification(%d) (closed: %r)' % (nid, self.closed_ids()))

    def emit(self, member, signature, *values):
        args = [GLib.Variant(t, v) for t, v in zip(signature, values)]
        self.bus.call_sync(SERVER, SERVER_PATH, MOCK, 'EmitSignal',
                           GLib.Variant('(sssav)', (SERVER, member, signature, args)),
                           None, Gio.DBusCallFlags.NONE, 5000, None)

    def click(self, nid, action):
        self.emit('ActionInvoked', 'us', nid, action)

    def settle(self, seconds=0.4):
        """Runs the main loop a moment, to see that nothing more happens."""
        end = time.monotonic() + seconds
        self.wait_until(lambda: time.monotonic() > end, seconds + 1, 'a moment')

    # -- calls ------------------------------------------------------------------

    def incoming_from(self, ext):
        t0 = time.monotonic()
        leg = self.sim.call(ext, '100')
        path = self.wait_added_call(t0)
        return leg, path

    def own_calls(self):
        return self.get_property(ROOT_PATH, 'Phone', 'Calls')


class IncomingCallTest(NotifyTestCase):

    def test_one_notification_with_both_actions_and_answer(self):
        leg, path = self.incoming_from('101')
        (n,) = self.wait_notifications(1)
        self.settle()
        self.assertEqual(len(self.notifications()), 1, self.notifications())
        self.assertEqual(n.summary, 'Incoming call from Bob Brown')
        self.assertEqual(n.body, '101')
        self.assertEqual(n.app, 'Offhook')
        self.assertEqual(n.actions, ['answer', 'Answer', 'decline', 'Decline'])
        self.assertEqual(n.hints['urgency'], 2)
        self.assertEqual(n.hints['category'], 'call.incoming')
        self.assertEqual(n.hints['sound-name'], 'phone-incoming-call')
        self.assertEqual(n.timeout, 0)
        self.assertEqual(n.replaces, 0)

        self.click(n.id, 'answer')
        self.wait_call_state(path, 'active')
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'established', 3,
                        'the caller to be connected')
        self.wait_closed(n.id)
        # The caller hangs up an answered call: that is no missed call.
        self.sim.hangup(leg['call'])
        self.wait_call_state(path, 'ended')
        self.wait_removed(path)
        self.assertEqual(len(self.notifications()), 1, self.notifications())

    def test_decline(self):
        leg, path = self.incoming_from('102')
        (n,) = self.wait_notifications(1)
        self.click(n.id, 'decline')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'rejected')
        self.wait_closed(n.id)
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'closed', 3,
                        'the caller to be hung up')
        self.wait_removed(path)
        self.assertEqual(len(self.notifications()), 1, 'no missed call for a declined one')

    def test_answered_by_another_client_closes_it(self):
        leg1, first = self.incoming_from('101')
        (n1,) = self.wait_notifications(1)
        self.click(n1.id, 'answer')
        self.wait_call_state(first, 'active')
        # A second call while the first goes on, answered by another client.
        leg2, second = self.incoming_from('102')
        n1, n2 = self.wait_notifications(2)
        self.assertEqual(n2.summary, 'Incoming call from Carol Chen')
        self.assertNotIn(n2.id, self.closed_ids())
        self.call(second, 'Call', 'Accept')
        self.wait_call_state(second, 'active')
        self.wait_closed(n2.id)
        self.wait_call_state(first, 'held')
        self.settle()
        self.assertEqual(len(self.notifications()), 2)

    def test_dismissing_does_not_decline(self):
        leg, path = self.incoming_from('101')
        (n,) = self.wait_notifications(1)
        self.emit('NotificationClosed', 'uu', n.id, 2)
        self.settle()
        self.assertEqual(self.call_prop(path, 'State'), 'ringing-in')
        self.assertEqual(self.sim.call_info(leg['call'])['state'], 'ringing')
        # An action of a notification that is gone does nothing.
        self.click(n.id, 'decline')
        self.settle()
        self.assertEqual(self.call_prop(path, 'State'), 'ringing-in')
        # Answered elsewhere: nothing is left to close.
        self.call(path, 'Call', 'Accept')
        self.wait_call_state(path, 'active')
        self.settle()
        self.assertEqual(self.closed_ids(), [])
        self.assertEqual(len(self.notifications()), 1)

    def test_missed_call_and_call_back(self):
        leg, path = self.incoming_from('101')
        (ringing,) = self.wait_notifications(1)
        self.sim.hangup(leg['call'])
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'no-answer')
        ringing, missed = self.wait_notifications(2, 'the missed call')
        self.wait_closed(ringing.id)
        self.assertEqual(missed.summary, 'Missed call from Bob Brown')
        self.assertEqual(missed.body, '101')
        self.assertEqual(missed.actions, ['call-back', 'Call back'])
        self.assertEqual(missed.hints['category'], 'call.unanswered')
        self.assertEqual(missed.hints['urgency'], 1)
        # The server keeps a history ("persistence"): its default timeout.
        self.assertEqual(missed.timeout, -1)
        self.settle()
        self.assertEqual(len(self.notifications()), 2)
        self.wait_removed(path)
        # The badge counts it; the notifier leaves acknowledging to the user.
        self.wait_until(lambda: self.get_property(ROOT_PATH, 'Phone', 'MissedCalls') == 1, 3,
                        'MissedCalls == 1')

        t0 = time.monotonic()
        self.click(missed.id, 'call-back')
        back = self.wait_added_call(t0)
        props = self.get_all(back, 'Call')
        self.assertEqual(props['Direction'], 'outgoing')
        self.assertEqual(props['RemoteNumber'], '101')
        self.wait_until(lambda: self.sim_leg('101'), 3, 'the phone 101 to ring')
        self.assertEqual(self.sim_leg('101')['peer'], '100')
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'MissedCalls'), 1)

    def test_a_call_ringing_at_start_is_shown(self):
        self.stop_process(self.notifier)
        leg, path = self.incoming_from('103')
        self.start_notify()
        (n,) = self.wait_notifications(1)
        self.assertEqual(n.summary, 'Incoming call from Dave Diaz')

    def test_daemon_restart(self):
        leg, path = self.incoming_from('101')
        (n,) = self.wait_notifications(1)
        self.daemon.terminate()
        self.daemon.wait(10)
        # Its calls went with it, and so does the notification.
        self.wait_closed(n.id)
        self.assertIsNone(self.notifier.poll())
        self.sim.hangup(leg['call'])
        self.start_offhookd()
        self.wait_state('connected')
        t0 = time.monotonic()
        self.sim.call('102', '100')
        self.wait_until(lambda: self.signals.find('CallAdded', since=t0), 5, 'CallAdded')
        notes = self.wait_notifications(2, 'a notification from the new daemon')
        self.assertEqual(notes[-1].summary, 'Incoming call from Carol Chen')

    def test_sigterm_closes_ringing_and_exits(self):
        leg, path = self.incoming_from('101')
        (n,) = self.wait_notifications(1)
        self.notifier.send_signal(signal.SIGTERM)
        self.assertEqual(self.notifier.wait(5), 0)
        # The notifier flushed the call before exiting; dbus-daemon may still
        # be passing it on when our own query reaches the mock.
        self.wait_closed(n.id)
        self.assertEqual(self.call_prop(path, 'State'), 'ringing-in')

    def test_second_instance_leaves(self):
        proc = subprocess.run([NOTIFY], env=self.env, capture_output=True, text=True, timeout=10)
        self.assertEqual(proc.returncode, 0)
        self.assertIn('already running', proc.stderr)
        self.assertIsNone(self.notifier.poll())

    def test_version(self):
        proc = subprocess.run([NOTIFY, '--version'], capture_output=True, text=True, timeout=10)
        self.assertEqual(proc.returncode, 0)
        self.assertRegex(proc.stdout, r'^offhook-notify \d+\.\d+')
        proc = subprocess.run([NOTIFY, '--bogus'], capture_output=True, text=True, timeout=10)
        self.assertEqual(proc.returncode, 2)


class MessageTest(NotifyTestCase):
    capabilities = ALL_CAPS + ' inline-reply'

    def test_message_with_inline_reply(self):
        self.sim.message('101', '100', 'Lunch <today> & tomorrow?\nsecond line')
        (n,) = self.wait_notifications(1)
        self.assertEqual(n.summary, 'Bob Brown')
        # The server reads markup: the text is escaped; more lines follow.
        self.assertEqual(n.body, 'Lunch &lt;today&gt; &amp; tomorrow?…')
        self.assertEqual(n.hints['category'], 'im.received')
        self.assertEqual(n.actions, ['inline-reply', 'Reply'])
        self.assertEqual(n.hints['x-kde-reply-placeholder-text'], 'Reply to Bob Brown')
        self.settle()
        self.assertEqual(len(self.notifications()), 1)

        self.emit('NotificationReplied', 'us', n.id, 'Sure, at noon')
        got = self.wait_until(lambda: self.sim.messages('101'), 3, 'the reply at 101')
        self.assertEqual(got[-1]['body'], 'Sure, at noon')
        # Showing a message does not mark it read.
        self.assertEqual(self.get_property(ROOT_PATH, 'Chat', 'Unread'), {'101': 1})
        self.assertEqual(self.get_property(ROOT_PATH, 'Chat', 'UnreadTotal'), 1)

    def test_long_and_hostile_text_is_cut(self):
        # The daemon refuses control characters; blank lines, tabs and a
        # right-to-left override get here.
        self.sim.message('102', '100', '\n\n \t\u202e<b>' + 'x' * 500)
        (n,) = self.wait_notifications(1)
        self.assertEqual(n.summary, 'Carol Chen')
        self.assertEqual(n.body, '&lt;b&gt;' + 'x' * 196 + '…')


class PlainServerTest(NotifyTestCase):
    """A server without actions or markup (the template's default has markup
    but no actions)."""
    capabilities = 'body'

    def test_no_actions_and_no_escaping(self):
        leg, path = self.incoming_from('101')
        (n,) = self.wait_notifications(1)
        self.assertEqual(n.actions, [])
        self.assertEqual(n.summary, 'Incoming call from Bob Brown')
        self.sim.hangup(leg['call'])
        n, missed = self.wait_notifications(2)
        self.assertEqual(missed.actions, [])
        # No history on this server: the missed call stays on screen.
        self.assertEqual(missed.timeout, 0)
        self.sim.message('101', '100', 'a <b>c</b>')
        notes = self.wait_notifications(3)
        self.assertEqual(notes[2].body, 'a <b>c</b>')
        self.assertEqual(notes[2].actions, [])
        self.assertNotIn('sound-name', notes[2].hints)


class OpenUriTest(NotifyTestCase):
    start_notifier = False

    def test_tel_places_the_call(self):
        proc = self.open_uri('tel:102')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = proc.stdout.strip()
        self.assertEqual(self.own_calls(), [path])
        self.assertEqual(self.call_prop(path, 'RemoteNumber'), '102')
        self.wait_until(lambda: self.sim_leg('102'), 3, 'the phone 102 to ring')
        self.assertEqual(self.notifications(), [])

    def test_sip_and_callto(self):
        for uri, ext in (('sip:Carol%20Chen@pbx.example.com;transport=tls', '102'),
                         ('callto://103', '103'),
                         ('sips:101@pbx.example.com', '101')):
            with self.subTest(uri=uri):
                proc = self.open_uri(uri)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                path = proc.stdout.strip()
                self.wait_until(lambda: self.sim_leg(ext), 3, 'the phone %s to ring' % ext)
                self.call(path, 'Call', 'Hangup')
                self.wait_until(lambda: not self.sim_leg(ext), 3, 'the phone to stop')

    def test_extension_is_dialled_once_answered(self):
        proc = self.open_uri('tel:1-0-2;ext=1-2', wait=False)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.wait_until(lambda: self.sim_leg('102'), 5, 'the phone 102 to ring')
        self.assertIsNone(proc.poll(), 'waits for the answer')
        self.assertEqual(self.sim.phone('102')['dtmf_received'], '')
        self.sim.answer('102')
        self.wait_until(lambda: proc.poll() is not None, 10, 'the handler to finish')
        out, err = proc.communicate()
        self.assertEqual(proc.returncode, 0, err)
        self.wait_until(lambda: self.sim.phone('102')['dtmf_received'].endswith('12'), 3,
                        'the phone to hear the extension')

    def test_malformed_links_are_refused(self):
        bad = ['', '101', 'http://example.com/', 'mailto:alice@example.com', 'tel:',
               'tel:101&PJSIP/1', 'tel:101%26PJSIP%2F1', 'sip:a&b@y;transport=tcp', 'sip:101:pw@pbx.example.com',
               'tel:10\x1b1', 'tel:101%0A', 'callto:live:x', 'tel:' + '1' * 300]
        for i, uri in enumerate(bad):
            with self.subTest(uri=uri[:40]):
                proc = self.open_uri(uri)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn('offhook-open-uri:', proc.stderr)
                notes = self.notifications()
                self.assertEqual(len(notes), i + 1)
                self.assertEqual(notes[-1].summary, 'Offhook cannot call this link')
                self.assertTrue(notes[-1].body)
                # No control character reaches the notification.
                self.assertFalse(any(ord(c) < 0x20 and c != '\n' for c in notes[-1].body))
        self.assertEqual(self.own_calls(), [])
        self.assertEqual([c for c in self.sim.calls() if c['state'] != 'closed'], [])
        bodies = dict(zip(bad, [n.body for n in self.notifications()]))
        self.assertIn('not a phone link', bodies['101'])
        self.assertIn('does not call “http:” links', bodies['http://example.com/'])
        # The server reads markup: the link is escaped.
        self.assertIn('\ntel:101&amp;PJSIP/1', bodies['tel:101&PJSIP/1'])

    def test_refused_by_the_daemon(self):
        proc = self.open_uri('sip:nobody@pbx.example.com')
        self.assertEqual(proc.returncode, 5, proc.stderr)
        (n,) = self.wait_notifications(1)
        self.assertEqual(n.summary, 'Could not call nobody')
        self.assertEqual(self.own_calls(), [])

    def test_usage(self):
        proc = subprocess.run([OPEN_URI], env=self.env, capture_output=True, text=True,
                              timeout=10)
        self.assertEqual(proc.returncode, 2)
        proc = subprocess.run([OPEN_URI, '--version'], capture_output=True, text=True,
                              timeout=10)
        self.assertEqual(proc.returncode, 0)
        self.assertRegex(proc.stdout, r'^offhook-open-uri \d+\.\d+')


if __name__ == '__main__':
    main()

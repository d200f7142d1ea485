#!/usr/bin/python3
"""The user's own calls: dial, ring, accept, reject, hang up, hold,
transfer, DTMF; watched by two clients at once (issue 6)."""

import time

from harness import (BUS_NAME, IFACE, ROOT_PATH, Gio, GLib, PbxTestCase,
                     SignalLog, main, within)

CALL = IFACE + 'Call'


class CallTestCase(PbxTestCase):

    def setUp(self):
        # Ended calls stay 0.4 s (longer in slow builds, so that tests can
        # still read them).
        self.env_extra = {'OFFHOOK_CALL_GRACE_MS': str(int(within(0.4) * 1000)),
                          'OFFHOOK_RING_TIMEOUT': '3'}
        super().setUp()

    def start_offhookd(self, *args, wait=True):
        self.env.update(self.env_extra)
        return super().start_offhookd(*args, wait=wait)

    def connect_second_client(self):
        bus = Gio.DBusConnection.new_for_address_sync(
            self.env['DBUS_SESSION_BUS_ADDRESS'],
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.addCleanup(bus.close_sync, None)
        log = SignalLog(bus)
        self.addCleanup(log.close)
        return log

    def prepare(self):
        self.login()
        for ext in ('101', '102', '103'):
            self.sim.register(ext)
        self.wait_until(lambda: all(u['Presence'] == 'available' and u['FullName']
                                    for n, u in self.users().items() if n != '100'),
                        5, 'phones registered, with names')
        self.other = self.connect_second_client()

    def call_prop(self, path, name):
        return self.get_property(path, 'Call', name)

    def call_state(self, path):
        """The call's State; 'gone' once it left the bus (it had ended)."""
        try:
            return self.call_prop(path, 'State')
        except GLib.Error:
            return 'gone'

    def wait_call_state(self, path, state, timeout=5):
        def reached():
            now = self.call_state(path)
            return now == state or (state == 'ended' and now == 'gone')
        self.wait_until(reached, timeout,
                        '%s to be %s (is %s)' % (path, state, self.call_state(path)))

    def wait_added_call(self, since):
        """The first call announced after `since` that no test step saw yet
        (signals are time-stamped when the test reads them, a bit late)."""
        seen = getattr(self, '_seen_calls', set())
        self._seen_calls = seen
        found = self.wait_until(
            lambda: [i for i in self.signals.find('CallAdded', since=since)
                     if i[4][0] not in seen], 5, 'CallAdded')
        seen.add(found[0][4][0])
        return found[0][4][0]

    def dial(self, number, options=None):
        path = self.call(ROOT_PATH, 'Phone', 'Dial', 'sa{sv}', (number, options or {}))[0]
        self._seen_calls = getattr(self, '_seen_calls', set()) | {path}
        return path

    def states(self, log, path):
        return [v for _, v in log.property_changes(path, 'Call', 'State')]

    def wait_removed(self, path):
        self.wait_until(lambda: self.signals.find('CallRemoved', where=lambda i: i[4][0] == path),
                        5, 'CallRemoved')
        self.wait_until(lambda: self.other.find('CallRemoved', where=lambda i: i[4][0] == path),
                        5, 'CallRemoved at the second client')

    def assert_same_view(self, path, expected):
        self.wait_removed(path)
        self.assertEqual(self.states(self.signals, path), expected)
        self.assertEqual(self.states(self.other, path), expected)
        self.assertNotIn(path, self.get_property(ROOT_PATH, 'Phone', 'Calls'))
        self.assertNotIn(path, self.managed_objects())

    def op(self, path, method, signature=None, args=()):
        return self.call(path, 'Call', method, signature, args)

    def sim_leg(self, ext):
        calls = [c for c in self.sim.calls() if c['extension'] == ext and c['state'] != 'closed']
        return calls[0] if calls else None


class IncomingTest(CallTestCase):

    def setUp(self):
        super().setUp()
        self.prepare()

    def incoming_from(self, ext):
        t0 = time.monotonic()
        leg = self.sim.call(ext, '100')
        path = self.wait_added_call(t0)
        return leg, path

    def test_incoming_accept_and_hangup(self):
        leg, path = self.incoming_from('101')
        props = self.get_all(path, 'Call')
        self.assertEqual(props['State'], 'ringing-in')
        self.assertEqual(props['Direction'], 'incoming')
        self.assertEqual(props['RemoteNumber'], '101')
        self.assertEqual(props['RemoteName'], 'Bob Brown')
        self.assertEqual(props['RemoteUser'], self.users()['101']['path'])
        self.assertEqual(props['AudioState'], 'none')
        self.assertEqual(props['EndReason'], '')
        self.assertIn(path, self.get_property(ROOT_PATH, 'Phone', 'Calls'))
        self.wait_until(lambda: self.other.find('CallAdded'), 2, 'the second client')
        # The caller hears ringing.
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'ringing', 2,
                        'ringback at the caller')

        self.op(path, 'Accept')
        self.wait_call_state(path, 'active')
        self.assertGreater(self.call_prop(path, 'AnswerTime'), 0)
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'established', 2,
                        'the caller to be connected')
        session = self.call_prop(path, 'Session')
        self.assertTrue(session.startswith(ROOT_PATH + '/Session/'), session)

        self.op(path, 'Hangup')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'local-hangup')
        self.assertGreater(self.call_prop(path, 'EndTime'), 0)
        self.assert_same_view(path, ['active', 'ended'])
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'closed', 2,
                        'the caller to be hung up')
        page, total = self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu', ({}, 0, 10))
        self.assertEqual(total, 1)
        self.assertEqual(page[0]['disposition'], 'answered')
        self.assertEqual(page[0]['caller'], '101')

    def test_missed_calls_badge(self):
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'MissedCalls'), 0)
        for ext in ('101', '102'):
            leg, path = self.incoming_from(ext)
            self.sim.hangup(leg['call'])
            self.wait_call_state(path, 'ended')
        self.wait_until(lambda: self.get_property(ROOT_PATH, 'Phone', 'MissedCalls') == 2, 3,
                        'two missed calls')
        page, _ = self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu',
                            ({'disposition': GLib.Variant('s', 'missed')}, 0, 10))
        self.assertEqual(sorted(e['caller'] for e in page), ['101', '102'])
        self.assertEqual({e['direction'] for e in page}, {'internal'})
        # A call the user places and nobody answers is not a missed call of hers.
        path = self.dial('103')
        self.wait_call_state(path, 'ringing-out')
        self.op(path, 'Hangup')
        self.wait_until(lambda: len(self.signals.find('EntryAdded')) == 3, 3, 'three entries')
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'MissedCalls'), 2)
        self.call(ROOT_PATH, 'Phone', 'AcknowledgeMissedCalls')
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'MissedCalls'), 0)
        # It stays acknowledged across a restart.
        self.daemon.terminate()
        self.daemon.wait(10)
        self.start_offhookd()
        self.wait_state('connected')
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'MissedCalls'), 0)

    def test_reject(self):
        leg, path = self.incoming_from('102')
        self.op(path, 'Reject')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'rejected')
        self.assert_same_view(path, ['ended'])
        info = self.sim.call_info(leg['call'])
        self.assertEqual(info['state'], 'closed')

    def test_caller_gives_up(self):
        leg, path = self.incoming_from('101')
        self.sim.hangup(leg['call'])
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'no-answer')
        self.assert_same_view(path, ['ended'])

    def test_remote_hangup(self):
        leg, path = self.incoming_from('101')
        self.op(path, 'Accept')
        self.wait_call_state(path, 'active')
        self.sim.hangup(leg['call'])
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'remote-hangup')
        self.assert_same_view(path, ['active', 'ended'])

    def test_call_waiting(self):
        leg1, first = self.incoming_from('101')
        self.op(first, 'Accept')
        self.wait_call_state(first, 'active')
        leg2, second = self.incoming_from('102')
        self.assertNotEqual(first, second)
        self.assertEqual(self.call_prop(second, 'State'), 'ringing-in')
        self.assertEqual(self.call_prop(first, 'State'), 'active')
        self.op(second, 'Accept')
        self.wait_call_state(second, 'active')
        self.wait_call_state(first, 'held')
        # Back to the first: the second is held in turn.
        self.op(first, 'Unhold')
        self.wait_call_state(first, 'active')
        self.wait_call_state(second, 'held')
        self.call(ROOT_PATH, 'Phone', 'HangupAll')
        self.wait_call_state(first, 'ended')
        self.wait_call_state(second, 'ended')

    def test_dtmf_both_ways(self):
        leg, path = self.incoming_from('101')
        self.op(path, 'Accept')
        self.wait_call_state(path, 'active')
        self.op(path, 'SendDtmf', 's', ('12#',))
        self.wait_until(lambda: self.sim.phone('101')['dtmf_received'].endswith('12#'),
                        3, 'the phone to receive 12#')
        self.sim.dtmf('101', '5')
        for log in (self.signals, self.other):
            got = self.wait_until(lambda: log.find('DtmfReceived', path=path), 3, 'DtmfReceived')
            self.assertEqual(got[0][4], ('5',))

    def test_wrong_state_operations_change_nothing(self):
        leg, path = self.incoming_from('101')
        for method in ('Hold', 'Unhold'):
            self.assertDBusError('org.offhook.Offhook1.Error.NotSupported', self.op, path, method)
        self.assertDBusError('org.offhook.Offhook1.Error.NotSupported',
                             self.op, path, 'SendDtmf', 's', ('1',))
        self.assertDBusError('org.offhook.Offhook1.Error.NotSupported',
                             self.op, path, 'Transfer', 's', ('103',))
        self.assertEqual(self.call_prop(path, 'State'), 'ringing-in')
        self.op(path, 'Accept')
        self.wait_call_state(path, 'active')
        for method in ('Accept', 'Reject', 'Unhold'):
            self.assertDBusError('org.offhook.Offhook1.Error.NotSupported', self.op, path, method)
        self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                             self.op, path, 'SendDtmf', 's', ('12x',))
        self.assertEqual(self.call_prop(path, 'State'), 'active')
        self.op(path, 'Hangup')
        self.wait_call_state(path, 'ended')
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound', self.op, path, 'Hangup')


class OutgoingTest(CallTestCase):

    def setUp(self):
        super().setUp()
        self.prepare()

    def test_outgoing_answered_and_remote_hangup(self):
        path = self.dial('102')
        props = self.get_all(path, 'Call')
        self.assertEqual(props['Direction'], 'outgoing')
        self.assertEqual(props['RemoteNumber'], '102')
        self.assertEqual(props['RemoteName'], 'Carol Chen')
        self.wait_call_state(path, 'ringing-out')
        # The callee sees who calls: the user's name and extension.
        leg = self.wait_until(lambda: self.sim_leg('102'), 2, 'the phone to ring')
        self.assertEqual(leg['peer'], '100')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.sim.hangup('102')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'remote-hangup')
        self.assert_same_view(path, ['ringing-out', 'active', 'ended'])

    def test_busy(self):
        path = self.dial('103')
        self.wait_call_state(path, 'ringing-out')
        self.sim.reject('103', cause='busy')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'busy')

    def test_rejected(self):
        path = self.dial('103')
        self.wait_call_state(path, 'ringing-out')
        self.sim.reject('103', cause='rejected')
        self.wait_call_state(path, 'ended')
        self.assertIn(self.call_prop(path, 'EndReason'), ('rejected', 'busy'))

    def test_no_answer(self):
        path = self.dial('103')
        self.wait_call_state(path, 'ringing-out')
        self.wait_call_state(path, 'ended', timeout=10)
        self.assertEqual(self.call_prop(path, 'EndReason'), 'no-answer')

    def test_unregistered_callee_fails(self):
        # Asterisk refuses to originate to an endpoint without a contact:
        # Dial fails with the PBX's reason, and the call it announced ends.
        self.sim.unregister('103')
        t0 = time.monotonic()
        err = self.assertDBusError('org.offhook.Offhook1.Error.Failed', self.dial, '103')
        self.assertIn('could not place the call', err.message)
        path = self.wait_added_call(t0)
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'failed')
        self.wait_removed(path)

    def test_dial_by_user_name_and_user_call(self):
        path = self.dial('Carol Chen')
        self.assertEqual(self.call_prop(path, 'RemoteNumber'), '102')
        self.op(path, 'Hangup')
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'local-hangup')
        path = self.call(self.users()['103']['path'], 'User', 'Call')[0]
        self.assertEqual(self.call_prop(path, 'RemoteNumber'), '103')
        self.wait_call_state(path, 'ringing-out')
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound',
                             self.call, self.users()['101']['path'], 'User', 'CallMobile')

    def test_hold_plays_music_and_unhold(self):
        path = self.dial('102')
        self.wait_call_state(path, 'ringing-out')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.op(path, 'Hold')
        self.wait_call_state(path, 'held')
        self.wait_until(lambda: 420 <= (self.sim.audio('102', 500).get('dominant_hz') or 0) <= 430,
                        5, 'music on hold at the phone')
        self.op(path, 'Unhold')
        self.wait_call_state(path, 'active')
        self.wait_until(lambda: not (420 <= (self.sim.audio('102', 300).get('dominant_hz') or 0) <= 430),
                        5, 'the music to stop')

    def test_blind_transfer(self):
        path = self.dial('102')
        self.wait_call_state(path, 'ringing-out')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.op(path, 'Transfer', 's', ('103',))
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'transferred')
        self.wait_until(lambda: self.sim_leg('103'), 3, '103 to ring')
        self.sim.answer('103')
        # 102 (700 Hz) and 103 (900 Hz) talk to each other.
        self.wait_until(lambda: abs((self.sim.audio('103', 500).get('dominant_hz') or 0) - 700) < 10,
                        5, '103 to hear 102')
        self.wait_until(lambda: abs((self.sim.audio('102', 500).get('dominant_hz') or 0) - 900) < 10,
                        5, '102 to hear 103')

    def test_attended_transfer(self):
        first = self.dial('102')
        self.wait_call_state(first, 'ringing-out')
        self.sim.answer('102')
        self.wait_call_state(first, 'active')
        self.op(first, 'Hold')
        self.wait_call_state(first, 'held')
        second = self.dial('103')
        self.wait_call_state(second, 'ringing-out')
        self.sim.answer('103')
        self.wait_call_state(second, 'active')
        self.op(second, 'TransferTo', 'o', (first,))
        self.wait_call_state(first, 'ended')
        self.wait_call_state(second, 'ended')
        self.assertEqual(self.call_prop(first, 'EndReason'), 'transferred')
        self.assertEqual(self.call_prop(second, 'EndReason'), 'transferred')
        self.wait_until(lambda: abs((self.sim.audio('103', 500).get('dominant_hz') or 0) - 700) < 10,
                        5, '103 to hear 102')
        self.wait_until(lambda: abs((self.sim.audio('102', 500).get('dominant_hz') or 0) - 900) < 10,
                        5, '102 to hear 103')
        # When one of them hangs up, the other is hung up too.
        self.sim.hangup('102')
        self.wait_until(lambda: self.sim_leg('103') is None, 5, '103 to be hung up')

    def test_transfer_to_bad_targets(self):
        path = self.dial('102')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                             self.op, path, 'Transfer', 's', ('103&PJSIP/101',))
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound',
                             self.op, path, 'TransferTo', 'o', (ROOT_PATH + '/Call/999',))
        self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                             self.op, path, 'TransferTo', 'o', (path,))
        self.assertEqual(self.call_prop(path, 'State'), 'active')

    def test_invalid_numbers_never_reach_the_pbx(self):
        self.sim.clear_requests()
        bad = ['100&PJSIP/200', '1,2', 'PJSIP/x', '', '1' * 1024, 'Zoë\u202e', '12(3)',
               '+', '1\n2', 'Local/100@internal', '${EXTEN}', ' 101']
        for number in bad:
            with self.subTest(number=number[:20]):
                self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                                     self.dial, number)
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound', self.dial, 'Nobody Here')
        self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument', self.dial, '101',
                             {'colour': GLib.Variant('s', 'red')})
        posts = [r for r in self.sim.requests() if r['method'] == 'POST']
        self.assertEqual(posts, [])
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'Calls'), [])


class PbxGoneTest(CallTestCase):

    def test_pbx_dropping_mid_call(self):
        self.prepare()
        path = self.call(ROOT_PATH, 'Phone', 'Dial', 'sa{sv}', ('102', {}))[0]
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        self.stop_sim()
        self.wait_call_state(path, 'ended', timeout=15)
        self.assertEqual(self.call_prop(path, 'EndReason'), 'failed')
        self.wait_removed(path)
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'Calls'), [])
        self.start_sim()
        self.wait_state('connected', timeout=20)
        self.assertEqual(self.get_property(ROOT_PATH, 'Phone', 'Calls'), [])
        self.assertFalse([p for p in self.managed_objects() if '/Call/' in p])

    def test_dial_when_not_connected(self):
        self.assertDBusError('org.offhook.Offhook1.Error.NotConnected',
                             self.call, ROOT_PATH, 'Phone', 'Dial', 'sa{sv}', ('102', {}))


if __name__ == '__main__':
    main()

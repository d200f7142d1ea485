#!/usr/bin/python3
"""offhook calls, call, answer, reject, hangup, hold, unhold, transfer, dtmf,
mute, unmute against the daemon and the PBX simulator (issue 9)."""

import time

from harness import ROOT_PATH, PbxTestCase, main
from test_cli import CliMixin

CALL_FIELDS = ['answer-time', 'audio-state', 'direction', 'end-reason', 'end-time', 'id',
               'muted', 'path', 'remote-name', 'remote-number', 'remote-user', 'session',
               'start-time', 'state', 'talk-seconds']


class CliCallsTestCase(CliMixin, PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()
        for ext in ('101', '102', '103'):
            self.sim.register(ext)
        self.wait_until(lambda: all(u['Presence'] == 'available' and u['FullName']
                                    for n, u in self.users().items() if n != '100'),
                        5, 'phones registered, with names')

    def start_offhookd(self, *args, wait=True):
        # Ended calls leave the bus sooner; unanswered ones ring shorter.
        self.env.update({'OFFHOOK_CALL_GRACE_MS': '400', 'OFFHOOK_RING_TIMEOUT': '3'})
        return super().start_offhookd(*args, wait=wait)

    def call_prop(self, path, name):
        return self.get_property(path, 'Call', name)

    def wait_call_state(self, path, state, timeout=5):
        self.wait_until(lambda: self.call_prop(path, 'State') == state, timeout,
                        '%s to be %s' % (path, state))

    def calls(self):
        return self.get_property(ROOT_PATH, 'Phone', 'Calls')

    def incoming_from(self, ext):
        before = set(self.calls())
        leg = self.sim.call(ext, '100')
        path = self.wait_until(lambda: (set(self.calls()) - before or {None}).pop(), 5,
                               'the incoming call')
        self.wait_call_state(path, 'ringing-in')
        return leg, path

    def new_call(self, before):
        return self.wait_until(lambda: (set(self.calls()) - before or {None}).pop(), 5,
                               'the new call')

    def sim_leg(self, ext):
        calls = [c for c in self.sim.calls() if c['extension'] == ext and c['state'] != 'closed']
        return calls[0] if calls else None

    def wait_gone(self):
        self.wait_until(lambda: not self.calls(), 5, 'no calls left')


class CliCallsTest(CliCallsTestCase):

    def test_without_calls(self):
        self.assertEqual(self.cli_ok('calls'), 'You have no calls.\n')
        self.assertEqual(self.cli_json('calls'), [])
        for args, message in ((('answer',), 'no call is ringing'),
                              (('reject',), 'no call is ringing'),
                              (('hangup',), 'no call to hang up'),
                              (('hold',), 'no active call'),
                              (('unhold',), 'no held call'),
                              (('dtmf', '1'), 'no active call'),
                              (('mute',), 'no call'),
                              (('unmute',), 'no call'),
                              (('transfer', '103'), 'no active or held call'),
                              (('answer', '7'), 'there is no call “7”'),
                              (('transfer', '--to', '7'), 'there is no call “7”')):
            with self.subTest(args=args):
                self.cli_fails(5, *args, message=message)

    def test_incoming_call_from_ring_to_hangup(self):
        leg, path = self.incoming_from('101')
        n = path.rsplit('/', 1)[1]

        rows = self.table(self.cli_ok('calls'))
        self.assertEqual(rows[0], ['CALL', 'STATE', 'DIRECTION', 'WITH', 'STARTED', 'TALK',
                                   'MUTED', 'AUDIO'])
        self.assertEqual(rows[1][:4], [n, 'ringing in', 'incoming', '101 Bob Brown'])
        self.assertRegex(rows[1][4], r'^\d\d:\d\d:\d\d$')
        self.assertEqual(rows[1][5:7], ['-', 'no'])
        [call] = self.cli_json('calls')
        self.assertEqual(sorted(call), CALL_FIELDS)
        self.assertEqual((call['id'], call['path'], call['state'], call['direction']),
                         (n, path, 'ringing-in', 'incoming'))
        self.assertEqual((call['remote-number'], call['remote-name'], call['remote-user']),
                         ('101', 'Bob Brown', '101'))
        self.assertEqual((call['end-reason'], call['answer-time'], call['muted']), ('', 0, False))
        self.assertGreater(call['start-time'], 0)

        # Without CALL: the one ringing call.
        self.assertEqual(self.cli_ok('answer'), 'Answered call %s (101 Bob Brown).\n' % n)
        self.wait_call_state(path, 'active')
        self.wait_until(lambda: self.sim.call_info(leg['call'])['state'] == 'established', 3,
                        'the caller to be connected')
        [call] = self.cli_json('calls')
        self.assertEqual(call['state'], 'active')
        self.assertGreater(call['answer-time'], 0)
        self.assertNotEqual(call['session'], '')

        self.assertEqual(self.cli_ok('dtmf', '12#'), 'Sent 12# in call %s.\n' % n)
        self.wait_until(lambda: self.sim.phone('101')['dtmf_received'].endswith('12#'), 3,
                        'the phone to hear 12#')

        self.assertEqual(self.cli_json('mute'), {'id': n, 'path': path})
        self.wait_until(lambda: self.call_prop(path, 'Muted'), 2, 'muted')
        self.assertEqual(self.table(self.cli_ok('calls'))[1][6], 'yes')
        self.assertEqual(self.cli_ok('unmute', n), 'Call %s is unmuted.\n' % n)
        self.wait_until(lambda: not self.call_prop(path, 'Muted'), 2, 'unmuted')

        self.assertEqual(self.cli_ok('hold'), 'Call %s (101 Bob Brown) is on hold.\n' % n)
        self.wait_call_state(path, 'held')
        self.cli_fails(5, 'hold', message='no active call')
        # The whole object path names the call as well.
        self.assertEqual(self.cli_ok('unhold', path), 'Call %s (101 Bob Brown) is resumed.\n' % n)
        self.wait_call_state(path, 'active')

        self.assertEqual(self.cli_ok('hangup'), 'Hung up call %s (101 Bob Brown).\n' % n)
        self.wait_call_state(path, 'ended')
        [call] = self.cli_json('calls')
        self.assertEqual((call['state'], call['end-reason']), ('ended', 'local-hangup'))
        self.assertGreater(call['end-time'], 0)
        self.assertEqual(self.table(self.cli_ok('calls'))[1][1], 'ended')
        self.wait_gone()
        self.assertEqual(self.cli_json('calls'), [])

    def test_reject_by_id(self):
        leg, path = self.incoming_from('102')
        n = path.rsplit('/', 1)[1]
        self.assertEqual(self.cli_json('reject', n), {'id': n, 'path': path})
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'rejected')

    def test_several_calls_are_ambiguous(self):
        _, first = self.incoming_from('101')
        self.cli_ok('answer')
        self.wait_call_state(first, 'active')
        _, second = self.incoming_from('102')
        # One ringing call: answer knows which (and holds the first).
        self.cli_ok('answer')
        self.wait_call_state(second, 'active')
        self.wait_call_state(first, 'held')
        # hangup could mean either: exit 2 and the list, nothing done.
        out = self.cli('hangup')
        self.assertEqual((out.returncode, out.stdout), (2, ''))
        lines = out.stderr.splitlines()
        self.assertEqual(lines[0], 'offhook: there are several calls; say which one (CALL):')
        n1, n2 = first.rsplit('/', 1)[1], second.rsplit('/', 1)[1]
        self.assertEqual(lines[1:], ['  %s  held  101 Bob Brown' % n1,
                                     '  %s  active  102 Carol Chen' % n2])
        self.assertEqual(self.call_prop(first, 'State'), 'held')
        self.assertEqual(self.cli_ok('hangup', n1), 'Hung up call %s (101 Bob Brown).\n' % n1)
        self.wait_call_state(first, 'ended')
        # One call left that has not ended: no doubt any more.
        self.cli_ok('hangup')
        self.wait_call_state(second, 'ended')

    def test_outgoing_calls(self):
        before = set(self.calls())
        out = self.cli_ok('call', '102')
        path = self.new_call(before)
        n = path.rsplit('/', 1)[1]
        self.assertEqual(out, 'Calling 102 (call %s).\n' % n)
        self.wait_until(lambda: self.sim_leg('102'), 3, '102 to ring')
        self.wait_call_state(path, 'ringing-out')
        self.assertEqual(self.table(self.cli_ok('calls'))[1][:4],
                         [n, 'ringing out', 'outgoing', '102 Carol Chen'])
        self.cli_ok('hangup')
        self.wait_call_state(path, 'ended')

        # By name: the start of a word of it.
        doc = self.cli_json('call', 'dave')
        self.assertEqual(self.call_prop(doc['path'], 'RemoteNumber'), '103')
        self.assertEqual(doc['id'], doc['path'].rsplit('/', 1)[1])
        self.cli_ok('hangup', doc['id'])
        self.wait_call_state(doc['path'], 'ended')

        # What the daemon refuses, with its reason and exit status.
        self.cli_fails(2, 'call', '12&3', message='')
        self.cli_fails(5, 'call', '--', '-1', message='“-1”')
        self.cli_fails(5, 'call', 'Nobody Here', message='')
        self.cli_fails(5, 'call', '--mobile', 'bob', message='')
        self.cli_fails(5, 'call', '--mobile', 'nobody', message='no user matches')
        # The PBX cannot place it: failed, with the reason.
        self.sim.unregister('103')
        self.cli_fails(1, 'call', '103', message='could not place the call')

    def test_blind_transfer(self):
        before = set(self.calls())
        self.cli_ok('call', 'carol')
        path = self.new_call(before)
        self.wait_until(lambda: self.sim_leg('102'), 3, '102 to ring')
        self.sim.answer('102')
        self.wait_call_state(path, 'active')
        n = path.rsplit('/', 1)[1]
        self.assertEqual(self.cli_ok('transfer', 'dave'),
                         'Transferred call %s (102 Carol Chen) to 103.\n' % n)
        self.wait_call_state(path, 'ended')
        self.assertEqual(self.call_prop(path, 'EndReason'), 'transferred')
        self.wait_until(lambda: self.sim_leg('103'), 3, '103 to ring')

    def test_attended_transfer(self):
        before = set(self.calls())
        self.cli_ok('call', '102')
        first = self.new_call(before)
        self.wait_until(lambda: self.sim_leg('102'), 3, '102 to ring')
        self.sim.answer('102')
        self.wait_call_state(first, 'active')
        self.cli_ok('hold')
        self.wait_call_state(first, 'held')
        before = set(self.calls())
        self.cli_ok('call', '103')
        second = self.new_call(before)
        self.wait_until(lambda: self.sim_leg('103'), 3, '103 to ring')
        self.sim.answer('103')
        self.wait_call_state(second, 'active')
        n1, n2 = first.rsplit('/', 1)[1], second.rsplit('/', 1)[1]
        # Without CALL the call to transfer is the other one.
        self.assertEqual(self.cli_json('transfer', '--to', n1), {'id': n2, 'path': second})
        self.wait_call_state(first, 'ended')
        self.wait_call_state(second, 'ended')
        self.assertEqual(self.call_prop(first, 'EndReason'), 'transferred')
        self.cli_fails(5, 'transfer', '--to', n1, message='')

    def test_not_connected(self):
        self.call(ROOT_PATH, 'Account', 'Disconnect')
        self.cli_fails(4, 'calls', message='not connected')
        self.cli_fails(4, 'answer', message='not connected')
        self.cli_fails(4, 'call', '102', message='')


class CliAmbiguousNameTest(CliCallsTestCase):
    sim_users = {'users': [
        {'extension': '100', 'name': 'Alice Anders'},
        {'extension': '101', 'name': 'Carol Chen'},
        {'extension': '102', 'name': 'Carol Cruz'},
        {'extension': '103', 'name': 'Dave Diaz'},
    ]}

    def test_a_name_of_two_users(self):
        out = self.cli('call', 'carol')
        self.assertEqual((out.returncode, out.stdout), (2, ''))
        self.assertEqual(out.stderr.splitlines(), [
            'offhook: “carol” matches several users; say which:',
            '  101  Carol Chen', '  102  Carol Cruz'])
        self.assertEqual(self.calls(), [])
        before = set(self.calls())
        self.cli_ok('call', 'cruz')
        path = self.new_call(before)
        self.assertEqual(self.call_prop(path, 'RemoteNumber'), '102')


if __name__ == '__main__':
    main()

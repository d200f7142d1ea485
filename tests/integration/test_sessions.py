#!/usr/bin/python3
"""Sessions: every call on the PBX, live; history: every call, kept (issue 5)."""

import os
import signal
import subprocess
import time

from harness import IFACE, within, OFFHOOKD, ROOT_PATH, GLib, PbxTestCase, main

SESSION = IFACE + 'Session'


def added_sessions(log, since=0.0):
    return [i for i in log.find('InterfacesAdded', since=since) if SESSION in i[4][1]]


class SessionsTest(PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()
        for ext in ('101', '102', '103'):
            self.sim.register(ext)
        self.wait_until(lambda: all(u['Presence'] == 'available'
                                    for n, u in self.users().items() if n != '100'),
                        5, 'phones registered')
        self.wait_until(lambda: self.users()['103']['FullName'], 5, 'names')

    def query(self, filter=None, page=0, rows=50):
        return self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu', (filter or {}, page, rows))

    def states_of(self, path, since=0.0):
        """The states a client saw after 'setup': the one the session was
        announced with (changes within the main-loop turn that created it
        come with it), then each PropertiesChanged."""
        announced = [i[4][1][SESSION]['State']
                     for i in added_sessions(self.signals, since) if i[4][0] == path]
        states = announced[:1] + [v for _, v in self.signals.property_changes(
            path, 'Session', 'State', since)]
        return [v for v in states if v != 'setup']

    def test_answered_call_walks_through_states_into_history(self):
        t0 = time.monotonic()
        call = self.sim.call('101', '102')
        added = self.wait_until(lambda: added_sessions(self.signals, t0), 2, 'a session')
        self.assertLess(added[0][0] - t0, within(0.1))
        path, ifaces = added[0][4]
        session = ifaces[SESSION]
        self.assertEqual(session['Caller'], '101')
        self.assertEqual(session['CallerName'], 'Bob Brown')
        self.assertEqual(session['Callee'], '102')
        self.assertGreater(session['StartTime'], 0)

        self.wait_until(lambda: 'ringing' in self.states_of(path), 2, 'ringing')
        users = self.get_property(path, 'Session', 'Users')
        self.assertIn(self.users()['101']['path'], users)
        self.assertIn(self.users()['102']['path'], users)
        self.assertIn(path, self.get_property(self.users()['102']['path'], 'User', 'Sessions'))

        self.sim.answer('102')
        self.wait_until(lambda: 'in-call' in self.states_of(path), 2, 'in-call')
        answered = self.get_property(path, 'Session', 'AnswerTime')
        self.assertGreater(answered, 0)
        self.assertEqual(self.get_property(path, 'Session', 'CalleeName'), 'Carol Chen')
        self.sim.hold('101')
        self.wait_until(lambda: 'on-hold' in self.states_of(path), 2, 'on-hold')
        self.sim.unhold('101')
        self.wait_until(lambda: self.states_of(path).count('in-call') == 2, 2, 'in-call again')
        deadline = time.monotonic() + 1.2
        self.wait_until(lambda: time.monotonic() > deadline, 3, 'some talk time')
        self.sim.hangup(call['call'])

        removed = self.wait_until(
            lambda: self.signals.find('InterfacesRemoved', where=lambda i: i[4][0] == path),
            3, 'the session to close')
        self.assertEqual(self.states_of(path), ['ringing', 'in-call', 'on-hold', 'in-call',
                                                'completed'])
        # The history entry was committed (and announced) before the session left.
        entries = self.signals.find('EntryAdded')
        self.assertEqual(len(entries), 1)
        self.assertLess(entries[0][0], removed[0][0])
        self.assertEqual(self.get_property(self.users()['102']['path'], 'User', 'Sessions'), [])

        page, total = self.query()
        self.assertEqual(total, 1)
        entry = page[0]
        self.assertEqual(entry, entries[0][4][0])
        self.assertEqual(entry['session-id'], session['SessionId'])
        self.assertEqual((entry['caller'], entry['caller-name']), ('101', 'Bob Brown'))
        self.assertEqual((entry['callee'], entry['callee-name']), ('102', 'Carol Chen'))
        self.assertEqual(entry['direction'], 'internal')
        self.assertEqual(entry['disposition'], 'answered')
        self.assertEqual(entry['answer-time'], answered)
        self.assertGreaterEqual(entry['talk-seconds'], 1)
        self.assertLessEqual(entry['talk-seconds'], 3)
        self.assertGreater(entry['end-time'], entry['answer-time'])

    def finish_and_get_disposition(self, action):
        t0 = time.monotonic()
        call = self.sim.call('101', '103')
        added = self.wait_until(lambda: added_sessions(self.signals, t0), 2, 'a session')
        path = added[0][4][0]
        self.wait_until(lambda: 'ringing' in self.states_of(path, t0), 2, 'ringing')
        action(call)
        self.wait_until(lambda: self.signals.find('EntryAdded', since=t0), 5, 'a history entry')
        return self.signals.find('EntryAdded', since=t0)[0][4][0]['disposition']

    def test_unanswered_call_is_missed(self):
        self.assertEqual(self.finish_and_get_disposition(
            lambda call: self.sim.hangup(call['call'])), 'missed')

    def test_busy_call(self):
        self.assertEqual(self.finish_and_get_disposition(
            lambda call: self.sim.reject('103', cause='busy')), 'busy')

    def test_rejected_call_counts_as_busy(self):
        # The callee declined: the caller heard busy.
        self.assertEqual(self.finish_and_get_disposition(
            lambda call: self.sim.reject('103', cause='rejected')), 'busy')

    def test_call_to_unregistered_phone_failed(self):
        self.sim.unregister('103')
        t0 = time.monotonic()
        self.sim.call('101', '103')
        self.wait_until(lambda: self.signals.find('EntryAdded', since=t0), 5, 'an entry')
        entry = self.signals.find('EntryAdded', since=t0)[0][4][0]
        self.assertEqual(entry['disposition'], 'failed')
        self.assertEqual(entry['talk-seconds'], 0)

    def test_running_call_survives_reconnect(self):
        call = self.sim.call('101', '102')
        self.sim.answer('102')
        self.wait_until(lambda: any(s['State'] == 'in-call' for s in self.sessions().values()),
                        2, 'in-call')
        before = self.sessions()
        t0 = time.monotonic()
        self.sim.drop_events()
        self.wait_until(lambda: 'connecting' in [v for _, v in self.signals.property_changes(
            ROOT_PATH, 'Account', 'State', t0)], 5, 'a reconnect')
        self.wait_state('connected')
        self.assertEqual(sorted(self.sessions()), sorted(before))
        self.assertEqual(list(self.sessions().values())[0]['State'], 'in-call')
        self.assertFalse(self.signals.find('InterfacesRemoved', since=t0))
        self.sim.hangup(call['call'])
        self.wait_until(lambda: not self.sessions(), 3, 'the session to end')
        self.assertEqual(self.query()[1], 1)

    def test_calls_that_ended_while_disconnected_are_recorded(self):
        self.sim.call('101', '102')
        self.sim.answer('102')
        self.wait_until(lambda: any(s['State'] == 'in-call' for s in self.sessions().values()),
                        2, 'in-call')
        # The PBX restarts: every channel is gone when we come back.
        self.sim.restart(down_ms=300)
        self.wait_until(lambda: self.signals.find('EntryAdded'), 15, 'an entry')
        self.wait_until(lambda: not self.sessions(), 5, 'no session left')
        self.wait_state('connected', timeout=15)
        page, total = self.query()
        self.assertEqual(total, 1)
        self.assertEqual(page[0]['disposition'], 'answered')

    def test_bad_queries(self):
        bad = [
            ({}, 0, 0),
            ({}, 0, 1001),
            ({'colour': GLib.Variant('s', 'red')}, 0, 10),
            ({'since': GLib.Variant('x', 10), 'until': GLib.Variant('x', 5)}, 0, 10),
            ({'since': GLib.Variant('s', 'yesterday')}, 0, 10),
            ({'direction': GLib.Variant('s', 'sideways')}, 0, 10),
            ({'disposition': GLib.Variant('s', 'lost')}, 0, 10),
        ]
        for args in bad:
            with self.subTest(args=args):
                err = self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                                           self.query, *args)
                self.assertTrue(err.message)


class ConcurrentCallsTest(PbxTestCase):
    N = 200
    sim_users = {'users': [{'extension': str(1000 + i), 'name': 'User %d' % i,
                            'registered': True} for i in range(2 * 200)]
                 + [{'extension': '100', 'name': 'Alice Anders'}]}

    def test_200_concurrent_calls(self):
        self.login()
        self.wait_until(lambda: len(self.users()) == 2 * self.N + 1, 10, 'all users')
        t0 = time.monotonic()
        calls = [self.sim.call(str(1000 + i), str(1000 + self.N + i)) for i in range(self.N)]
        for i in range(self.N):
            self.sim.answer(str(1000 + self.N + i))
        self.wait_until(lambda: len(added_sessions(self.signals, t0)) >= self.N, within(20),
                        '200 sessions')
        for c in calls:
            self.sim.hangup(c['call'])
        self.wait_until(lambda: len(self.signals.find('EntryAdded', since=t0)) >= self.N,
                        within(30), '200 history entries')
        self.wait_until(lambda: not self.sessions(), within(10), 'no session left')
        self.assertEqual(len(added_sessions(self.signals, t0)), self.N)
        page, total = self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu', ({}, 0, 1000))
        self.assertEqual(total, self.N)
        self.assertEqual({e['disposition'] for e in page}, {'answered'})
        self.assertEqual(len({e['session-id'] for e in page}), self.N)


class CrashTest(PbxTestCase):

    def test_sigkill_keeps_committed_entries(self):
        self.login()
        for ext in ('101', '102'):
            self.sim.register(ext)
        for _ in range(30):
            call = self.sim.call('101', '102')
            self.sim.hangup(call['call'])
        self.wait_until(lambda: len(self.signals.find('EntryAdded')) >= 10, 10, 'some entries')
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait(10)
        announced = {i[4][0]['id'] for i in self.signals.find('EntryAdded')}
        db = os.path.join(self.env['XDG_DATA_HOME'], 'offhook', 'offhook.db')
        check = subprocess.run(['sqlite3', db, 'PRAGMA integrity_check;'],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(check.stdout.strip(), 'ok', check.stderr)
        self.start_offhookd()
        page, total = self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu', ({}, 0, 1000))
        self.assertTrue(announced <= {e['id'] for e in page})
        self.assertGreaterEqual(total, len(announced))


class BigHistoryTest(PbxTestCase):
    N = 100_000

    def test_paging_and_filters_on_100000_entries(self):
        # Let the daemon create its database, then fill it as a year of
        # calls would, and ask it.
        db = os.path.join(self.env['XDG_DATA_HOME'], 'offhook', 'offhook.db')
        self.wait_until(lambda: os.path.exists(db), 5, 'the database')
        self.daemon.send_signal(signal.SIGTERM)
        self.daemon.wait(10)
        gen = os.environ.get('OFFHOOK_GEN_HISTORY',
                             os.path.join(os.path.dirname(OFFHOOKD), '..', 'tests',
                                          'integration', 'gen-history'))
        subprocess.run([gen, db, str(self.N)], check=True, timeout=300)
        names = ['Bob Brown', 'Carol Chen', 'Dave Diaz', 'Erin Evans']
        dirs = ['incoming', 'outgoing', 'internal']
        disps = ['answered', 'missed', 'busy', 'failed']
        base = 1_700_000_000_000_000
        expected = [{
            'session-id': 's%d' % i,
            'caller': str(101 + i % 4), 'caller-name': names[i % 4],
            'callee': str(200 + i % 7), 'callee-name': 'Callee %d' % (i % 7),
            'direction': dirs[i % 3], 'disposition': disps[i % 4],
            'start-time': base + i * 60_000_000,
        } for i in range(self.N)]
        self.start_offhookd()

        def q(filter, page=0, rows=100):
            return self.call(ROOT_PATH, 'History', 'Query', 'a{sv}uu', (filter, page, rows))

        def check(filter, predicate):
            want = [e for e in expected if predicate(e)]
            want.sort(key=lambda e: -e['start-time'])
            page, total = q(filter)
            self.assertEqual(total, len(want), filter)
            self.assertEqual([e['session-id'] for e in page],
                             [e['session-id'] for e in want[:100]], filter)
            last_page = (total - 1) // 100
            page, _ = q(filter, last_page)
            self.assertEqual([e['session-id'] for e in page],
                             [e['session-id'] for e in want[last_page * 100:]], filter)

        check({}, lambda e: True)
        check({'text': GLib.Variant('s', 'carol')},
              lambda e: 'carol' in (e['caller-name'] + e['callee-name']).lower())
        check({'text': GLib.Variant('s', '206')},
              lambda e: '206' in e['caller'] + ' ' + e['callee'])
        check({'extension': GLib.Variant('s', '102')},
              lambda e: '102' in (e['caller'], e['callee']))
        check({'direction': GLib.Variant('s', 'outgoing')},
              lambda e: e['direction'] == 'outgoing')
        check({'disposition': GLib.Variant('s', 'missed')},
              lambda e: e['disposition'] == 'missed')
        since, until = base + 1000 * 60_000_000, base + 5000 * 60_000_000
        check({'since': GLib.Variant('x', since), 'until': GLib.Variant('x', until)},
              lambda e: since <= e['start-time'] <= until)
        check({'disposition': GLib.Variant('s', 'busy'), 'text': GLib.Variant('s', 'dave'),
               'since': GLib.Variant('x', since)},
              lambda e: e['disposition'] == 'busy' and 'dave' in e['caller-name'].lower()
              and e['start-time'] >= since)
        # Beyond the last page: empty, with the total.
        page, total = q({}, 5000)
        self.assertEqual((page, total), ([], self.N))


if __name__ == '__main__':
    main()

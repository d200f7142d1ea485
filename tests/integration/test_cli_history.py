#!/usr/bin/python3
"""offhook history against the daemon (issue 9): a known history written by
gen-history, and one made by a call through the simulator."""

import json
import os
import signal
import subprocess

from harness import OFFHOOKD, PbxTestCase, main
from test_cli import CliMixin

N = 45
BASE = 1_700_000_000  # Tue Nov 14 22:13:20 2023 UTC
NAMES = ['Bob Brown', 'Carol Chen', 'Dave Diaz', 'Erin Evans']
DIRECTIONS = ['incoming', 'outgoing', 'internal']
DISPOSITIONS = ['answered', 'missed', 'busy', 'failed']
ENTRY_FIELDS = ['answer-time', 'callee', 'callee-name', 'caller', 'caller-name', 'direction',
                'disposition', 'end-time', 'id', 'session-id', 'start-time', 'talk-seconds']


def entry(i):
    """What gen-history wrote as entry i."""
    return {
        'session-id': 's%d' % i, 'caller': str(101 + i % 4), 'caller-name': NAMES[i % 4],
        'callee': str(200 + i % 7), 'callee-name': 'Callee %d' % (i % 7),
        'direction': DIRECTIONS[i % 3], 'disposition': DISPOSITIONS[i % 4],
        'start-time': (BASE + i * 60) * 1_000_000,
        'talk-seconds': 25 if i % 4 == 0 else 0,
    }


class CliHistoryTest(CliMixin, PbxTestCase):

    def setUp(self):
        super().setUp()
        self.env['TZ'] = 'UTC'
        # Let the daemon create its database, fill it, and start again.
        db = os.path.join(self.env['XDG_DATA_HOME'], 'offhook', 'offhook.db')
        self.wait_until(lambda: os.path.exists(db), 5, 'the database')
        self.daemon.send_signal(signal.SIGTERM)
        self.daemon.wait(10)
        gen = os.environ.get('OFFHOOK_GEN_HISTORY',
                             os.path.join(os.path.dirname(OFFHOOKD), '..', 'tests',
                                          'integration', 'gen-history'))
        subprocess.run([gen, db, str(N)], check=True, timeout=60)
        self.start_offhookd()

    def ids(self, *args, **kwargs):
        return [e['session-id'] for e in self.cli_json('history', *args, **kwargs)['entries']]

    def test_first_page_for_people(self):
        out = self.cli_ok('history')
        rows = self.table(out)
        self.assertEqual(rows[0], ['TIME', 'DIRECTION', 'FROM', 'TO', 'RESULT', 'TALK'])
        # Newest first; times in the user's time zone and locale.
        self.assertEqual(rows[1], ['Tue Nov 14 22:57:20 2023', 'internal', '101 Bob Brown',
                                   '202 Callee 2', 'answered', '0:00:25'])
        self.assertEqual(rows[2], ['Tue Nov 14 22:56:20 2023', 'outgoing', '104 Erin Evans',
                                   '201 Callee 1', 'failed', '0:00:00'])
        self.assertEqual(len(rows), 1 + 20 + 1)
        self.assertEqual(out.splitlines()[-1], 'Page 1 of 3 (45 calls).')

        tokyo = self.table(self.cli_ok('history', '--rows', '1', env=dict(self.env, TZ='Asia/Tokyo')))
        self.assertEqual(tokyo[1][0], 'Wed Nov 15 07:57:20 2023')

    def test_json_pages(self):
        doc = self.cli_json('history')
        self.assertEqual((doc['page'], doc['pages'], doc['rows'], doc['total']), (1, 3, 20, 45))
        self.assertEqual([e['session-id'] for e in doc['entries']],
                         ['s%d' % i for i in range(44, 24, -1)])
        first = doc['entries'][0]
        self.assertEqual(sorted(first), ENTRY_FIELDS)
        self.assertEqual({k: first[k] for k in entry(44)}, entry(44))
        self.assertEqual(first['answer-time'], first['start-time'] + 5_000_000)

        self.assertEqual(self.ids('--page', '3'), ['s%d' % i for i in range(4, -1, -1)])
        self.assertEqual(self.ids('--page=2', '--rows=10'), ['s%d' % i for i in range(34, 24, -1)])
        out = self.cli_ok('history', '--page', '3')
        self.assertEqual(len(self.table(out)), 1 + 5 + 1)
        self.assertEqual(out.splitlines()[-1], 'Page 3 of 3 (45 calls).')

        # After the last page: not found, for people and scripts alike.
        self.cli_fails(5, 'history', '--page', '4',
                       message='there is no page 4: the history has 3 pages')
        out = self.cli('--json', 'history', '--page', '4')
        self.assertEqual(out.returncode, 5)
        self.assertEqual(json.loads(out.stdout)['entries'], [])

    def test_filters(self):
        def matching(pred):
            return ['s%d' % i for i in range(N - 1, -1, -1) if pred(entry(i))][:20]

        self.assertEqual(self.ids('--missed'), matching(lambda e: e['disposition'] == 'missed'))
        self.assertEqual(self.cli_json('history', '--missed')['total'], 11)
        self.assertEqual(self.ids('--filter', 'Callee 3'),
                         matching(lambda e: e['callee-name'] == 'Callee 3'))
        self.assertEqual(self.ids('-f', 'erin'), matching(lambda e: e['caller-name'] == 'Erin Evans'))
        self.assertEqual(self.ids('--direction', 'outgoing'),
                         matching(lambda e: e['direction'] == 'outgoing'))
        self.assertEqual(self.ids('--extension', '102'), matching(lambda e: e['caller'] == '102'))
        self.assertEqual(self.ids('--missed', '--filter', 'carol'),
                         matching(lambda e: e['disposition'] == 'missed' and
                                  e['caller-name'] == 'Carol Chen'))
        since = BASE + 40 * 60
        self.assertEqual(self.ids('--since', '@%d' % since), ['s44', 's43', 's42', 's41', 's40'])
        self.assertEqual(self.ids('--since', '2023-11-14 22:53:20'),
                         ['s44', 's43', 's42', 's41', 's40'])
        self.assertEqual(self.ids('--since', '2023-11-14 22:53'),
                         ['s44', 's43', 's42', 's41', 's40'])
        self.assertEqual(self.ids('--since', '2023-11-15 07:53:20',
                                  env=dict(self.env, TZ='Asia/Tokyo')),
                         ['s44', 's43', 's42', 's41', 's40'])
        self.assertEqual(self.ids('--since', '2023-11-14T22:53:20+00:00', '--until',
                                  '@%d' % (since + 60)), ['s41', 's40'])
        self.assertEqual(self.ids('--until', '2023-11-14'), [])
        self.assertEqual(len(self.ids('--since', '2023-11-14')), 20)
        self.assertEqual(self.ids('--since', 'today'), [])
        self.assertEqual(self.cli_ok('history', '--since', '2h'), 'No calls in the history.\n')
        # since after until: the daemon says it is invalid.
        self.cli_fails(2, 'history', '--since', '@%d' % (since + 60), '--until', '@%d' % since)


class CliHistoryOfACallTest(CliMixin, PbxTestCase):

    def test_a_call_between_two_phones_is_in_the_history(self):
        self.assertEqual(self.cli_ok('history'), 'No calls in the history.\n')
        doc = self.cli_json('history')
        self.assertEqual((doc['total'], doc['pages'], doc['entries']), (0, 0, []))
        self.login()
        self.sim.register('101')
        self.sim.register('102')
        self.wait_until(lambda: self.users().get('102', {}).get('Presence') == 'available', 5,
                        '102 online')
        call = self.sim.call('101', '102')
        self.sim.answer('102')
        self.sim.hangup(call['call'])
        self.wait_until(lambda: self.cli_json('history')['total'] == 1, 5, 'the entry')
        rows = self.table(self.cli_ok('history'))
        self.assertRegex(rows[1][0], r'^\d\d:\d\d:\d\d$')  # today: the time of day
        self.assertEqual(rows[1][1:5], ['internal', '101 Bob Brown', '102 Carol Chen', 'answered'])
        self.assertRegex(rows[1][5], r'^0:00:0\d$')
        [e] = self.cli_json('history', '--since', 'today')['entries']
        self.assertEqual((e['caller'], e['callee'], e['disposition']), ('101', '102', 'answered'))


if __name__ == '__main__':
    main()

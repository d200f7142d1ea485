#!/usr/bin/python3
"""offhook chat send, chat log, chat unread against the daemon and the
PBX simulator (issue 9)."""

import time

from harness import ROOT_PATH, PbxTestCase, Timeout, main
from test_cli import CliMixin

MESSAGE_FIELDS = ['body', 'device', 'direction', 'from', 'from-name', 'id', 'read', 'status',
                  'time', 'to']


class CliChatTest(CliMixin, PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()
        for ext in ('101', '102', '103'):
            self.sim.register(ext)
        self.wait_until(lambda: all(u['Presence'] == 'available' and u['FullName']
                                    for n, u in self.users().items() if n != '100'),
                        5, 'phones registered, with names')

    def unread(self):
        return self.get_property(ROOT_PATH, 'Chat', 'Unread')

    def test_send_and_log(self):
        self.assertEqual(self.cli_ok('chat', 'send', 'carol', 'Lunch', 'at', 'noon?'),
                         'Sent to 102.\n')
        self.wait_until(lambda: [m['body'] for m in self.sim.messages('102')] == ['Lunch at noon?'],
                        3, 'the phone to get the message')
        doc = self.cli_json('chat', 'send', '102', '--', '-5 minutes')
        self.assertEqual(doc['to'], '102')
        self.assertTrue(doc['id'])
        # "-": the message from standard input, newlines and all.
        self.assertEqual(self.cli_ok('chat', 'send', '102', '-', input='two\nlines\n'),
                         'Sent to 102.\n')
        self.wait_until(lambda: len(self.sim.messages('102')) == 3, 3, 'three messages')
        self.assertEqual([m['body'] for m in self.sim.messages('102')],
                         ['Lunch at noon?', '-5 minutes', 'two\nlines'])

        # People read oldest first; scripts get the daemon's order (newest first).
        rows = self.table(self.cli_ok('chat', 'log', 'carol'))
        self.assertEqual(rows[0], ['TIME', 'FROM', 'MESSAGE'])
        self.assertEqual([r[1:] for r in rows[1:]],
                         [['me', 'Lunch at noon?'], ['me', '-5 minutes'], ['me', 'two lines']])
        self.assertRegex(rows[1][0], r'^\d\d:\d\d:\d\d$')
        messages = self.cli_json('chat', 'log', '102')
        self.assertEqual([m['body'] for m in messages], ['two\nlines', '-5 minutes', 'Lunch at noon?'])
        self.assertEqual(sorted(messages[0]), MESSAGE_FIELDS)
        self.assertEqual((messages[2]['to'], messages[2]['direction'], messages[2]['status']),
                         ('102', 'outgoing', 'sent'))
        self.assertEqual(messages[1]['id'], doc['id'])
        self.assertEqual([m['body'] for m in self.cli_json('chat', 'log', '102', '--limit', '1')],
                         ['two\nlines'])
        self.assertEqual(self.cli_ok('chat', 'log', 'dave'), 'No messages with 103.\n')

    def test_unread_and_mark_read(self):
        self.assertEqual(self.cli_ok('chat', 'unread'), 'No unread messages.\n')
        self.assertEqual(self.cli_json('chat', 'unread'), [])
        self.sim.message('101', '100', 'Hello Alice ✓')
        self.sim.message('101', '100', 'Are you there?')
        self.wait_until(lambda: self.unread() == {'101': 2}, 3, 'two unread messages')

        self.assertEqual(self.table(self.cli_ok('chat', 'unread')),
                         [['USER', 'NAME', 'UNREAD'], ['101', 'Bob Brown', '2']])
        self.assertEqual(self.cli_json('chat', 'unread'),
                         [{'peer': '101', 'name': 'Bob Brown', 'unread': 2}])

        rows = self.table(self.cli_ok('chat', 'log', 'bob', '--keep-unread'))
        self.assertEqual([r[1:] for r in rows[1:]], [['101 Bob Brown', 'Hello Alice ✓'],
                                                     ['101 Bob Brown', 'Are you there?']])
        self.assertEqual(self.unread(), {'101': 2})
        messages = self.cli_json('chat', 'log', '101', '--keep-unread')
        self.assertEqual([(m['direction'], m['read'], m['from-name']) for m in messages],
                         [('incoming', False, 'Bob Brown')] * 2)
        # Reading the log marks the conversation read.
        self.cli_ok('chat', 'log', 'bob')
        self.wait_until(lambda: not self.unread(), 3, 'no unread messages')
        self.assertEqual(self.cli_ok('chat', 'unread'), 'No unread messages.\n')

    def test_undelivered_message(self):
        self.sim.unregister('103')
        self.wait_until(lambda: self.users()['103']['Presence'] == 'offline', 3, '103 offline')
        self.cli_fails(5, 'chat', 'send', 'dave', 'are you in?')
        [m] = self.cli_json('chat', 'log', '103')
        self.assertEqual((m['body'], m['status']), ('are you in?', 'failed'))
        rows = self.table(self.cli_ok('chat', 'log', '103'))
        self.assertEqual(rows[1][1:], ['me', 'are you in? (not delivered)'])

    def test_bad_messages(self):
        self.cli_fails(2, 'chat', 'send', '102', '', message='1 to 4096 bytes')
        self.cli_fails(2, 'chat', 'send', '102', 'x' * 4097, message='1 to 4096 bytes')
        self.cli_fails(2, 'chat', 'send', '102', '-', input='', message='1 to 4096 bytes')
        self.cli_fails(2, 'chat', 'send', '102', 'a\x07b')
        self.cli_fails(2, 'chat', 'log', '102', '--before', 'whenever')
        self.assertEqual(self.sim.messages('102'), [])

    def test_monitor_shows_messages(self):
        w = self.watch('--json', 'monitor')
        # Messages until the monitor shows one: from then on it listens.
        deadline = time.monotonic() + 10
        while True:
            self.sim.message('103', '100', 'warm-up')
            try:
                w.wait_json(lambda e: e['event'] == 'signal', timeout=0.3, what='warm-up')
                break
            except Timeout:
                self.assertLess(time.monotonic(), deadline)
        t0 = time.monotonic()
        self.sim.message('101', '100', 'Hello Alice')
        t1, event = w.wait_json(lambda e: e['event'] == 'signal' and
                                e['signal'] == 'MessageReceived' and
                                e['args'][0]['body'] == 'Hello Alice', since=t0,
                                what='MessageReceived')
        self.assertLess(t1 - t0, 0.2)
        self.assertEqual(event['interface'], 'org.offhook.Offhook1.Chat')
        self.assertEqual(event['args'][0]['from'], '101')
        self.assertEqual(w.stop(), (0, ''))


if __name__ == '__main__':
    main()

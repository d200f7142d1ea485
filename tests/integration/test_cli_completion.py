#!/usr/bin/python3
"""bash completion of offhook: user names and call ids, live from the
daemon (issue 9). Commands and options are in test_cli.py."""

from harness import ROOT_PATH, PbxTestCase, main
from test_cli import CliMixin, complete


class CliCompletionTest(CliMixin, PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()
        self.wait_until(lambda: len(self.users()) == 4, 5, 'the users')

    def test_user_names_and_call_ids(self):
        users = ['100', '101', '102', '103']
        self.assertEqual(complete(self, 'users', ''), users)
        self.assertEqual(complete(self, 'call', '10'), users)
        self.assertEqual(complete(self, 'call', '--mobile', '102'), ['102'])
        self.assertEqual(complete(self, 'chat', 'send', ''), users)
        self.assertEqual(complete(self, 'chat', 'log', '--keep-unread', '10'), users)
        self.assertEqual(complete(self, 'transfer', ''), users)
        # No call yet.
        self.assertEqual(complete(self, 'answer', ''), [])

        self.sim.register('101')
        self.sim.call('101', '100')
        self.wait_until(lambda: self.get_property(ROOT_PATH, 'Phone', 'Calls'), 5, 'the call')
        [path] = self.get_property(ROOT_PATH, 'Phone', 'Calls')
        n = path.rsplit('/', 1)[1]
        for words in (('answer', ''), ('hangup', ''), ('mute', ''), ('dtmf', '12', ''),
                      ('transfer', '103', ''), ('transfer', '--to', ''),
                      ('--json', 'reject', '')):
            with self.subTest(words=words):
                self.assertEqual(complete(self, *words), [n])
        # Only one CALL argument.
        self.assertEqual(complete(self, 'answer', n, ''), [])


if __name__ == '__main__':
    main()

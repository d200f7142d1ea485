#!/usr/bin/python3
"""Instant messages: send, receive, keep the conversation (issue 8)."""

import os
import signal
import subprocess
import time

from harness import OFFHOOKD, ROOT_PATH, GLib, PbxTestCase, main
from test_calls import CallTestCase


class ChatTest(CallTestCase):

    def setUp(self):
        super().setUp()
        self.prepare()

    def conversation(self, peer, **options):
        opts = {}
        for key, value in options.items():
            sig = {'before': 'x', 'limit': 'u', 'before_id': 's'}[key]
            opts[key.replace('_', '-')] = GLib.Variant(sig, value)
        return self.call(ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}', (peer, opts))[0]

    def send(self, to, body):
        return self.call(ROOT_PATH, 'Chat', 'Send', 'ss', (to, body))[0]

    def unread(self):
        return self.get_property(ROOT_PATH, 'Chat', 'Unread')

    def test_message_from_a_phone_reaches_every_client_once(self):
        t0 = time.monotonic()
        self.sim.message('101', '100', 'Hello Alice ✓')
        for log in (self.signals, self.other):
            got = self.wait_until(lambda: log.find('MessageReceived', since=t0), 3,
                                  'MessageReceived')
            # Once: a moment later still one.
            self.wait_until(lambda: time.monotonic() > t0 + 0.3, 1, 'a moment')
            self.assertEqual(len(log.find('MessageReceived', since=t0)), 1)
            message = got[0][4][0]
            self.assertEqual(message['from'], '101')
            self.assertEqual(message['from-name'], 'Bob Brown')
            self.assertEqual(message['to'], '100')
            self.assertEqual(message['body'], 'Hello Alice ✓')
            self.assertEqual(message['direction'], 'incoming')
            self.assertGreater(message['time'], 0)
        stored = self.conversation('101')
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored[0]['id'], message['id'])
        self.assertEqual(stored[0]['read'], False)
        self.assertEqual(self.unread(), {'101': 1})

    def test_messages_between_others_are_not_ours(self):
        t0 = time.monotonic()
        self.sim.message('101', '102', 'not for Alice')
        self.sim.message('103', '100', 'for Alice')
        self.wait_until(lambda: self.signals.find('MessageReceived', since=t0), 3, 'a message')
        bodies = [i[4][0]['body'] for i in self.signals.find('MessageReceived', since=t0)]
        self.assertEqual(bodies, ['for Alice'])
        self.assertEqual(self.conversation('101'), [])

    def test_send_reaches_the_device_and_is_stored(self):
        t0 = time.monotonic()
        message_id = self.send('102', 'Lunch at noon?')
        self.assertTrue(message_id)
        received = self.wait_until(lambda: self.sim.messages('102'), 3, '102 to get it')
        self.assertEqual(received[-1]['body'], 'Lunch at noon?')
        self.assertIn('100', received[-1]['from'])
        sent = self.wait_until(lambda: self.other.find('MessageSent', since=t0), 3, 'MessageSent')
        self.assertEqual(sent[0][4][0]['id'], message_id)
        stored = self.conversation('Carol Chen')
        self.assertEqual([(m['id'], m['direction'], m['status']) for m in stored],
                         [(message_id, 'outgoing', 'sent')])
        # User.SendMessage is the same.
        self.call(self.users()['102']['path'], 'User', 'SendMessage', 's', ('and coffee',))
        self.wait_until(lambda: len(self.sim.messages('102')) == 2, 3, 'the second message')

    def test_unread_counts_rise_and_fall(self):
        for i in range(3):
            self.sim.message('101', '100', 'ping %d' % i)
        self.sim.message('103', '100', 'hi')
        self.wait_until(lambda: self.unread() == {'101': 3, '103': 1}, 3, 'unread counts')
        self.assertEqual(self.get_property(ROOT_PATH, 'Chat', 'UnreadTotal'), 4)
        t0 = time.monotonic()
        self.call(ROOT_PATH, 'Chat', 'MarkRead', 's', ('101',))
        self.assertEqual(self.unread(), {'103': 1})
        self.assertEqual(self.get_property(ROOT_PATH, 'Chat', 'UnreadTotal'), 1)
        self.wait_until(lambda: self.signals.property_changes(ROOT_PATH, 'Chat', 'Unread', t0),
                        2, 'PropertiesChanged for Unread')
        self.assertEqual([m['read'] for m in self.conversation('101')], [True] * 3)

    def test_bad_messages_fail_and_store_nothing(self):
        bad = [('102', '', 'InvalidArgument'),
               ('102', 'x' * 4097, 'InvalidArgument'),
               ('102', 'bell\x07', 'InvalidArgument'),
               ('102', 'esc\x1b[31m', 'InvalidArgument'),
               ('999', 'hello', 'NotFound'),
               ('Nobody Here', 'hello', 'NotFound'),
               ('102&103', 'hello', 'NotFound')]
        for to, body, error in bad:
            with self.subTest(to=to, body=body[:10]):
                self.assertDBusError('org.offhook.Offhook1.Error.' + error, self.send, to, body)
        self.assertEqual(self.sim.messages('102'), [])
        self.assertEqual(self.conversation('102'), [])
        # 4096 bytes of UTF-8 are fine.
        self.send('102', 'é' * 2048)

    def test_no_device_online_is_an_error_and_stored_as_failed(self):
        self.sim.unregister('103')
        self.wait_until(lambda: self.users()['103']['Presence'] == 'offline', 3, '103 offline')
        err = self.assertDBusError('org.offhook.Offhook1.Error.NotFound', self.send, '103', 'hi')
        self.assertIn('No device of Dave Diaz is online', err.message)
        stored = self.conversation('103')
        self.assertEqual([(m['body'], m['status']) for m in stored], [('hi', 'failed')])

    def test_sending_while_disconnected(self):
        self.call(ROOT_PATH, 'Account', 'Disconnect')
        self.wait_state('disconnected')
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound', self.send, '102', 'hi')
        self.assertEqual(self.sim.messages('102'), [])


class DisconnectedChatTest(CallTestCase):

    def test_sending_while_pbx_down(self):
        self.prepare()
        self.stop_sim()
        self.wait_state('failed')
        self.assertDBusError('org.offhook.Offhook1.Error.NotConnected',
                             self.call, ROOT_PATH, 'Chat', 'Send', 'ss', ('102', 'hi'))
        self.assertEqual(self.call(ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}', ('102', {}))[0],
                         [])


class ConversationPagingTest(PbxTestCase):
    N = 10_000

    def test_paging_10000_messages_with_equal_times(self):
        db = os.path.join(self.env['XDG_DATA_HOME'], 'offhook', 'offhook.db')
        self.wait_until(lambda: os.path.exists(db), 5, 'the database')
        self.daemon.send_signal(signal.SIGTERM)
        self.daemon.wait(10)
        gen = os.environ.get('OFFHOOK_GEN_HISTORY',
                             os.path.join(os.path.dirname(OFFHOOKD), '..', 'tests',
                                          'integration', 'gen-history'))
        subprocess.run([gen, db, str(self.N), '101'], check=True, timeout=300)
        self.start_offhookd()

        seen = []
        options = {'limit': GLib.Variant('u', 333)}
        while True:
            page = self.call(ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}', ('101', options))[0]
            if not page:
                break
            seen.extend(m['body'] for m in page)
            options = {'limit': GLib.Variant('u', 333),
                       'before': GLib.Variant('x', page[-1]['time']),
                       'before-id': GLib.Variant('s', page[-1]['id'])}
        # Every message once, newest first, equal times in a stable order.
        self.assertEqual(seen, ['message %d' % i for i in reversed(range(self.N))])
        err = self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                                   self.call, ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}',
                                   ('101', {'limit': GLib.Variant('u', 0)}))
        self.assertIn('limit', err.message)
        self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                             self.call, ROOT_PATH, 'Chat', 'Conversation', 'sa{sv}',
                             ('101', {'after': GLib.Variant('x', 1)}))


if __name__ == '__main__':
    main()

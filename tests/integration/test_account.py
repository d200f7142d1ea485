#!/usr/bin/python3
"""Account: log in, stay connected, fail and retry, log out (issue 4)."""

import glob
import os
import signal
import subprocess
import time

from harness import (BUS_NAME, IFACE, ROOT_PATH, DaemonTestCase, GLib,
                     PbxTestCase, free_port, main)


class LoginTest(PbxTestCase):

    def test_login_connects(self):
        self.login()
        account = self.get_all(ROOT_PATH, 'Account')
        self.assertEqual(account['State'], 'connected')
        self.assertEqual(account['Server'], self.server)
        self.assertEqual(account['Username'], 'alice')
        self.assertEqual(account['Extension'], '100')
        self.assertEqual(account['Application'], 'offhook-alice')
        self.assertRegex(account['PbxVersion'], r'^\d+\.\d+')
        self.assertEqual(account['LastError'], '')
        self.assertEqual(account['RetryTime'], 0)
        # The states went connecting → connected, each seen on the bus.
        def states():
            return [v for _, v in self.signals.property_changes(ROOT_PATH, 'Account', 'State')]
        self.wait_until(lambda: 'connected' in states(), 2, 'the signal for connected')
        self.assertEqual(states(), ['connecting', 'connected'])
        # The daemon's events socket uses our application name.
        apps = self.sim.state().get('apps', {})
        self.assertIn('offhook-alice', str(apps))

    def test_wrong_password_is_access_denied_without_retries(self):
        self.login(password='not-the-password', wait='access-denied')
        self.assertIn('refused', self.account('LastError'))
        self.assertEqual(self.account('RetryTime'), 0)
        self.sim.clear_requests()
        # Longer than the first backoff step (1 s ± 25 %): nothing comes.
        deadline = time.monotonic() + 2.0
        self.wait_until(lambda: time.monotonic() > deadline, 3.0, 'a quiet PBX')
        self.assertEqual(self.sim.requests(), [])
        self.assertEqual(self.account('State'), 'access-denied')
        self.assertEqual(self.users(), {})

    def test_connect_after_access_denied_tries_again(self):
        self.login(password='wrong', wait='access-denied')
        self.call(ROOT_PATH, 'Account', 'Connect')
        self.wait_until(lambda: len(self.sim.requests()) > 0, 5, 'a new attempt')
        self.wait_state('access-denied')

    def test_pbx_down_fails_and_retries_with_backoff(self):
        self.stop_sim()
        start = time.monotonic()
        self.login(wait='failed')
        self.assertIn('Cannot reach', self.account('LastError'))
        retry = self.account('RetryTime')
        now_us = GLib.get_real_time()
        self.assertGreater(retry, now_us)
        self.assertLess(retry, now_us + 2_000_000)
        # Three attempts: the gaps between them grow.
        self.wait_until(lambda: len(self.attempts()) >= 3, 15, 'three attempts')
        t = self.attempts()
        self.assertGreater(t[2] - t[1], t[1] - t[0])
        self.assertIn(self.account('State'), ('failed', 'connecting'))

    def attempts(self):
        return [t for t, v in self.signals.property_changes(ROOT_PATH, 'Account', 'State')
                if v == 'connecting']

    def test_invalid_login_arguments(self):
        bad = [
            ('ftp://pbx', 'alice', 'pw', {}),
            ('https://user:pw@pbx', 'alice', 'pw', {}),
            (self.server, '', 'pw', {}),
            (self.server, 'alice', '', {}),
            (self.server, 'alice', 'pw', {'no-such-option': GLib.Variant('s', 'x')}),
            (self.server, 'alice', 'pw', {'tls-verify': GLib.Variant('s', 'no')}),
            (self.server, 'alice', 'pw', {'extension': GLib.Variant('s', '100&PJSIP/1')}),
        ]
        for args in bad:
            with self.subTest(args=args[:2] + (list(args[3]),)):
                self.assertDBusError('org.offhook.Offhook1.Error.InvalidArgument',
                                     self.call, ROOT_PATH, 'Account', 'Login', 'sssa{sv}', args)
        self.assertEqual(self.account('State'), 'disconnected')
        self.assertEqual(self.sim.requests(), [])

    def test_connect_without_account(self):
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound',
                             self.call, ROOT_PATH, 'Account', 'Connect')

    def test_disconnect_and_connect(self):
        self.login()
        self.assertTrue(self.users())
        self.call(ROOT_PATH, 'Account', 'Disconnect')
        self.wait_state('disconnected')
        self.assertEqual(self.users(), {})
        self.call(ROOT_PATH, 'Account', 'Connect')
        self.wait_state('connected')
        self.assertEqual(len(self.users()), 4)

    def test_stored_account_connects_on_start(self):
        self.login()
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(10), 0)
        self.start_offhookd()
        self.wait_state('connected')
        self.assertEqual(len(self.users()), 4)


class SecretTest(PbxTestCase):

    def secret_tool_lookup(self):
        out = subprocess.run(['secret-tool', 'lookup', 'server', self.server,
                              'username', self.ari_user],
                             env=self.env, capture_output=True, text=True, timeout=20)
        return out.stdout

    def test_password_only_in_keyring(self):
        self.login()
        self.assertEqual(self.secret_tool_lookup(), self.ari_password)
        config = os.path.join(self.env['XDG_CONFIG_HOME'], 'offhook', 'account.conf')
        self.assertTrue(os.path.exists(config))
        self.assertEqual(os.stat(config).st_mode & 0o777, 0o600)
        # Nowhere in the config, data or cache folders, nor in the log.
        needle = self.ari_password.encode()
        for folder in ('XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME'):
            for path in glob.glob(os.path.join(self.env[folder], '**'), recursive=True):
                if os.path.isfile(path):
                    with open(path, 'rb') as f:
                        self.assertNotIn(needle, f.read(), path)
        self.assertNotIn(self.ari_password, self.daemon_log())
        # Nor on the bus.
        for value in self.get_all(ROOT_PATH, 'Account').values():
            self.assertNotIn(self.ari_password, str(value))

    def test_logout_removes_secret_and_settings(self):
        self.login()
        self.call(ROOT_PATH, 'Account', 'Logout')
        self.wait_state('disconnected')
        self.assertEqual(self.secret_tool_lookup(), '')
        config = os.path.join(self.env['XDG_CONFIG_HOME'], 'offhook', 'account.conf')
        self.assertFalse(os.path.exists(config))
        self.assertEqual(self.account('Server'), '')
        self.assertEqual(self.users(), {})
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound',
                             self.call, ROOT_PATH, 'Account', 'Connect')


class NoKeyringTest(PbxTestCase):
    with_keyring = False

    def test_login_without_secret_service_fails_clearly(self):
        err = self.assertDBusError('org.offhook.Offhook1.Error.Failed', self.login,
                                   wait=None)
        self.assertIn('keyring', err.message)
        self.assertEqual(self.account('State'), 'disconnected')
        config = os.path.join(self.env['XDG_CONFIG_HOME'], 'offhook', 'account.conf')
        self.assertFalse(os.path.exists(config))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""offhook status, login, logout, connect, disconnect (issue 9), and where
the password goes (nowhere but the daemon and the Secret Service)."""

import json
import os
import subprocess

from harness import OFFHOOK_CLI, ROOT_PATH, PbxTestCase, main, wrapper
from test_cli import CliMixin


class CliAccountTest(CliMixin, PbxTestCase):

    def login_cli(self, *extra, password=None, json=False):
        args = (['--json'] if json else []) + ['login', self.server, self.ari_user,
                                               '--extension', self.extension] + list(extra)
        return self.cli(*args, input=(password or self.ari_password) + '\n')

    def test_login_from_stdin_connects(self):
        out = self.login_cli()
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, '')
        self.assertEqual(out.stdout, 'Connected to %s as alice (Asterisk 23.4.1).\n' % self.server)
        # The daemon has the account, and is connected when login returns.
        account = self.get_all(ROOT_PATH, 'Account')
        self.assertEqual(account['State'], 'connected')
        self.assertEqual(account['Server'], self.server)
        self.assertEqual(account['Username'], 'alice')
        self.assertEqual(account['Extension'], '100')

        status = self.cli_ok('status')
        self.assertEqual(self.table(status), [
            ['State:', 'connected'], ['Server:', self.server], ['User:', 'alice'],
            ['Extension:', '100'], ['PBX:', '23.4.1']])
        doc = self.cli_json('status')
        self.assertEqual(doc, {
            'state': 'connected', 'server': self.server, 'username': 'alice',
            'extension': '100', 'application': 'offhook-alice', 'pbx-version': '23.4.1',
            'last-error': '', 'retry-time': 0})

    def test_login_json_and_options(self):
        directory = os.path.join(self.tmp, 'people.csv')
        with open(directory, 'w') as f:
            f.write('extension,name,mobile,email\n102,Carol Chen,+15550102,carol@example.com\n')
        out = self.cli('--json', 'login', self.server, 'alice', '--extension=100',
                       '--application', 'offhook-alice', '--directory', directory,
                       input=self.ari_password + '\n')
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc['state'], 'connected')
        self.assertEqual(doc['application'], 'offhook-alice')
        self.wait_until(lambda: self.users().get('102', {}).get('Mobile') == '+15550102', 5,
                        'the mobile number from the directory')
        # --no-tls-verify reaches the daemon as tls-verify=false.
        out = self.login_cli('--no-tls-verify')
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn('tls-verify=false', self.daemon_log())

    def test_no_wait(self):
        self.sim.faults(rest_delay_ms=1500)
        out = self.login_cli('--no-wait')
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, 'Logged in; connecting to %s.\n' % self.server)
        self.assertEqual(self.account('State'), 'connecting')
        self.sim.clear_faults()
        self.wait_state('connected')

    def test_wrong_password_is_exit_4_with_the_reason(self):
        out = self.login_cli(password='not-the-password')
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertEqual(out.stdout, '')
        self.assertEqual(len(out.stderr.splitlines()), 1)
        self.assertRegex(out.stderr, r'^offhook: not connected: .*refused')
        self.assertEqual(self.account('State'), 'access-denied')
        doc = self.cli_json('status')
        self.assertEqual(doc['state'], 'access-denied')
        self.assertIn('refused', doc['last-error'])
        # --json still prints the state, for a script to look at.
        out = self.login_cli(password='still-wrong', json=True)
        self.assertEqual(out.returncode, 4)
        self.assertEqual(json.loads(out.stdout)['state'], 'access-denied')

    def test_pbx_down_is_exit_4_and_the_daemon_keeps_trying(self):
        self.stop_sim()
        out = self.login_cli()
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertRegex(out.stderr, r'^offhook: not connected: Cannot reach.*keeps trying')
        self.assertGreater(self.cli_json('status')['retry-time'], 0)
        self.assertRegex(self.cli_ok('status'), r'Next retry:\s+\S')

    def test_still_connecting_after_timeout(self):
        self.sim.faults(rest_delay_ms=4000)
        out = self.login_cli('--timeout=1')
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertRegex(out.stderr, r'still connecting after 1 seconds')
        self.sim.clear_faults()

    def test_invalid_login_arguments(self):
        # Checked by the client, before any password is asked for ...
        self.cli_fails(2, 'login', 'pbx.example.com', 'alice', message='http')
        # ... or by the daemon, whose message the client shows.
        self.cli_fails(2, 'login', 'https://user:pw@pbx', 'alice', input='pw\n')
        self.cli_fails(2, 'login', self.server, 'alice', '--extension', 'a/b', input='pw\n')
        # No password, or a line with nothing on it.
        self.cli_fails(2, 'login', self.server, 'alice', input='', message='no password')
        self.cli_fails(2, 'login', self.server, 'alice', input='\n', message='no password')
        self.cli_fails(2, 'login', self.server, 'alice', input='x' * 5000,
                       message='longer than')
        self.assertEqual(self.account('Server'), '')

    def test_only_the_first_line_is_the_password(self):
        out = self.cli('login', self.server, 'alice', '--extension=100',
                       input=self.ari_password + '\r\nsecond line\n')
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.account('State'), 'connected')

    def test_disconnect_connect_logout(self):
        self.assertEqual(self.login_cli().returncode, 0)
        self.assertEqual(self.cli_ok('disconnect'), 'Disconnected.\n')
        self.assertEqual(self.account('State'), 'disconnected')
        self.cli_fails(4, 'users', message=r'not connected to the PBX \(disconnected\)')

        self.assertEqual(self.cli_ok('connect'),
                         'Connected to %s as alice (Asterisk 23.4.1).\n' % self.server)
        self.assertEqual(self.account('State'), 'connected')
        self.assertEqual(self.cli_json('disconnect')['state'], 'disconnected')
        self.assertEqual(self.cli_json('connect')['state'], 'connected')
        self.assertEqual(self.cli_ok('connect', '--no-wait'), 'Connecting.\n')
        self.wait_state('connected')

        self.assertEqual(self.cli_ok('logout'), 'Logged out.\n')
        doc = self.cli_json('status')
        self.assertEqual((doc['state'], doc['server'], doc['username']), ('disconnected', '', ''))
        self.cli_fails(5, 'connect', message='No account is configured')
        self.assertEqual(self.cli_json('logout')['state'], 'disconnected')


class CliPasswordTest(CliMixin, PbxTestCase):
    """The password is never in a process's command line or environment,
    nor in any file of the user's."""

    password = 'pw-Zq8#Kx!2-never-in-a-file'

    def setUp(self):
        self.ari_password = self.password
        super().setUp()

    def scan_processes(self):
        """Every /proc/*/cmdline and readable /proc/*/environ containing the
        password, but the PBX simulator's (it plays the PBX, which has to
        know it, and takes it as an argument)."""
        found = []
        needle = self.password.encode()
        for pid in os.listdir('/proc'):
            if not pid.isdigit() or int(pid) == self.sim.proc.pid:
                continue
            for name in ('cmdline', 'environ'):
                try:
                    with open('/proc/%s/%s' % (pid, name), 'rb') as f:
                        if needle in f.read():
                            found.append((pid, name))
                except OSError:
                    pass
        return found

    def scan_files(self):
        found = []
        needle = self.password.encode()
        for top in ('home', 'config', 'data', 'cache', 'runtime'):
            for root, _, files in os.walk(os.path.join(self.tmp, top)):
                for name in files:
                    path = os.path.join(root, name)
                    if not os.path.isfile(path) or os.path.islink(path):
                        continue
                    with open(path, 'rb') as f:
                        if needle in f.read():
                            found.append(path)
        for name in self.daemon_logs:
            with open(os.path.join(self.tmp, name), 'rb') as f:
                if needle in f.read():
                    found.append(name)
        return found

    def test_password_never_in_the_process_list_or_a_file(self):
        # A slow PBX keeps the login running while we look.
        self.sim.faults(rest_delay_ms=700)
        proc = subprocess.Popen(wrapper() + [OFFHOOK_CLI, 'login', self.server, 'alice',
                                             '--extension', '100'],
                                env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        scans = 0
        seen = []
        # Before the password is typed ...
        self.wait_until(lambda: proc.poll() is None and os.path.exists('/proc/%d' % proc.pid),
                        2, 'offhook to run')
        seen += self.scan_processes()
        scans += 1
        # ... and all the while the login goes on.
        proc.stdin.write((self.password + '\n').encode())
        proc.stdin.close()
        while proc.poll() is None:
            seen += self.scan_processes()
            scans += 1
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, 0, err)
        self.assertGreater(scans, 3)
        self.assertEqual(seen, [])
        self.assertNotIn(self.password.encode(), out + err)
        self.wait_state('connected')
        self.assertEqual(self.scan_processes(), [])
        self.assertEqual(self.scan_files(), [])
        # The keyring did get it (encrypted, so not found above).
        self.assertTrue(os.listdir(os.path.join(self.tmp, 'data', 'keyrings')))

    def test_password_prompt_on_a_terminal_does_not_echo(self):
        code, shown = self.run_on_pty(['login', self.server, 'alice', '--extension=100'],
                                      input_after=(r'Password for alice on \S+: ',
                                                   self.password + '\n'))
        self.assertEqual(code, 0, shown)
        self.assertIn('Password for alice on %s: ' % self.server, shown)
        self.assertNotIn(self.password, shown)
        self.assertIn('Connected to %s as alice' % self.server, shown)
        self.assertEqual(self.account('State'), 'connected')
        self.assertEqual(self.scan_files(), [])


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""The offhook command line client (issue 9): usage, exit codes, activation,
colour, the manual pages and bash completion.

CliMixin holds what the other test_cli_*.py files share: running the
client, reading --watch and monitor output as it arrives, and a terminal
(pty) for colour and password prompts.
"""

import json
import os
import pty
import queue
import re
import select
import signal
import subprocess
import threading
import time

from harness import (BUS_NAME, OFFHOOK_CLI, OFFHOOKD, ROOT_PATH, SRC_ROOT, DaemonTestCase,
                     Gio, GLib, main, wrapper)

MAN_OFFHOOK = os.path.join(SRC_ROOT, 'clients', 'cli', 'offhook.1')
MAN_OFFHOOKD = os.path.join(SRC_ROOT, 'docs', 'offhookd.8')
COMPLETION = os.path.join(SRC_ROOT, 'clients', 'cli', 'completion', 'offhook')

COMMANDS = ['status', 'login', 'logout', 'connect', 'disconnect', 'users', 'sessions',
            'calls', 'call', 'answer', 'reject', 'hangup', 'hold', 'unhold', 'transfer',
            'dtmf', 'mute', 'unmute', 'history', 'chat', 'monitor']

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_UNREACHABLE, EXIT_NOT_CONNECTED, EXIT_NOT_FOUND = range(6)

ANSI = re.compile(r'\x1b\[[0-9;]*m')


class Watcher:
    """A running offhook whose stdout lines are read as they come, each
    with the monotonic time it arrived."""

    def __init__(self, test, args, env=None):
        self.test = test
        self.proc = subprocess.Popen(wrapper() + [OFFHOOK_CLI] + list(args),
                                     env=env or test.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, bufsize=1)
        self.lines = []
        self.queue = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        test.addCleanup(self.kill)

    def _read(self):
        for line in self.proc.stdout:
            self.queue.put((time.monotonic(), line.rstrip('\n')))
        self.queue.put(None)

    def _drain(self):
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self.lines.append(item)

    def wait_line(self, predicate, timeout=5.0, since=0.0, what='a line'):
        """The first (time, line) at or after since for which predicate(line)."""
        def found():
            self._drain()
            for t, line in self.lines:
                if t >= since and predicate(line):
                    return (t, line)
            if self.proc.poll() is not None:
                self._drain()
                raise AssertionError('offhook exited with %s while waiting for %s; stderr: %s'
                                     % (self.proc.returncode, what, self.proc.stderr.read()))
            return None
        return self.test.wait_until(found, timeout, what + ' from offhook')

    def wait_json(self, predicate, timeout=5.0, since=0.0, what='a JSON line'):
        def pred(line):
            try:
                return predicate(json.loads(line))
            except ValueError:
                raise AssertionError('not a JSON line: %r' % line)
        t, line = self.wait_line(pred, timeout, since, what)
        return t, json.loads(line)

    def stop(self, sig=signal.SIGINT):
        """Sends sig; returns the exit status and what was left on stderr."""
        self.proc.send_signal(sig)
        code = self.proc.wait(10)
        self.thread.join(5)
        self._drain()
        return code, self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except (OSError, ValueError):
                pass


class CliMixin:
    """Helpers for the tests of the offhook client."""

    def cli(self, *args, input=None, env=None, timeout=30):
        return subprocess.run(wrapper() + [OFFHOOK_CLI] + list(args),
                              env=env or self.env, capture_output=True, text=True,
                              input=input, timeout=timeout)

    def cli_ok(self, *args, **kwargs):
        out = self.cli(*args, **kwargs)
        self.assertEqual(out.returncode, 0, 'offhook %s: %s' % (' '.join(args), out.stderr))
        self.assertEqual(out.stderr, '')
        return out.stdout

    def cli_json(self, *args, **kwargs):
        return json.loads(self.cli_ok('--json', *args, **kwargs))

    def cli_fails(self, code, *args, message=None, **kwargs):
        """Runs offhook, expects exit status code and one line on stderr."""
        out = self.cli(*args, **kwargs)
        self.assertEqual(out.returncode, code,
                         'offhook %s: %r %r' % (' '.join(args), out.stdout, out.stderr))
        lines = out.stderr.splitlines()
        self.assertEqual(len(lines), 1, out.stderr)
        self.assertTrue(lines[0].startswith('offhook: '), lines[0])
        if message:
            self.assertRegex(lines[0], message)
        return out

    def watch(self, *args, env=None):
        return Watcher(self, args, env)

    def table(self, text):
        """The rows of a table (header first), split on runs of 2+ blanks."""
        return [re.split(r'\s{2,}', line.strip()) for line in text.splitlines() if line.strip()]

    def run_on_pty(self, args, env=None, input_after=None, timeout=10):
        """Runs offhook with a terminal as stdin, stdout and stderr.

        input_after: (prompt regex, text) to type once the prompt shows.
        Returns (exit status, everything the terminal showed)."""
        master, slave = pty.openpty()
        proc = subprocess.Popen(wrapper() + [OFFHOOK_CLI] + list(args), env=env or self.env,
                                stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                                start_new_session=True)
        os.close(slave)
        out = b''
        typed = input_after is None
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
                if not typed and re.search(input_after[0], out.decode(errors='replace')):
                    os.write(master, input_after[1].encode())
                    typed = True
                if proc.poll() is not None and not ready:
                    break
            code = proc.wait(timeout)
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return code, out.decode(errors='replace')


class CliStatusTest(CliMixin, DaemonTestCase):

    def test_status(self):
        out = self.run_cli('status')
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r'State:\s+disconnected')

    def test_status_json(self):
        out = self.run_cli('--json', 'status')
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc['state'], 'disconnected')
        self.assertEqual(doc['server'], '')
        self.assertEqual(sorted(doc), ['application', 'extension', 'last-error', 'pbx-version',
                                       'retry-time', 'server', 'state', 'username'])
        # --json may also follow the command.
        self.assertEqual(self.cli_json('status'), json.loads(self.cli_ok('status', '--json')))

    def test_unknown_command(self):
        out = self.run_cli('frobnicate')
        self.assertEqual(out.returncode, 2)
        self.assertIn('frobnicate', out.stderr)
        self.assertEqual(out.stdout, '')

    def test_no_command(self):
        out = self.run_cli()
        self.assertEqual(out.returncode, 2)

    def test_help_lists_every_command(self):
        out = self.cli_ok('--help')
        for command in COMMANDS:
            self.assertRegex(out, r'\n  %s\b' % command)
        for command in COMMANDS:
            if command == 'chat':
                continue
            self.assertRegex(self.cli_ok(command, '--help'), r'Usage:\n  offhook .*%s' % command)
        self.assertRegex(self.cli_ok('--version'), r'^offhook \d+\.\d+')

    def test_bad_arguments_are_exit_2_without_the_daemon_answering(self):
        bad = [
            ('status', 'extra'), ('status', '--bogus'), ('login',), ('login', 'pbx'),
            ('login', 'ftp://pbx', 'alice'), ('login', 'https://pbx', 'alice', '--timeout=0'),
            ('users', 'a', 'b'), ('sessions', 'x'), ('calls', 'x'), ('call',), ('call', 'a', 'b'),
            ('answer', '1', '2'), ('transfer',), ('transfer', '--to', '1', '2', '3'),
            ('dtmf',), ('dtmf', '12x'), ('dtmf', '1' * 65), ('mute', '1', '2'),
            ('history', '--page', '0'), ('history', '--rows', '1001'), ('history', '--since', 'soon'),
            ('history', '--until', '2026-13-45'), ('history', '--direction', 'sideways'),
            ('history', '--page', 'x'), ('chat',), ('chat', 'shout'), ('chat', 'send', '102'),
            ('chat', 'log'), ('chat', 'log', '102', '--limit', '0'), ('chat', 'unread', 'x'),
            ('monitor', 'x'),
        ]
        for args in bad:
            with self.subTest(args=args):
                out = self.cli_fails(2, *args)
                self.assertEqual(out.stdout, '')
        # None of them needed (or started) anything: the daemon saw no call
        # but the harness's.
        self.assertIsNone(self.daemon.poll())

    def test_daemon_errors_keep_their_message(self):
        # The daemon says what is wrong, translated; the client prints that
        # one line, without the D-Bus error name.
        out = self.cli_fails(5, 'connect', message='No account is configured')
        self.assertNotIn('org.offhook', out.stderr)
        self.cli_fails(4, 'users', message=r'not connected to the PBX \(disconnected\)')
        self.cli_fails(4, 'sessions', message='not connected')
        self.cli_fails(4, 'calls', message='not connected')


class CliUnreachableTest(CliMixin, DaemonTestCase):
    start_daemon = False

    def write_activation_file(self, services):
        # No activation file: the daemon cannot be started.
        pass

    def test_status_without_daemon(self):
        out = self.run_cli('status')
        self.assertEqual(out.returncode, 3)
        self.assertIn('cannot be reached', out.stderr)
        self.assertFalse(self.name_has_owner(BUS_NAME))

    def test_status_without_bus(self):
        self.env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent/bus'
        out = self.run_cli('status')
        self.assertEqual(out.returncode, 3)
        self.assertIn('cannot be reached', out.stderr)

    def test_every_command_says_unreachable(self):
        commands = [('status',), ('connect',), ('disconnect',), ('logout',), ('users',),
                    ('users', '--watch'), ('sessions',), ('sessions', '--watch'), ('calls',),
                    ('call', '102'), ('answer',), ('hangup', '1'), ('hold',), ('unhold',),
                    ('transfer', '103'), ('dtmf', '1'), ('mute',), ('unmute',), ('history',),
                    ('chat', 'send', '102', 'hi'), ('chat', 'log', '102'), ('chat', 'unread'),
                    ('monitor',)]
        for args in commands:
            with self.subTest(args=args):
                self.cli_fails(3, *args, message='cannot be reached')
                self.cli_fails(3, '--json', *args, message='cannot be reached')
        # login reaches the daemon before it asks for a password.
        self.cli_fails(3, 'login', 'https://pbx', 'alice', input='secret\n',
                       message='cannot be reached')


class CliActivationTest(CliMixin, DaemonTestCase):
    """No daemon runs: the first command starts it through D-Bus activation."""
    start_daemon = False

    def test_status_activates_the_daemon(self):
        self.assertFalse(self.name_has_owner(BUS_NAME))
        doc = self.cli_json('status')
        self.assertEqual(doc['state'], 'disconnected')
        self.assertTrue(self.name_has_owner(BUS_NAME))

    def test_every_reader_activates_the_daemon(self):
        for args, code in ((('users',), 4), (('sessions',), 4), (('history',), 0),
                           (('chat', 'unread'), 0), (('calls',), 4)):
            with self.subTest(args=args):
                self.kill_activated_daemon()
                out = self.cli(*args)
                self.assertEqual(out.returncode, code, out.stderr)
                self.assertTrue(self.name_has_owner(BUS_NAME))

    def test_monitor_activates_and_follows_the_daemon(self):
        w = self.watch('--json', 'monitor')
        self.wait_until(lambda: self.name_has_owner(BUS_NAME), 10, 'the activated daemon')
        self.kill_activated_daemon()
        t, event = w.wait_json(lambda e: e['event'] == 'daemon-stopped', what='daemon-stopped')
        self.assertTrue(event['owner'].startswith(':'))
        self.cli_ok('status')
        w.wait_json(lambda e: e['event'] == 'daemon-started', what='daemon-started')
        code, err = w.stop()
        self.assertEqual((code, err), (0, ''))

    def kill_activated_daemon(self):
        owner = self.name_owner(BUS_NAME)
        if owner is None:
            return
        pid = self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                 'org.freedesktop.DBus', 'GetConnectionUnixProcessID',
                                 GLib.Variant('(s)', (owner,)), None,
                                 Gio.DBusCallFlags.NONE, -1, None).unpack()[0]
        os.kill(pid, signal.SIGTERM)
        self.wait_until(lambda: not self.name_has_owner(BUS_NAME), 10, 'the daemon to stop')


class CliOlderDaemonTest(CliMixin, DaemonTestCase):
    """A daemon from before calls, history and chat, with only the Account
    interface (and no object manager): what it lacks fails cleanly."""
    start_daemon = False

    def write_activation_file(self, services):
        pass

    def setUp(self):
        super().setUp()
        with open(os.path.join(SRC_ROOT, 'dbus', 'org.offhook.Offhook1.Account.xml')) as f:
            info = Gio.DBusNodeInfo.new_for_xml(f.read()).interfaces[0]
        props = {'State': GLib.Variant('s', 'connected'),
                 'Server': GLib.Variant('s', 'https://pbx.example.com:8089'),
                 'Username': GLib.Variant('s', 'alice'), 'Extension': GLib.Variant('s', '100'),
                 'Application': GLib.Variant('s', 'offhook-alice'),
                 'LastError': GLib.Variant('s', ''), 'PbxVersion': GLib.Variant('s', '20.1.0'),
                 'RetryTime': GLib.Variant('x', 0)}

        def method_call(conn, sender, path, iface, method, params, invocation):
            invocation.return_dbus_error('org.offhook.Offhook1.Error.NotSupported',
                                         'Not in this old daemon')

        def get_property(conn, sender, path, iface, name):
            return props[name]

        reg = self.bus.register_object(ROOT_PATH, info, method_call, get_property, None)
        self.addCleanup(self.bus.unregister_object, reg)
        self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                           'org.freedesktop.DBus', 'RequestName',
                           GLib.Variant('(su)', (BUS_NAME, 4)), None,
                           Gio.DBusCallFlags.NONE, -1, None)

    def run_async(self, *args):
        """Runs offhook while this process serves the bus (the old daemon)."""
        proc = subprocess.Popen(wrapper() + [OFFHOOK_CLI] + list(args), env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.wait_until(lambda: proc.poll() is not None, 30, 'offhook %s' % ' '.join(args))
        out, err = proc.communicate()
        return proc.returncode, out, err

    def test_what_the_daemon_lacks_is_exit_1_with_one_line(self):
        code, out, err = self.run_async('--json', 'status')
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)['pbx-version'], '20.1.0')

        code, out, err = self.run_async('connect')
        self.assertEqual((code, out, err), (1, '', 'offhook: Not in this old daemon\n'))

        for args, what in ((('history',), 'No such interface “org.offhook.Offhook1.History”'),
                           (('calls',), 'it has no org.offhook.Offhook1.Phone interface'),
                           (('answer',), 'it has no org.offhook.Offhook1.Phone interface'),
                           (('call', '102'), 'org.offhook.Offhook1.Phone'),
                           (('chat', 'unread'), 'it has no org.offhook.Offhook1.Chat interface'),
                           (('chat', 'send', '102', 'hi'), 'org.offhook.Offhook1.Chat'),
                           (('chat', 'log', '102'), 'org.offhook.Offhook1.Chat'),
                           (('users',), ''), (('sessions',), '')):
            with self.subTest(args=args):
                code, out, err = self.run_async(*args)
                self.assertEqual((code, out), (1, ''), err)
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertTrue(err.startswith('offhook: the daemon does not support this yet ('),
                                err)
                self.assertIn(what, err)


class CliColourTest(CliMixin, DaemonTestCase):

    def test_colour_only_on_a_terminal_and_never_with_no_color(self):
        env = dict(self.env)
        env.pop('NO_COLOR', None)
        env['TERM'] = 'xterm'
        code, out = self.run_on_pty(['status'], env=env)
        self.assertEqual(code, 0, out)
        self.assertIn('\x1b[2mdisconnected\x1b[0m', out)

        env['NO_COLOR'] = '1'
        code, out = self.run_on_pty(['status'], env=env)
        self.assertEqual(code, 0, out)
        self.assertRegex(out, r'State:\s+disconnected')
        self.assertNotIn('\x1b[', out)

        # An empty NO_COLOR does not count (no-color.org).
        env['NO_COLOR'] = ''
        code, out = self.run_on_pty(['status'], env=env)
        self.assertIn('\x1b[', out)

        env['TERM'] = 'dumb'
        code, out = self.run_on_pty(['status'], env=env)
        self.assertNotIn('\x1b[', out)

        # Not a terminal: never, even without NO_COLOR.
        env['TERM'] = 'xterm'
        out = self.cli_ok('status', env=env)
        self.assertNotIn('\x1b[', out)


class CliManualTest(CliMixin, DaemonTestCase):
    start_daemon = False

    def groff(self, path):
        out = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z', path],
                             capture_output=True, text=True,
                             env=dict(self.env, LC_ALL='C.UTF-8'))
        self.assertEqual((out.returncode, out.stderr), (0, ''), path)
        text = subprocess.run(['groff', '-man', '-Tutf8', path], capture_output=True,
                              env=dict(self.env, LC_ALL='C.UTF-8')).stdout.decode()
        return re.sub(r'.\x08', '', text)

    def test_manual_pages_are_clean_troff(self):
        self.groff(MAN_OFFHOOK)
        self.groff(MAN_OFFHOOKD)

    def test_offhook_1_documents_commands_options_fields_and_exit_codes(self):
        text = self.groff(MAN_OFFHOOK)
        text = re.sub(r'\s+', ' ', text)
        for command in COMMANDS:
            self.assertRegex(text, r'\b%s\b' % command)
        # Every option of every command.
        for command in COMMANDS:
            if command == 'chat':
                continue
            helptext = self.cli_ok(command, '--help')
            for option in re.findall(r'--([a-z-]+)', helptext):
                if option in ('help', 'help-all'):
                    continue
                self.assertIn('--' + option, text, '%s --%s' % (command, option))
        for code, words in ((0, 'Success'), (1, 'Failed'), (2, 'Invalid argument'),
                            (3, 'The daemon cannot be reached'), (4, 'Not connected'), (5, 'Not found')):
            self.assertRegex(text, r'EXIT STATUS.* %d %s' % (code, words))
        for field in ('full-name', 'presence', 'caller-name', 'talk-seconds', 'end-reason',
                      'audio-state', 'remote-user', 'pbx-version', 'retry-time', 'from-name',
                      'unread', 'invalidated', 'daemon-stopped'):
            self.assertIn(field, text)

    def test_offhookd_8_documents_options_and_knobs(self):
        text = self.groff(MAN_OFFHOOKD)
        helptext = subprocess.run([OFFHOOKD, '--help'], capture_output=True, text=True,
                                  env=self.env).stdout
        self.assertIn('--replace', helptext)
        for option in re.findall(r'--([a-z-]+)', helptext):
            if option not in ('help', 'help-all'):
                self.assertIn('--' + option, text)
        for word in ('OFFHOOK_CALL_GRACE_MS', 'OFFHOOK_RING_TIMEOUT', 'account.conf',
                     'offhook.db', 'Secret Service', 'org.offhook.Offhook1'):
            self.assertIn(word, text)

    def test_offhookd_8_documents_every_environment_variable(self):
        # A knob added to the daemon (g_getenv) belongs in offhookd(8).
        text = self.groff(MAN_OFFHOOKD)
        daemon_src = os.path.join(SRC_ROOT, 'daemon')
        knobs = set()
        for root, _, files in os.walk(daemon_src):
            for name in files:
                if name.endswith('.c'):
                    with open(os.path.join(root, name)) as f:
                        knobs |= set(re.findall(r'g_getenv \("([A-Z_]+)"\)', f.read()))
        self.assertIn('OFFHOOK_CALL_GRACE_MS', knobs)
        for knob in sorted(knobs):
            self.assertIn(knob, text, 'offhookd(8) does not document %s' % knob)


class CliCompletionStaticTest(CliMixin, DaemonTestCase):
    """Commands and options; the live parts are in test_cli_completion.py."""

    def complete(self, *words):
        return complete(self, *words)

    def test_commands_and_options(self):
        self.assertEqual(self.complete(''), sorted(COMMANDS))
        self.assertEqual(self.complete('s'), ['sessions', 'status'])
        self.assertEqual(self.complete('--'), ['--help', '--json', '--version'])
        self.assertIn('--no-tls-verify', self.complete('login', '--'))
        self.assertEqual(self.complete('users', '--w'), ['--watch'])
        self.assertEqual(self.complete('history', '--direction', ''),
                         ['incoming', 'internal', 'outgoing'])
        self.assertEqual(self.complete('chat', ''), ['log', 'send', 'unread'])
        self.assertEqual(self.complete('chat', 'log', '--k'), ['--keep-unread'])
        # Not connected: no user names, and no error on the terminal.
        self.assertEqual(self.complete('users', ''), [])

    def test_completion_script_is_valid_bash(self):
        out = subprocess.run(['bash', '-n', COMPLETION], capture_output=True, text=True)
        self.assertEqual((out.returncode, out.stderr), (0, ''))


def complete(test, *words):
    """What bash completion offers for "offhook WORDS" (the last is the
    word being completed), with our offhook first in PATH."""
    script = ('source %s\n'
              'COMP_WORDS=(offhook "$@"); COMP_CWORD=$#; COMPREPLY=()\n'
              '_offhook\n'
              'printf "%%s\\n" "${COMPREPLY[@]}"\n') % COMPLETION
    env = dict(test.env, PATH=os.path.dirname(OFFHOOK_CLI) + ':' + test.env.get('PATH', ''))
    out = subprocess.run(['bash', '-c', script, 'bash'] + list(words), env=env,
                         capture_output=True, text=True, timeout=30)
    test.assertEqual(out.stderr, '')
    return sorted(line for line in out.stdout.splitlines() if line)


if __name__ == '__main__':
    main()

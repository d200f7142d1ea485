"""The integration harness: a private session bus, a real Secret Service,
the real offhookd binary, and (from the PBX issues on) the PBX simulator.

Everything a test needs lives in one temporary folder that is removed after
the test; the daemon's log is printed when a test fails.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import gi

gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = 'org.offhook.Offhook1'
ROOT_PATH = '/org/offhook/Offhook1'
IFACE = 'org.offhook.Offhook1.'

SRC_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD_ROOT = os.environ.get('OFFHOOK_BUILD_ROOT', os.path.join(SRC_ROOT, 'build'))
OFFHOOKD = os.environ.get('OFFHOOKD', os.path.join(BUILD_ROOT, 'daemon', 'offhookd'))
OFFHOOK_CLI = os.environ.get('OFFHOOK_CLI', os.path.join(BUILD_ROOT, 'clients', 'cli', 'offhook'))

BUS_CONFIG = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
'''


# Sanitizer and valgrind builds run many times slower: the few latency
# promises the issues make (presence within 100 ms, ...) are checked in
# normal builds, and only loosely there.
SLOW_BUILD = 10 if os.environ.get('OFFHOOK_SLOW_BUILD') else 1


def within(seconds):
    """A latency bound, scaled for slow (instrumented) builds."""
    return seconds * SLOW_BUILD


def wrapper():
    """A command prefix from OFFHOOK_TEST_WRAPPER (e.g. valgrind), if any."""
    w = os.environ.get('OFFHOOK_TEST_WRAPPER', '')
    return w.split() if w else []


class Timeout(AssertionError):
    pass


class DaemonTestCase(unittest.TestCase):
    """Gives each test its own bus, keyring, folders and daemon."""

    # Subclasses that need the Secret Service set this.
    with_keyring = False
    # Start offhookd in setUp; tests that start it themselves set this False.
    start_daemon = True

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='offhook-test-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.env = dict(os.environ)
        for key in ('DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY'):
            self.env.pop(key, None)
        home = self.mkdir('home')
        self.env.update({
            'HOME': home,
            'XDG_CONFIG_HOME': self.mkdir('config'),
            'XDG_DATA_HOME': self.mkdir('data'),
            'XDG_CACHE_HOME': self.mkdir('cache'),
            'XDG_RUNTIME_DIR': self.mkdir('runtime', 0o700),
            'G_DEBUG': 'fatal-criticals',
            'LC_ALL': 'C.UTF-8',
            'LANGUAGE': '',
            'NO_COLOR': '1',
            # No sound card here: a silent microphone and a speaker that
            # plays to nothing, unless a test says otherwise.
            'OFFHOOK_AUDIO_SOURCE': 'audiotestsrc is-live=true wave=silence',
            'OFFHOOK_AUDIO_SINK': 'fakesink',
        })
        self.processes = []
        self.daemon = None
        self.daemon_logs = []
        self.start_bus()
        if self.with_keyring:
            self.start_keyring()
        if self.start_daemon:
            self.start_offhookd()

    def mkdir(self, name, mode=0o755):
        path = os.path.join(self.tmp, name)
        os.makedirs(path, mode=mode, exist_ok=True)
        os.chmod(path, mode)
        return path

    # -- processes ----------------------------------------------------------

    def spawn(self, argv, log_name, **kwargs):
        log = open(os.path.join(self.tmp, log_name), 'ab')
        proc = subprocess.Popen(argv, env=kwargs.pop('env', self.env),
                                stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, **kwargs)
        log.close()
        self.processes.append(proc)
        return proc

    def start_bus(self):
        services = self.mkdir('services')
        self.write_activation_file(services)
        config = os.path.join(self.tmp, 'bus.conf')
        with open(config, 'w') as f:
            f.write(BUS_CONFIG.format(dir=self.tmp, services=services))
        proc = subprocess.Popen(['dbus-daemon', '--config-file=' + config,
                                 '--nofork', '--print-address=1'],
                                env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        self.bus_proc = proc
        address = proc.stdout.readline().decode().strip()
        proc.stdout.close()
        self.assertTrue(address, 'dbus-daemon did not start')
        self.env['DBUS_SESSION_BUS_ADDRESS'] = address
        self.addCleanup(self.stop_process, proc)
        self.bus = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.addCleanup(self.bus.close_sync, None)

    def write_activation_file(self, services):
        with open(os.path.join(services, BUS_NAME + '.service'), 'w') as f:
            f.write('[D-BUS Service]\nName=%s\nExec=%s\n' % (BUS_NAME, OFFHOOKD))

    def start_keyring(self):
        # gnome-keyring creates and unlocks a 'login' keyring with this
        # password; an empty one would make it try to open a prompt.
        proc = subprocess.run(
            ['gnome-keyring-daemon', '--unlock', '--components=secrets',
             '--daemonize'],
            input=b'test', env=self.env, capture_output=True, timeout=20)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        for line in proc.stdout.decode().splitlines():
            if line.startswith('GNOME_KEYRING_CONTROL='):
                self.env['GNOME_KEYRING_CONTROL'] = line.split('=', 1)[1]
            elif line.startswith('GNOME_KEYRING_PID='):
                pid = int(line.split('=', 1)[1])
                self.addCleanup(self.kill_pid, pid)
        self.wait_for_name('org.freedesktop.secrets')

    def kill_pid(self, pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def start_offhookd(self, *args, wait=True):
        log_name = 'offhookd-%d.log' % len(self.daemon_logs)
        self.daemon_logs.append(log_name)
        proc = self.spawn(wrapper() + [OFFHOOKD, '--verbose'] + list(args),
                          log_name)
        self.daemon = proc
        if wait:
            self.wait_for_name(BUS_NAME, proc=proc)
        return proc

    def stop_process(self, proc, timeout=10):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def daemon_log(self):
        out = []
        for name in self.daemon_logs:
            path = os.path.join(self.tmp, name)
            if os.path.exists(path):
                with open(path, errors='replace') as f:
                    out.append('--- %s ---\n%s' % (name, f.read()))
        return '\n'.join(out)

    SANITIZER_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')

    def tearDown(self):
        for proc in reversed(self.processes):
            self.stop_process(proc)
        # In a sanitizer build, a report in the daemon's log fails the test.
        log = self.daemon_log()
        for mark in self.SANITIZER_MARKS:
            if mark in log:
                sys.stderr.write('\n' + log + '\n')
                self.fail('the daemon reported: %s' % mark)
        failed = any(err for _, err in getattr(self._outcome, 'errors', []) if err)
        result = getattr(self._outcome, 'result', None)
        if result is not None and not failed:
            failed = any(t is self for t, _ in result.failures + result.errors)
        if failed or os.environ.get('OFFHOOK_TEST_LOG'):
            sys.stderr.write('\n' + self.daemon_log() + '\n')

    # -- waiting ------------------------------------------------------------

    def wait_until(self, condition, timeout=5.0, message='condition'):
        """Runs the main loop until condition() is true, or fails. The
        time allowed grows in slow (instrumented) builds."""
        ctx = GLib.MainContext.default()
        timeout *= SLOW_BUILD
        deadline = time.monotonic() + timeout
        tick = GLib.timeout_add(10, lambda: True)
        try:
            while True:
                value = condition()
                if value:
                    return value
                if time.monotonic() > deadline:
                    raise Timeout('timed out after %.1fs waiting for %s'
                                  % (timeout, message))
                ctx.iteration(True)
        finally:
            GLib.source_remove(tick)

    def name_has_owner(self, name):
        reply = self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                   'org.freedesktop.DBus', 'NameHasOwner',
                                   GLib.Variant('(s)', (name,)), None,
                                   Gio.DBusCallFlags.NONE, -1, None)
        return reply.unpack()[0]

    def name_owner(self, name):
        try:
            reply = self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                       'org.freedesktop.DBus', 'GetNameOwner',
                                       GLib.Variant('(s)', (name,)), None,
                                       Gio.DBusCallFlags.NONE, -1, None)
            return reply.unpack()[0]
        except GLib.Error:
            return None

    def wait_for_name(self, name, timeout=15.0, proc=None):
        def owned():
            if proc is not None and proc.poll() is not None:
                raise AssertionError('%s exited with %d before owning %s\n%s'
                                     % (proc.args, proc.returncode, name,
                                        self.daemon_log()))
            return self.name_has_owner(name)
        self.wait_until(owned, timeout, 'the bus name ' + name)

    # -- D-Bus helpers ------------------------------------------------------

    def call(self, path, iface, method, signature=None, args=(), reply=None,
             timeout=10000):
        params = GLib.Variant('(%s)' % signature, args) if signature else None
        result = self.bus.call_sync(
            BUS_NAME, path, iface if '.' in iface else IFACE + iface, method,
            params, GLib.VariantType(reply) if reply else None,
            Gio.DBusCallFlags.NONE, timeout, None)
        return result.unpack() if result is not None else None

    def get_property(self, path, iface, name):
        return self.call(path, 'org.freedesktop.DBus.Properties', 'Get', 'ss',
                         (IFACE + iface, name))[0]

    def get_all(self, path, iface):
        return self.call(path, 'org.freedesktop.DBus.Properties', 'GetAll', 's',
                         (IFACE + iface,))[0]

    def managed_objects(self):
        return self.call(ROOT_PATH, 'org.freedesktop.DBus.ObjectManager',
                         'GetManagedObjects')[0]

    def assertDBusError(self, name, func, *args, **kwargs):
        with self.assertRaises(GLib.Error) as ctx:
            func(*args, **kwargs)
        remote = Gio.DBusError.get_remote_error(ctx.exception)
        self.assertEqual(remote, name, ctx.exception.message)
        return ctx.exception

    def run_cli(self, *args, input=None, timeout=30):
        return subprocess.run(wrapper() + [OFFHOOK_CLI] + list(args),
                              env=self.env, capture_output=True, text=True,
                              input=input, timeout=timeout)


def main():
    unittest.main(verbosity=2)


# -- watching the bus ------------------------------------------------------

class SignalLog:
    """Every signal the daemon emits, with the monotonic time it arrived."""

    def __init__(self, bus, sender=BUS_NAME):
        self.bus = bus
        self.items = []
        self.sub = bus.signal_subscribe(sender, None, None, None, None,
                                        Gio.DBusSignalFlags.NONE, self._on_signal)

    def _on_signal(self, bus, sender, path, iface, member, params):
        self.items.append((time.monotonic(), path, iface, member, params.unpack()))

    def close(self):
        self.bus.signal_unsubscribe(self.sub)

    def find(self, member, path=None, iface=None, since=0.0, where=None):
        return [i for i in self.items
                if i[3] == member and (path is None or i[1] == path)
                and (iface is None or i[2] == iface) and i[0] >= since
                and (where is None or where(i))]

    def property_changes(self, path, iface, name, since=0.0):
        out = []
        for t, p, i, m, args in self.items:
            if (p == path and m == 'PropertiesChanged' and args[0] == IFACE + iface
                    and name in args[1] and t >= since):
                out.append((t, args[1][name]))
        return out


# -- the PBX simulator -------------------------------------------------------

sys.path.insert(0, os.path.join(SRC_ROOT, 'tests', 'pbxsim'))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class PbxTestCase(DaemonTestCase):
    """A daemon with a Secret Service, and a PBX simulator beside it.

    The account is 'alice' (extension 100, Stasis application offhook-alice),
    like docs/asterisk.md; the simulator has the transcripts' four users.
    """

    with_keyring = True
    ari_user = 'alice'
    ari_password = 'alice-ari-secret-42'
    application = 'offhook-alice'
    extension = '100'
    sim_users = None

    def setUp(self):
        super().setUp()
        self.sim_port = free_port()
        self.sim = None
        self.start_sim()
        self.signals = SignalLog(self.bus)
        self.addCleanup(self.signals.close)

    def start_sim(self, extra_args=()):
        from simctl import Sim
        self.sim = Sim.start(users=self.sim_users,
                             extra_args=['--port', str(self.sim_port)] + list(extra_args),
                             tmpdir=self.mkdir('pbxsim'), ari_user=self.ari_user,
                             ari_password=self.ari_password,
                             stasis={self.extension: self.application})
        self.addCleanup(self.stop_sim)
        return self.sim

    def stop_sim(self):
        if self.sim is not None:
            self.sim.stop()
            self.sim = None

    @property
    def server(self):
        return 'http://127.0.0.1:%d' % self.sim_port

    def login(self, password=None, server=None, wait='connected', **options):
        opts = {'extension': GLib.Variant('s', self.extension)}
        for key, value in options.items():
            opts[key.replace('_', '-')] = value
        self.call(ROOT_PATH, 'Account', 'Login', 'sssa{sv}',
                  (server or self.server, self.ari_user,
                   self.ari_password if password is None else password, opts))
        if wait:
            self.wait_state(wait)

    def account(self, name):
        return self.get_property(ROOT_PATH, 'Account', name)

    def wait_state(self, state, timeout=10.0):
        self.wait_until(lambda: self.account('State') == state, timeout,
                        'Account.State == %r (is %r, LastError %r)'
                        % (state, self.account('State'), self.account('LastError')))

    def users(self):
        out = {}
        for path, ifaces in self.managed_objects().items():
            user = ifaces.get(IFACE + 'User')
            if user is not None:
                out[user['Username']] = dict(user, path=path)
        return out

    def sessions(self):
        out = {}
        for path, ifaces in self.managed_objects().items():
            session = ifaces.get(IFACE + 'Session')
            if session is not None:
                out[path] = session
        return out

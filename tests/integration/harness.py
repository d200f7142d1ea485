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

    def tearDown(self):
        for proc in reversed(self.processes):
            self.stop_process(proc)
        failed = any(err for _, err in getattr(self._outcome, 'errors', []) if err)
        result = getattr(self._outcome, 'result', None)
        if result is not None and not failed:
            failed = any(t is self for t, _ in result.failures + result.errors)
        if failed or os.environ.get('OFFHOOK_TEST_LOG'):
            sys.stderr.write('\n' + self.daemon_log() + '\n')

    # -- waiting ------------------------------------------------------------

    def wait_until(self, condition, timeout=5.0, message='condition'):
        """Runs the main loop until condition() is true, or fails."""
        ctx = GLib.MainContext.default()
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

#!/usr/bin/python3
"""The daemon process: bus name, object manager, life cycle."""

import os
import signal
import subprocess
import xml.etree.ElementTree as ET

from harness import (BUS_NAME, ROOT_PATH, OFFHOOKD, DaemonTestCase, Gio,
                     GLib, main)


class DaemonTest(DaemonTestCase):

    def test_owns_name_and_exports_root(self):
        self.assertTrue(self.name_has_owner(BUS_NAME))
        # The D-Bus specification has GetManagedObjects list only the
        # children of the manager's path; the root's interfaces are read
        # directly. No account: no users, sessions or calls yet.
        self.assertEqual(self.managed_objects(), {})
        account = self.get_all(ROOT_PATH, 'Account')
        self.assertEqual(account['State'], 'disconnected')
        self.assertEqual(account['Server'], '')
        self.assertEqual(account['RetryTime'], 0)

    def test_introspection_lists_documented_members(self):
        xml = self.call(ROOT_PATH, 'org.freedesktop.DBus.Introspectable',
                        'Introspect')[0]
        root = ET.fromstring(xml)
        ifaces = {i.get('name'): i for i in root.findall('interface')}
        self.assertIn('org.freedesktop.DBus.ObjectManager', ifaces)
        account = ifaces['org.offhook.Offhook1.Account']
        methods = {m.get('name') for m in account.findall('method')}
        props = {p.get('name') for p in account.findall('property')}
        self.assertEqual(methods, {'Login', 'Connect', 'Disconnect', 'Logout'})
        self.assertEqual(props, {'State', 'Server', 'Username', 'Extension',
                                 'Application', 'LastError', 'PbxVersion',
                                 'RetryTime'})

    def test_unknown_object_is_an_error(self):
        with self.assertRaises(GLib.Error):
            self.call(ROOT_PATH + '/User/nobody', 'org.freedesktop.DBus.Properties',
                      'GetAll', 's', ('org.offhook.Offhook1.User',))

    def test_second_instance_without_replace_fails(self):
        owner = self.name_owner(BUS_NAME)
        second = subprocess.run([OFFHOOKD], env=self.env, capture_output=True,
                                text=True, timeout=20)
        self.assertNotEqual(second.returncode, 0)
        self.assertIn('--replace', second.stderr)
        self.assertEqual(self.name_owner(BUS_NAME), owner)
        self.assertIsNone(self.daemon.poll())

    def test_replace_takes_over(self):
        first = self.daemon
        owner = self.name_owner(BUS_NAME)
        second = self.start_offhookd('--replace', wait=False)
        self.wait_until(lambda: self.name_owner(BUS_NAME) not in (None, owner),
                        message='the new instance to own the name')
        self.assertEqual(first.wait(10), 0)
        self.assertIsNone(second.poll())
        self.assertEqual(self.get_property(ROOT_PATH, 'Account', 'State'),
                         'disconnected')

    def test_sigterm_exits_cleanly(self):
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(10), 0)
        self.wait_until(lambda: not self.name_has_owner(BUS_NAME),
                        message='the name to be released')

    def test_sigint_exits_cleanly(self):
        self.daemon.send_signal(signal.SIGINT)
        self.assertEqual(self.daemon.wait(10), 0)

    def test_version(self):
        out = subprocess.run([OFFHOOKD, '--version'], capture_output=True,
                             text=True, timeout=10)
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r'^offhookd \d+\.\d+\.\d+')

    def test_bad_option(self):
        out = subprocess.run([OFFHOOKD, '--no-such-option'], capture_output=True,
                             text=True, timeout=10)
        self.assertEqual(out.returncode, 2)
        self.assertIn('no-such-option', out.stderr)


class ActivationTest(DaemonTestCase):
    start_daemon = False

    def test_activated_by_first_call(self):
        self.assertFalse(self.name_has_owner(BUS_NAME))
        state = self.get_property(ROOT_PATH, 'Account', 'State')
        self.assertEqual(state, 'disconnected')
        self.assertTrue(self.name_has_owner(BUS_NAME))


if __name__ == '__main__':
    main()

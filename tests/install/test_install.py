#!/usr/bin/python3
"""`meson install --destdir` puts every piece where systemd, dbus-daemon,
the shell and gettext look for it."""

import os
import subprocess
import sys
import tempfile
import unittest

BUILD = os.environ['OFFHOOK_BUILD_ROOT']
PREFIX = os.environ.get('OFFHOOK_PREFIX', '/usr/local')


class InstallTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix='offhook-install-')
        out = subprocess.run(['meson', 'install', '-C', BUILD, '--no-rebuild', '--quiet',
                              '--destdir', cls.tmp.name],
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            sys.stderr.write(out.stdout + out.stderr)
        assert out.returncode == 0, 'meson install failed'
        cls.root = cls.tmp.name + PREFIX

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def test_binaries(self):
        self.assertTrue(os.access(self.path('libexec', 'offhookd'), os.X_OK))
        self.assertTrue(os.access(self.path('bin', 'offhook'), os.X_OK))

    def test_systemd_unit_and_activation_file(self):
        unit = self.path('lib', 'systemd', 'user', 'offhookd.service')
        with open(unit) as f:
            text = f.read()
        self.assertIn('Type=dbus', text)
        self.assertIn('BusName=org.offhook.Offhook1', text)
        self.assertIn('Restart=on-failure', text)
        self.assertIn('ExecStart=%s/libexec/offhookd' % PREFIX, text)
        activation = self.path('share', 'dbus-1', 'services', 'org.offhook.Offhook1.service')
        with open(activation) as f:
            text = f.read()
        self.assertIn('Name=org.offhook.Offhook1', text)
        self.assertIn('SystemdService=offhookd.service', text)
        self.assertIn('Exec=%s/libexec/offhookd' % PREFIX, text)

    def test_interfaces_and_api_reference(self):
        for iface in ('Account', 'Phone', 'History', 'Chat', 'User', 'Call', 'Session'):
            name = 'org.offhook.Offhook1.%s' % iface
            self.assertTrue(os.path.exists(self.path('share', 'dbus-1', 'interfaces', name + '.xml')))
            doc = self.path('share', 'doc', 'offhook', 'api', 'offhook-api-%s.rst' % name)
            with open(doc) as f:
                self.assertIn(name, f.read())

    def test_translations(self):
        self.assertTrue(os.path.exists(self.path('share', 'locale', 'de', 'LC_MESSAGES',
                                                 'offhook.mo')))


if __name__ == '__main__':
    unittest.main(verbosity=2)

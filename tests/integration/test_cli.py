#!/usr/bin/python3
"""The offhook command line client."""

import json

from harness import BUS_NAME, DaemonTestCase, main


class CliStatusTest(DaemonTestCase):

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

    def test_unknown_command(self):
        out = self.run_cli('frobnicate')
        self.assertEqual(out.returncode, 2)
        self.assertIn('frobnicate', out.stderr)
        self.assertEqual(out.stdout, '')

    def test_no_command(self):
        out = self.run_cli()
        self.assertEqual(out.returncode, 2)


class CliUnreachableTest(DaemonTestCase):
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


if __name__ == '__main__':
    main()

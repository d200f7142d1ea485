#!/usr/bin/python3
"""Users: the directory with presence, kept exact through reconnects (issue 4)."""

import json
import os
import time
import xml.etree.ElementTree as ET

from harness import IFACE, within, ROOT_PATH, GLib, PbxTestCase, main

USER = IFACE + 'User'


class UsersTest(PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()
        self.wait_until(lambda: len(self.users()) == 4 and
                        all(u['FullName'] for u in self.users().values()), 5,
                        'the names of the users')

    def user_path(self, username):
        return self.users()[username]['path']

    def test_users_with_names(self):
        users = self.users()
        self.assertEqual(sorted(users), ['100', '101', '102', '103'])
        self.assertEqual(users['101']['FullName'], 'Bob Brown')
        self.assertEqual(users['102']['FullName'], 'Carol Chen')
        self.assertEqual(users['102']['Extension'], '102')
        self.assertEqual(users['102']['path'], '/org/offhook/Offhook1/User/102')
        for user in users.values():
            self.assertIn(user['Presence'], ('offline', 'available'))
            self.assertEqual(user['Sessions'], [])

    def wait_presence(self, username, presence, since):
        path = self.user_path(username)

        def seen():
            for t, value in self.signals.property_changes(path, 'User', 'Presence', since):
                if value == presence:
                    return t
            return None
        return self.wait_until(seen, 5, '%s to be %s' % (username, presence))

    def test_objects_keep_the_object_manager_contract(self):
        # Users and sessions are served from the model rather than by
        # GDBus skeletons: what a generic D-Bus client relies on must hold.
        added = self.wait_until(lambda: [i for i in self.signals.find('InterfacesAdded')
                                         if USER in i[4][1]], 2, 'InterfacesAdded')
        self.wait_until(lambda: len(self.signals.find('InterfacesAdded')) >= 4, 2,
                        'an InterfacesAdded per user')
        added = self.signals.find('InterfacesAdded')
        self.assertEqual(sorted(i[4][0] for i in added),
                         [ROOT_PATH + '/User/10%d' % n for n in range(4)])
        self.assertEqual({i[1] for i in added}, {ROOT_PATH})
        self.assertEqual({i[2] for i in added}, {'org.freedesktop.DBus.ObjectManager'})

        users = self.users()
        path = users['101']['path']
        props = self.get_all(path, 'User')
        self.assertEqual(props, {k: v for k, v in users['101'].items() if k != 'path'})
        self.assertEqual(self.get_property(path, 'User', 'FullName'), 'Bob Brown')

        xml = self.call(path, 'org.freedesktop.DBus.Introspectable', 'Introspect')[0]
        node = ET.fromstring(xml)
        ifaces = {i.get('name'): i for i in node.findall('interface')}
        self.assertEqual({m.get('name') for m in ifaces[USER].findall('method')},
                         {'Call', 'CallMobile', 'SendMessage'})
        xml = self.call(ROOT_PATH + '/User', 'org.freedesktop.DBus.Introspectable',
                        'Introspect')[0]
        self.assertEqual(sorted(n.get('name') for n in ET.fromstring(xml).findall('node')),
                         ['100', '101', '102', '103'])

        self.assertDBusError('org.freedesktop.DBus.Error.InvalidArgs', self.call, path,
                             'org.freedesktop.DBus.Properties', 'Get', 'ss',
                             (USER, 'Nickname'))
        self.assertDBusError('org.freedesktop.DBus.Error.InvalidArgs', self.call, path,
                             'org.freedesktop.DBus.Properties', 'Set', 'ssv',
                             (USER, 'FullName', GLib.Variant('s', 'Mallory')))
        self.assertEqual(self.get_property(path, 'User', 'FullName'), 'Bob Brown')
        self.assertDBusError('org.freedesktop.DBus.Error.InvalidArgs', self.call, path,
                             USER, 'SendMessage', 'i', (42,))
        for missing in (ROOT_PATH + '/User/999', ROOT_PATH + '/Session/nothing'):
            with self.assertRaises(GLib.Error):
                self.call(missing, 'org.freedesktop.DBus.Properties', 'GetAll', 's',
                          (USER,))

    def test_register_changes_devices_and_presence_fast(self):
        path = self.user_path('101')
        t0 = time.monotonic()
        self.sim.register('101')
        t1 = self.wait_presence('101', 'available', t0)
        self.assertLess(t1 - t0, within(0.1))
        self.wait_until(lambda: self.get_property(path, 'User', 'Devices'), 2, 'devices')
        devices = self.get_property(path, 'User', 'Devices')
        self.assertEqual(len(devices), 1)
        self.assertTrue(devices[0].startswith('sip:101'), devices)

        t0 = time.monotonic()
        self.sim.unregister('101')
        t1 = self.wait_presence('101', 'offline', t0)
        self.assertLess(t1 - t0, within(0.1))
        self.assertEqual(self.get_property(path, 'User', 'Devices'), [])

    def test_call_changes_presence_fast(self):
        self.sim.register('101')
        self.sim.register('102')
        self.wait_until(lambda: self.users()['102']['Presence'] == 'available', 2, '102 online')
        t0 = time.monotonic()
        call = self.sim.call('101', '102')
        t1 = self.wait_presence('102', 'ringing', t0)
        self.assertLess(t1 - t0, within(0.1))
        self.wait_presence('101', 'busy', t0)
        t0 = time.monotonic()
        self.sim.answer('102')
        t1 = self.wait_presence('102', 'busy', t0)
        self.assertLess(t1 - t0, within(0.1))
        t0 = time.monotonic()
        self.sim.hangup(call['call'])
        self.wait_presence('102', 'available', t0)
        t1 = self.wait_presence('101', 'available', t0)
        self.assertLess(t1 - t0, within(0.1))

    def test_one_properties_changed_per_change(self):
        path = self.user_path('103')
        t0 = time.monotonic()
        self.sim.register('103')
        self.wait_presence('103', 'available', t0)
        self.wait_until(lambda: self.get_property(path, 'User', 'Devices'), 2, 'devices')
        # Registration changes Devices and Presence: coalesced per main-loop
        # turn, never one signal per field per event.
        changes = self.signals.find('PropertiesChanged', path=path, since=t0)
        self.assertLessEqual(len(changes), 3)

    def test_resync_after_pbx_restart_while_down(self):
        paths = {u: v['path'] for u, v in self.users().items()}
        self.sim.register('101')
        self.wait_until(lambda: self.users()['101']['Presence'] == 'available', 2, '101 online')

        # The PBX goes away: failed, with retries.
        self.stop_sim()
        self.wait_state('failed')
        self.assertGreater(self.account('RetryTime'), 0)

        # It comes back with 103 gone and 104 new; 101 is not registered.
        users = {'users': [
            {'extension': '100', 'name': 'Alice Anders', 'registered': True},
            {'extension': '101', 'name': 'Bob Brown'},
            {'extension': '102', 'name': 'Carol Chen', 'registered': True},
            {'extension': '104', 'name': 'Erin Evans', 'registered': True},
        ]}
        self.sim_users = users
        self.start_sim()
        self.wait_state('connected', timeout=20)
        self.wait_until(lambda: self.users().get('104', {}).get('FullName') == 'Erin Evans',
                        5, 'the new user with her name')
        now = self.users()
        self.assertEqual(sorted(now), ['100', '101', '102', '104'])
        for name in ('100', '101', '102'):
            self.assertEqual(now[name]['path'], paths[name])
        self.assertEqual(now['101']['Presence'], 'offline')
        self.assertEqual(now['102']['Presence'], 'available')
        self.wait_until(lambda: self.signals.find('InterfacesRemoved',
                                                  where=lambda i: i[4][0] == paths['103']),
                        2, 'InterfacesRemoved for 103')
        self.assertFalse(self.signals.find('InterfacesRemoved',
                                           where=lambda i: i[4][0] != paths['103']))

    def test_events_socket_drop_resyncs(self):
        self.sim.drop_events()
        self.wait_until(lambda: self.attempts_since_connect(), 5, 'a reconnect')
        self.wait_state('connected')
        # While the socket was down, 102 registered: the resync shows it.
        self.sim.register('102')
        self.wait_until(lambda: self.users()['102']['Presence'] == 'available', 5,
                        '102 available after the reconnect')

    def attempts_since_connect(self):
        states = [v for _, v in self.signals.property_changes(ROOT_PATH, 'Account', 'State')]
        return 'failed' in states or states.count('connecting') > 1


class BadEventsTest(PbxTestCase):

    def setUp(self):
        super().setUp()
        self.login()

    def test_garbage_events_are_dropped_and_logged(self):
        garbage = [
            'this is not json',
            '{"type": "ChannelCreated", "channel": {"id": 12',
            '[1, 2, 3]',
            '{"no_type": true}',
            json.dumps({'type': 'ChannelCreated', 'timestamp': '2026-11-27T02:05:21.022+0000',
                        'channel': {'id': 42, 'name': ['x']}}),
            json.dumps({'type': 'ContactStatusChange', 'endpoint': 'PJSIP/101',
                        'contact_info': None}),
            json.dumps({'type': 'DeviceStateChanged', 'device_state': {'name': 7}}),
        ]
        for raw in garbage:
            self.sim.faults(inject_raw=raw)
        self.sim.faults(inject_raw='{"type": "Huge", "pad": "' + 'x' * (16 * 1024 * 1024) + '"}')
        # Still connected, and the next real event still works.
        t0 = time.monotonic()
        self.sim.register('101')
        self.wait_until(lambda: self.users()['101']['Presence'] == 'available', 10,
                        'presence after the garbage')
        self.assertEqual(self.account('State'), 'connected')
        self.assertEqual(len(self.users()), 4)
        failed = [v for _, v in self.signals.property_changes(ROOT_PATH, 'Account', 'State', t0)
                  if v == 'failed']
        self.assertEqual(failed, [])
        # Each one was logged as dropped, the 16 MiB one included.
        log = self.daemon_log()
        self.assertGreaterEqual(log.count('Dropped an event from the PBX'), len(garbage) + 1)
        self.assertIn('larger than', log)



class DirectoryTest(PbxTestCase):
    CSV = ('extension,name,mobile,email\n'
           '101,Bob Brown,+1 555 0101,bob@example.com\n'
           '102,Carol Chen,,carol@example.com\n')
    VCARD = ('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dave Diaz\r\n'
             'TEL;TYPE=cell:+15550103\r\nEMAIL:dave@example.com\r\nEND:VCARD\r\n')

    def wait_directory(self):
        self.wait_until(lambda: self.users().get('101', {}).get('Mobile') == '+1 555 0101', 5,
                        'the directory to be applied')

    def test_csv_file(self):
        path = os.path.join(self.tmp, 'directory.csv')
        with open(path, 'w') as f:
            f.write(self.CSV)
        self.login(directory=GLib.Variant('s', path))
        self.wait_directory()
        users = self.users()
        self.assertEqual(users['101']['Email'], 'bob@example.com')
        self.assertEqual(users['102']['Mobile'], '')
        self.assertEqual(users['102']['Email'], 'carol@example.com')
        self.assertEqual(users['103']['Mobile'], '')

        # CallMobile dials the mobile through the transfer context, after
        # the number was checked.
        self.sim.clear_requests()
        try:
            self.call(users['101']['path'], 'User', 'CallMobile')
        except GLib.Error:
            pass   # the simulator has no trunk for external numbers
        posts = [r for r in self.sim.requests()
                 if r['method'] == 'POST' and r['path'] == '/ari/channels']
        self.assertEqual(len(posts), 1)
        self.assertEqual(posts[0]['query'].get('endpoint'), 'Local/+15550101@transfer')
        self.assertDBusError('org.offhook.Offhook1.Error.NotFound',
                             self.call, users['102']['path'], 'User', 'CallMobile')

    def test_vcard_over_http(self):
        import http.server
        import threading

        body = self.VCARD.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header('Content-Type', 'text/vcard')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = 'http://127.0.0.1:%d/people.vcf' % server.server_address[1]
        self.login(directory=GLib.Variant('s', url))
        self.wait_until(lambda: self.users().get('103', {}).get('Email') == 'dave@example.com',
                        5, 'the directory from the web')
        self.assertEqual(self.users()['103']['Mobile'], '+15550103')
        self.assertIn('plain HTTP', self.daemon_log())

    def test_broken_directory_is_logged_not_fatal(self):
        path = os.path.join(self.tmp, 'directory.csv')
        with open(path, 'w') as f:
            f.write('department,floor\nsales,1\n')
        self.login(directory=GLib.Variant('s', path))
        self.wait_until(lambda: 'Cannot parse the company directory' in self.daemon_log(), 5,
                        'the warning')
        self.assertEqual(self.users()['101']['Mobile'], '')


if __name__ == '__main__':
    main()

#!/usr/bin/env node
// ari-state.js: the usual alternative, for bench/run.
//
// SPDX-License-Identifier: GPL-2.0-or-later
//
// What people who script a PBX write with the official Node.js ARI client
// (`ari-client` from npm): one events socket with subscribeAll, and maps of
// the PBX's endpoints (with state, contacts, device state and presence),
// channels, bridges and sessions (calls, grouped like offhookd groups them),
// from the same snapshot-then-events sequence as the daemon: open the events
// socket, read endpoints, channels and bridges, replay what arrived meanwhile.
//
//   node ari-state.js --url http://127.0.0.1:8088 --user U --password P
//        --app NAME --api-docs DIR [--interval-ms 1000]
//
// Prints one JSON line when synced and one per interval: counts, the events
// handled and how late they were handled (now − the event's timestamp).
// CPU and memory are read from /proc by bench/run, like the daemon's.
//
// Two adaptations to pbxsim, neither touching what is measured:
//  - ari-client loads the Swagger API description from
//    <url>/ari/api-docs/resources.json, which Asterisk serves and pbxsim does
//    not; a throw-away local server serves the same files (--api-docs) with
//    basePath pointing at the PBX, and is closed once the API is loaded.
//  - the `ws` client offers permessage-deflate, which Asterisk does not do
//    and pbxsim (aiohttp) would accept; it is turned off, so both clients
//    receive the very same uncompressed frames Asterisk would send.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

function parseArgs (argv) {
  const args = { interval: 1000 };
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    switch (key) {
      case '--url': args.url = value; i++; break;
      case '--user': args.user = value; i++; break;
      case '--password': args.password = value; i++; break;
      case '--app': args.app = value; i++; break;
      case '--api-docs': args.apiDocs = value; i++; break;
      case '--interval-ms': args.interval = Number(value); i++; break;
      default:
        console.error('ari-state: unknown argument ' + key);
        process.exit(2);
    }
  }
  for (const k of ['url', 'user', 'password', 'app', 'apiDocs']) {
    if (!args[k]) {
      console.error('ari-state: --' + k.replace('apiDocs', 'api-docs') + ' is needed');
      process.exit(2);
    }
  }
  return args;
}

// No permessage-deflate, like Asterisk (see above).
function patchWebSocket () {
  const ariDir = path.dirname(require.resolve('ari-client'));
  const wsPath = require.resolve('ws', { paths: [ariDir] });
  const WebSocket = require(wsPath);
  class PlainWebSocket extends WebSocket {
    constructor (address, protocols, options) {
      if (protocols && typeof protocols === 'object' && !Array.isArray(protocols)) {
        options = protocols;
        protocols = undefined;
      }
      super(address, protocols, Object.assign({}, options, { perMessageDeflate: false }));
    }
  }
  require.cache[wsPath].exports = PlainWebSocket;
}

function serveApiDocs (dir, pbxUrl) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const name = path.basename(req.url.split('?')[0]);
      const file = path.join(dir, name);
      if (!name.endsWith('.json') || !fs.existsSync(file)) {
        res.writeHead(404);
        res.end();
        return;
      }
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      const self = 'http://127.0.0.1:' + server.address().port;
      // The listing points at this server, the APIs at the PBX: what
      // Asterisk does with its own address.
      doc.basePath = (name === 'resources.json' ? self : pbxUrl) + '/ari';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(doc));
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// --- the picture ------------------------------------------------------------

const endpoints = new Map();   // "PJSIP/101" → {state, contacts:Set, device, channels:Set, presence}
const channels = new Map();    // id → {name, state, held, bridge, session, endpoint}
const bridges = new Map();     // id → Set of channel ids
const sessions = new Map();    // id → {channels:Set, caller, callerName, callee, state, start, answer}
const devices = new Map();     // device name → state

function endpointOf (channelName) {
  const m = /^([^/]+)\/(.+)-[^-]+$/.exec(channelName || '');
  return m ? m[1] + '/' + m[2] : null;
}

function presence (ep) {
  if (ep.state === 'offline' || ep.state === 'unknown') return 'offline';
  let ringing = false;
  let up = false;
  let held = false;
  for (const id of ep.channels) {
    const ch = channels.get(id);
    if (!ch) continue;
    if (ch.held) held = true;
    if (ch.state === 'Up') up = true;
    else ringing = true;
  }
  if (held) return 'on-hold';
  if (up) return 'busy';
  if (ringing) return 'ringing';
  switch (devices.get(ep.key)) {
    case 'INUSE': case 'BUSY': return 'busy';
    case 'RINGING': case 'RINGINUSE': return 'ringing';
    case 'ONHOLD': return 'on-hold';
    default: return 'available';
  }
}

function endpoint (tech, resource) {
  const key = tech + '/' + resource;
  let ep = endpoints.get(key);
  if (!ep) {
    ep = { key, state: 'unknown', contacts: new Set(), channels: new Set(), presence: 'unknown' };
    endpoints.set(key, ep);
  }
  return ep;
}

function touch (ep) {
  if (ep) ep.presence = presence(ep);
}

function sessionState (s) {
  let up = false;
  let held = false;
  let ringing = false;
  for (const id of s.channels) {
    const ch = channels.get(id);
    if (!ch) continue;
    up = up || ch.state === 'Up';
    held = held || ch.held;
    ringing = ringing || ch.state === 'Ringing';
  }
  if (up && !s.answer) s.answer = Date.now();
  if (up) s.state = held ? 'on-hold' : 'in-call';
  else if (!s.answer) s.state = ringing ? 'ringing' : s.state || 'setup';
}

function join (s, ch) {
  ch.session = s.id;
  s.channels.add(ch.id);
}

function startSession (ch, data) {
  const s = {
    id: ch.id,
    channels: new Set(),
    caller: data.caller ? data.caller.number : '',
    callerName: data.caller ? data.caller.name : '',
    callee: data.dialplan ? data.dialplan.exten : '',
    state: 'setup',
    start: Date.now(),
    answer: 0
  };
  sessions.set(s.id, s);
  join(s, ch);
  return s;
}

const INTERNAL = /^(WebSocket|Message|Announcer|Recorder|Snoop|UnicastRTP|AudioSocket|Bridge|CBAnn|CBRec|Multicast)\//;

function trackChannel (data) {
  if (!data || INTERNAL.test(data.name)) return null;
  let ch = channels.get(data.id);
  if (!ch) {
    ch = { id: data.id, name: data.name, state: data.state, held: false, bridge: null, session: null, endpoint: endpointOf(data.name) };
    channels.set(ch.id, ch);
    if (ch.endpoint) {
      const ep = endpoints.get(ch.endpoint);
      if (ep) ep.channels.add(ch.id);
    }
  }
  ch.state = data.state;
  return ch;
}

function removeChannel (id) {
  const ch = channels.get(id);
  if (!ch) return;
  channels.delete(id);
  if (ch.bridge && bridges.has(ch.bridge)) bridges.get(ch.bridge).delete(id);
  const ep = ch.endpoint && endpoints.get(ch.endpoint);
  if (ep) {
    ep.channels.delete(id);
    touch(ep);
  }
  const s = ch.session && sessions.get(ch.session);
  if (s) {
    s.channels.delete(id);
    if (s.channels.size === 0) sessions.delete(s.id);
    else sessionState(s);
  }
}

function afterChannel (ch) {
  if (!ch) return;
  const s = ch.session && sessions.get(ch.session);
  if (s) sessionState(s);
  const ep = ch.endpoint && endpoints.get(ch.endpoint);
  touch(ep);
}

function handle (ev) {
  let ch, ep, s, members;
  switch (ev.type) {
    case 'ContactStatusChange':
      ep = endpoint(ev.endpoint.technology, ev.endpoint.resource);
      ep.state = ev.endpoint.state;
      if (ev.contact_info.contact_status === 'Removed') ep.contacts.delete(ev.contact_info.uri);
      else ep.contacts.add(ev.contact_info.uri);
      touch(ep);
      break;
    case 'PeerStatusChange':
    case 'EndpointStateChange':
      ep = endpoint(ev.endpoint.technology, ev.endpoint.resource);
      ep.state = ev.endpoint.state;
      if (ep.state === 'offline') ep.contacts.clear();
      touch(ep);
      break;
    case 'DeviceStateChanged':
      devices.set(ev.device_state.name, ev.device_state.state);
      touch(endpoints.get(ev.device_state.name));
      break;
    case 'ChannelCreated':
      ch = trackChannel(ev.channel);
      if (ch && !ch.session && ['Ring', 'Up', 'Off Hook', 'Dialing'].includes(ch.state)) {
        startSession(ch, ev.channel);
      }
      afterChannel(ch);
      break;
    case 'Dial':
      ch = trackChannel(ev.peer);
      if (!ch) break;
      if (ev.caller) {
        const caller = channels.get(ev.caller.id);
        s = caller && sessions.get(caller.session);
        if (s && ch.session !== s.id) join(s, ch);
      } else if (!ch.session) {
        startSession(ch, ev.peer);
      }
      afterChannel(ch);
      break;
    case 'ChannelStateChange':
    case 'ChannelConnectedLine':
    case 'ChannelCallerId':
    case 'StasisStart':
      ch = trackChannel(ev.channel);
      afterChannel(ch);
      break;
    case 'ChannelHold':
    case 'ChannelUnhold':
      ch = trackChannel(ev.channel);
      if (ch) ch.held = ev.type === 'ChannelHold';
      afterChannel(ch);
      break;
    case 'BridgeCreated':
      if (!bridges.has(ev.bridge.id)) bridges.set(ev.bridge.id, new Set());
      break;
    case 'BridgeDestroyed':
      bridges.delete(ev.bridge.id);
      break;
    case 'ChannelEnteredBridge':
      ch = trackChannel(ev.channel);
      if (!ch) break;
      members = bridges.get(ev.bridge.id);
      if (!members) {
        members = new Set();
        bridges.set(ev.bridge.id, members);
      }
      ch.bridge = ev.bridge.id;
      for (const other of members) {
        const o = channels.get(other);
        s = o && sessions.get(o.session);
        if (s && ch.session !== s.id) {
          if (!ch.session) join(s, ch);
          break;
        }
      }
      members.add(ch.id);
      if (!ch.session) startSession(ch, ev.channel);
      afterChannel(ch);
      break;
    case 'ChannelLeftBridge':
      ch = channels.get(ev.channel.id);
      members = bridges.get(ev.bridge.id);
      if (members) members.delete(ev.channel.id);
      if (ch) ch.bridge = null;
      break;
    case 'ChannelDestroyed':
      removeChannel(ev.channel.id);
      break;
    default:
      break;
  }
}

function applySnapshot (eps, chans, brs) {
  for (const e of eps) {
    const ep = endpoint(e.technology, e.resource);
    ep.state = e.state;
    ep.channels.clear();
  }
  channels.clear();
  sessions.clear();
  bridges.clear();
  for (const c of chans) {
    const ch = trackChannel(c);
    if (ch && !ch.session) startSession(ch, c);
  }
  for (const b of brs) {
    const members = new Set(b.channels || []);
    bridges.set(b.id, members);
    let s = null;
    for (const id of members) {
      const ch = channels.get(id);
      if (ch && !s) s = sessions.get(ch.session);
    }
    for (const id of members) {
      const ch = channels.get(id);
      if (!ch) continue;
      ch.bridge = b.id;
      if (s && ch.session !== s.id) {
        const old = sessions.get(ch.session);
        if (old) {
          old.channels.delete(ch.id);
          if (old.channels.size === 0) sessions.delete(old.id);
        }
        join(s, ch);
      }
    }
  }
  for (const s of sessions.values()) sessionState(s);
  for (const ep of endpoints.values()) touch(ep);
}

// --- main -------------------------------------------------------------------

function parseTimestamp (ts) {
  // "2026-11-27T02:05:13.801+0000"
  return Date.parse(ts);
}

async function main () {
  const args = parseArgs(process.argv);
  patchWebSocket();
  const ari = require('ari-client');

  const t0 = Date.now();
  const docs = await serveApiDocs(args.apiDocs, args.url);
  const docsUrl = 'http://127.0.0.1:' + docs.address().port;
  const client = await ari.connect(docsUrl, args.user, args.password);
  docs.close();
  // REST goes to the PBX through basePath; the events socket too:
  client._connection.host = new URL(args.url).host;
  const tApi = Date.now();

  let synced = false;
  const held = [];
  let events = 0;
  let lags = [];
  let maxLag = 0;

  client.on('*', (ev) => {
    events++;
    if (!synced) {
      held.push(ev);
      return;
    }
    handle(ev);
    const lag = Date.now() - parseTimestamp(ev.timestamp);
    if (lags.length < 200000) lags.push(lag);
    if (lag > maxLag) maxLag = lag;
  });
  client.on('WebSocketReconnecting', () => console.error('ari-state: events socket lost, reconnecting'));

  await client.start(args.app, true);
  const [eps, chans, brs] = await Promise.all([
    client.endpoints.list(), client.channels.list(), client.bridges.list()
  ]);
  applySnapshot(eps, chans, brs);
  synced = true;
  for (const ev of held.splice(0)) handle(ev);
  const tSynced = Date.now();

  function counts () {
    let named = 0;
    for (const ep of endpoints.values()) if (ep.presence !== 'unknown') named++;
    return { endpoints: endpoints.size, channels: channels.size, bridges: bridges.size, sessions: sessions.size, with_presence: named };
  }

  console.log(JSON.stringify(Object.assign({
    synced: true, api_load_ms: tApi - t0, sync_ms: tSynced - tApi, events
  }, counts())));

  setInterval(() => {
    lags.sort((a, b) => a - b);
    const p = (q) => lags.length ? lags[Math.min(lags.length - 1, Math.floor(q * (lags.length - 1) + 0.5))] : -1;
    console.log(JSON.stringify(Object.assign({
      t: Date.now(), events, lag_p50_ms: p(0.5), lag_p99_ms: p(0.99), lag_max_ms: maxLag, rss_kb: Math.round(process.memoryUsage().rss / 1024)
    }, counts())));
    lags = [];
    maxLag = 0;
  }, args.interval);

  const stop = () => {
    client.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error('ari-state: ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});

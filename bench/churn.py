#!/usr/bin/python3
"""churn.py: calls set up and torn down through pbxsim's control API.

    churn.py --url http://127.0.0.1:PORT [--workers 48] [--seconds S] [--calls N]
             [--calls-per-s R]

For bench/run's memory and side-by-side figures: whole calls as a user
sees them (dial, hold, unhold, hang up), a fixed number at a time. (pbxsim's
scale mode once scanned every endpoint per new call and could not churn
calls fast enough with 10,000 endpoints; it keeps a pool of idle phones now,
but this script stays so that the side-by-side figures remain comparable
with earlier runs.) Dialling through /sim/calls costs pbxsim only the call.

Each call: POST /sim/calls {from, to} (in scale mode the callee answers at
once), hold, unhold, hang up, --pause apart — about 95 ARI events, like a
real SIP call's ~83 on Asterisk. Phones that are in a call when it starts (the scale mode's
standing calls) are left alone. Runs until --seconds, --calls or SIGTERM;
prints one JSON line per second and a last one: {"calls", "errors", "t"}.
"""

import argparse
import asyncio
import json
import signal
import sys
import time

import aiohttp


async def request(session, url, method, path, body=None):
    async with session.request(method, url + path, json=body) as resp:
        data = await resp.json(content_type=None)
        if resp.status >= 400:
            raise RuntimeError('%s %s: %d %s' % (method, path, resp.status, data))
        return data


async def main_async(args):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    conn = aiohttp.TCPConnector(limit=args.workers * 2)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        users = (await request(session, args.url, 'GET', '/sim/users'))['users']
        legs = (await request(session, args.url, 'GET', '/sim/calls'))['calls']
        busy = {leg['extension'] for leg in legs if leg['state'] != 'closed'}
        idle = sorted(u['extension'] for u in users
                      if not u.get('app') and u['extension'] not in busy)
        pairs = [(idle[i], idle[i + 1]) for i in range(0, len(idle) - 1, 2)]
        if len(pairs) < args.workers:
            raise SystemExit('churn: only %d idle pairs of phones' % len(pairs))
        counts = {'calls': 0, 'errors': 0}
        t0 = time.monotonic()
        deadline = t0 + args.seconds if args.seconds else None
        interval = args.workers / args.calls_per_s if args.calls_per_s else 0

        def done():
            return (stop.is_set() or (deadline and time.monotonic() > deadline) or
                    (args.calls and counts['calls'] >= args.calls))

        async def worker(k):
            mine = pairs[k::args.workers]
            i = 0
            while not done():
                began = time.monotonic()
                a, b = mine[i % len(mine)]
                i += 1
                try:
                    call = await request(session, args.url, 'POST', '/sim/calls',
                                         {'from': a, 'to': b})
                    cid = call['call']
                    if call.get('state') == 'established':
                        await asyncio.sleep(args.pause)
                        await request(session, args.url, 'POST', '/sim/calls/%s/hold' % cid, {})
                        await asyncio.sleep(args.pause)
                        await request(session, args.url, 'POST', '/sim/calls/%s/unhold' % cid, {})
                        await asyncio.sleep(args.pause)
                    await request(session, args.url, 'POST', '/sim/calls/%s/hangup' % cid, {})
                    counts['calls'] += 1
                except (RuntimeError, aiohttp.ClientError, asyncio.TimeoutError) as e:
                    counts['errors'] += 1
                    if counts['errors'] <= 5:
                        sys.stderr.write('churn: %s\n' % e)
                if interval:
                    await asyncio.sleep(max(0.0, interval - (time.monotonic() - began)))

        async def report():
            while not done():
                await asyncio.sleep(1.0)
                print(json.dumps(dict(counts, t=round(time.monotonic() - t0, 2))), flush=True)

        await asyncio.gather(report(), *(worker(k) for k in range(args.workers)))
        print(json.dumps(dict(counts, t=round(time.monotonic() - t0, 2), final=True)), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--url', required=True)
    p.add_argument('--workers', type=int, default=48)
    p.add_argument('--seconds', type=float, default=0)
    p.add_argument('--calls', type=int, default=0)
    p.add_argument('--calls-per-s', type=float, default=0, help='pace (default: as fast as it goes)')
    p.add_argument('--pause', type=float, default=0.05,
                   help='seconds between answer, hold, unhold and hang-up (default 0.05)')
    asyncio.run(main_async(p.parse_args()))


if __name__ == '__main__':
    main()

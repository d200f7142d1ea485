#!/usr/bin/python3
"""pbxsim: an Asterisk ARI simulator for Offhook's tests, demo and benchmarks.

One process, loopback only: ARI REST under /ari/, the events WebSocket
/ari/events, media WebSockets /media/<connection_id>, and the control API
under /sim/.  See README.md beside this file.

    /usr/bin/python3 tests/pbxsim/pbxsim.py [--port 0] [--port-file PATH]
        [--users FILE] [--ari-user offhook] [--ari-password secret]
        [--stasis EXT=APP ...] [--demo] [--scale N --calls M --rate R]
        [--tls-cert PEM --tls-key PEM]
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from aiohttp import web  # noqa: E402

from pbxsimlib.ari import AriServer  # noqa: E402
from pbxsimlib.control import ControlApi  # noqa: E402
from pbxsimlib.pbx import Pbx  # noqa: E402
from pbxsimlib import modes  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description="Asterisk ARI simulator (loopback only)")
    p.add_argument("--port", type=int, default=8088, help="TCP port on 127.0.0.1 (0: pick a free one)")
    p.add_argument("--port-file", help="write the chosen port here (atomically) once listening")
    p.add_argument("--users", help='users file: {"users":[{"extension","name","mobile","email","registered","app"}]}')
    p.add_argument("--ari-user", default="offhook")
    p.add_argument("--ari-password", default="secret")
    p.add_argument("--stasis", action="append", default=[], metavar="EXT=APP",
                   help="calls to EXT run Stasis(APP,incoming) (repeatable)")
    p.add_argument("--dial-timeout", type=float, default=30.0, help="Dial()/originate ring timeout (s)")
    p.add_argument("--demo", action="store_true", help="a dozen users and a gentle background of calls and messages")
    p.add_argument("--demo-interval", type=float, default=4.0, help="mean seconds between demo actions")
    p.add_argument("--scale", type=int, default=0, metavar="N", help="benchmark mode with N endpoints")
    p.add_argument("--calls", type=int, default=0, metavar="M", help="scale mode: concurrent calls to keep up")
    p.add_argument("--rate", type=float, default=0.0, metavar="R", help="scale mode: target events per second")
    p.add_argument("--seed", type=int, default=None, help="random seed (demo/scale)")
    p.add_argument("--tls-cert", help="PEM certificate: serve HTTPS/WSS")
    p.add_argument("--tls-key", help="PEM private key for --tls-cert")
    p.add_argument("--quiet", action="store_true", help="log less")
    return p.parse_args(argv)


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


async def main_async(args):
    log_quiet = args.quiet

    def log(msg):
        if not log_quiet:
            print("pbxsim: %s" % msg, flush=True)

    pbx = Pbx(log=log)
    pbx.dial_timeout_s = args.dial_timeout
    if args.seed is not None:
        import random
        random.seed(args.seed)
    users_file = args.users
    if args.demo and not users_file:
        users_file = os.path.join(HERE, "users-demo.json")
    if users_file:
        with open(users_file, encoding="utf-8") as f:
            spec = json.load(f)
    else:
        spec = None
    if args.scale:
        modes.add_scale_users(pbx, args.scale)
    elif spec is None:
        pbx.load_default_users()
    else:
        pbx.load_users(spec)
    for item in args.stasis:
        ext, _, app = item.partition("=")
        if not ext or not app:
            raise SystemExit("--stasis wants EXT=APP, got %r" % item)
        if ext not in pbx.users:
            pbx.add_user(ext, "", "", "", app)
        else:
            pbx.users[ext].app = app

    # signals first: whoever saw the port file or the banner may stop us at once
    stop = asyncio.Event()
    loop = asyncio.get_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    mode_state = {}
    ari = AriServer(pbx, args.ari_user, args.ari_password, log=log)
    control = ControlApi(pbx, ari, mode_state)
    app = web.Application(client_max_size=64 * 1024 * 1024)
    ari.add_routes(app)
    control.add_routes(app)

    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    ssl_ctx = None
    if args.tls_cert:
        ssl_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_ctx.load_cert_chain(args.tls_cert, args.tls_key)
    site = web.TCPSite(runner, "127.0.0.1", args.port, ssl_context=ssl_ctx, reuse_address=True)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    pbx.loop = asyncio.get_event_loop()
    pbx.start_media_clock()
    tasks = []
    if args.demo:
        tasks.append(asyncio.ensure_future(modes.demo(pbx, args.demo_interval, mode_state)))
    if args.scale:
        tasks.append(asyncio.ensure_future(modes.scale(pbx, args.calls, args.rate, mode_state)))

    if args.port_file:
        write_port_file(args.port_file, port)
    scheme = "https" if ssl_ctx else "http"
    print("pbxsim listening on %s://127.0.0.1:%d" % (scheme, port), flush=True)

    await stop.wait()
    log("stopping")
    for t in tasks:
        t.cancel()
    pbx.drop_event_sockets("close")
    if pbx.media_task is not None:
        pbx.media_task.cancel()
    try:
        await asyncio.wait_for(runner.cleanup(), 3.0)
    except asyncio.TimeoutError:
        pass


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.tls_cert and not args.tls_key:
        raise SystemExit("--tls-cert needs --tls-key")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

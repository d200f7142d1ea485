"""--demo (a dozen users and a gentle, realistic background of calls, holds,
hang-ups, messages and registrations) and --scale (N endpoints, M concurrent
calls and a target event rate, for the benchmarks)."""

import asyncio
import random
import time

DEMO_MESSAGES = [
    "Are you joining the 3 pm meeting?", "Can you call me back?", "Lunch?",
    "The customer called again.", "Thanks!", "I'm in a call, will ring you later.",
    "Did you see the new price list?", "On my way.", "Can you take the front desk for 10 min?",
]


def _idle_phones(pbx, rnd):
    out = [e for e in pbx.endpoints.values()
           if e.registered and not e.user.app and not e.active_legs()]
    rnd.shuffle(out)
    return out


# ---- demo -----------------------------------------------------------------------------

async def demo(pbx, interval, state):
    rnd = random.Random()
    state.update({"mode": "demo", "demo_actions": 0})
    for ep in pbx.endpoints.values():
        ep.answermode = "manual"
    await asyncio.sleep(0.5)
    while True:
        await asyncio.sleep(rnd.expovariate(1.0 / max(0.2, interval)))
        try:
            _demo_action(pbx, rnd)
            pbx.flush_devices()
            state["demo_actions"] += 1
        except Exception as e:  # keep the background going whatever happens
            pbx.log("demo action failed: %r" % (e,))


def _demo_action(pbx, rnd):
    r = rnd.random()
    if r < 0.55:
        _demo_call(pbx, rnd)
    elif r < 0.75:
        _demo_message(pbx, rnd)
    elif r < 0.85:
        _demo_call_app_user(pbx, rnd)
    else:
        _demo_registration(pbx, rnd)


def _demo_call(pbx, rnd):
    idle = _idle_phones(pbx, rnd)
    if len(idle) < 2:
        return
    a, b = idle[0], idle[1]
    leg = pbx.phone_dial(a.ext, b.ext)
    if leg.channel is None:
        return
    incoming = [l for l in b.legs if l.state == "incoming"]
    if not incoming:
        return
    inc = incoming[-1]
    fate = rnd.random()
    if fate < 0.72:
        pbx.later(rnd.uniform(1.0, 5.0), _demo_answer, pbx, rnd, inc, leg)
    elif fate < 0.84:
        pbx.later(rnd.uniform(1.0, 3.0), lambda: inc.state == "incoming" and pbx.phone_reject(inc, 17))
    else:   # nobody answers: the caller gives up
        pbx.later(rnd.uniform(6.0, 12.0), lambda: leg.state != "closed" and pbx.phone_hangup(leg))


def _demo_answer(pbx, rnd, inc, out):
    if inc.state != "incoming":
        return
    pbx.phone_answer(inc)
    talk = rnd.uniform(6.0, 40.0)
    if rnd.random() < 0.3:
        holder = rnd.choice([inc, out])
        t_hold = rnd.uniform(2.0, talk / 2)
        pbx.later(t_hold, lambda: holder.state == "established" and pbx.phone_hold(holder, True))
        pbx.later(t_hold + rnd.uniform(2.0, 8.0),
                  lambda: holder.state == "established" and pbx.phone_hold(holder, False))
        talk += 10.0
    ender = rnd.choice([inc, out])
    pbx.later(talk, lambda: ender.state != "closed" and pbx.phone_hangup(ender))


def _demo_message(pbx, rnd):
    users = [e for e in pbx.endpoints.values() if e.registered and not e.user.app]
    if not users:
        return
    a = rnd.choice(users)
    targets = [u for u in pbx.users.values() if u.ext != a.ext]
    if not targets:
        return
    b = rnd.choice(targets)
    pbx.phone_message(a.ext, b.ext, rnd.choice(DEMO_MESSAGES))


def _demo_call_app_user(pbx, rnd):
    """Somebody calls the daemon's user (rarely): it rings in the Stasis app."""
    if rnd.random() > 0.35:
        return
    targets = [u for u in pbx.users.values() if u.app and pbx.app_registered(u.app)]
    idle = _idle_phones(pbx, rnd)
    if not targets or not idle:
        return
    leg = pbx.phone_dial(idle[0].ext, rnd.choice(targets).ext)
    pbx.later(rnd.uniform(20.0, 45.0), lambda: leg.state != "closed" and pbx.phone_hangup(leg))


def _demo_registration(pbx, rnd):
    phones = [e for e in pbx.endpoints.values() if not e.user.app and not e.active_legs()]
    if not phones:
        return
    ep = rnd.choice(phones)
    if ep.registered:
        if sum(1 for e in phones if e.registered) > 4:
            pbx.unregister(ep.ext)
            pbx.later(rnd.uniform(5.0, 30.0), lambda: pbx.register(ep.ext))
    else:
        pbx.register(ep.ext)


# ---- scale ------------------------------------------------------------------------------

def add_scale_users(pbx, n):
    first = 1000 if n <= 9000 else 100000
    for i in range(n):
        ext = str(first + i)
        pbx.add_user(ext, "User %s" % ext, "+1555%07d" % (first + i), "user%s@example.com" % ext)
        ep = pbx.endpoints[ext]
        ep.capture = False
        ep.answermode = "auto"
        pbx.register(ext)
    pbx.flush_devices()


async def scale(pbx, calls, rate, state):
    rnd = random.Random(1)
    state.update({"mode": "scale", "target_calls": calls, "target_rate": rate, "scale_actions": 0})
    active = []                          # caller legs
    tokens = 0.0
    last = time.time()
    step = 0.02
    started = False
    while True:
        await asyncio.sleep(step)
        now = time.time()
        tokens = min(tokens + rate * (now - last), max(rate, 1.0)) if rate > 0 else tokens
        last = now
        active = [l for l in active if l.state != "closed"]
        # keep M calls up
        while len(active) < calls:
            before = pbx.stats["events_total"]
            idle = _idle_phones(pbx, rnd)
            if len(idle) < 2:
                break
            leg = pbx.phone_dial(idle[0].ext, idle[1].ext)
            pbx.flush_devices()
            if leg.state == "closed":
                break
            active.append(leg)
            if started:             # the first M calls are set up at once, not paced
                tokens -= pbx.stats["events_total"] - before
        started = True
        # spend the event budget on churn and holds
        guard = 0
        while rate > 0 and tokens > 0 and active and guard < 200:
            guard += 1
            before = pbx.stats["events_total"]
            leg = rnd.choice(active)
            r = rnd.random()
            if r < 0.6 and leg.state == "established":
                pbx.phone_hold(leg, not leg.held)
            else:
                pbx.phone_hangup(leg)
                idle = _idle_phones(pbx, rnd)
                if len(idle) >= 2:
                    nl = pbx.phone_dial(idle[0].ext, idle[1].ext)
                    if nl.state != "closed":
                        active.append(nl)
            pbx.flush_devices()
            state["scale_actions"] += 1
            spent = pbx.stats["events_total"] - before
            tokens -= max(1, spent)
            active = [l for l in active if l.state != "closed"]
        state["calls_up"] = len(active)

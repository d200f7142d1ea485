"""--demo (a dozen users and a gentle, realistic background of calls, holds,
hang-ups, messages and registrations) and --scale (N endpoints, M concurrent
calls and a target event rate, for the benchmarks)."""

import asyncio
import random

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


class IdlePhones:
    """The phones the scale mode may call with: registered, not a Stasis
    route, no call. Taken at random in constant time (a scan of every
    endpoint per new call capped the mode at a few dozen calls a second with
    10,000 endpoints). Whether a phone is still idle is checked when it is
    taken, so a phone something else made busy (the control API, churn.py)
    is only dropped; rescan() brings back such phones once they are free."""

    def __init__(self, pbx, rnd):
        self.pbx = pbx
        self.rnd = rnd
        self.items = []
        self.index = {}
        self.rescan()

    def idle(self, ep):
        if not ep.registered or ep.user.app or self.pbx.endpoints.get(ep.ext) is not ep:
            return False
        for leg in reversed(ep.legs):
            if leg.state != "closed":
                return False
        return True

    def rescan(self):
        self.items = [e for e in self.pbx.endpoints.values() if self.idle(e)]
        self.index = {e.ext: i for i, e in enumerate(self.items)}

    def __len__(self):
        return len(self.items)

    def add(self, ep):
        if ep is not None and ep.ext not in self.index and self.idle(ep):
            self.index[ep.ext] = len(self.items)
            self.items.append(ep)

    def _remove_at(self, i):
        items = self.items
        ep = items[i]
        last = items.pop()
        if last is not ep:
            items[i] = last
            self.index[last.ext] = i
        del self.index[ep.ext]
        return ep

    def take(self):
        """A random idle phone, no longer in the pool (None if there is none)."""
        while self.items:
            ep = self._remove_at(self.rnd.randrange(len(self.items)))
            if self.idle(ep):
                return ep
        return None

    def sample(self):
        """A random idle phone, left in the pool."""
        while self.items:
            i = self.rnd.randrange(len(self.items))
            ep = self.items[i]
            if self.idle(ep):
                return ep
            self._remove_at(i)
        return None


BACKLOG_MAX = 1 << 20          # bytes an events socket may have waiting before churn pauses

SCALE_MESSAGES = ["Can you call me back?", "In a meeting until 3.", "Thanks!", "On my way.",
                  "The customer called again.", "Lunch?"]


async def scale(pbx, calls, rate, state):
    """Keep `calls` auto-answered calls up between random idle phones, and
    spend about `rate` events/s on churn: holds and unholds (58 % of the
    actions), hang-ups each followed by a new call (38 %), a text message
    between two phones (2 %), a phone that loses its registration and is
    back 1-5 s later (2 %). Every event counts against the rate, whatever
    caused it (a re-registration's timer, the control API); the first
    `calls` calls are set up at once, not paced."""
    rnd = random.Random(1)
    pbx.audio_off = True
    state.update({"mode": "scale", "target_calls": calls, "target_rate": rate, "scale_actions": 0,
                  "calls_up": 0, "backlog_waits": 0})
    loop = asyncio.get_event_loop()
    idle = IdlePhones(pbx, rnd)
    active = []                          # caller legs; leg.scale_peer: the callee's endpoint
    stats = pbx.stats
    # short ticks at high rates: the events go out as they are made, in
    # bursts of about one action's, not all of 20 ms at once
    step = min(0.02, max(0.002, 40.0 / rate)) if rate > 0 else 0.02
    cap = max(rate * 0.25, 100.0)       # at most 250 ms of catching up
    tokens = 0.0
    last = loop.time()
    seen = stats["events_total"]
    next_prune = next_rescan = last
    started = False

    def release(leg):
        idle.add(leg.endpoint)
        idle.add(getattr(leg, "scale_peer", None))

    def new_call():
        a = idle.take()
        b = idle.take()
        if a is None or b is None:
            idle.add(a)
            return None
        leg = pbx.phone_dial(a.ext, b.ext)
        if leg.state == "closed":
            idle.add(a)
            idle.add(b)
            return None
        leg.scale_peer = b
        active.append(leg)
        return leg

    def drop_at(i):
        leg = active[i]
        last_leg = active.pop()
        if last_leg is not leg:
            active[i] = last_leg
        return leg

    def back(ep):
        if pbx.endpoints.get(ep.ext) is ep and not ep.registered:
            pbx.register(ep.ext)
            idle.add(ep)

    def action():
        i = rnd.randrange(len(active))
        leg = active[i]
        if leg.state == "closed":        # hung up by somebody else
            release(drop_at(i))
            return
        r = rnd.random()
        if r < 0.58:
            if leg.state == "established":
                pbx.phone_hold(leg, not leg.held)
                return
        elif r < 0.96:
            pass
        elif r < 0.98:
            a, b = idle.sample(), idle.sample()
            if a is not None and b is not None and a is not b:
                pbx.phone_message(a.ext, b.ext, rnd.choice(SCALE_MESSAGES))
                del b.messages[:-20]
            return
        else:
            ep = idle.take()
            if ep is not None:
                pbx.unregister(ep.ext)
                pbx.later(rnd.uniform(1.0, 5.0), back, ep)
            return
        pbx.phone_hangup(leg)
        release(drop_at(i))
        new_call()

    while True:
        await asyncio.sleep(step)
        now = loop.time()
        if now >= next_prune:            # calls that ended without us
            next_prune = now + 0.25
            keep = []
            for leg in active:
                if leg.state == "closed":
                    release(leg)
                else:
                    keep.append(leg)
            active[:] = keep
        if now >= next_rescan:
            next_rescan = now + 5.0
            idle.rescan()
        if rate > 0:
            tokens = min(tokens + rate * (now - last), cap)
        last = now
        total = stats["events_total"]
        tokens -= total - seen           # whatever happened since the last tick
        seen = total
        # keep M calls up
        while len(active) < calls:
            if new_call() is None:
                break
            pbx.flush_devices()
        total = stats["events_total"]
        if started:
            tokens -= total - seen
        seen = total
        started = True
        # spend the event budget on churn, holds, messages and registrations;
        # not while a client has not read the last ones yet (past what a
        # client can take, making more only fills memory)
        guard = 0
        if rate > 0 and tokens > 0 and pbx.events_backlog() > BACKLOG_MAX:
            guard = 1000
            state["backlog_waits"] += 1
        while rate > 0 and tokens > 0 and active and guard < 1000:
            guard += 1
            action()
            pbx.flush_devices()
            state["scale_actions"] += 1
            total = stats["events_total"]
            tokens -= max(1, total - seen)
            seen = total
        state["calls_up"] = len(active)

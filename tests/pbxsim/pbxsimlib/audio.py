"""Audio for the simulator: 20 ms frames of 16 kHz signed 16-bit mono
(slin16), tones, mixing, format conversion for the media WebSocket, and a
pure-Python spectrum analysis (FFT + parabolic interpolation) to measure the
dominant frequency of what a simulated phone hears."""

import array
import cmath
import math
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import audioop  # C speed where available (Python <= 3.12)
    except ImportError:  # pragma: no cover
        audioop = None

RATE = 16000
FRAME_MS = 20
SAMPLES = RATE * FRAME_MS // 1000      # 320
FRAME_BYTES = SAMPLES * 2               # 640
SILENCE = bytes(FRAME_BYTES)
TONE_AMPLITUDE = 8000                   # rms 5657, like the recorded phones
MOH_HZ = 425                            # music on hold as the recording heard it

_tone_cache = {}


def tone_frames(freq, amplitude=TONE_AMPLITUDE):
    """A list of consecutive 20 ms frames of a sine at `freq` Hz that loops
    seamlessly (frames repeat after at most one second)."""
    key = (int(freq), amplitude)
    frames = _tone_cache.get(key)
    if frames is not None:
        return frames
    freq = int(freq)
    period = RATE // math.gcd(RATE, freq) if freq > 0 else 1
    nframes = (period * SAMPLES // math.gcd(period, SAMPLES)) // SAMPLES
    frames = []
    w = 2.0 * math.pi * freq / RATE
    n = 0
    for _ in range(nframes):
        a = array.array("h", (int(round(amplitude * math.sin(w * (n + i)))) for i in range(SAMPLES)))
        if sys.byteorder != "little":
            a.byteswap()
        frames.append(a.tobytes())
        n += SAMPLES
    _tone_cache[key] = frames
    return frames


class ToneSource:
    """A phone's voice: a continuous tone (or silence when freq is 0)."""

    def __init__(self, freq):
        self.freq = int(freq or 0)
        self.index = 0

    def set(self, freq):
        self.freq = int(freq or 0)
        self.index = 0

    def next(self):
        if self.freq <= 0:
            return SILENCE
        frames = tone_frames(self.freq)
        f = frames[self.index % len(frames)]
        self.index += 1
        return f


def mix(frames):
    """Sum slin16 frames (saturating)."""
    frames = [f for f in frames if f is not None]
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    if audioop is not None:
        out = frames[0]
        for f in frames[1:]:
            out = audioop.add(out, f, 2)
        return out
    acc = [0] * SAMPLES
    for f in frames:
        a = array.array("h", f)
        for i in range(SAMPLES):
            acc[i] += a[i]
    return array.array("h", (max(-32768, min(32767, v)) for v in acc)).tobytes()


def rms(frame_bytes):
    if not frame_bytes:
        return 0.0
    if audioop is not None:
        return float(audioop.rms(frame_bytes, 2))
    a = array.array("h", frame_bytes)
    return math.sqrt(sum(v * v for v in a) / len(a)) if a else 0.0


# ---- media WebSocket formats -------------------------------------------------

# format -> (sample rate, bytes per sample or 'ulaw'/'alaw')
FORMATS = {
    "slin": (8000, 2), "slin12": (12000, 2), "slin16": (16000, 2),
    "slin24": (24000, 2), "slin32": (32000, 2), "slin44": (44100, 2),
    "slin48": (48000, 2), "slin96": (96000, 2), "slin192": (192000, 2),
    "ulaw": (8000, "ulaw"), "alaw": (8000, "alaw"),
}


def optimal_frame_size(fmt):
    rate, width = FORMATS[fmt]
    samples = rate * FRAME_MS // 1000
    return samples * (2 if width == 2 else 1)


class Converter:
    """Converts between the internal slin16 frames and a media format."""

    def __init__(self, fmt):
        self.fmt = fmt
        self.rate, self.width = FORMATS[fmt]
        self.out_state = None
        self.in_state = None

    def to_wire(self, frame16):
        data = frame16
        if self.rate != RATE:
            data = _ratecv(data, RATE, self.rate, self, "out_state")
        if self.width == "ulaw":
            data = audioop.lin2ulaw(data, 2) if audioop else _lin2ulaw(data)
        elif self.width == "alaw":
            data = audioop.lin2alaw(data, 2) if audioop else _lin2ulaw(data)
        return data

    def from_wire(self, data):
        if self.width == "ulaw":
            data = audioop.ulaw2lin(data, 2) if audioop else bytes(len(data) * 2)
        elif self.width == "alaw":
            data = audioop.alaw2lin(data, 2) if audioop else bytes(len(data) * 2)
        if self.rate != RATE:
            data = _ratecv(data, self.rate, RATE, self, "in_state")
        if len(data) < FRAME_BYTES:
            data = data + bytes(FRAME_BYTES - len(data))
        return data[:FRAME_BYTES]


def _ratecv(data, rate_in, rate_out, holder, attr):
    if audioop is not None:
        out, state = audioop.ratecv(data, 2, 1, rate_in, rate_out, getattr(holder, attr))
        setattr(holder, attr, state)
        return out
    a = array.array("h", data)
    n_out = len(a) * rate_out // rate_in
    return array.array("h", (a[min(len(a) - 1, i * rate_in // rate_out)] for i in range(n_out))).tobytes()


def _lin2ulaw(data):  # crude fallback; only used without audioop
    return bytes(len(data) // 2)


# ---- analysis ----------------------------------------------------------------

def _fft(x):
    """Iterative radix-2 FFT of a list of complex numbers (len power of 2)."""
    n = len(x)
    j = 0
    x = list(x)
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            x[i], x[j] = x[j], x[i]
    size = 2
    while size <= n:
        half = size // 2
        wstep = cmath.exp(-2j * math.pi / size)
        for start in range(0, n, size):
            w = 1 + 0j
            for k in range(start, start + half):
                t = w * x[k + half]
                x[k + half] = x[k] - t
                x[k] = x[k] + t
                w *= wstep
        size *= 2
    return x


def analyse(samples_bytes, rate=RATE, nfft=4096):
    """Dominant frequency (Hz, float, None for silence) and rms of slin audio."""
    a = array.array("h", samples_bytes)
    if sys.byteorder != "little":
        a.byteswap()
    if not a:
        return None, 0.0
    level = math.sqrt(sum(v * v for v in a) / len(a))
    if level < 50:
        return None, level
    seg = a[-nfft:] if len(a) >= nfft else a
    n = 1
    while n < len(seg):
        n *= 2
    m = len(seg)
    mean = sum(seg) / m
    win = [(seg[i] - mean) * (0.5 - 0.5 * math.cos(2 * math.pi * i / (m - 1 if m > 1 else 1))) for i in range(m)]
    win.extend([0.0] * (n - m))
    spec = _fft(win)
    mags = [abs(c) for c in spec[: n // 2]]
    k = max(range(1, len(mags) - 1), key=lambda i: mags[i]) if len(mags) > 2 else 0
    if 0 < k < len(mags) - 1:
        a1, b1, c1 = (math.log(mags[k - 1] + 1e-9), math.log(mags[k] + 1e-9), math.log(mags[k + 1] + 1e-9))
        denom = a1 - 2 * b1 + c1
        p = 0.5 * (a1 - c1) / denom if denom != 0 else 0.0
    else:
        p = 0.0
    return (k + p) * rate / n, level

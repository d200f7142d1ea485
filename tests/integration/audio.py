"""Measuring a tone in 16 kHz mono s16le audio, in plain Python."""

import math
import os
import struct

RATE = 16000


def read_tail(path, seconds, header=44):
    """The last `seconds` of a WAV file that is still being written."""
    size = os.path.getsize(path)
    want = int(seconds * RATE) * 2
    if size - header < want:
        return []
    with open(path, 'rb') as f:
        f.seek(size - want - (size - header) % 2)
        data = f.read(want)
    return list(struct.unpack('<%dh' % (len(data) // 2), data))


def rms(samples):
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def goertzel(samples, freq):
    coeff = 2 * math.cos(2 * math.pi * freq / RATE)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + coeff * s1 - s2
        s2, s1 = s1, s0
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def dominant_hz(samples):
    """The frequency of a (nearly) pure tone: zero crossings give it to
    about 1 Hz over half a second; Goertzel checks it dominates."""
    if len(samples) < RATE // 10 or rms(samples) < 100:
        return None
    crossings = 0
    sign = samples[0] >= 0
    for x in samples:
        if (x >= 0) != sign and abs(x) > 30:
            crossings += 1
            sign = x >= 0
    freq = crossings * RATE / (2.0 * len(samples))
    here = goertzel(samples, freq)
    for other in (freq * 0.8, freq * 1.25):
        if goertzel(samples, other) > here / 4:
            return None   # not a clean tone
    return freq

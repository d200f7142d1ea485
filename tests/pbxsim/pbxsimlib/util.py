"""Small helpers shared by the simulator modules: time stamps, ids, the
Asterisk cause table, HTML error pages and the static data recorded from a
real Asterisk 23.4.1."""

import json
import os
import random
import time
import uuid

ASTERISK_ID = "00:00:00:00:00:00"
ASTERISK_VERSION = "23.4.1"

_DATA = None


def data():
    """The data recorded from a real Asterisk (asterisk_data.json)."""
    global _DATA
    if _DATA is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "asterisk_data.json")
        with open(path, encoding="utf-8") as f:
            _DATA = json.load(f)
    return _DATA


_ts_second = [None, ""]


def ts(t=None):
    """An ARI time stamp: 2026-11-27T02:05:13.801+0000 (UTC)."""
    if t is None:
        t = time.time()
    s = int(t)
    cache = _ts_second
    if cache[0] != s:           # strftime once a second, not once an event
        cache[1] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
        cache[0] = s
    return "%s.%03d+0000" % (cache[1], int((t - s) * 1000))


# JSON text as json.dumps() writes it (", " and ": " separators, ASCII
# escapes), built from pieces: events are written with string formatting
# around cached snapshot texts instead of json.dumps() of fresh dicts.
try:
    from json.encoder import c_encode_basestring_ascii as json_str
except ImportError:     # pragma: no cover (CPython has the C version)
    from json.encoder import py_encode_basestring_ascii as json_str
if json_str is None:    # pragma: no cover
    from json.encoder import py_encode_basestring_ascii as json_str


class RawJson(str):
    """A value that is JSON text already (a cached snapshot)."""
    __slots__ = ()


def json_value(v, _str=str, _int=int, _raw=RawJson, _dumps=json.dumps):
    """The JSON text of one value, exactly as json.dumps() writes it."""
    t = type(v)
    if t is _str:
        return json_str(v)
    if t is _raw:
        return v
    if t is _int:
        return _int.__repr__(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    return _dumps(v)


def json_fields(pairs):
    """'"k1": v1, "k2": v2' for (key, value) pairs (keys plain ASCII names)."""
    return ", ".join(['"%s": %s' % (k, json_value(v)) for k, v in pairs])


def new_uuid():
    return str(uuid.uuid4())


def hex_id(n=16):
    return "%0*x" % (n, random.getrandbits(4 * n))


def pointer():
    """Something that looks like a C pointer as Asterisk prints it."""
    return "0x7f%010x" % random.getrandbits(40)


# Asterisk's cause table (main/causes.c / channel.c), for the causes the
# simulator can produce.
CAUSES = {
    0: "Unknown",
    1: "Unallocated (unassigned) number",
    2: "No route to specified transmit network",
    3: "No route to destination",
    16: "Normal Clearing",
    17: "User busy",
    18: "No user responding",
    19: "User alerting, no answer",
    20: "Subscriber absent",
    21: "Call Rejected",
    22: "Number changed",
    26: "Answered elsewhere",
    27: "Destination out of order",
    28: "Invalid number format",
    31: "Normal, unspecified",
    34: "Circuit/channel congestion",
    38: "Network out of order",
    41: "Temporary failure",
    58: "Bearer capability not available",
    127: "Interworking, unspecified",
}


def cause_txt(cause):
    return CAUSES.get(cause, "Unknown")


# DELETE /channels/{id}?reason=... (ari/resource_channels.c)
HANGUP_REASONS = {
    "normal": 16,
    "busy": 17,
    "congestion": 34,
    "no_answer": 19,
    "timeout": 19,
    "rejected": 21,
    "unallocated": 1,
    "normal_unspecified": 31,
    "number_incomplete": 28,
    "codec_mismatch": 58,
    "interworking": 127,
    "failure": 38,
    "answered_elsewhere": 26,
}

REASON_PHRASES = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 412: "Precondition Failed",
    422: "Unprocessable Entity", 426: "Upgrade Required",
    500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
}


def html_error(status, title, text):
    """The HTML page Asterisk's ast_http_error() writes (recorded in 06-bad-input)."""
    return ("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n"
            "<html><head>\r\n"
            "<title>%d %s</title>\r\n"
            "</head><body>\r\n"
            "<h1>%s</h1>\r\n"
            "<p>%s</p>\r\n"
            "<hr />\r\n"
            "<address>Asterisk/%s</address>\r\n"
            "</body></html>\r\n") % (status, title, title, text, ASTERISK_VERSION)


def parse_callerid(text):
    """'"Alice Anders" <100>' -> ("Alice Anders", "100"); '100' -> ("", "100")."""
    text = (text or "").strip()
    if "<" in text and text.endswith(">"):
        name, num = text[:-1].split("<", 1)
        name = name.strip()
        if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
            name = name[1:-1]
        return name, num.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1], ""
    if text and all(c.isdigit() or c in "+*#" for c in text):
        return "", text
    return text, ""


def sip_from_header(from_value, domain="127.0.0.1"):
    """What a phone sees in the From header of an ARI sendMessage
    (05-chat-message: from=100 -> <sip:100@127.0.0.1>, no from ->
    <sip:(null)@127.0.0.1>)."""
    if from_value is None or from_value == "":
        return "<sip:(null)@%s>" % domain
    v = from_value.strip()
    if "<" in v and v.endswith(">"):
        return v
    if v.startswith("sip:") or v.startswith("pjsip:"):
        return "<%s>" % (v if v.startswith("sip:") else "sip:" + v[len("pjsip:"):])
    if "@" in v:
        return "<sip:%s>" % v
    return "<sip:%s@%s>" % (v, domain)


def user_of_uri(text):
    """'"Bob" <sip:101@127.0.0.1>' / 'pjsip:101@x' / 'PJSIP/101' / '101' -> '101'."""
    t = (text or "").strip()
    if "<" in t:
        t = t.split("<", 1)[1].split(">", 1)[0]
    for prefix in ("pjsip:", "sip:", "PJSIP/", "pjsip/"):
        if t.lower().startswith(prefix.lower()):
            t = t[len(prefix):]
    return t.split("@", 1)[0].split(";", 1)[0]

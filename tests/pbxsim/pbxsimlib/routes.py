"""The ARI route table: every path and method of the Swagger specs in
../shared/ari-api-docs/ (23.4.1), and the matcher."""

# Every ARI path of the Swagger specs (../shared/ari-api-docs), with methods.
# Routes without a handler answer 501.
ROUTES = """
GET applications
GET applications/{applicationName}
POST applications/{applicationName}/subscription
DELETE applications/{applicationName}/subscription
PUT applications/{applicationName}/eventFilter
GET asterisk/config/dynamic/{configClass}/{objectType}/{id}
PUT asterisk/config/dynamic/{configClass}/{objectType}/{id}
DELETE asterisk/config/dynamic/{configClass}/{objectType}/{id}
GET asterisk/info
GET asterisk/ping
GET asterisk/modules
GET asterisk/modules/{moduleName}
POST asterisk/modules/{moduleName}
DELETE asterisk/modules/{moduleName}
PUT asterisk/modules/{moduleName}
GET asterisk/logging
POST asterisk/logging/{logChannelName}
DELETE asterisk/logging/{logChannelName}
PUT asterisk/logging/{logChannelName}/rotate
GET asterisk/variable
POST asterisk/variable
GET bridges
POST bridges
POST bridges/{bridgeId}
GET bridges/{bridgeId}
DELETE bridges/{bridgeId}
GET bridges/{bridgeId}/variable
POST bridges/{bridgeId}/variable
GET bridges/{bridgeId}/variables
POST bridges/{bridgeId}/variables
POST bridges/{bridgeId}/addChannel
POST bridges/{bridgeId}/removeChannel
POST bridges/{bridgeId}/videoSource/{channelId}
DELETE bridges/{bridgeId}/videoSource
POST bridges/{bridgeId}/moh
DELETE bridges/{bridgeId}/moh
POST bridges/{bridgeId}/play
POST bridges/{bridgeId}/play/{playbackId}
POST bridges/{bridgeId}/record
GET channels
POST channels
POST channels/create
GET channels/{channelId}
POST channels/{channelId}
DELETE channels/{channelId}
POST channels/{channelId}/continue
POST channels/{channelId}/move
POST channels/{channelId}/redirect
POST channels/{channelId}/answer
POST channels/{channelId}/ring
DELETE channels/{channelId}/ring
POST channels/{channelId}/progress
POST channels/{channelId}/dtmf
POST channels/{channelId}/mute
DELETE channels/{channelId}/mute
POST channels/{channelId}/hold
DELETE channels/{channelId}/hold
POST channels/{channelId}/moh
DELETE channels/{channelId}/moh
POST channels/{channelId}/silence
DELETE channels/{channelId}/silence
POST channels/{channelId}/play
POST channels/{channelId}/play/{playbackId}
POST channels/{channelId}/record
GET channels/{channelId}/variable
POST channels/{channelId}/variable
GET channels/{channelId}/variables
POST channels/{channelId}/variables
POST channels/{channelId}/snoop
POST channels/{channelId}/snoop/{snoopId}
POST channels/{channelId}/dial
GET channels/{channelId}/rtp_statistics
POST channels/externalMedia
POST channels/{channelId}/transfer_progress
GET deviceStates
GET deviceStates/{deviceName}
PUT deviceStates/{deviceName}
DELETE deviceStates/{deviceName}
GET endpoints
PUT endpoints/sendMessage
POST endpoints/refer
GET endpoints/{tech}
GET endpoints/{tech}/{resource}
PUT endpoints/{tech}/{resource}/sendMessage
POST endpoints/{tech}/{resource}/refer
GET mailboxes
GET mailboxes/{mailboxName}
PUT mailboxes/{mailboxName}
DELETE mailboxes/{mailboxName}
GET playbacks/{playbackId}
DELETE playbacks/{playbackId}
POST playbacks/{playbackId}/control
GET recordings/stored
GET recordings/stored/{recordingName}
DELETE recordings/stored/{recordingName}
GET recordings/stored/{recordingName}/file
POST recordings/stored/{recordingName}/copy
GET recordings/live/{recordingName}
DELETE recordings/live/{recordingName}
POST recordings/live/{recordingName}/stop
POST recordings/live/{recordingName}/pause
DELETE recordings/live/{recordingName}/pause
POST recordings/live/{recordingName}/mute
DELETE recordings/live/{recordingName}/mute
GET sounds
GET sounds/{soundId}
GET events
"""

_TEMPLATES = []
for _line in ROUTES.strip().splitlines():
    _m, _p = _line.split()
    _TEMPLATES.append((_m, _p.split("/")))


def match_route(segments):
    """-> (list of (method, template, params)) for templates matching the path."""
    out = []
    for method, tmpl in _TEMPLATES:
        if len(tmpl) != len(segments):
            continue
        params = {}
        ok = True
        for t, s in zip(tmpl, segments):
            if t.startswith("{"):
                params[t[1:-1]] = s
            elif t != s:
                ok = False
                break
        if ok:
            out.append((method, "/".join(tmpl), params))
    # literal segments win over parameters (channels/externalMedia vs channels/{channelId})
    out.sort(key=lambda r: r[1].count("{"))
    return out

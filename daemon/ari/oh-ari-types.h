/* oh-ari-types.h: ARI's objects and events, decoded and validated
 *
 * The rest of the daemon sees only these structs, never JSON. Every string
 * field is non-NULL (empty when ARI sent an empty string); fields that the
 * event type does not carry are NULL/0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The Asterisk channel states that ARI reports, in `channel.state`. */
typedef enum {
  OH_ARI_CHANNEL_STATE_UNKNOWN,
  OH_ARI_CHANNEL_STATE_DOWN,
  OH_ARI_CHANNEL_STATE_RSRVD,
  OH_ARI_CHANNEL_STATE_OFFHOOK,
  OH_ARI_CHANNEL_STATE_DIALING,
  OH_ARI_CHANNEL_STATE_RING,
  OH_ARI_CHANNEL_STATE_RINGING,
  OH_ARI_CHANNEL_STATE_UP,
  OH_ARI_CHANNEL_STATE_BUSY,
  OH_ARI_CHANNEL_STATE_DIALING_OFFHOOK,
  OH_ARI_CHANNEL_STATE_PRERING,
} OhAriChannelState;

typedef struct {
  char             *id;
  char             *name;             /* "PJSIP/101-00000000" */
  OhAriChannelState state;
  char             *caller_number;
  char             *caller_name;
  char             *connected_number;
  char             *connected_name;
  char             *context;          /* dialplan.context */
  char             *exten;            /* dialplan.exten */
  char             *app_name;         /* dialplan.app_name */
  char             *app_data;         /* dialplan.app_data */
  gint64            creation_time;    /* µs since the epoch */
  /* channelvars, when present (externalMedia's reply has them), else NULL */
  GHashTable       *variables;
  gint              ref_count;
} OhAriChannel;

typedef struct {
  char      *id;
  char      *technology;
  char      *bridge_type;   /* "mixing", "holding" */
  char      *bridge_class;  /* "basic", "stasis" */
  char      *creator;
  char      *name;
  GStrv      channels;      /* channel ids */
  gint64     creation_time;
  gint       ref_count;
} OhAriBridge;

typedef struct {
  char      *technology;    /* "PJSIP" */
  char      *resource;      /* "101" */
  char      *state;         /* "online", "offline", "unknown" */
  GStrv      channel_ids;
  gint       ref_count;
} OhAriEndpoint;

typedef enum {
  OH_ARI_EVENT_UNKNOWN,              /* a valid event we do not use */
  OH_ARI_EVENT_STASIS_START,
  OH_ARI_EVENT_STASIS_END,
  OH_ARI_EVENT_CHANNEL_CREATED,
  OH_ARI_EVENT_CHANNEL_DESTROYED,
  OH_ARI_EVENT_CHANNEL_STATE_CHANGE,
  OH_ARI_EVENT_CHANNEL_DIALPLAN,
  OH_ARI_EVENT_CHANNEL_CALLER_ID,
  OH_ARI_EVENT_CHANNEL_CONNECTED_LINE,
  OH_ARI_EVENT_CHANNEL_VARSET,
  OH_ARI_EVENT_CHANNEL_HOLD,
  OH_ARI_EVENT_CHANNEL_UNHOLD,
  OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST,
  OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED,
  OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE,
  OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE,
  OH_ARI_EVENT_BRIDGE_CREATED,
  OH_ARI_EVENT_BRIDGE_DESTROYED,
  OH_ARI_EVENT_DIAL,
  OH_ARI_EVENT_ENDPOINT_STATE_CHANGE,
  OH_ARI_EVENT_CONTACT_STATUS_CHANGE,
  OH_ARI_EVENT_PEER_STATUS_CHANGE,
  OH_ARI_EVENT_DEVICE_STATE_CHANGED,
  OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED,
} OhAriEventType;

typedef struct {
  OhAriEventType type;
  char          *type_name;     /* as sent, e.g. "StasisStart" */
  char          *application;
  gint64         timestamp;     /* µs since the epoch */

  OhAriChannel  *channel;       /* Channel*, Stasis*, Dial (peer) */
  OhAriChannel  *caller;        /* Dial: the calling channel, may be NULL */
  OhAriBridge   *bridge;        /* Bridge*, ChannelEntered/LeftBridge */
  OhAriEndpoint *endpoint;      /* EndpointStateChange, ContactStatusChange,
                                 * PeerStatusChange, TextMessageReceived
                                 * (the sender) */

  GStrv          args;          /* StasisStart */
  char          *dialstatus;    /* Dial: "", "RINGING", "ANSWER", "BUSY",
                                 * "NOANSWER", "CANCEL", ... */
  char          *dialstring;    /* Dial */
  gint           cause;         /* ChannelDestroyed, ChannelHangupRequest */
  char          *cause_txt;     /* ChannelDestroyed */
  char          *digit;         /* ChannelDtmfReceived */
  gint           duration_ms;   /* ChannelDtmfReceived */
  char          *variable;      /* ChannelVarset */
  char          *value;         /* ChannelVarset */

  char          *contact_uri;     /* ContactStatusChange contact_info.uri */
  char          *contact_status;  /* "NonQualified", "Reachable", "Removed", ... */
  char          *contact_aor;
  char          *peer_status;     /* PeerStatusChange peer.peer_status */

  char          *device_name;     /* DeviceStateChanged device_state.name */
  char          *device_state;    /* "NOT_INUSE", "INUSE", "RINGING", ... */

  char          *message_from;    /* TextMessageReceived message.from */
  char          *message_to;      /* message.to */
  char          *message_body;    /* message.body */
  /* message.variables (SIP headers and PJSIP_* values), or NULL */
  GHashTable    *message_variables;
  /* ContactStatusChange contact_info.roundtrip_usec, 0 when absent */
  gint64         contact_roundtrip_usec;

  gint           ref_count;
} OhAriEvent;

/* Info the daemon needs from GET /asterisk/info. */
typedef struct {
  char *version;   /* system.version */
} OhAriInfo;

/* The result of externalMedia (a channel with MEDIA_WEBSOCKET_* vars). */
#define OH_ARI_VAR_MEDIA_CONNECTION_ID   "MEDIA_WEBSOCKET_CONNECTION_ID"
#define OH_ARI_VAR_MEDIA_FRAME_SIZE      "MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE"

#define OH_TYPE_ARI_CHANNEL  (oh_ari_channel_get_type ())
#define OH_TYPE_ARI_BRIDGE   (oh_ari_bridge_get_type ())
#define OH_TYPE_ARI_ENDPOINT (oh_ari_endpoint_get_type ())
#define OH_TYPE_ARI_EVENT    (oh_ari_event_get_type ())
#define OH_TYPE_ARI_INFO     (oh_ari_info_get_type ())

GType          oh_ari_channel_get_type  (void) G_GNUC_CONST;
GType          oh_ari_bridge_get_type   (void) G_GNUC_CONST;
GType          oh_ari_endpoint_get_type (void) G_GNUC_CONST;
GType          oh_ari_event_get_type    (void) G_GNUC_CONST;
GType          oh_ari_info_get_type     (void) G_GNUC_CONST;

OhAriChannel  *oh_ari_channel_ref    (OhAriChannel  *channel);
void           oh_ari_channel_unref  (OhAriChannel  *channel);
OhAriBridge   *oh_ari_bridge_ref     (OhAriBridge   *bridge);
void           oh_ari_bridge_unref   (OhAriBridge   *bridge);
OhAriEndpoint *oh_ari_endpoint_ref   (OhAriEndpoint *endpoint);
void           oh_ari_endpoint_unref (OhAriEndpoint *endpoint);
OhAriEvent    *oh_ari_event_ref      (OhAriEvent    *event);
void           oh_ari_event_unref    (OhAriEvent    *event);
void           oh_ari_info_free      (OhAriInfo     *info);
OhAriInfo     *oh_ari_info_copy      (const OhAriInfo *info);

/* A channel variable from `channelvars`, or NULL. */
const char    *oh_ari_channel_get_variable (OhAriChannel *channel,
                                            const char   *name);
/* "Ringing" → OH_ARI_CHANNEL_STATE_RINGING; FALSE for a name ARI never sends. */
gboolean       oh_ari_channel_state_from_string (const char        *name,
                                                 OhAriChannelState *state);
/* The inverse, for logs: "Ringing"; "Unknown" for UNKNOWN. */
const char    *oh_ari_channel_state_to_string   (OhAriChannelState  state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhAriChannel, oh_ari_channel_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhAriBridge, oh_ari_bridge_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhAriEndpoint, oh_ari_endpoint_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhAriEvent, oh_ari_event_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhAriInfo, oh_ari_info_free)

G_END_DECLS

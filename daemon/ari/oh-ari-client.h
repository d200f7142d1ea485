/* oh-ari-client.h: one connection to one Asterisk's ARI
 *
 * REST requests as GTask-based async calls with cancellation and a timeout,
 * and the one events WebSocket (/ari/events?app=NAME&subscribeAll=true) with
 * keep-alive pings. Events are decoded here and handed out typed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-ari-decode.h"
#include "oh-ari-types.h"

G_BEGIN_DECLS

#define OH_TYPE_ARI_CLIENT (oh_ari_client_get_type ())
G_DECLARE_FINAL_TYPE (OhAriClient, oh_ari_client, OH, ARI_CLIENT, GObject)

/**
 * OhAriClient::event:
 * @event: (type OhAriEvent): a decoded event, in the order ARI sent them
 *
 * OhAriClient::closed:
 * @error: why the events socket closed unexpectedly (OH_ARI_ERROR_NETWORK);
 *   oh_ari_client_disconnect() emits no ::closed
 *
 * OhAriClient::protocol-error:
 * @message: a malformed event was dropped (it is also logged)
 */

/* base_url: "http(s)://host:port" (no /ari suffix). The password is kept in
 * memory only for the Authorization header and never logged. */
OhAriClient *oh_ari_client_new (const char *base_url,
                                const char *username,
                                const char *password,
                                const char *application,
                                gboolean    tls_verify);

const char  *oh_ari_client_get_base_url     (OhAriClient *self);
const char  *oh_ari_client_get_application  (OhAriClient *self);
gboolean     oh_ari_client_is_connected     (OhAriClient *self);
/* Per-request timeout in seconds (default 10). */
void         oh_ari_client_set_timeout      (OhAriClient *self,
                                             guint        seconds);

/* Checks the credentials (GET /ari/asterisk/info) and opens the events
 * socket; completes once both worked. */
void         oh_ari_client_connect_async    (OhAriClient         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
OhAriInfo   *oh_ari_client_connect_finish   (OhAriClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error);
/* Closes the socket and fails pending requests with OH_ARI_ERROR_CLOSED;
 * emits no ::closed. */
void         oh_ari_client_disconnect       (OhAriClient *self);

/* Generic REST call. query: NULL or a NULL-terminated key, value, ... list
 * (values are form-encoded here). body: NULL or a JSON document (string).
 * The result is the response body (GBytes, possibly empty); non-2xx answers
 * are errors with the mapped code and ARI's message. */
void         oh_ari_client_request_async    (OhAriClient         *self,
                                             const char          *method,
                                             const char          *path,
                                             const char * const  *query,
                                             const char          *json_body,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GBytes      *oh_ari_client_request_finish   (OhAriClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Typed reads used by the resync. finish returns GPtrArray of OhAriEndpoint*,
 * OhAriChannel*, OhAriBridge* (element free funcs set). */
void         oh_ari_client_list_endpoints_async (OhAriClient *, GCancellable *, GAsyncReadyCallback, gpointer);
GPtrArray   *oh_ari_client_list_endpoints_finish (OhAriClient *, GAsyncResult *, GError **);
void         oh_ari_client_list_channels_async  (OhAriClient *, GCancellable *, GAsyncReadyCallback, gpointer);
GPtrArray   *oh_ari_client_list_channels_finish (OhAriClient *, GAsyncResult *, GError **);
void         oh_ari_client_list_bridges_async   (OhAriClient *, GCancellable *, GAsyncReadyCallback, gpointer);
GPtrArray   *oh_ari_client_list_bridges_finish  (OhAriClient *, GAsyncResult *, GError **);
/* GET /asterisk/config/dynamic/res_pjsip/endpoint/{resource}: attribute map */
void         oh_ari_client_get_endpoint_config_async  (OhAriClient *, const char *resource,
                                                       GCancellable *, GAsyncReadyCallback, gpointer);
GHashTable  *oh_ari_client_get_endpoint_config_finish (OhAriClient *, GAsyncResult *, GError **);

/* Typed operations. Ids and names go into the path URI-escaped and into the
 * query form-encoded; optional (nullable) arguments that are NULL, and
 * numbers that are 0, are left out so that ARI's defaults apply. The
 * finish functions return FALSE/NULL with the mapped OH_ARI_ERROR. */

/* GET /channels/{id} */
void          oh_ari_client_get_channel_async  (OhAriClient *self, const char *channel_id,
                                                GCancellable *, GAsyncReadyCallback, gpointer);
OhAriChannel *oh_ari_client_get_channel_finish (OhAriClient *self, GAsyncResult *, GError **);
/* GET /channels/{id}/variable?variable= */
void          oh_ari_client_get_channel_variable_async  (OhAriClient *self, const char *channel_id,
                                                         const char *variable, GCancellable *,
                                                         GAsyncReadyCallback, gpointer);
char         *oh_ari_client_get_channel_variable_finish (OhAriClient *self, GAsyncResult *,
                                                         GError **);
/* POST /channels/{id}/answer */
void          oh_ari_client_answer_async  (OhAriClient *self, const char *channel_id,
                                           GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_answer_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/ring (ringback to the caller) */
void          oh_ari_client_ring_async  (OhAriClient *self, const char *channel_id,
                                         GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_ring_finish (OhAriClient *self, GAsyncResult *, GError **);
/* DELETE /channels/{id}/ring */
void          oh_ari_client_ring_stop_async  (OhAriClient *self, const char *channel_id,
                                              GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_ring_stop_finish (OhAriClient *self, GAsyncResult *, GError **);
/* DELETE /channels/{id}?reason= ("normal", "busy", "congestion",
 * "no_answer", "answered_elsewhere", ...; NULL: ARI's default, normal) */
void          oh_ari_client_hangup_async  (OhAriClient *self, const char *channel_id,
                                           const char *reason, GCancellable *,
                                           GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_hangup_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/hold: ARI then sends no ChannelHold (see the
 * transcripts' README), only DeviceStateChanged ONHOLD. */
void          oh_ari_client_hold_async  (OhAriClient *self, const char *channel_id,
                                         GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_hold_finish (OhAriClient *self, GAsyncResult *, GError **);
/* DELETE /channels/{id}/hold */
void          oh_ari_client_unhold_async  (OhAriClient *self, const char *channel_id,
                                           GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_unhold_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/moh?mohClass= */
void          oh_ari_client_moh_start_async  (OhAriClient *self, const char *channel_id,
                                              const char *moh_class, GCancellable *,
                                              GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_moh_start_finish (OhAriClient *self, GAsyncResult *, GError **);
/* DELETE /channels/{id}/moh */
void          oh_ari_client_moh_stop_async  (OhAriClient *self, const char *channel_id,
                                             GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_moh_stop_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/dtmf?dtmf=&between=&duration= (ms; 0: default) */
void          oh_ari_client_send_dtmf_async  (OhAriClient *self, const char *channel_id,
                                              const char *dtmf, guint between_ms,
                                              guint duration_ms, GCancellable *,
                                              GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_send_dtmf_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/continue?context=&extension=&priority= (leaves Stasis;
 * the blind transfer that works, see the transcripts) */
void          oh_ari_client_continue_async  (OhAriClient *self, const char *channel_id,
                                             const char *context, const char *extension,
                                             guint priority, GCancellable *,
                                             GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_continue_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/{id}/redirect?endpoint= (a SIP REFER) */
void          oh_ari_client_redirect_async  (OhAriClient *self, const char *channel_id,
                                             const char *endpoint, GCancellable *,
                                             GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_redirect_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels?endpoint=&app=&appArgs=&callerId=&channelId=&timeout=
 * app NULL: the client's application. The channel enters Stasis (and gets
 * its StasisStart) only once answered. */
void          oh_ari_client_originate_async  (OhAriClient *self, const char *endpoint,
                                              const char *app, const char *app_args,
                                              const char *caller_id, const char *channel_id,
                                              guint timeout_seconds, GCancellable *,
                                              GAsyncReadyCallback, gpointer);
OhAriChannel *oh_ari_client_originate_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /channels/externalMedia?app=&transport=websocket&encapsulation=none
 *   &connection_type=server&format=&transport_data=&channelId=
 * The channel's variables carry OH_ARI_VAR_MEDIA_CONNECTION_ID; it enters
 * Stasis only once the media WebSocket connects. */
void          oh_ari_client_external_media_async  (OhAriClient *self, const char *format,
                                                   const char *transport_data,
                                                   const char *channel_id, GCancellable *,
                                                   GAsyncReadyCallback, gpointer);
OhAriChannel *oh_ari_client_external_media_finish (OhAriClient *self, GAsyncResult *,
                                                   GError **);

/* POST /bridges?type=&name=&bridgeId= (type e.g. "mixing") */
void          oh_ari_client_create_bridge_async  (OhAriClient *self, const char *type,
                                                  const char *name, const char *bridge_id,
                                                  GCancellable *, GAsyncReadyCallback,
                                                  gpointer);
OhAriBridge  *oh_ari_client_create_bridge_finish (OhAriClient *self, GAsyncResult *, GError **);
/* POST /bridges/{id}/addChannel?channel= (CONFLICT while the channel is
 * not in Stasis) */
void          oh_ari_client_bridge_add_channel_async  (OhAriClient *self, const char *bridge_id,
                                                       const char *channel_id, GCancellable *,
                                                       GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_bridge_add_channel_finish (OhAriClient *self, GAsyncResult *,
                                                       GError **);
/* POST /bridges/{id}/removeChannel?channel= */
void          oh_ari_client_bridge_remove_channel_async  (OhAriClient *self,
                                                          const char *bridge_id,
                                                          const char *channel_id,
                                                          GCancellable *,
                                                          GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_bridge_remove_channel_finish (OhAriClient *self, GAsyncResult *,
                                                          GError **);
/* DELETE /bridges/{id} */
void          oh_ari_client_destroy_bridge_async  (OhAriClient *self, const char *bridge_id,
                                                   GCancellable *, GAsyncReadyCallback,
                                                   gpointer);
gboolean      oh_ari_client_destroy_bridge_finish (OhAriClient *self, GAsyncResult *, GError **);

/* PUT /endpoints/{technology}/{resource}/sendMessage?from=&body= with
 * {"variables": {...}} (they become SIP headers). Always pass from: without
 * it the phone sees "(null)". NOT_FOUND when the target is not registered. */
void          oh_ari_client_send_message_async  (OhAriClient *self, const char *technology,
                                                 const char *resource, const char *from,
                                                 const char *body, GHashTable *variables,
                                                 GCancellable *, GAsyncReadyCallback,
                                                 gpointer);
gboolean      oh_ari_client_send_message_finish (OhAriClient *self, GAsyncResult *, GError **);

/* POST/DELETE /applications/{app}/subscription?eventSource= for the
 * client's application ("endpoint:PJSIP/100", "channel:ID", ...). */
void          oh_ari_client_subscribe_async    (OhAriClient *self, const char *event_source,
                                                GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_subscribe_finish   (OhAriClient *self, GAsyncResult *, GError **);
void          oh_ari_client_unsubscribe_async  (OhAriClient *self, const char *event_source,
                                                GCancellable *, GAsyncReadyCallback, gpointer);
gboolean      oh_ari_client_unsubscribe_finish (OhAriClient *self, GAsyncResult *, GError **);

/* The media socket of an externalMedia channel (transport=websocket,
 * connection_type=server): see oh-ari-media.h for what flows on it. */
typedef struct _SoupWebsocketConnection SoupWebsocketConnection;
void          oh_ari_client_media_connect_async  (OhAriClient *self, const char *connection_id,
                                                  GCancellable *, GAsyncReadyCallback, gpointer);
SoupWebsocketConnection *oh_ari_client_media_connect_finish (OhAriClient *self, GAsyncResult *,
                                                             GError **);

G_END_DECLS

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
 * @error: (nullable): why the events socket closed (NULL after
 *   oh_ari_client_disconnect())
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

G_END_DECLS

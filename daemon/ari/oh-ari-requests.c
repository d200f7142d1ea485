/* oh-ari-requests.c: the typed ARI operations of OhAriClient
 *
 * Each is one REST call (oh_ari_client_call()) with its path and query built
 * here: ids and names URI-escaped into the path, values form-encoded into
 * the query by the call itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <json-glib/json-glib.h>

#include "oh-ari-client-private.h"

/* Query: key, value pairs; a NULL value leaves its key out. */
typedef struct
{
  const char *items[17];
  guint       n;
} Query;

static void
query_add (Query      *query,
           const char *key,
           const char *value)
{
  g_assert (query->n + 2 < G_N_ELEMENTS (query->items));
  if (value == NULL)
    return;
  query->items[query->n++] = key;
  query->items[query->n++] = value;
  query->items[query->n] = NULL;
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static char *
number_or_null (guint value)
{
  return value > 0 ? g_strdup_printf ("%u", value) : NULL;
}

/* "/channels/" + id + suffix */
static char *
channel_path (const char *channel_id,
              const char *suffix)
{
  g_autofree char *id = escape (channel_id);

  return g_strconcat ("/channels/", id, suffix, NULL);
}

static char *
bridge_path (const char *bridge_id,
             const char *suffix)
{
  g_autofree char *id = escape (bridge_id);

  return g_strconcat ("/bridges/", id, suffix, NULL);
}

static void
call_none (OhAriClient        *self,
           const char         *method,
           const char         *path,
           const Query        *query,
           gpointer            source_tag,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback,
           gpointer            user_data)
{
  oh_ari_client_call (self, method, path, query != NULL ? query->items : NULL, NULL,
                      OH_ARI_RESULT_NONE, NULL, NULL, source_tag, cancellable, callback,
                      user_data);
}

static void
call_decoded (OhAriClient        *self,
              const char         *method,
              const char         *path,
              const Query        *query,
              OhAriDecodeFunc     decode,
              GDestroyNotify      result_free,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  oh_ari_client_call (self, method, path, query != NULL ? query->items : NULL, NULL,
                      OH_ARI_RESULT_DECODED, decode, result_free, source_tag, cancellable,
                      callback, user_data);
}

/* Channel operations without arguments, answered with 204. */
static void
channel_action (OhAriClient        *self,
                const char         *method,
                const char         *channel_id,
                const char         *suffix,
                gpointer            source_tag,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (channel_id != NULL);

  path = channel_path (channel_id, suffix);
  call_none (self, method, path, NULL, source_tag, cancellable, callback, user_data);
}

/* Lists used by the resync */

/**
 * oh_ari_client_list_endpoints_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /endpoints.
 */
void
oh_ari_client_list_endpoints_async (OhAriClient        *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  call_decoded (self, "GET", "/endpoints", NULL, (OhAriDecodeFunc) oh_ari_endpoint_list_decode,
                (GDestroyNotify) g_ptr_array_unref, oh_ari_client_list_endpoints_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_list_endpoints_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type OhAriEndpoint): the endpoints
 */
GPtrArray *
oh_ari_client_list_endpoints_finish (OhAriClient  *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_list_endpoints_async,
                                            error);
}

/**
 * oh_ari_client_list_channels_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /channels.
 */
void
oh_ari_client_list_channels_async (OhAriClient        *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  call_decoded (self, "GET", "/channels", NULL, (OhAriDecodeFunc) oh_ari_channel_list_decode,
                (GDestroyNotify) g_ptr_array_unref, oh_ari_client_list_channels_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_list_channels_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type OhAriChannel): the channels
 */
GPtrArray *
oh_ari_client_list_channels_finish (OhAriClient  *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_list_channels_async,
                                            error);
}

/**
 * oh_ari_client_list_bridges_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /bridges.
 */
void
oh_ari_client_list_bridges_async (OhAriClient        *self,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  call_decoded (self, "GET", "/bridges", NULL, (OhAriDecodeFunc) oh_ari_bridge_list_decode,
                (GDestroyNotify) g_ptr_array_unref, oh_ari_client_list_bridges_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_list_bridges_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type OhAriBridge): the bridges
 */
GPtrArray *
oh_ari_client_list_bridges_finish (OhAriClient  *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_list_bridges_async,
                                            error);
}

/**
 * oh_ari_client_get_endpoint_config_async:
 * @self: a client
 * @resource: the PJSIP endpoint, e.g. "101"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /asterisk/config/dynamic/res_pjsip/endpoint/{resource}; its
 * `callerid` attribute holds the user's name (oh_ari_parse_callerid()).
 */
void
oh_ari_client_get_endpoint_config_async (OhAriClient        *self,
                                         const char         *resource,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (resource != NULL);

  escaped = escape (resource);
  path = g_strconcat ("/asterisk/config/dynamic/res_pjsip/endpoint/", escaped, NULL);
  call_decoded (self, "GET", path, NULL, (OhAriDecodeFunc) oh_ari_config_decode,
                (GDestroyNotify) g_hash_table_unref, oh_ari_client_get_endpoint_config_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_get_endpoint_config_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type utf8 utf8): attribute → value
 */
GHashTable *
oh_ari_client_get_endpoint_config_finish (OhAriClient  *self,
                                          GAsyncResult *result,
                                          GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result,
                                            oh_ari_client_get_endpoint_config_async, error);
}

/* Channels */

/**
 * oh_ari_client_get_channel_async:
 * @self: a client
 * @channel_id: the channel
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /channels/{id}.
 */
void
oh_ari_client_get_channel_async (OhAriClient        *self,
                                 const char         *channel_id,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (channel_id != NULL);

  path = channel_path (channel_id, "");
  call_decoded (self, "GET", path, NULL, (OhAriDecodeFunc) oh_ari_channel_decode,
                (GDestroyNotify) oh_ari_channel_unref, oh_ari_client_get_channel_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_get_channel_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error (%OH_ARI_ERROR_NOT_FOUND for a
 *   channel that is gone)
 *
 * Returns: (transfer full): the channel
 */
OhAriChannel *
oh_ari_client_get_channel_finish (OhAriClient  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_get_channel_async, error);
}

/**
 * oh_ari_client_get_channel_variable_async:
 * @self: a client
 * @channel_id: the channel
 * @variable: the variable's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /channels/{id}/variable?variable=.
 */
void
oh_ari_client_get_channel_variable_async (OhAriClient        *self,
                                          const char         *channel_id,
                                          const char         *variable,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data)
{
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);
  g_return_if_fail (variable != NULL);

  path = channel_path (channel_id, "/variable");
  query_add (&query, "variable", variable);
  call_decoded (self, "GET", path, &query, (OhAriDecodeFunc) oh_ari_variable_decode, g_free,
                oh_ari_client_get_channel_variable_async, cancellable, callback, user_data);
}

/**
 * oh_ari_client_get_channel_variable_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the variable's value
 */
char *
oh_ari_client_get_channel_variable_finish (OhAriClient  *self,
                                           GAsyncResult *result,
                                           GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result,
                                            oh_ari_client_get_channel_variable_async, error);
}

/**
 * oh_ari_client_answer_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/answer.
 */
void
oh_ari_client_answer_async (OhAriClient        *self,
                            const char         *channel_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  channel_action (self, "POST", channel_id, "/answer", oh_ari_client_answer_async, cancellable,
                  callback, user_data);
}

/**
 * oh_ari_client_answer_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_answer_finish (OhAriClient  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_answer_async, error);
}

/**
 * oh_ari_client_ring_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/ring: the caller hears ringing.
 */
void
oh_ari_client_ring_async (OhAriClient        *self,
                          const char         *channel_id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  channel_action (self, "POST", channel_id, "/ring", oh_ari_client_ring_async, cancellable,
                  callback, user_data);
}

/**
 * oh_ari_client_ring_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_ring_finish (OhAriClient  *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_ring_async, error);
}

/**
 * oh_ari_client_ring_stop_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /channels/{id}/ring.
 */
void
oh_ari_client_ring_stop_async (OhAriClient        *self,
                               const char         *channel_id,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  channel_action (self, "DELETE", channel_id, "/ring", oh_ari_client_ring_stop_async,
                  cancellable, callback, user_data);
}

/**
 * oh_ari_client_ring_stop_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_ring_stop_finish (OhAriClient  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_ring_stop_async, error);
}

/**
 * oh_ari_client_hangup_async:
 * @self: a client
 * @channel_id: the channel
 * @reason: (nullable): "normal", "busy", "congestion", "no_answer", ...
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /channels/{id}?reason=.
 */
void
oh_ari_client_hangup_async (OhAriClient        *self,
                            const char         *channel_id,
                            const char         *reason,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);

  path = channel_path (channel_id, "");
  query_add (&query, "reason", reason);
  call_none (self, "DELETE", path, &query, oh_ari_client_hangup_async, cancellable, callback,
             user_data);
}

/**
 * oh_ari_client_hangup_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_hangup_finish (OhAriClient  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_hangup_async, error);
}

/**
 * oh_ari_client_hold_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/hold. ARI sends no ChannelHold for it.
 */
void
oh_ari_client_hold_async (OhAriClient        *self,
                          const char         *channel_id,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  channel_action (self, "POST", channel_id, "/hold", oh_ari_client_hold_async, cancellable,
                  callback, user_data);
}

/**
 * oh_ari_client_hold_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_hold_finish (OhAriClient  *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_hold_async, error);
}

/**
 * oh_ari_client_unhold_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /channels/{id}/hold.
 */
void
oh_ari_client_unhold_async (OhAriClient        *self,
                            const char         *channel_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  channel_action (self, "DELETE", channel_id, "/hold", oh_ari_client_unhold_async, cancellable,
                  callback, user_data);
}

/**
 * oh_ari_client_unhold_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_unhold_finish (OhAriClient  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_unhold_async, error);
}

/**
 * oh_ari_client_moh_start_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @moh_class: (nullable): the music on hold class
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/moh?mohClass=.
 */
void
oh_ari_client_moh_start_async (OhAriClient        *self,
                               const char         *channel_id,
                               const char         *moh_class,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);

  path = channel_path (channel_id, "/moh");
  query_add (&query, "mohClass", moh_class);
  call_none (self, "POST", path, &query, oh_ari_client_moh_start_async, cancellable, callback,
             user_data);
}

/**
 * oh_ari_client_moh_start_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_moh_start_finish (OhAriClient  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_moh_start_async, error);
}

/**
 * oh_ari_client_moh_stop_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /channels/{id}/moh.
 */
void
oh_ari_client_moh_stop_async (OhAriClient        *self,
                              const char         *channel_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  channel_action (self, "DELETE", channel_id, "/moh", oh_ari_client_moh_stop_async,
                  cancellable, callback, user_data);
}

/**
 * oh_ari_client_moh_stop_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_moh_stop_finish (OhAriClient  *self,
                               GAsyncResult *result,
                               GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_moh_stop_async, error);
}

/**
 * oh_ari_client_send_dtmf_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @dtmf: the digits, e.g. "12#"
 * @between_ms: pause between digits, 0 for ARI's default
 * @duration_ms: length of each digit, 0 for ARI's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/dtmf?dtmf=&between=&duration=.
 */
void
oh_ari_client_send_dtmf_async (OhAriClient        *self,
                               const char         *channel_id,
                               const char         *dtmf,
                               guint               between_ms,
                               guint               duration_ms,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *between = number_or_null (between_ms);
  g_autofree char *duration = number_or_null (duration_ms);
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);
  g_return_if_fail (dtmf != NULL);

  path = channel_path (channel_id, "/dtmf");
  query_add (&query, "dtmf", dtmf);
  query_add (&query, "between", between);
  query_add (&query, "duration", duration);
  call_none (self, "POST", path, &query, oh_ari_client_send_dtmf_async, cancellable, callback,
             user_data);
}

/**
 * oh_ari_client_send_dtmf_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_send_dtmf_finish (OhAriClient  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_send_dtmf_async, error);
}

/**
 * oh_ari_client_continue_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @context: (nullable): dialplan context
 * @extension: (nullable): dialplan extension
 * @priority: dialplan priority, 0 for ARI's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/continue: the channel leaves Stasis for the dialplan.
 */
void
oh_ari_client_continue_async (OhAriClient        *self,
                              const char         *channel_id,
                              const char         *context,
                              const char         *extension,
                              guint               priority,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *priority_text = number_or_null (priority);
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);

  path = channel_path (channel_id, "/continue");
  query_add (&query, "context", context);
  query_add (&query, "extension", extension);
  query_add (&query, "priority", priority_text);
  call_none (self, "POST", path, &query, oh_ari_client_continue_async, cancellable, callback,
             user_data);
}

/**
 * oh_ari_client_continue_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_continue_finish (OhAriClient  *self,
                               GAsyncResult *result,
                               GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_continue_async, error);
}

/**
 * oh_ari_client_redirect_async:
 * @self: a client
 * @channel_id: a channel in Stasis
 * @endpoint: where to, e.g. "PJSIP/103"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/{id}/redirect?endpoint=.
 */
void
oh_ari_client_redirect_async (OhAriClient        *self,
                              const char         *channel_id,
                              const char         *endpoint,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (channel_id != NULL);
  g_return_if_fail (endpoint != NULL);

  path = channel_path (channel_id, "/redirect");
  query_add (&query, "endpoint", endpoint);
  call_none (self, "POST", path, &query, oh_ari_client_redirect_async, cancellable, callback,
             user_data);
}

/**
 * oh_ari_client_redirect_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_redirect_finish (OhAriClient  *self,
                               GAsyncResult *result,
                               GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_redirect_async, error);
}

/**
 * oh_ari_client_originate_async:
 * @self: a client
 * @endpoint: whom to call, e.g. "PJSIP/102"
 * @app: (nullable): the Stasis application, %NULL for the client's
 * @app_args: (nullable): comma-separated StasisStart args
 * @caller_id: (nullable): e.g. `"Alice Anders" <100>`
 * @channel_id: (nullable): the id to give the new channel
 * @timeout_seconds: how long to ring, 0 for ARI's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels.
 */
void
oh_ari_client_originate_async (OhAriClient        *self,
                               const char         *endpoint,
                               const char         *app,
                               const char         *app_args,
                               const char         *caller_id,
                               const char         *channel_id,
                               guint               timeout_seconds,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autofree char *timeout = number_or_null (timeout_seconds);
  Query query = { 0 };

  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (endpoint != NULL);

  query_add (&query, "endpoint", endpoint);
  query_add (&query, "app", app != NULL ? app : oh_ari_client_get_application (self));
  query_add (&query, "appArgs", app_args);
  query_add (&query, "callerId", caller_id);
  query_add (&query, "channelId", channel_id);
  query_add (&query, "timeout", timeout);
  call_decoded (self, "POST", "/channels", &query, (OhAriDecodeFunc) oh_ari_channel_decode,
                (GDestroyNotify) oh_ari_channel_unref, oh_ari_client_originate_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_originate_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error (%OH_ARI_ERROR_SERVER "Allocation
 *   failed" for an unknown endpoint)
 *
 * Returns: (transfer full): the new channel, state Down
 */
OhAriChannel *
oh_ari_client_originate_finish (OhAriClient  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_originate_async, error);
}

/**
 * oh_ari_client_external_media_async:
 * @self: a client
 * @format: the audio format, e.g. "slin16"
 * @transport_data: (nullable): e.g. "f(json)" for JSON control messages
 * @channel_id: (nullable): the id to give the new channel
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /channels/externalMedia with a WebSocket server connection in the
 * client's application.
 */
void
oh_ari_client_external_media_async (OhAriClient        *self,
                                    const char         *format,
                                    const char         *transport_data,
                                    const char         *channel_id,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Query query = { 0 };

  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (format != NULL);

  query_add (&query, "app", oh_ari_client_get_application (self));
  query_add (&query, "transport", "websocket");
  query_add (&query, "encapsulation", "none");
  query_add (&query, "connection_type", "server");
  query_add (&query, "format", format);
  query_add (&query, "transport_data", transport_data);
  query_add (&query, "channelId", channel_id);
  call_decoded (self, "POST", "/channels/externalMedia", &query,
                (OhAriDecodeFunc) oh_ari_channel_decode, (GDestroyNotify) oh_ari_channel_unref,
                oh_ari_client_external_media_async, cancellable, callback, user_data);
}

/**
 * oh_ari_client_external_media_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the media channel, with
 *   %OH_ARI_VAR_MEDIA_CONNECTION_ID among its variables
 */
OhAriChannel *
oh_ari_client_external_media_finish (OhAriClient  *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_external_media_async,
                                            error);
}

/* Bridges */

/**
 * oh_ari_client_create_bridge_async:
 * @self: a client
 * @type: (nullable): e.g. "mixing"
 * @name: (nullable): a name, for people
 * @bridge_id: (nullable): the id to give the bridge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /bridges.
 */
void
oh_ari_client_create_bridge_async (OhAriClient        *self,
                                   const char         *type,
                                   const char         *name,
                                   const char         *bridge_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Query query = { 0 };

  query_add (&query, "type", type);
  query_add (&query, "name", name);
  query_add (&query, "bridgeId", bridge_id);
  call_decoded (self, "POST", "/bridges", &query, (OhAriDecodeFunc) oh_ari_bridge_decode,
                (GDestroyNotify) oh_ari_bridge_unref, oh_ari_client_create_bridge_async,
                cancellable, callback, user_data);
}

/**
 * oh_ari_client_create_bridge_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the new bridge
 */
OhAriBridge *
oh_ari_client_create_bridge_finish (OhAriClient  *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_create_bridge_async,
                                            error);
}

static void
bridge_channel_action (OhAriClient        *self,
                       const char         *bridge_id,
                       const char         *suffix,
                       const char         *channel_id,
                       gpointer            source_tag,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (bridge_id != NULL);
  g_return_if_fail (channel_id != NULL);

  path = bridge_path (bridge_id, suffix);
  query_add (&query, "channel", channel_id);
  call_none (self, "POST", path, &query, source_tag, cancellable, callback, user_data);
}

/**
 * oh_ari_client_bridge_add_channel_async:
 * @self: a client
 * @bridge_id: the bridge
 * @channel_id: a channel in Stasis
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /bridges/{id}/addChannel?channel=.
 */
void
oh_ari_client_bridge_add_channel_async (OhAriClient        *self,
                                        const char         *bridge_id,
                                        const char         *channel_id,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  bridge_channel_action (self, bridge_id, "/addChannel", channel_id,
                         oh_ari_client_bridge_add_channel_async, cancellable, callback,
                         user_data);
}

/**
 * oh_ari_client_bridge_add_channel_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error (%OH_ARI_ERROR_CONFLICT while the
 *   channel is not in Stasis)
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_bridge_add_channel_finish (OhAriClient  *self,
                                         GAsyncResult *result,
                                         GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_bridge_add_channel_async,
                                            error);
}

/**
 * oh_ari_client_bridge_remove_channel_async:
 * @self: a client
 * @bridge_id: the bridge
 * @channel_id: a channel in it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /bridges/{id}/removeChannel?channel=.
 */
void
oh_ari_client_bridge_remove_channel_async (OhAriClient        *self,
                                           const char         *bridge_id,
                                           const char         *channel_id,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
  bridge_channel_action (self, bridge_id, "/removeChannel", channel_id,
                         oh_ari_client_bridge_remove_channel_async, cancellable, callback,
                         user_data);
}

/**
 * oh_ari_client_bridge_remove_channel_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_bridge_remove_channel_finish (OhAriClient  *self,
                                            GAsyncResult *result,
                                            GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result,
                                            oh_ari_client_bridge_remove_channel_async, error);
}

/**
 * oh_ari_client_destroy_bridge_async:
 * @self: a client
 * @bridge_id: the bridge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /bridges/{id}.
 */
void
oh_ari_client_destroy_bridge_async (OhAriClient        *self,
                                    const char         *bridge_id,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (bridge_id != NULL);

  path = bridge_path (bridge_id, "");
  call_none (self, "DELETE", path, NULL, oh_ari_client_destroy_bridge_async, cancellable,
             callback, user_data);
}

/**
 * oh_ari_client_destroy_bridge_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_destroy_bridge_finish (OhAriClient  *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_destroy_bridge_async,
                                            error);
}

/* Messages and subscriptions */

/* The message goes in the JSON body, which ARI reads like query
 * parameters: a 4 KiB text, percent-encoded into the request line, would
 * be longer than Asterisk's HTTP server accepts there. */
static char *
message_to_json (const char *from,
                 const char *body,
                 GHashTable *variables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  if (variables != NULL && g_hash_table_size (variables) > 0)
    {
      json_builder_set_member_name (builder, "variables");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, variables);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * oh_ari_client_send_message_async:
 * @self: a client
 * @technology: the recipient's technology, e.g. "PJSIP"
 * @resource: the recipient, e.g. "101"
 * @from: the sender, e.g. `"Alice Anders" <sip:100@pbx>`
 * @body: the text
 * @variables: (nullable) (element-type utf8 utf8): extra SIP headers
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * PUT /endpoints/{technology}/{resource}/sendMessage, with from, body and
 * variables in the JSON body.
 */
void
oh_ari_client_send_message_async (OhAriClient        *self,
                                  const char         *technology,
                                  const char         *resource,
                                  const char         *from,
                                  const char         *body,
                                  GHashTable         *variables,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autofree char *tech = NULL;
  g_autofree char *res = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;

  g_return_if_fail (technology != NULL);
  g_return_if_fail (resource != NULL);
  g_return_if_fail (from != NULL);
  g_return_if_fail (body != NULL);

  tech = escape (technology);
  res = escape (resource);
  path = g_strconcat ("/endpoints/", tech, "/", res, "/sendMessage", NULL);
  json = message_to_json (from, body, variables);
  oh_ari_client_call (self, "PUT", path, NULL, json, OH_ARI_RESULT_NONE, NULL, NULL,
                      oh_ari_client_send_message_async, cancellable, callback, user_data);
}

/**
 * oh_ari_client_send_message_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error (%OH_ARI_ERROR_NOT_FOUND when the
 *   recipient is not registered)
 *
 * Returns: whether ARI accepted the message
 */
gboolean
oh_ari_client_send_message_finish (OhAriClient  *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_send_message_async,
                                            error);
}

static void
subscription (OhAriClient        *self,
              const char         *method,
              const char         *event_source,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  g_autofree char *app = NULL;
  g_autofree char *path = NULL;
  Query query = { 0 };

  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (event_source != NULL);

  app = escape (oh_ari_client_get_application (self));
  path = g_strconcat ("/applications/", app, "/subscription", NULL);
  query_add (&query, "eventSource", event_source);
  call_none (self, method, path, &query, source_tag, cancellable, callback, user_data);
}

/**
 * oh_ari_client_subscribe_async:
 * @self: a client
 * @event_source: e.g. "endpoint:PJSIP/100"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /applications/{app}/subscription?eventSource=.
 */
void
oh_ari_client_subscribe_async (OhAriClient        *self,
                               const char         *event_source,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  subscription (self, "POST", event_source, oh_ari_client_subscribe_async, cancellable,
                callback, user_data);
}

/**
 * oh_ari_client_subscribe_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_subscribe_finish (OhAriClient  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_subscribe_async, error);
}

/**
 * oh_ari_client_unsubscribe_async:
 * @self: a client
 * @event_source: e.g. "endpoint:PJSIP/100"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * DELETE /applications/{app}/subscription?eventSource=. ARI answers
 * %OH_ARI_ERROR_CONFLICT for a source subscribeAll also covers.
 */
void
oh_ari_client_unsubscribe_async (OhAriClient        *self,
                                 const char         *event_source,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  subscription (self, "DELETE", event_source, oh_ari_client_unsubscribe_async, cancellable,
                callback, user_data);
}

/**
 * oh_ari_client_unsubscribe_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: whether ARI did it
 */
gboolean
oh_ari_client_unsubscribe_finish (OhAriClient  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  return oh_ari_client_call_finish_boolean (self, result, oh_ari_client_unsubscribe_async,
                                            error);
}

/* oh-ari-client.c: one connection to one Asterisk's ARI
 *
 * One SoupSession carries the REST requests and the events WebSocket. The
 * credentials become an Authorization header once, in the constructor; the
 * password itself is not kept, and neither it nor the header is logged.
 *
 * Every request runs under a guard: its own GCancellable, cancelled by the
 * caller's cancellable, by oh_ari_client_disconnect() or by the timeout,
 * whichever comes first; the guard remembers which, so the error says so.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <string.h>

#include <libsoup/soup.h>

#include "oh-ari-client-private.h"

#define DEFAULT_TIMEOUT_SECONDS   10
#define KEEPALIVE_SECONDS         15
/* Past OH_ARI_MAX_MESSAGE_SIZE the decoder drops an event and the socket
 * stays up; past this, libsoup closes the socket. */
#define MAX_SOCKET_PAYLOAD        (64 * 1024 * 1024)
#define MAX_CONNECTIONS_PER_HOST  6

struct _OhAriClient
{
  GObject                  parent_instance;

  char                    *base_url;     /* "https://pbx:8089": no userinfo, no "/" at the end */
  char                    *events_url;   /* ws(s)://.../ari/events?app=...&subscribeAll=true */
  char                    *ws_base_url;  /* ws(s)://host:port, for the media sockets */
  char                    *application;
  char                    *auth_header;  /* "Basic ..." */
  gboolean                 base_url_valid;
  gboolean                 tls_verify;
  guint                    timeout_ms;

  SoupSession             *session;
  GCancellable            *close_cancellable;  /* cancelled by disconnect() */
  guint                    generation;         /* bumped by disconnect() */
  gboolean                 connecting;
  SoupWebsocketConnection *events;
  GError                  *events_error;
};

G_DEFINE_TYPE (OhAriClient, oh_ari_client, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  SIGNAL_PROTOCOL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Guards */

typedef enum {
  STOP_NONE,
  STOP_CANCELLED,
  STOP_CLOSED,
  STOP_TIMEOUT,
  STOP_TOO_BIG,
} StopReason;

typedef struct
{
  GCancellable *cancellable;  /* handed to libsoup */
  GSource      *user_source;
  GSource      *close_source;
  GSource      *timeout_source;
  StopReason    stop;
} Guard;

static void
guard_stop (Guard     *guard,
            StopReason reason)
{
  if (guard->stop != STOP_NONE)
    return;
  guard->stop = reason;
  /* May complete the request, and free the guard, right away. */
  g_cancellable_cancel (guard->cancellable);
}

static gboolean
on_user_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  guard_stop (user_data, STOP_CANCELLED);
  return G_SOURCE_REMOVE;
}

static gboolean
on_client_closed (GCancellable *cancellable,
                  gpointer      user_data)
{
  guard_stop (user_data, STOP_CLOSED);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timed_out (gpointer user_data)
{
  guard_stop (user_data, STOP_TIMEOUT);
  return G_SOURCE_REMOVE;
}

static GSource *
attach_source (GSource    *source,
               GSourceFunc func,
               gpointer    data)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* Cancellable sources rather than g_cancellable_connect(): their callbacks
 * run from the main loop, never inside another cancellable's emission,
 * where GLib 2.74 would deadlock on g_cancellable_disconnect(). */
static void
guard_init (Guard        *guard,
            OhAriClient  *self,
            GCancellable *cancellable)
{
  guard->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    guard->user_source = attach_source (g_cancellable_source_new (cancellable),
                                        G_SOURCE_FUNC (on_user_cancelled), guard);
  guard->close_source = attach_source (g_cancellable_source_new (self->close_cancellable),
                                       G_SOURCE_FUNC (on_client_closed), guard);
  guard->timeout_source = attach_source (g_timeout_source_new (self->timeout_ms), on_timed_out,
                                         guard);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
guard_clear (Guard *guard)
{
  clear_source (&guard->user_source);
  clear_source (&guard->close_source);
  clear_source (&guard->timeout_source);
  g_clear_object (&guard->cancellable);
}

/* Requests */

typedef struct
{
  Guard           guard;
  SoupMessage    *msg;
  char           *what;  /* "GET /channels": for messages; no query, it may hold chat text */
  guint           timeout_s;
  OhAriResultKind kind;
  OhAriDecodeFunc decode;
  GDestroyNotify  result_free;
} Request;

static void
request_free (Request *request)
{
  guard_clear (&request->guard);
  if (request->msg != NULL)
    g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_free (request->what);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static OhAriErrorCode
error_code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return OH_ARI_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_NOT_FOUND:
      return OH_ARI_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return OH_ARI_ERROR_CONFLICT;
    default:
      if (status >= 400 && status < 500)
        return OH_ARI_ERROR_BAD_REQUEST;
      if (status >= 500 && status < 600)
        return OH_ARI_ERROR_SERVER;
      return OH_ARI_ERROR_PROTOCOL;
    }
}

static GError *
http_error (Request *request,
            GBytes  *body)
{
  guint status = soup_message_get_status (request->msg);
  const char *reason = soup_message_get_reason_phrase (request->msg);
  g_autofree char *message = NULL;

  if (body != NULL)
    message = oh_ari_error_message_decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_debug ("%s: HTTP %u", request->what, status);

  if (message != NULL)
    return g_error_new_literal (OH_ARI_ERROR, error_code_for_status (status), message);
  return g_error_new (OH_ARI_ERROR, error_code_for_status (status), "HTTP %u %s", status,
                      reason != NULL ? reason : "");
}

static GError *
transport_error (Request      *request,
                 const GError *error)
{
  switch (request->guard.stop)
    {
    case STOP_CANCELLED:
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    case STOP_CLOSED:
      return g_error_new_literal (OH_ARI_ERROR, OH_ARI_ERROR_CLOSED,
                                  "Disconnected from the PBX");
    case STOP_TIMEOUT:
      return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_TIMEOUT,
                          "%s: the PBX did not answer within %u s", request->what,
                          request->timeout_s);
    case STOP_TOO_BIG:
      return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                          "%s: the answer is larger than the %d bytes accepted", request->what,
                          OH_ARI_MAX_MESSAGE_SIZE);
    case STOP_NONE:
    default:
      break;
    }

  if (error->domain == G_TLS_ERROR)
    return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_TLS, "TLS failure with the PBX: %s",
                        error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_TIMEOUT, "%s: %s", request->what,
                        error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (OH_ARI_ERROR, OH_ARI_ERROR_CLOSED, "Disconnected from the PBX");
  if (error->domain == SOUP_SESSION_ERROR
      && !g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_RESTARTS))
    return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL, "%s: %s", request->what,
                        error->message);
  return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_NETWORK, "Cannot reach the PBX: %s",
                      error->message);
}

static gboolean
on_accept_certificate (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  /* Only connected when tls_verify is off, as the user asked. */
  return TRUE;
}

static void
on_got_headers (SoupMessage *msg,
                gpointer     user_data)
{
  Request *request = user_data;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  /* Give up before reading a body the decoder would refuse anyway. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > OH_ARI_MAX_MESSAGE_SIZE)
    guard_stop (&request->guard, STOP_TOO_BIG);
}

/* Form encoding, as ARI expects query values: space → '+'. */
static void
append_form_encoded (GString    *out,
                     const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
        g_string_append_c (out, *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

static SoupMessage *
new_message (OhAriClient *self,
             const char  *method,
             const char  *url)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  /* ARI never redirects; following one could hand the credentials to
   * another host. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                self->auth_header);
  if (!self->tls_verify)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  return msg;
}

static GError *
invalid_url_error (OhAriClient *self,
                   const char  *method,
                   const char  *path)
{
  if (!self->base_url_valid)
    return g_error_new_literal (OH_ARI_ERROR, OH_ARI_ERROR_BAD_REQUEST,
                                "Not a valid PBX address: expected http(s)://host:port");
  return g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_BAD_REQUEST, "%s %s: not a valid request path",
                      method, path);
}

static Request *
request_new (OhAriClient  *self,
             const char   *method,
             const char   *path,
             const char   *url,
             GCancellable *cancellable)
{
  g_autoptr(Request) request = g_new0 (Request, 1);

  request->what = g_strdup_printf ("%s %s", method, path);
  request->timeout_s = (self->timeout_ms + 999) / 1000;
  request->msg = new_message (self, method, url);
  if (request->msg == NULL)
    return NULL;
  guard_init (&request->guard, self, cancellable);
  return g_steal_pointer (&request);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gpointer decoded;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, transport_error (request, error));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->msg)))
    {
      g_task_return_error (task, http_error (request, body));
      return;
    }

  switch (request->kind)
    {
    case OH_ARI_RESULT_BYTES:
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      break;
    case OH_ARI_RESULT_NONE:
      g_task_return_boolean (task, TRUE);
      break;
    case OH_ARI_RESULT_DECODED:
    default:
      decoded = request->decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
      if (decoded == NULL)
        {
          g_prefix_error (&error, "%s: ", request->what);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      else
        g_task_return_pointer (task, decoded, request->result_free);
      break;
    }
}

/**
 * oh_ari_client_call: (skip)
 *
 * The REST call behind every typed operation; see
 * oh_ari_client_request_async() for @method, @path, @query and @json_body.
 */
void
oh_ari_client_call (OhAriClient         *self,
                    const char          *method,
                    const char          *path,
                    const char * const  *query,
                    const char          *json_body,
                    OhAriResultKind      kind,
                    OhAriDecodeFunc      decode,
                    GDestroyNotify       result_free,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) url = NULL;
  Request *request;

  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (kind != OH_ARI_RESULT_DECODED || decode != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  url = g_string_new (self->base_url);
  g_string_append (url, "/ari");
  g_string_append (url, path);
  for (guint i = 0; query != NULL && query[i] != NULL && query[i + 1] != NULL; i += 2)
    {
      g_string_append_c (url, i == 0 ? '?' : '&');
      append_form_encoded (url, query[i]);
      g_string_append_c (url, '=');
      append_form_encoded (url, query[i + 1]);
    }

  request = request_new (self, method, path, url->str, cancellable);
  if (request == NULL)
    {
      g_task_return_error (task, invalid_url_error (self, method, path));
      return;
    }
  request->kind = kind;
  request->decode = decode;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (json_body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (request->msg, "application/json", bytes);
    }
  g_signal_connect (request->msg, "got-headers", G_CALLBACK (on_got_headers), request);

  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT,
                                    request->guard.cancellable, on_request_done,
                                    g_steal_pointer (&task));
}

/**
 * oh_ari_client_call_finish_boolean: (skip)
 */
gboolean
oh_ari_client_call_finish_boolean (OhAriClient  *self,
                                   GAsyncResult *result,
                                   gpointer      source_tag,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oh_ari_client_call_finish_pointer: (skip)
 */
gpointer
oh_ari_client_call_finish_pointer (OhAriClient  *self,
                                   GAsyncResult *result,
                                   gpointer      source_tag,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oh_ari_client_request_async:
 * @self: a client
 * @method: "GET", "POST", "PUT" or "DELETE"
 * @path: below `/ari`, starting with "/", already escaped, without a query
 * @query: (nullable) (array zero-terminated=1): key, value, ... (form-encoded here)
 * @json_body: (nullable): a JSON document to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when ARI answered or the request failed
 * @user_data: data for @callback
 *
 * Sends one REST request, with the client's timeout.
 */
void
oh_ari_client_request_async (OhAriClient         *self,
                             const char          *method,
                             const char          *path,
                             const char * const  *query,
                             const char          *json_body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  oh_ari_client_call (self, method, path, query, json_body, OH_ARI_RESULT_BYTES, NULL, NULL,
                      oh_ari_client_request_async, cancellable, callback, user_data);
}

/**
 * oh_ari_client_request_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an %OH_ARI_ERROR, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the body of a 2xx answer (possibly empty), or
 *   %NULL with @error set
 */
GBytes *
oh_ari_client_request_finish (OhAriClient  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_request_async, error);
}

/* The events socket */

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  guint status;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&ws), g_object_unref);
      return;
    }

  /* A refused upgrade is an HTTP answer (401 for a wrong password). */
  status = soup_message_get_status (request->msg);
  if (request->guard.stop == STOP_NONE && status >= 300
      && status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    g_task_return_error (task, http_error (request, NULL));
  else
    g_task_return_error (task, transport_error (request, error));
}

static void
events_connect_async (OhAriClient        *self,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request;

  g_task_set_source_tag (task, events_connect_async);
  request = request_new (self, "GET", "/events", self->events_url, cancellable);
  if (request == NULL)
    {
      g_task_return_error (task, invalid_url_error (self, "GET", "/events"));
      return;
    }
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_session_websocket_connect_async (self->session, request->msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, request->guard.cancellable,
                                        on_ws_connected, g_steal_pointer (&task));
}

/**
 * oh_ari_client_media_connect_async:
 * @connection_id: the externalMedia channel's MEDIA_WEBSOCKET_CONNECTION_ID
 *
 * Opens a chan_websocket media socket, /media/<connection_id> on the same
 * origin (and TLS settings) as ARI. The connection id is the socket's only
 * credential: it is never logged.
 */
void
oh_ari_client_media_connect_async (OhAriClient        *self,
                                   const char         *connection_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  Request *request;

  g_task_set_source_tag (task, oh_ari_client_media_connect_async);
  escaped = g_uri_escape_string (connection_id, NULL, FALSE);
  url = g_strconcat (self->ws_base_url, "/media/", escaped, NULL);
  request = self->base_url_valid ? request_new (self, "GET", "/media", url, cancellable) : NULL;
  if (request == NULL)
    {
      g_task_return_error (task, invalid_url_error (self, "GET", "/media"));
      return;
    }
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  soup_session_websocket_connect_async (self->session, request->msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, request->guard.cancellable,
                                        on_ws_connected, g_steal_pointer (&task));
}

/**
 * oh_ari_client_media_connect_finish:
 *
 * Returns: (transfer full): the open media socket.
 */
SoupWebsocketConnection *
oh_ari_client_media_connect_finish (OhAriClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_events_message (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  g_autoptr(OhAriClient) self = g_object_ref (user_data);  /* a handler may drop the last ref */
  g_autoptr(OhAriEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("Ignored a binary message on the events socket");
      return;
    }

  data = g_bytes_get_data (message, &size);
  event = oh_ari_event_decode (data, size, &error);
  if (event == NULL)
    {
      g_warning ("Dropped an event from the PBX: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_PROTOCOL_ERROR], 0, error->message);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

static void
on_events_error (SoupWebsocketConnection *ws,
                 GError                  *error,
                 gpointer                 user_data)
{
  OhAriClient *self = user_data;

  /* ::closed follows; the first error is the one that explains it. */
  if (self->events_error == NULL)
    self->events_error = g_error_copy (error);
}

static void
on_events_closed (SoupWebsocketConnection *ws,
                  gpointer                 user_data)
{
  g_autoptr(OhAriClient) self = g_object_ref (user_data);
  g_autoptr(GError) error = NULL;

  if (self->events_error != NULL)
    error = g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_NETWORK,
                         "The events connection to the PBX failed: %s",
                         self->events_error->message);
  else
    error = g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_NETWORK,
                         "The PBX closed the events connection (code %u)",
                         soup_websocket_connection_get_close_code (ws));
  g_debug ("%s", error->message);

  g_signal_handlers_disconnect_by_data (ws, self);
  g_clear_object (&self->events);
  g_clear_error (&self->events_error);

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void
on_events_closed_after_disconnect (SoupWebsocketConnection *ws,
                                   gpointer                 user_data)
{
  g_object_unref (ws);
}

/* Takes @ws; keeps it until the close handshake is over (libsoup gives up
 * after a few seconds by itself). */
static void
close_events_socket (SoupWebsocketConnection *ws)
{
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSED)
    {
      g_object_unref (ws);
      return;
    }
  g_signal_connect (ws, "closed", G_CALLBACK (on_events_closed_after_disconnect), NULL);
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

/* Connecting */

typedef struct
{
  guint      generation;
  OhAriInfo *info;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_pointer (&data->info, oh_ari_info_free);
  g_free (data);
}

/* Whether oh_ari_client_disconnect() was called since @task started. */
static gboolean
connect_was_abandoned (GTask *task)
{
  OhAriClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);

  if (data->generation == self->generation)
    return FALSE;
  g_task_return_new_error (task, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED, "Disconnected from the PBX");
  return TRUE;
}

static void
on_connect_events (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhAriClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;

  ws = g_task_propagate_pointer (G_TASK (result), &error);
  if (ws != NULL && connect_was_abandoned (task))
    {
      close_events_socket (g_steal_pointer (&ws));
      return;
    }
  if (ws == NULL)
    {
      if (data->generation == self->generation)
        self->connecting = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_websocket_connection_set_keepalive_interval (ws, KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (ws, MAX_SOCKET_PAYLOAD);
  g_signal_connect (ws, "message", G_CALLBACK (on_events_message), self);
  g_signal_connect (ws, "error", G_CALLBACK (on_events_error), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_events_closed), self);
  self->events = g_steal_pointer (&ws);
  self->connecting = FALSE;

  g_debug ("Connected to Asterisk %s at %s as application %s", data->info->version,
           self->base_url, self->application);
  g_task_return_pointer (task, g_steal_pointer (&data->info), (GDestroyNotify) oh_ari_info_free);
}

static void
on_connect_info (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhAriClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;

  data->info = oh_ari_client_call_finish_pointer (self, result, oh_ari_client_connect_async,
                                                  &error);
  if (connect_was_abandoned (task))
    return;
  if (data->info == NULL)
    {
      self->connecting = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  events_connect_async (self, cancellable, on_connect_events, g_steal_pointer (&task));
}

/**
 * oh_ari_client_connect_async:
 * @self: a client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once connected, or when that failed
 * @user_data: data for @callback
 *
 * Checks the credentials with GET /ari/asterisk/info, then opens the events
 * WebSocket. A wrong password fails with %OH_ARI_ERROR_UNAUTHORIZED.
 */
void
oh_ari_client_connect_async (OhAriClient        *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *data;

  g_return_if_fail (OH_IS_ARI_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oh_ari_client_connect_async);
  /* Once the socket is up the client is connected: say so even if the
   * cancellable fired meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->connecting || self->events != NULL)
    {
      g_task_return_new_error (task, OH_ARI_ERROR, OH_ARI_ERROR_CONFLICT,
                               "Already connected or connecting to the PBX");
      return;
    }

  data = g_new0 (ConnectData, 1);
  data->generation = self->generation;
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);
  self->connecting = TRUE;

  oh_ari_client_call (self, "GET", "/asterisk/info", NULL, NULL, OH_ARI_RESULT_DECODED,
                      (OhAriDecodeFunc) oh_ari_info_decode, (GDestroyNotify) oh_ari_info_free,
                      oh_ari_client_connect_async, cancellable, on_connect_info,
                      g_steal_pointer (&task));
}

/**
 * oh_ari_client_connect_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: return location for an %OH_ARI_ERROR, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): what the PBX said about itself, or %NULL with
 *   @error set
 */
OhAriInfo *
oh_ari_client_connect_finish (OhAriClient  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return oh_ari_client_call_finish_pointer (self, result, oh_ari_client_connect_async, error);
}

/**
 * oh_ari_client_disconnect:
 * @self: a client
 *
 * Closes the events socket (normal closure) and fails every pending request
 * and connect with %OH_ARI_ERROR_CLOSED. Emits no ::closed. The client can
 * connect again afterwards.
 */
void
oh_ari_client_disconnect (OhAriClient *self)
{
  SoupWebsocketConnection *ws;

  g_return_if_fail (OH_IS_ARI_CLIENT (self));

  self->generation++;
  self->connecting = FALSE;
  g_cancellable_cancel (self->close_cancellable);
  g_object_unref (self->close_cancellable);
  self->close_cancellable = g_cancellable_new ();
  g_clear_error (&self->events_error);

  ws = g_steal_pointer (&self->events);
  if (ws == NULL)
    return;

  g_signal_handlers_disconnect_by_data (ws, self);
  close_events_socket (ws);
}

/* The object */

/**
 * oh_ari_client_get_base_url:
 * @self: a client
 *
 * Returns: the server address, without credentials and without "/ari"
 */
const char *
oh_ari_client_get_base_url (OhAriClient *self)
{
  g_return_val_if_fail (OH_IS_ARI_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * oh_ari_client_get_application:
 * @self: a client
 *
 * Returns: the Stasis application the events socket subscribes as
 */
const char *
oh_ari_client_get_application (OhAriClient *self)
{
  g_return_val_if_fail (OH_IS_ARI_CLIENT (self), NULL);
  return self->application;
}

/**
 * oh_ari_client_is_connected:
 * @self: a client
 *
 * Returns: whether the events socket is up
 */
gboolean
oh_ari_client_is_connected (OhAriClient *self)
{
  g_return_val_if_fail (OH_IS_ARI_CLIENT (self), FALSE);
  return self->events != NULL
         && soup_websocket_connection_get_state (self->events) == SOUP_WEBSOCKET_STATE_OPEN;
}

/**
 * oh_ari_client_set_timeout:
 * @self: a client
 * @seconds: how long a request (or the socket handshake) may take; > 0
 *
 * Applies to requests started from now on.
 */
void
oh_ari_client_set_timeout (OhAriClient *self,
                           guint        seconds)
{
  g_return_if_fail (OH_IS_ARI_CLIENT (self));
  g_return_if_fail (seconds > 0 && seconds < G_MAXUINT / 1000);

  self->timeout_ms = seconds * 1000;
}

static void
oh_ari_client_dispose (GObject *object)
{
  OhAriClient *self = OH_ARI_CLIENT (object);

  if (self->close_cancellable != NULL)
    oh_ari_client_disconnect (self);
  g_clear_object (&self->close_cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (oh_ari_client_parent_class)->dispose (object);
}

static void
oh_ari_client_finalize (GObject *object)
{
  OhAriClient *self = OH_ARI_CLIENT (object);

  if (self->auth_header != NULL)
    explicit_bzero (self->auth_header, strlen (self->auth_header));
  g_free (self->auth_header);
  g_free (self->base_url);
  g_free (self->events_url);
  g_free (self->ws_base_url);
  g_free (self->application);

  G_OBJECT_CLASS (oh_ari_client_parent_class)->finalize (object);
}

static void
oh_ari_client_class_init (OhAriClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_ari_client_dispose;
  object_class->finalize = oh_ari_client_finalize;

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, OH_TYPE_ARI_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_PROTOCOL_ERROR] =
    g_signal_new ("protocol-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
oh_ari_client_init (OhAriClient *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_SECONDS * 1000;
  self->close_cancellable = g_cancellable_new ();
  self->session = soup_session_new_with_options ("timeout", 0, "max-conns-per-host",
                                                 MAX_CONNECTIONS_PER_HOST, "user-agent",
                                                 "offhookd/" PACKAGE_VERSION, NULL);
  /* The Authorization header is ours alone: no cached or prompted
   * credentials. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

/* "https://user@pbx:8089/ari/" → "https://pbx:8089"; NULL if not an
 * http(s) URL with a host. */
static char *
normalize_base_url (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  gsize length;

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  text = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY
                                         | G_URI_HIDE_FRAGMENT);
  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';
  /* "/ari" as the path, not as the end of a host called "ari". */
  if (g_str_has_suffix (g_uri_get_path (uri), "/ari") || g_str_has_suffix (g_uri_get_path (uri), "/ari/"))
    {
      if (g_str_has_suffix (text, "/ari"))
        text[length - strlen ("/ari")] = '\0';
    }
  return g_steal_pointer (&text);
}

/* Once per server and process: the daemon makes a new client for every
 * reconnection. */
static void
warn_tls_verification_off (const char *base_url)
{
  static GHashTable *warned;

  if (warned == NULL)
    warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (warned, g_strdup (base_url)))
    return;
  g_warning ("TLS certificate verification is off for %s: anyone on the way can pose as the PBX",
             base_url);
}

/**
 * oh_ari_client_new:
 * @base_url: "http(s)://host:port", without "/ari"
 * @username: the ARI user
 * @password: its password: used for the Authorization header, then
 *   forgotten
 * @application: the Stasis application name for the events socket
 * @tls_verify: %FALSE accepts any certificate (logged as a warning)
 *
 * Creates a client; nothing happens on the network until
 * oh_ari_client_connect_async(). An unusable @base_url makes every request
 * fail with %OH_ARI_ERROR_BAD_REQUEST.
 *
 * Returns: (transfer full): a new client
 */
OhAriClient *
oh_ari_client_new (const char *base_url,
                   const char *username,
                   const char *password,
                   const char *application,
                   gboolean    tls_verify)
{
  OhAriClient *self;
  g_autofree char *normalized = NULL;
  g_autofree char *app_escaped = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (application != NULL && *application != '\0', NULL);

  self = g_object_new (OH_TYPE_ARI_CLIENT, NULL);
  self->application = g_strdup (application);
  self->tls_verify = tls_verify;

  normalized = normalize_base_url (base_url);
  if (normalized != NULL)
    {
      const char *rest = strchr (normalized, ':');

      app_escaped = g_uri_escape_string (application, NULL, FALSE);
      self->ws_base_url = g_strconcat (g_ascii_strncasecmp (normalized, "https", 5) == 0
                                         ? "wss"
                                         : "ws",
                                       rest, NULL);
      self->events_url = g_strdup_printf ("%s/ari/events?app=%s&subscribeAll=true",
                                          self->ws_base_url, app_escaped);
      self->base_url = g_steal_pointer (&normalized);
      self->base_url_valid = TRUE;
    }
  else
    {
      /* Requests fail with a clear error; keep only what is safe to show. */
      self->base_url = g_strdup ("(invalid address)");
      self->events_url = g_strdup ("");
      self->ws_base_url = g_strdup ("");
    }

  credentials = g_strconcat (username, ":", password, NULL);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  self->auth_header = g_strconcat ("Basic ", encoded, NULL);
  explicit_bzero (credentials, strlen (credentials));
  explicit_bzero (encoded, strlen (encoded));

  if (!tls_verify && g_str_has_prefix (self->base_url, "https"))
    warn_tls_verification_off (self->base_url);

  return self;
}

/* test-ari-client.c: the ARI client against an in-process SoupServer
 *
 * The server plays Asterisk: Basic auth on /ari, REST answers taken from the
 * transcripts, and the events WebSocket. Everything runs on one main loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ari/oh-ari-client.h"

#define USERNAME "dialtone"
#define PASSWORD "dialtone-secret"
#define APP      "dialtone"

/* Every log line of the process, to prove the password is never in one. */
typedef struct
{
  GLogLevelFlags level;
  char          *text;
} LogLine;

static GPtrArray *log_lines;

static void
log_line_free (LogLine *line)
{
  g_free (line->text);
  g_free (line);
}

static void
capture_log (const char    *domain,
             GLogLevelFlags level,
             const char    *message,
             gpointer       user_data)
{
  LogLine *line = g_new0 (LogLine, 1);

  line->level = level & G_LOG_LEVEL_MASK;
  line->text = g_strdup_printf ("%s: %s", domain != NULL ? domain : "", message);
  g_ptr_array_add (log_lines, line);
  if (line->level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_log_default_handler (domain, level, message, NULL);
}

static guint
count_logs (GLogLevelFlags level,
            const char    *text)
{
  guint count = 0;

  for (guint i = 0; i < log_lines->len; i++)
    {
      LogLine *line = g_ptr_array_index (log_lines, i);

      if ((line->level & level) && strstr (line->text, text) != NULL)
        count++;
    }
  return count;
}

/* The fixture: a fake Asterisk and a client. */

typedef struct
{
  SoupServer     *server;
  char           *base_url;
  gboolean        tls;
  gboolean        slow_info;       /* /asterisk/info never answers */
  GPtrArray      *paused;          /* SoupServerMessage* held back */
  GPtrArray      *server_sockets;  /* SoupWebsocketConnection* */
  guint           server_closed;   /* server sockets that saw a close */
  gushort         server_close_code;

  /* the last request */
  char           *last_method;
  char           *last_path;
  char           *last_raw_query;
  GHashTable     *last_query;
  char           *last_body;
  char           *last_auth;
  GHashTable     *events_query;

  OhAriClient    *client;
  GPtrArray      *events;          /* OhAriEvent* received */
  GPtrArray      *protocol_errors; /* char* */
  guint           closed_count;
  GError         *closed_error;
  GAsyncResult   *result;
  guint           expected_warnings;
} Fixture;

static const char *
transcripts_dir (void)
{
  const char *dir = g_getenv ("OFFHOOK_TRANSCRIPTS");

  g_assert_nonnull (dir);
  return dir;
}

/* The recorded answer to @method @url in transcript @file, as JSON. */
static char *
recorded_response (const char *file,
                   const char *method,
                   const char *url)
{
  g_autofree char *path = g_build_filename (transcripts_dir (), file, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *line;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      line = json_node_get_object (node);
      if (g_str_equal (json_object_get_string_member (line, "kind"), "rest")
          && g_str_equal (json_object_get_string_member (line, "method"), method)
          && g_str_equal (json_object_get_string_member (line, "url"), url))
        return json_to_string (json_object_get_member (line, "response"), FALSE);
    }
  g_assert_not_reached ();
}

/* Every event message of transcript @file, in order. */
static GPtrArray *
recorded_events (const char *file)
{
  g_autofree char *path = g_build_filename (transcripts_dir (), file, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *line;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      line = json_node_get_object (node);
      if (g_str_equal (json_object_get_string_member (line, "kind"), "event"))
        g_ptr_array_add (events, json_to_string (json_object_get_member (line, "event"), FALSE));
    }
  return events;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static void
respond_message (SoupServerMessage *msg,
                 guint              status,
                 const char        *text)
{
  g_autofree char *json = g_strdup_printf ("{\"message\": \"%s\"}", text);

  respond_json (msg, status, json);
}

/* Plays ARI: the paths the tests use. */
static void
on_rest_request (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GBytes) body_bytes = soup_message_body_flatten (body);

  g_free (fixture->last_method);
  g_free (fixture->last_path);
  g_free (fixture->last_raw_query);
  g_free (fixture->last_body);
  g_free (fixture->last_auth);
  g_clear_pointer (&fixture->last_query, g_hash_table_unref);
  fixture->last_method = g_strdup (method);
  fixture->last_path = g_strdup (g_uri_get_path (uri));
  fixture->last_raw_query = g_strdup (g_uri_get_query (uri));
  fixture->last_query = query != NULL ? g_hash_table_ref (query) : NULL;
  fixture->last_body = g_strndup (g_bytes_get_data (body_bytes, NULL),
                                  g_bytes_get_size (body_bytes));
  fixture->last_auth = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization"));

  if (g_str_equal (path, "/ari/asterisk/info"))
    {
      if (fixture->slow_info)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (fixture->paused, g_object_ref (msg));
          return;
        }
      respond_json (msg, 200, "{\"system\": {\"version\": \"23.4.1\", \"entity_id\": \"x\"}}");
    }
  else if (g_str_equal (path, "/ari/slow"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
    }
  else if (g_str_has_prefix (path, "/ari/error/"))
    {
      guint status = atoi (path + strlen ("/ari/error/"));

      if (status == 500)
        respond_json (msg, status, "{\"error\": \"Allocation failed\"}");
      else if (status == 503)
        {
          soup_server_message_set_status (msg, status, NULL);
          soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                            "<html>down</html>", 17);
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("Error %u", status);

          respond_message (msg, status, text);
        }
    }
  else if (g_str_equal (path, "/ari/redirect"))
    {
      g_autofree char *elsewhere = g_strconcat (fixture->base_url, "/ari/echo", NULL);

      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, elsewhere);
    }
  else if (g_str_equal (path, "/ari/big"))
    {
      gsize size = OH_ARI_MAX_MESSAGE_SIZE + 1024;
      char *big = g_malloc (size);

      memset (big, ' ', size);
      big[0] = '[';
      big[size - 1] = ']';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, big, size);
    }
  else if (g_str_equal (path, "/ari/channels") && g_str_equal (method, "GET"))
    {
      g_autofree char *json = recorded_response ("02-call-101-102.jsonl", "GET", "/ari/channels");

      respond_json (msg, 200, json);
    }
  else if (g_str_equal (path, "/ari/channels") && g_str_equal (method, "POST"))
    {
      g_autofree char *json = recorded_response (
        "04-outgoing-originate-transfer.jsonl", "POST",
        "/ari/channels?endpoint=PJSIP%2F102&app=dialtone&appArgs=outgoing%2Ca&callerId=%22Alice+"
        "Anders%22+%3C100%3E&timeout=30");

      respond_json (msg, 200, json);
    }
  else if (g_str_equal (path, "/ari/channels/externalMedia"))
    {
      g_autofree char *json = recorded_response (
        "03-incoming-stasis-externalmedia.jsonl", "POST",
        "/ari/channels/externalMedia?app=dialtone&transport=websocket&encapsulation=none&"
        "connection_type=server&format=slin16");

      respond_json (msg, 200, json);
    }
  else if (g_str_equal (path, "/ari/endpoints"))
    {
      g_autofree char *json = recorded_response ("01-startup.jsonl", "GET", "/ari/endpoints");

      respond_json (msg, 200, json);
    }
  else if (g_str_equal (path, "/ari/bridges") && g_str_equal (method, "POST"))
    {
      g_autofree char *json = recorded_response ("03-incoming-stasis-externalmedia.jsonl", "POST",
                                                 "/ari/bridges?type=mixing&name=dialtone-call-1");

      respond_json (msg, 200, json);
    }
  else if (g_str_has_suffix (path, "/addChannel"))
    respond_message (msg, 422, "Channel not in Stasis application");
  else if (g_str_has_prefix (path, "/ari/asterisk/config/dynamic/res_pjsip/endpoint/"))
    {
      g_autofree char *json = recorded_response (
        "01-startup.jsonl", "GET", "/ari/asterisk/config/dynamic/res_pjsip/endpoint/101");

      respond_json (msg, 200, json);
    }
  else if (g_str_has_suffix (path, "/sendMessage"))
    soup_server_message_set_status (msg, 202, NULL);
  else if (g_str_has_prefix (path, "/ari/channels/") || g_str_has_prefix (path, "/ari/bridges/")
           || g_str_has_prefix (path, "/ari/applications/") || g_str_equal (path, "/ari/echo"))
    soup_server_message_set_status (msg, 204, NULL);
  else
    respond_message (msg, 404, "Resource not found");
}

static void
on_server_socket_closed (SoupWebsocketConnection *ws,
                         Fixture                 *fixture)
{
  fixture->server_closed++;
  fixture->server_close_code = soup_websocket_connection_get_close_code (ws);
}

static void
on_events_socket (SoupServer              *server,
                  SoupServerMessage       *msg,
                  const char              *path,
                  SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  Fixture *fixture = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  g_clear_pointer (&fixture->events_query, g_hash_table_unref);
  fixture->events_query = soup_form_decode (query != NULL ? query : "");
  soup_websocket_connection_set_max_incoming_payload_size (connection, 0);
  g_signal_connect (connection, "closed", G_CALLBACK (on_server_socket_closed), fixture);
  g_ptr_array_add (fixture->server_sockets, g_object_ref (connection));
}

static gboolean
on_check_password (SoupAuthDomain    *domain,
                   SoupServerMessage *msg,
                   const char        *username,
                   const char        *password,
                   gpointer           user_data)
{
  return g_str_equal (username, USERNAME) && g_str_equal (password, PASSWORD);
}

static SoupWebsocketConnection *
server_socket (Fixture *fixture)
{
  g_assert_cmpuint (fixture->server_sockets->len, >, 0);
  return g_ptr_array_index (fixture->server_sockets, fixture->server_sockets->len - 1);
}

/* Waiting, always with a deadline */

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(condition)                                                   \
  G_STMT_START                                                                  \
  {                                                                             \
    gboolean _timed_out = FALSE;                                                \
    guint _id = g_timeout_add_seconds (20, on_deadline, &_timed_out);           \
    while (!(condition) && !_timed_out)                                         \
      g_main_context_iteration (NULL, TRUE);                                    \
    if (_timed_out)                                                             \
      g_error ("Timed out waiting for %s", #condition);                         \
    g_source_remove (_id);                                                      \
  }                                                                             \
  G_STMT_END

/* Runs whatever is ready, without blocking. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_null (fixture->result);
  fixture->result = g_object_ref (result);
}

static GAsyncResult *
take_result (Fixture *fixture)
{
  GAsyncResult *result;

  WAIT_UNTIL (fixture->result != NULL);
  result = fixture->result;
  fixture->result = NULL;
  return result;
}

static void
on_event (OhAriClient *client,
          OhAriEvent  *event,
          Fixture     *fixture)
{
  g_ptr_array_add (fixture->events, oh_ari_event_ref (event));
}

static void
on_protocol_error (OhAriClient *client,
                   const char  *message,
                   Fixture     *fixture)
{
  g_ptr_array_add (fixture->protocol_errors, g_strdup (message));
}

static void
on_closed (OhAriClient  *client,
           const GError *error,
           Fixture      *fixture)
{
  fixture->closed_count++;
  g_clear_error (&fixture->closed_error);
  fixture->closed_error = error != NULL ? g_error_copy (error) : NULL;
}

static OhAriClient *
new_client (Fixture    *fixture,
            const char *base_url,
            const char *password,
            const char *application,
            gboolean    tls_verify)
{
  OhAriClient *client = oh_ari_client_new (base_url, USERNAME, password, application, tls_verify);

  g_signal_connect (client, "event", G_CALLBACK (on_event), fixture);
  g_signal_connect (client, "protocol-error", G_CALLBACK (on_protocol_error), fixture);
  g_signal_connect (client, "closed", G_CALLBACK (on_closed), fixture);
  return client;
}

static void
start_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupAuthDomain) domain = NULL;
  g_autoslist(GUri) uris = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;

  if (fixture->tls)
    {
      g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "ari", "test-cert.pem", NULL);
      g_autofree char *key = g_test_build_filename (G_TEST_DIST, "ari", "test-key.pem", NULL);
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key,
                                                                                 &error);

      g_assert_no_error (error);
      fixture->server = soup_server_new ("tls-certificate", certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else
    fixture->server = soup_server_new (NULL, NULL);

  domain = soup_auth_domain_basic_new ("realm", "asterisk", NULL);
  soup_auth_domain_basic_set_auth_callback (domain, on_check_password, NULL, NULL);
  soup_auth_domain_add_path (domain, "/ari");
  soup_server_add_auth_domain (fixture->server, domain);

  soup_server_add_handler (fixture->server, "/ari", on_rest_request, fixture, NULL);
  soup_server_add_websocket_handler (fixture->server, "/ari/events", NULL, NULL, on_events_socket,
                                     fixture, NULL);

  soup_server_listen_local (fixture->server, 0, options, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base_url = g_strdup_printf ("%s://127.0.0.1:%d", fixture->tls ? "https" : "http",
                                       g_uri_get_port (uris->data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_ptr_array_set_size (log_lines, 0);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->server_sockets = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->events = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_ari_event_unref);
  fixture->protocol_errors = g_ptr_array_new_with_free_func (g_free);
  fixture->tls = GPOINTER_TO_INT (data);
  start_server (fixture);
  if (!fixture->tls)
    fixture->client = new_client (fixture, fixture->base_url, PASSWORD, APP, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *credentials = g_base64_encode ((const guchar *) USERNAME ":" PASSWORD,
                                                  strlen (USERNAME ":" PASSWORD));

  if (fixture->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (fixture->client, fixture);
      oh_ari_client_disconnect (fixture->client);
    }
  for (guint i = 0; i < fixture->server_sockets->len; i++)
    {
      SoupWebsocketConnection *ws = g_ptr_array_index (fixture->server_sockets, i);

      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  WAIT_UNTIL (fixture->server_closed == fixture->server_sockets->len);
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fixture->paused, i);

      soup_server_message_set_status (msg, 204, NULL);
      soup_server_message_unpause (msg);
    }
  drain_main_context ();

  /* The server closes its side first: libsoup 3.2's server leaks the
   * connections its clients close. */
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  drain_main_context ();
  g_clear_object (&fixture->client);
  drain_main_context ();

  g_assert_null (fixture->result);
  g_ptr_array_unref (fixture->paused);
  g_ptr_array_unref (fixture->server_sockets);
  g_ptr_array_unref (fixture->events);
  g_ptr_array_unref (fixture->protocol_errors);
  g_clear_error (&fixture->closed_error);
  g_free (fixture->base_url);
  g_free (fixture->last_method);
  g_free (fixture->last_path);
  g_free (fixture->last_raw_query);
  g_free (fixture->last_body);
  g_free (fixture->last_auth);
  g_clear_pointer (&fixture->last_query, g_hash_table_unref);
  g_clear_pointer (&fixture->events_query, g_hash_table_unref);

  /* Nothing the client logged, at any level, holds the credentials. */
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_MASK, PASSWORD), ==, 0);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_MASK, credentials), ==, 0);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL, ""), ==,
                    fixture->expected_warnings);
}

static OhAriInfo *
connect_client (Fixture     *fixture,
                OhAriClient *client,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oh_ari_client_connect_async (client, NULL, on_result, fixture);
  result = take_result (fixture);
  return oh_ari_client_connect_finish (client, result, error);
}

static GBytes *
request (Fixture            *fixture,
         const char         *method,
         const char         *path,
         const char * const *query,
         GCancellable       *cancellable,
         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oh_ari_client_request_async (fixture->client, method, path, query, NULL, cancellable,
                               on_result, fixture);
  result = take_result (fixture);
  return oh_ari_client_request_finish (fixture->client, result, error);
}

static void
send_text (Fixture    *fixture,
           const char *text)
{
  soup_websocket_connection_send_text (server_socket (fixture), text);
}

/* Tests */

static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autofree char *expected_auth = NULL;
  g_autofree char *encoded = NULL;

  g_assert_false (oh_ari_client_is_connected (fixture->client));
  g_assert_cmpstr (oh_ari_client_get_base_url (fixture->client), ==, fixture->base_url);
  g_assert_cmpstr (oh_ari_client_get_application (fixture->client), ==, APP);

  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->version, ==, "23.4.1");
  g_assert_true (oh_ari_client_is_connected (fixture->client));

  g_assert_cmpstr (fixture->last_path, ==, "/ari/asterisk/info");
  encoded = g_base64_encode ((const guchar *) USERNAME ":" PASSWORD,
                             strlen (USERNAME ":" PASSWORD));
  expected_auth = g_strconcat ("Basic ", encoded, NULL);
  g_assert_cmpstr (fixture->last_auth, ==, expected_auth);
  g_assert_cmpuint (fixture->server_sockets->len, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (fixture->events_query, "app"), ==, APP);
  g_assert_cmpstr (g_hash_table_lookup (fixture->events_query, "subscribeAll"), ==, "true");

  /* A second connect while connected is refused, the first stays up. */
  g_clear_pointer (&info, oh_ari_info_free);
  info = connect_client (fixture, fixture->client, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_CONFLICT);
  g_assert_true (oh_ari_client_is_connected (fixture->client));
}

static void
test_base_url_forms (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *with_ari = g_strconcat (fixture->base_url, "/ari/", NULL);
  g_autofree char *with_user = g_strdup_printf ("http://someone:secret@%s",
                                                fixture->base_url + strlen ("http://"));
  g_autoptr(OhAriClient) a = new_client (fixture, with_ari, PASSWORD, APP, TRUE);
  g_autoptr(OhAriClient) b = new_client (fixture, with_user, PASSWORD, APP, TRUE);
  g_autoptr(OhAriClient) bad = new_client (fixture, "ftp://pbx", PASSWORD, APP, TRUE);
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (oh_ari_client_get_base_url (a), ==, fixture->base_url);
  g_assert_cmpstr (oh_ari_client_get_base_url (b), ==, fixture->base_url);

  info = connect_client (fixture, a, &error);
  g_assert_no_error (error);
  oh_ari_client_disconnect (a);

  g_clear_pointer (&info, oh_ari_info_free);
  info = connect_client (fixture, bad, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_BAD_REQUEST);
  g_assert_cmpstr (error->message, ==, "Not a valid PBX address: expected http(s)://host:port");
  g_assert_null (strstr (error->message, "secret"));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OhAriClient) client = new_client (fixture, fixture->base_url, "wrong", APP, TRUE);
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = connect_client (fixture, client, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_UNAUTHORIZED);
  g_assert_null (info);
  g_assert_false (oh_ari_client_is_connected (client));
  g_assert_cmpuint (fixture->server_sockets->len, ==, 0);
}

static void
test_events_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  /* The server answers 404 where the socket should be. */
  soup_server_remove_handler (fixture->server, "/ari/events");
  info = connect_client (fixture, fixture->client, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_NOT_FOUND);
  g_assert_false (oh_ari_client_is_connected (fixture->client));

  /* A failed connect can be retried. */
  soup_server_add_websocket_handler (fixture->server, "/ari/events", NULL, NULL, on_events_socket,
                                     fixture, NULL);
  g_clear_error (&error);
  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);
  g_assert_true (oh_ari_client_is_connected (fixture->client));
}

static guint16
unused_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  g_autoptr(OhAriClient) client = new_client (fixture, url, PASSWORD, APP, TRUE);
  g_autoptr(OhAriClient) unknown = new_client (fixture, "http://pbx.invalid:8088", PASSWORD, APP,
                                               TRUE);
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = connect_client (fixture, client, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_NETWORK);
  g_test_message ("refused: %s", error->message);

  g_clear_error (&error);
  oh_ari_client_set_timeout (unknown, 5);
  info = connect_client (fixture, unknown, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_NETWORK);
  g_test_message ("unknown host: %s", error->message);
}

static gboolean
on_reset_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  /* Read nothing, answer nothing: the peer sees the connection drop. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_connection_reset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(OhAriClient) client = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_reset_incoming), NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = new_client (fixture, url, PASSWORD, APP, TRUE);

  info = connect_client (fixture, client, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_NETWORK);
  g_test_message ("reset: %s", error->message);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  oh_ari_client_set_timeout (fixture->client, 1);
  body = request (fixture, "GET", "/slow", NULL, NULL, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_TIMEOUT);
  g_assert_null (body);
  g_assert_cmpuint (fixture->paused->len, ==, 1);

  /* The client is still usable. */
  g_clear_error (&error);
  body = request (fixture, "GET", "/echo", NULL, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
on_cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  /* While the server holds the request back. */
  g_timeout_add (50, on_cancel_now, cancellable);
  body = request (fixture, "GET", "/slow", NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (body);

  /* Before it started. */
  g_clear_error (&error);
  g_cancellable_cancel (cancelled);
  body = request (fixture, "GET", "/echo", NULL, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Cancelling a connect leaves the client disconnected and reusable. */
  g_clear_error (&error);
  {
    g_autoptr(GCancellable) connect_cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(OhAriInfo) info = NULL;

    g_cancellable_cancel (connect_cancellable);
    oh_ari_client_connect_async (fixture->client, connect_cancellable, on_result, fixture);
    result = take_result (fixture);
    info = oh_ari_client_connect_finish (fixture->client, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (oh_ari_client_is_connected (fixture->client));

    g_clear_error (&error);
    info = connect_client (fixture, fixture->client, &error);
    g_assert_no_error (error);
  }
}

static void
test_events_in_order (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) recorded = recorded_events ("04-outgoing-originate-transfer.jsonl");
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < recorded->len; i++)
    send_text (fixture, g_ptr_array_index (recorded, i));
  WAIT_UNTIL (fixture->events->len == recorded->len);

  for (guint i = 0; i < recorded->len; i++)
    {
      OhAriEvent *event = g_ptr_array_index (fixture->events, i);
      g_autoptr(JsonNode) node = json_from_string (g_ptr_array_index (recorded, i), NULL);
      JsonObject *object = json_node_get_object (node);

      g_assert_cmpstr (event->type_name, ==, json_object_get_string_member (object, "type"));
      g_assert_cmpint (event->timestamp, ==,
                       oh_ari_parse_time (json_object_get_string_member (object, "timestamp")));
    }
  g_assert_cmpuint (fixture->protocol_errors->len, ==, 0);
  g_assert_cmpuint (fixture->closed_count, ==, 0);
}

static void
test_malformed_event (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) recorded = recorded_events ("02-call-101-102.jsonl");
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gsize big_size = 16 * 1024 * 1024;
  g_autoptr(GBytes) big = NULL;
  char *big_data = g_malloc (big_size);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x01\x02", 2);
  OhAriEvent *event;

  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);

  send_text (fixture, g_ptr_array_index (recorded, 0));
  send_text (fixture, "{\"type\": \"StasisStart\", \"application\": ");
  send_text (fixture, "{\"type\": \"ChannelDestroyed\", \"application\": \"dialtone\", "
                      "\"timestamp\": \"2026-11-27T02:05:21.022+0000\"}");
  /* Bigger than the decoder takes, smaller than the socket limit. */
  memset (big_data, ' ', big_size);
  memcpy (big_data, "{\"type\": \"Dial\"}", 16);
  big = g_bytes_new_take (big_data, big_size);
  soup_websocket_connection_send_message (server_socket (fixture), SOUP_WEBSOCKET_DATA_TEXT, big);
  soup_websocket_connection_send_message (server_socket (fixture), SOUP_WEBSOCKET_DATA_BINARY,
                                          binary);
  send_text (fixture, g_ptr_array_index (recorded, 1));
  WAIT_UNTIL (fixture->events->len == 2);

  event = g_ptr_array_index (fixture->events, 0);
  g_assert_cmpstr (event->type_name, ==, "ContactStatusChange");
  event = g_ptr_array_index (fixture->events, 1);
  g_assert_cmpstr (event->type_name, ==, "PeerStatusChange");

  g_assert_cmpuint (fixture->protocol_errors->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->protocol_errors, 1), "'channel'"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->protocol_errors, 2), "larger than"));
  fixture->expected_warnings = 3;
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING, "Dropped an event"), ==, 3);

  g_assert_true (oh_ari_client_is_connected (fixture->client));
  g_assert_cmpuint (fixture->closed_count, ==, 0);
}

static void
test_server_closes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);

  soup_websocket_connection_close (server_socket (fixture), SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                   "restarting");
  WAIT_UNTIL (fixture->closed_count == 1);
  g_assert_error (fixture->closed_error, OH_ARI_ERROR, OH_ARI_ERROR_NETWORK);
  g_assert_nonnull (strstr (fixture->closed_error->message, "1001"));
  g_assert_false (oh_ari_client_is_connected (fixture->client));

  /* And back, as after a PBX restart. */
  g_clear_pointer (&info, oh_ari_info_free);
  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);
  g_assert_true (oh_ari_client_is_connected (fixture->client));
  g_assert_cmpuint (fixture->server_sockets->len, ==, 2);
}

static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;

  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);

  oh_ari_client_request_async (fixture->client, "GET", "/slow", NULL, NULL, NULL, on_result,
                               fixture);
  WAIT_UNTIL (fixture->paused->len == 1);
  oh_ari_client_disconnect (fixture->client);
  g_assert_false (oh_ari_client_is_connected (fixture->client));

  result = take_result (fixture);
  body = oh_ari_client_request_finish (fixture->client, result, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED);

  /* A clean close, and no ::closed for it. */
  WAIT_UNTIL (fixture->server_closed == 1);
  g_assert_cmpuint (fixture->server_close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  drain_main_context ();
  g_assert_cmpuint (fixture->closed_count, ==, 0);

  /* Disconnecting twice is harmless; connecting again works. */
  oh_ari_client_disconnect (fixture->client);
  g_clear_error (&error);
  g_clear_pointer (&info, oh_ari_info_free);
  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);
}

static void
test_disconnect_while_connecting (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  fixture->slow_info = TRUE;
  oh_ari_client_connect_async (fixture->client, NULL, on_result, fixture);
  WAIT_UNTIL (fixture->paused->len == 1);
  oh_ari_client_disconnect (fixture->client);

  result = take_result (fixture);
  info = oh_ari_client_connect_finish (fixture->client, result, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED);
  g_assert_false (oh_ari_client_is_connected (fixture->client));
  g_assert_cmpuint (fixture->closed_count, ==, 0);

  fixture->slow_info = FALSE;
  g_clear_error (&error);
  info = connect_client (fixture, fixture->client, &error);
  g_assert_no_error (error);
}

static void
test_query_escaping (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const query[] = {
    "body", "Tom & Jerry = 100% \"fun\"/?#+",
    "from", "\"Alice Anders\" <sip:100@127.0.0.1>",
    "empty", "",
    NULL,
  };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = request (fixture, "POST", "/echo", query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_method, ==, "POST");
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_query, "body"), ==, query[1]);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_query, "from"), ==, query[3]);
  g_assert_cmpstr (g_hash_table_lookup (fixture->last_query, "empty"), ==, "");
  g_assert_cmpuint (g_hash_table_size (fixture->last_query), ==, 3);
  g_assert_null (strchr (fixture->last_raw_query, ' '));
  g_assert_cmpstr (fixture->last_raw_query, ==,
                   "body=Tom+%26+Jerry+%3D+100%25+%22fun%22%2F%3F%23%2B"
                   "&from=%22Alice+Anders%22+%3Csip%3A100%40127.0.0.1%3E&empty=");
}

static void
test_path_escaping (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OhAriClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  oh_ari_client_hangup_async (fixture->client, "a/b?c=d e#f", "busy", NULL, on_result,
                              fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_hangup_finish (fixture->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_method, ==, "DELETE");
  /* The server shows the path decoded; had "?" or "#" gone out raw, the
   * query would not be just the reason. */
  g_assert_cmpstr (fixture->last_path, ==, "/ari/channels/a/b?c=d e#f");
  g_assert_cmpstr (fixture->last_raw_query, ==, "reason=busy");

  /* The application name, in the events URL and in paths. */
  client = new_client (fixture, fixture->base_url, PASSWORD, "my app&x=1", TRUE);
  info = connect_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (fixture->events_query, "app"), ==, "my app&x=1");
  g_assert_cmpstr (g_hash_table_lookup (fixture->events_query, "subscribeAll"), ==, "true");
  g_assert_null (g_hash_table_lookup (fixture->events_query, "x"));

  g_clear_object (&result);
  oh_ari_client_subscribe_async (client, "endpoint:PJSIP/100", NULL, on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_subscribe_finish (client, result, &error));
  g_assert_cmpstr (fixture->last_path, ==, "/ari/applications/my app&x=1/subscription");
  g_assert_cmpstr (fixture->last_raw_query, ==, "eventSource=endpoint%3APJSIP%2F100");
  oh_ari_client_disconnect (client);
}

static void
assert_request_error (Fixture    *fixture,
                      const char *path,
                      gint        code,
                      const char *message)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = request (fixture, "GET", path, NULL, NULL, &error);
  g_assert_error (error, OH_ARI_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (body);
}

static void
test_http_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  assert_request_error (fixture, "/error/400", OH_ARI_ERROR_BAD_REQUEST, "Error 400");
  assert_request_error (fixture, "/error/404", OH_ARI_ERROR_NOT_FOUND, "Error 404");
  assert_request_error (fixture, "/error/405", OH_ARI_ERROR_BAD_REQUEST, "Error 405");
  assert_request_error (fixture, "/error/409", OH_ARI_ERROR_CONFLICT, "Error 409");
  assert_request_error (fixture, "/error/422", OH_ARI_ERROR_CONFLICT, "Error 422");
  assert_request_error (fixture, "/error/403", OH_ARI_ERROR_UNAUTHORIZED, "Error 403");
  assert_request_error (fixture, "/error/500", OH_ARI_ERROR_SERVER, "Allocation failed");
  assert_request_error (fixture, "/error/503", OH_ARI_ERROR_SERVER,
                        "HTTP 503 Service Unavailable");
  assert_request_error (fixture, "/nonexistent", OH_ARI_ERROR_NOT_FOUND, "Resource not found");
  /* Not followed: the credentials stay with the PBX. */
  assert_request_error (fixture, "/redirect", OH_ARI_ERROR_PROTOCOL, "HTTP 302 Found");
  g_assert_cmpstr (fixture->last_path, ==, "/ari/redirect");
  assert_request_error (fixture, "/big", OH_ARI_ERROR_PROTOCOL,
                        "GET /big: the answer is larger than the 4194304 bytes accepted");

  /* After all that the client still works. */
  {
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    body = request (fixture, "GET", "/echo", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  }
}

static void
test_typed_operations (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(OhAriChannel) channel = NULL;
  g_autoptr(OhAriChannel) media = NULL;
  g_autoptr(OhAriBridge) bridge = NULL;
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) body = NULL;
  OhAriChannel *first;

  oh_ari_client_list_channels_async (fixture->client, NULL, on_result, fixture);
  result = take_result (fixture);
  channels = oh_ari_client_list_channels_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 2);
  first = g_ptr_array_index (channels, 0);
  g_assert_cmpstr (first->name, ==, "PJSIP/102-00000001");
  g_assert_cmpint (first->state, ==, OH_ARI_CHANNEL_STATE_UP);

  g_clear_object (&result);
  oh_ari_client_list_endpoints_async (fixture->client, NULL, on_result, fixture);
  result = take_result (fixture);
  endpoints = oh_ari_client_list_endpoints_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 4);

  g_clear_object (&result);
  oh_ari_client_get_endpoint_config_async (fixture->client, "101", NULL, on_result, fixture);
  result = take_result (fixture);
  config = oh_ari_client_get_endpoint_config_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_path, ==, "/ari/asterisk/config/dynamic/res_pjsip/endpoint/101");
  g_assert_cmpstr (g_hash_table_lookup (config, "callerid"), ==, "\"Bob Brown\" <101>");

  g_clear_object (&result);
  oh_ari_client_originate_async (fixture->client, "PJSIP/102", NULL, "outgoing,a",
                                 "\"Alice Anders\" <100>", NULL, 30, NULL, on_result, fixture);
  result = take_result (fixture);
  channel = oh_ari_client_originate_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (channel->id, ==, "1795745214.0");
  g_assert_cmpstr (fixture->last_raw_query, ==,
                   "endpoint=PJSIP%2F102&app=dialtone&appArgs=outgoing%2Ca&"
                   "callerId=%22Alice+Anders%22+%3C100%3E&timeout=30");

  g_clear_object (&result);
  oh_ari_client_external_media_async (fixture->client, "slin16", NULL, NULL, NULL, on_result,
                                      fixture);
  result = take_result (fixture);
  media = oh_ari_client_external_media_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_raw_query, ==,
                   "app=dialtone&transport=websocket&encapsulation=none&connection_type=server&"
                   "format=slin16");
  g_assert_cmpstr (oh_ari_channel_get_variable (media, OH_ARI_VAR_MEDIA_CONNECTION_ID), ==,
                   "f11c87d5-c14b-4c45-9834-aa40c4be55a3");

  g_clear_object (&result);
  oh_ari_client_create_bridge_async (fixture->client, "mixing", "dialtone-call-1", NULL, NULL,
                                     on_result, fixture);
  result = take_result (fixture);
  bridge = oh_ari_client_create_bridge_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bridge->bridge_class, ==, "stasis");

  /* The 422 of the transcript: the media channel is not in Stasis yet. */
  g_clear_object (&result);
  oh_ari_client_bridge_add_channel_async (fixture->client, bridge->id, media->id, NULL,
                                          on_result, fixture);
  result = take_result (fixture);
  g_assert_false (oh_ari_client_bridge_add_channel_finish (fixture->client, result, &error));
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Channel not in Stasis application");
  g_clear_error (&error);

  g_clear_object (&result);
  oh_ari_client_send_dtmf_async (fixture->client, channel->id, "12#", 100, 120, NULL, on_result,
                                 fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_send_dtmf_finish (fixture->client, result, &error));
  g_assert_cmpstr (fixture->last_path, ==, "/ari/channels/1795745214.0/dtmf");
  g_assert_cmpstr (fixture->last_raw_query, ==, "dtmf=12%23&between=100&duration=120");

  g_clear_object (&result);
  oh_ari_client_continue_async (fixture->client, channel->id, "transfer", "103", 1, NULL,
                                on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_continue_finish (fixture->client, result, &error));
  g_assert_cmpstr (fixture->last_raw_query, ==, "context=transfer&extension=103&priority=1");

  g_clear_object (&result);
  oh_ari_client_hold_async (fixture->client, channel->id, NULL, on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_hold_finish (fixture->client, result, &error));
  g_assert_cmpstr (fixture->last_method, ==, "POST");
  g_assert_cmpstr (fixture->last_path, ==, "/ari/channels/1795745214.0/hold");

  g_clear_object (&result);
  oh_ari_client_unhold_async (fixture->client, channel->id, NULL, on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_unhold_finish (fixture->client, result, &error));
  g_assert_cmpstr (fixture->last_method, ==, "DELETE");

  g_clear_object (&result);
  oh_ari_client_destroy_bridge_async (fixture->client, bridge->id, NULL, on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_destroy_bridge_finish (fixture->client, result, &error));
  g_assert_cmpstr (fixture->last_method, ==, "DELETE");
  g_assert_cmpstr (fixture->last_path, ==, "/ari/bridges/94a601e3-e93d-422d-835a-1b85bf6e7422");

  g_hash_table_insert (variables, (gpointer) "X-Dialtone-Msg-Id", (gpointer) "42");
  g_clear_object (&result);
  oh_ari_client_send_message_async (fixture->client, "PJSIP", "101", "100", "Third message",
                                    variables, NULL, on_result, fixture);
  result = take_result (fixture);
  g_assert_true (oh_ari_client_send_message_finish (fixture->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_method, ==, "PUT");
  g_assert_cmpstr (fixture->last_path, ==, "/ari/endpoints/PJSIP/101/sendMessage");
  /* In the JSON body, not the request line, which a 4 KiB text overflows. */
  g_assert_null (fixture->last_raw_query);
  body = json_from_string (fixture->last_body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "from"), ==, "100");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "body"), ==,
                   "Third message");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (body), "variables"),
                     "X-Dialtone-Msg-Id"),
                   ==, "42");
}

static void
test_tls (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(OhAriClient) strict = new_client (fixture, fixture->base_url, PASSWORD, APP, TRUE);
  g_autoptr(OhAriClient) lax = NULL;
  g_autoptr(OhAriInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recorded = recorded_events ("01-startup.jsonl");

  /* A self-signed certificate is refused by default. */
  info = connect_client (fixture, strict, &error);
  g_assert_error (error, OH_ARI_ERROR, OH_ARI_ERROR_TLS);
  g_test_message ("verified: %s", error->message);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING, "verification is off"), ==, 0);

  /* Accepted when asked, with a warning, for REST and the wss:// socket. */
  g_clear_error (&error);
  lax = new_client (fixture, fixture->base_url, PASSWORD, APP, FALSE);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING, "verification is off"), ==, 1);
  fixture->expected_warnings = 1;
  info = connect_client (fixture, lax, &error);
  g_assert_no_error (error);
  g_assert_true (oh_ari_client_is_connected (lax));
  send_text (fixture, g_ptr_array_index (recorded, 0));
  WAIT_UNTIL (fixture->events->len == 1);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING, "verification is off"), ==, 1);
  oh_ari_client_disconnect (lax);

  /* A new client for the same server, as on reconnection: no new warning. */
  g_clear_object (&lax);
  lax = new_client (fixture, fixture->base_url, PASSWORD, APP, FALSE);
  g_assert_cmpuint (count_logs (G_LOG_LEVEL_WARNING, "verification is off"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Warnings are collected and checked per test instead of aborting. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  log_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) log_line_free);
  g_log_set_default_handler (capture_log, NULL);

#define ADD(path, func, tls)                                                                     \
  g_test_add ("/ari/client/" path, Fixture, GINT_TO_POINTER (tls), fixture_set_up, func,       \
              fixture_tear_down)
  ADD ("connect", test_connect, FALSE);
  ADD ("base-url-forms", test_base_url_forms, FALSE);
  ADD ("wrong-password", test_wrong_password, FALSE);
  ADD ("events-refused", test_events_refused, FALSE);
  ADD ("connection-refused", test_connection_refused, FALSE);
  ADD ("connection-reset", test_connection_reset, FALSE);
  ADD ("timeout", test_timeout, FALSE);
  ADD ("cancel", test_cancel, FALSE);
  ADD ("events-in-order", test_events_in_order, FALSE);
  ADD ("malformed-event", test_malformed_event, FALSE);
  ADD ("server-closes", test_server_closes, FALSE);
  ADD ("disconnect", test_disconnect, FALSE);
  ADD ("disconnect-while-connecting", test_disconnect_while_connecting, FALSE);
  ADD ("query-escaping", test_query_escaping, FALSE);
  ADD ("path-escaping", test_path_escaping, FALSE);
  ADD ("http-errors", test_http_errors, FALSE);
  ADD ("typed-operations", test_typed_operations, FALSE);
  ADD ("tls", test_tls, TRUE);
#undef ADD

  status = g_test_run ();
  g_ptr_array_unref (log_lines);
  return status;
}

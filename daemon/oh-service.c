/* oh-service.c: what the daemon does, independent of how it is exported
 *
 * The account life cycle: Login stores the password in the Secret Service
 * and the rest in a keyfile, then connects; on start, stored settings
 * connect by themselves; Logout removes both.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ari/oh-call-manager.h"
#include "ari/oh-chat.h"
#include "ari/oh-pbx.h"
#include "oh-credentials.h"
#include "oh-directory.h"
#include "oh-error.h"
#include "oh-service.h"
#include "oh-settings.h"
#include "store/oh-store.h"

#define MAX_PASSWORD_LENGTH 1024

struct _OhService
{
  GObject parent_instance;

  OhAccount   *account;
  OhUserList  *users;
  OhSessionList *sessions;
  OhStore     *store;          /* NULL when the database cannot be opened */
  OhPbx       *pbx;
  OhCallManager *calls;
  OhChat      *chat;
  OhSettings  *settings;       /* NULL: no account */
  OhDirectory *directory;
  GCancellable *directory_cancellable;
  SoupSession *http;            /* for a directory at an http(s) URL */
  GCancellable *lookup_cancellable;
};

G_DEFINE_FINAL_TYPE (OhService, oh_service, G_TYPE_OBJECT)

static void on_need_credentials (OhPbx *pbx, OhService *self);

static void
oh_service_dispose (GObject *object)
{
  OhService *self = OH_SERVICE (object);

  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_cancellable_cancel (self->directory_cancellable);
  g_clear_object (&self->directory_cancellable);
  g_clear_object (&self->http);
  g_clear_object (&self->calls);
  g_clear_object (&self->chat);
  g_clear_object (&self->pbx);
  g_clear_pointer (&self->directory, oh_directory_free);
  g_clear_pointer (&self->settings, oh_settings_free);
  g_clear_object (&self->sessions);
  g_clear_object (&self->store);
  g_clear_object (&self->users);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (oh_service_parent_class)->dispose (object);
}

enum {
  SIGNAL_HISTORY_ENTRY_ADDED,
  SIGNAL_MISSED_CALLS_CHANGED,
  N_SIGNALS
};

#define MISSED_CALLS_COUNTED 1000

static guint signals[N_SIGNALS];

static void
oh_service_class_init (OhServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_service_dispose;

  /**
   * OhService::history-entry-added:
   * @entry: (type gpointer): the #OhHistoryEntry, committed to the store
   */
  signals[SIGNAL_HISTORY_ENTRY_ADDED] =
    g_signal_new ("history-entry-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * OhService::missed-calls-changed:
   */
  signals[SIGNAL_MISSED_CALLS_CHANGED] =
    g_signal_new ("missed-calls-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/**
 * oh_service_count_missed_calls:
 *
 * Returns: calls to the user's extension that ended unanswered since the
 * user last acknowledged them, counted from the history (at most 1000).
 */
guint
oh_service_count_missed_calls (OhService *self)
{
  g_autoptr(OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, missed = 0;
  const char *own;

  if (self->store == NULL || self->settings == NULL || self->settings->extension == NULL)
    return 0;
  own = self->settings->extension;
  filter->extension = g_strdup (own);
  filter->disposition = g_strdup ("missed");
  filter->since = self->settings->missed_acknowledged + 1;
  entries = oh_store_query_history (self->store, filter, 0, MISSED_CALLS_COUNTED, &total, &error);
  if (entries == NULL)
    {
      g_warning ("Cannot count missed calls: %s", error->message);
      return 0;
    }
  /* The filter matches either side; a missed call is one to us. */
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (((OhHistoryEntry *) g_ptr_array_index (entries, i))->callee, own) == 0)
      missed++;
  return missed;
}

gboolean
oh_service_acknowledge_missed_calls (OhService  *self,
                                     GError    **error)
{
  g_autofree char *path = oh_settings_get_path ();

  if (self->settings == NULL)
    return TRUE;
  self->settings->missed_acknowledged = g_get_real_time ();
  if (!oh_settings_save (self->settings, path, error))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_MISSED_CALLS_CHANGED], 0);
  return TRUE;
}

/* A call ended: it becomes a history entry before its session leaves the
 * bus, so a client that sees the session go can already find the entry. */
static void
on_session_completed (OhSessionTracker *tracker,
                      OhSession        *session,
                      OhSessionOutcome *outcome,
                      OhService        *self)
{
  g_autoptr(OhHistoryEntry) entry = oh_history_entry_new ();
  g_autoptr(GError) error = NULL;

  entry->session_id = g_strdup (oh_session_get_id (session));
  entry->caller = g_strdup (oh_session_get_caller (session));
  entry->caller_name = g_strdup (oh_session_get_caller_name (session));
  entry->callee = g_strdup (oh_session_get_callee (session));
  entry->callee_name = g_strdup (oh_session_get_callee_name (session));
  entry->direction = outcome->direction;
  entry->disposition = outcome->disposition;
  entry->start_time = oh_session_get_start_time (session);
  entry->answer_time = oh_session_get_answer_time (session);
  entry->end_time = MAX (outcome->end_time, entry->start_time);
  entry->talk_seconds = oh_history_entry_talk_seconds (entry);

  if (self->store == NULL)
    {
      g_warning ("Call %s was not recorded: the history database is not open",
                 entry->session_id);
      return;
    }
  if (!oh_store_add_history (self->store, entry, &error))
    {
      g_warning ("Call %s was not recorded: %s", entry->session_id, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_HISTORY_ENTRY_ADDED], 0, entry);
  if (entry->disposition == OH_HISTORY_DISPOSITION_MISSED)
    g_signal_emit (self, signals[SIGNAL_MISSED_CALLS_CHANGED], 0);
}

static void
oh_service_init (OhService *self)
{
  self->account = oh_account_new ();
  self->users = oh_user_list_new ();
  self->sessions = oh_session_list_new ();
  self->pbx = oh_pbx_new (self->account, self->users, self->sessions);
  g_signal_connect (self->pbx, "need-credentials", G_CALLBACK (on_need_credentials), self);
  g_signal_connect (oh_pbx_get_session_tracker (self->pbx), "session-completed",
                    G_CALLBACK (on_session_completed), self);
  self->calls = oh_call_manager_new (self->pbx, self->account, self->users);
  self->chat = oh_chat_new (self->pbx, self->account, self->users);
  /* Knobs for tests and debugging, documented in offhookd(8). */
  if (g_getenv ("OFFHOOK_CALL_GRACE_MS"))
    oh_call_manager_set_grace (self->calls, atoi (g_getenv ("OFFHOOK_CALL_GRACE_MS")));
  if (g_getenv ("OFFHOOK_RING_TIMEOUT"))
    oh_call_manager_set_ring_timeout (self->calls, atoi (g_getenv ("OFFHOOK_RING_TIMEOUT")));
}

OhService *
oh_service_new (void)
{
  return g_object_new (OH_TYPE_SERVICE, NULL);
}

OhAccount *
oh_service_get_account (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->account;
}

OhUserList *
oh_service_get_users (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->users;
}

OhChat *
oh_service_get_chat (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->chat;
}

OhCallManager *
oh_service_get_calls (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->calls;
}

OhSessionList *
oh_service_get_sessions (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->sessions;
}

static void
use_directory (OhService  *self,
               const char *source,
               GBytes     *bytes,
               GError     *error)
{
  g_autoptr(GError) parse_error = NULL;
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  g_clear_pointer (&self->directory, oh_directory_free);
  if (bytes == NULL)
    g_warning ("Cannot read the company directory %s: %s", source, error->message);
  else if ((self->directory = oh_directory_parse (data ? data : "", length, &parse_error)) == NULL)
    g_warning ("Cannot parse the company directory %s: %s", source, parse_error->message);
  else
    g_debug ("Company directory: %u entries", oh_directory_get_size (self->directory));
  oh_pbx_set_directory (self->pbx, self->directory);
}

static void
on_directory_file (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OhService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *path = g_file_get_path (G_FILE (source));

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    use_directory (self, path, bytes, error);
}

static void
on_directory_download (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OhService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  const char *url = self->settings ? self->settings->directory : "";

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u %s",
                           soup_message_get_status (msg), soup_message_get_reason_phrase (msg));
    }
  use_directory (self, url, bytes, error);
}

static gboolean
accept_any_certificate (SoupMessage *msg,
                        GTlsCertificate *certificate,
                        GTlsCertificateFlags errors,
                        gpointer user_data)
{
  return TRUE;
}

/* The company directory is a file, or an http(s) URL (fetched each time
 * the settings are applied, with the account's TLS setting). */
static void
load_directory (OhService *self)
{
  const char *source = self->settings ? self->settings->directory : NULL;

  g_cancellable_cancel (self->directory_cancellable);
  g_clear_object (&self->directory_cancellable);
  if (source == NULL)
    {
      g_clear_pointer (&self->directory, oh_directory_free);
      oh_pbx_set_directory (self->pbx, NULL);
      return;
    }

  self->directory_cancellable = g_cancellable_new ();
  if (g_str_has_prefix (source, "https://") || g_str_has_prefix (source, "http://"))
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", source);

      if (msg == NULL)
        {
          g_warning ("The company directory %s is not a valid URL", source);
          return;
        }
      if (g_str_has_prefix (source, "http://"))
        g_warning ("The company directory comes over plain HTTP: anyone on the way can change it");
      if (!self->settings->tls_verify)
        g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
      if (self->http == NULL)
        self->http = soup_session_new_with_options ("timeout", 30, "user-agent", "offhookd", NULL);
      soup_session_send_and_read_async (self->http, msg, G_PRIORITY_LOW,
                                        self->directory_cancellable, on_directory_download,
                                        g_object_ref (self));
    }
  else if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    g_warning ("The company directory %s is not a file", source);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (source);

      g_file_load_bytes_async (file, self->directory_cancellable, on_directory_file,
                               g_object_ref (self));
    }
}

static void
apply_settings (OhService  *self,
                OhSettings *settings)
{
  g_clear_pointer (&self->settings, oh_settings_free);
  self->settings = settings;
  oh_account_set_server (self->account, settings ? settings->server : NULL);
  oh_account_set_username (self->account, settings ? settings->username : NULL);
  oh_account_set_extension (self->account, settings ? settings->extension : NULL);
  oh_account_set_application (self->account, settings ? settings->application : NULL);
  g_signal_emit (self, signals[SIGNAL_MISSED_CALLS_CHANGED], 0);
  /* OFFHOOK_AUDIO_SOURCE/SINK override the settings (tests, debugging). */
  oh_call_manager_set_audio_devices (self->calls,
                                     g_getenv ("OFFHOOK_AUDIO_SOURCE")
                                       ? g_getenv ("OFFHOOK_AUDIO_SOURCE")
                                       : settings ? settings->audio_source : NULL,
                                     g_getenv ("OFFHOOK_AUDIO_SINK")
                                       ? g_getenv ("OFFHOOK_AUDIO_SINK")
                                       : settings ? settings->audio_sink : NULL);
  if (settings && g_str_has_prefix (settings->server, "http://"))
    {
      g_autoptr(GUri) uri = g_uri_parse (settings->server, G_URI_FLAGS_NONE, NULL);
      const char *host = uri ? g_uri_get_host (uri) : "";

      if (g_strcmp0 (host, "127.0.0.1") != 0 && g_strcmp0 (host, "localhost") != 0 &&
          g_strcmp0 (host, "::1") != 0)
        g_warning ("%s is plain HTTP: the password and every call's audio cross the network "
                   "unencrypted; use https://", settings->server);
    }
  if (settings && !settings->tls_verify)
    g_warning ("TLS certificate verification is off for %s (tls-verify=false)", settings->server);
  load_directory (self);
}

/* --- connecting with the stored password ----------------------------- */

static void
on_password_for_connect (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *password = oh_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (password == NULL)
    {
      /* No keyring (yet), or it is locked: say so, and try again later,
       * since a keyring often appears or unlocks after login. */
      gboolean retry = !g_error_matches (error, OH_ERROR, OH_ERROR_NOT_FOUND);

      oh_pbx_fail (self->pbx, error->message, retry);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  oh_pbx_connect (self->pbx, self->settings, password);
  oh_credentials_free_password (password);
  g_task_return_boolean (task, TRUE);
}

static void
connect_stored (OhService *self,
                GTask     *task)
{
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  self->lookup_cancellable = g_cancellable_new ();

  oh_account_set_state (self->account, OH_ACCOUNT_STATE_CONNECTING);
  oh_credentials_lookup_async (self->settings->server, self->settings->username,
                               self->lookup_cancellable, on_password_for_connect, task);
}

static void on_started (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_need_credentials (OhPbx     *pbx,
                     OhService *self)
{
  if (self->settings)
    connect_stored (self, g_task_new (self, NULL, on_started, NULL));
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Cannot connect with the stored account: %s", error->message);
}

/**
 * oh_service_get_store:
 *
 * Returns: (transfer none) (nullable): the history and chat database, or
 * %NULL when it could not be opened (see the log).
 */
OhStore *
oh_service_get_store (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->store;
}

void
oh_service_start (OhService *self)
{
  g_autofree char *path = oh_settings_get_path ();
  g_autofree char *db_path = oh_store_default_path ();
  g_autoptr(GError) error = NULL;
  OhSettings *settings;

  g_return_if_fail (OH_IS_SERVICE (self));

  self->store = oh_store_new (db_path, &error);
  if (self->store == NULL)
    {
      g_warning ("History and messages will not be kept: %s", error->message);
      g_clear_error (&error);
    }
  oh_chat_set_store (self->chat, self->store);

  settings = oh_settings_load (path, &error);
  if (settings == NULL)
    {
      if (error)
        {
          g_warning ("%s", error->message);
          oh_account_set_last_error (self->account, error->message);
        }
      return;
    }
  apply_settings (self, settings);
  g_debug ("Connecting with the stored account %s on %s", settings->username, settings->server);
  connect_stored (self, g_task_new (self, NULL, on_started, NULL));
}

void
oh_service_connect_async (OhService           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->settings == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_FOUND, "%s",
                               _("No account is configured; use Login first"));
      return;
    }
  connect_stored (self, g_steal_pointer (&task));
}

/* --- login ----------------------------------------------------------- */

typedef struct {
  OhSettings *settings;
  char       *password;
} LoginData;

static void
login_data_free (LoginData *data)
{
  oh_settings_free (data->settings);
  if (data->password)
    explicit_bzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhService *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = oh_settings_get_path ();

  if (!oh_credentials_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!oh_settings_save (data->settings, path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_message ("Logged in as %s on %s", data->settings->username, data->settings->server);
  oh_pbx_disconnect (self->pbx);
  apply_settings (self, g_steal_pointer (&data->settings));
  oh_pbx_connect (self->pbx, self->settings, data->password);
  g_task_return_boolean (task, TRUE);
}

void
oh_service_login_async (OhService           *self,
                        const char          *server,
                        const char          *username,
                        const char          *password,
                        GVariant            *options,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(OhSettings) settings = oh_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  LoginData *data;

  if (!oh_settings_check_server (server, &error) ||
      !oh_settings_check_username (username, &error) ||
      !oh_settings_apply_options (settings, options, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (password == NULL || *password == '\0' || strlen (password) > MAX_PASSWORD_LENGTH ||
      strchr (password, '\n') || strchr (password, '\r'))
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, "%s",
                               _("The password is empty, too long or contains line breaks"));
      return;
    }

  /* Store the server without a trailing slash, so paths join cleanly. */
  base = g_strdup (server);
  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  settings->server = g_steal_pointer (&base);
  settings->username = g_strdup (username);
  if (settings->application == NULL)
    settings->application = oh_settings_default_application (username);
  if (self->settings)
    {
      settings->audio_source = g_strdup (self->settings->audio_source);
      settings->audio_sink = g_strdup (self->settings->audio_sink);
      settings->missed_acknowledged = self->settings->missed_acknowledged;
    }

  data = g_new0 (LoginData, 1);
  data->settings = g_steal_pointer (&settings);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  oh_credentials_store_async (data->settings->server, data->settings->username, password,
                              cancellable, on_password_stored, g_steal_pointer (&task));
}

/* --- logout ---------------------------------------------------------- */

static void
on_password_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!oh_credentials_clear_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
oh_service_logout_async (OhService           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = oh_settings_get_path ();
  g_autoptr(OhSettings) settings = g_steal_pointer (&self->settings);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->lookup_cancellable);
  oh_pbx_disconnect (self->pbx);
  apply_settings (self, NULL);
  oh_account_set_last_error (self->account, NULL);

  if (!oh_settings_delete (path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (settings == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_message ("Logged out %s from %s", settings->username, settings->server);
  oh_credentials_clear_async (settings->server, settings->username, cancellable,
                              on_password_cleared, g_steal_pointer (&task));
}

gboolean
oh_service_op_finish (OhService     *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
oh_service_disconnect (OhService  *self,
                       GError    **error)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), FALSE);

  g_cancellable_cancel (self->lookup_cancellable);
  oh_pbx_disconnect (self->pbx);
  oh_account_set_last_error (self->account, NULL);
  return TRUE;
}

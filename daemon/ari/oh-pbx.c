/* oh-pbx.c: the PBX connection: connect, stay connected, resync the model
 *
 * One attempt = a fresh OhAriClient: check the credentials and open the
 * events socket, then read endpoints, channels and bridges and reconcile
 * the model with them. Events that arrive during that read are held back
 * and replayed after the snapshot, so nothing is lost and nothing stale
 * survives. Asterisk does not replay events missed while disconnected: the
 * snapshot is the only source of truth after a reconnect.
 *
 * Failures retry with exponential backoff and jitter, capped; a refused
 * password (HTTP 401) does not retry, so a wrong password never hammers
 * the PBX.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "oh-pbx.h"
#include "oh-session-tracker.h"

#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS (60 * 1000)
#define CONFIG_FETCH_PARALLEL 8
#define RESYNC_AFTER_LOSS_MS 500
#define DESTROYED_MEMORY 4096

struct _OhPbx
{
  GObject parent_instance;

  OhAccount    *account;
  OhUserList   *users;
  OhSessionTracker *tracker;
  OhDirectory  *directory;   /* borrowed from the service */

  OhSettings   *settings;
  char         *password;

  OhAriClient  *client;
  GCancellable *cancellable; /* this attempt's */
  gboolean      syncing;
  gboolean      ready;       /* credentials and socket good, state read */
  GPtrArray    *held_events; /* OhAriEvent*, while syncing */
  GPtrArray    *snapshot[3]; /* endpoints, channels, bridges */
  guint         snapshot_pending;
  GError       *snapshot_error;

  guint         retry_id;
  guint         attempt;     /* failures in a row */
  guint         resync_id;   /* a resync after events were lost */
  GHashTable   *destroyed;   /* ids of channels recently destroyed */

  GQueue        config_queue;  /* user ids whose names to fetch */
  guint         config_running;
};

G_DEFINE_FINAL_TYPE (OhPbx, oh_pbx, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  SIGNAL_RESYNCED,
  SIGNAL_CONNECTION_LOST,
  SIGNAL_NEED_CREDENTIALS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_attempt (OhPbx *self);

/* --- users from events ------------------------------------------------ */

gboolean
oh_pbx_parse_channel_name (const char  *name,
                           char       **technology,
                           char       **resource)
{
  const char *slash, *dash;

  if (name == NULL)
    return FALSE;
  slash = strchr (name, '/');
  if (slash == NULL || slash == name)
    return FALSE;
  dash = strrchr (slash + 1, '-');
  if (dash == NULL || dash == slash + 1)
    return FALSE;
  *technology = g_strndup (name, slash - name);
  *resource = g_strndup (slash + 1, dash - slash - 1);
  return TRUE;
}

static OhUser *
user_for_endpoint (OhPbx         *self,
                   OhAriEndpoint *endpoint,
                   gboolean       create)
{
  OhUser *user;

  if (endpoint == NULL || *endpoint->resource == '\0')
    return NULL;
  user = oh_user_list_lookup (self->users, endpoint->resource);
  if (user && g_str_equal (oh_user_get_technology (user), endpoint->technology))
    return user;
  if (user || !create)
    return NULL;

  {
    g_autoptr(OhUser) added = oh_user_new (endpoint->technology, endpoint->resource);
    const OhDirectoryEntry *entry = oh_directory_lookup (self->directory, endpoint->resource, NULL);

    if (entry)
      {
        oh_user_set_mobile (added, entry->mobile);
        oh_user_set_email (added, entry->email);
      }
    oh_user_set_endpoint_state (added, endpoint->state);
    oh_user_list_add (self->users, added);
    g_queue_push_tail (&self->config_queue, g_strdup (endpoint->resource));
    return added;
  }
}

static OhUser *
user_for_channel (OhPbx        *self,
                  OhAriChannel *channel)
{
  g_autofree char *technology = NULL;
  g_autofree char *resource = NULL;
  OhUser *user;

  if (channel == NULL || !oh_pbx_parse_channel_name (channel->name, &technology, &resource))
    return NULL;
  user = oh_user_list_lookup (self->users, resource);
  if (user == NULL || !g_str_equal (oh_user_get_technology (user), technology))
    return NULL;
  return user;
}

static OhUser *
user_for_device (OhPbx      *self,
                 const char *device)
{
  const char *slash = device ? strchr (device, '/') : NULL;
  g_autofree char *technology = NULL;
  OhUser *user;

  if (slash == NULL)
    return NULL;
  technology = g_strndup (device, slash - device);
  user = oh_user_list_lookup (self->users, slash + 1);
  if (user == NULL || !g_str_equal (oh_user_get_technology (user), technology))
    return NULL;
  return user;
}

static OhUserChannelState
channel_presence_state (OhAriChannelState state)
{
  switch (state)
    {
    case OH_ARI_CHANNEL_STATE_UP:
      return OH_USER_CHANNEL_UP;
    case OH_ARI_CHANNEL_STATE_RING:
    case OH_ARI_CHANNEL_STATE_OFFHOOK:
    case OH_ARI_CHANNEL_STATE_DIALING:
    case OH_ARI_CHANNEL_STATE_DIALING_OFFHOOK:
    case OH_ARI_CHANNEL_STATE_BUSY:
      /* The user's own phone is calling out. */
      return OH_USER_CHANNEL_SETUP;
    case OH_ARI_CHANNEL_STATE_DOWN:
    case OH_ARI_CHANNEL_STATE_RSRVD:
    case OH_ARI_CHANNEL_STATE_RINGING:
    case OH_ARI_CHANNEL_STATE_PRERING:
    case OH_ARI_CHANNEL_STATE_UNKNOWN:
    default:
      /* A channel towards the user's phone: it rings (or is about to). */
      return OH_USER_CHANNEL_RINGING;
    }
}

static void
update_users (OhPbx      *self,
              OhAriEvent *event)
{
  OhUser *user;

  switch (event->type)
    {
    case OH_ARI_EVENT_CONTACT_STATUS_CHANGE:
      user = user_for_endpoint (self, event->endpoint, TRUE);
      if (user == NULL)
        break;
      oh_user_set_endpoint_state (user, event->endpoint->state);
      if (event->contact_uri && *event->contact_uri)
        {
          if (g_strcmp0 (event->contact_status, "Removed") == 0)
            oh_user_remove_device (user, event->contact_uri);
          else
            oh_user_add_device (user, event->contact_uri);
        }
      break;

    case OH_ARI_EVENT_PEER_STATUS_CHANGE:
    case OH_ARI_EVENT_ENDPOINT_STATE_CHANGE:
      user = user_for_endpoint (self, event->endpoint, TRUE);
      if (user == NULL)
        break;
      oh_user_set_endpoint_state (user, event->endpoint->state);
      if (g_strcmp0 (event->endpoint->state, "offline") == 0)
        oh_user_set_devices (user, NULL);
      break;

    case OH_ARI_EVENT_DEVICE_STATE_CHANGED:
      user = user_for_device (self, event->device_name);
      if (user)
        oh_user_set_device_state (user, event->device_state);
      break;

    case OH_ARI_EVENT_CHANNEL_CREATED:
    case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
    case OH_ARI_EVENT_STASIS_START:
      user = user_for_channel (self, event->channel);
      if (user)
        oh_user_update_channel (user, event->channel->id,
                                channel_presence_state (event->channel->state));
      break;

    case OH_ARI_EVENT_CHANNEL_HOLD:
    case OH_ARI_EVENT_CHANNEL_UNHOLD:
      user = user_for_channel (self, event->channel);
      if (user)
        oh_user_set_channel_held (user, event->channel->id,
                                  event->type == OH_ARI_EVENT_CHANNEL_HOLD);
      break;

    case OH_ARI_EVENT_CHANNEL_DESTROYED:
      user = user_for_channel (self, event->channel);
      if (user)
        oh_user_remove_channel (user, event->channel->id);
      break;

    default:
      break;
    }
}

/* After a sync of a big PBX (the endpoint list alone is megabytes of
 * JSON) the heap is full of freed holes that glibc keeps; hand whole free
 * pages back, once, when the work is done. */
static void
give_back_memory (void)
{
  malloc_trim (0);
}

/* --- names from the dynamic configuration ---------------------------- */

static void fetch_next_configs (OhPbx *self);

typedef struct {
  OhPbx *self;
  char  *user_id;
} ConfigFetch;

static void
on_endpoint_config (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ConfigFetch *fetch = user_data;
  OhPbx *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) config = NULL;
  OhUser *user;

  config = oh_ari_client_get_endpoint_config_finish (OH_ARI_CLIENT (source), result, &error);
  /* A reply for a client that was dropped meanwhile is of no use. */
  if ((gpointer) source != (gpointer) self->client)
    {
      g_free (fetch->user_id);
      g_free (fetch);
      return;
    }

  self->config_running--;
  user = oh_user_list_lookup (self->users, fetch->user_id);
  if (config == NULL)
    g_debug ("No configuration for user %s: %s", fetch->user_id, error->message);
  else if (user)
    {
      const char *callerid = g_hash_table_lookup (config, "callerid");
      g_autofree char *name = NULL;
      g_autofree char *number = NULL;

      if (callerid && oh_ari_parse_callerid (callerid, &name, &number))
        {
          const OhDirectoryEntry *entry;

          oh_user_set_full_name (user, name);
          if (number && *number)
            oh_user_set_extension (user, number);
          entry = oh_directory_lookup (self->directory, oh_user_get_extension (user),
                                       oh_user_get_full_name (user));
          if (entry)
            {
              oh_user_set_mobile (user, entry->mobile);
              oh_user_set_email (user, entry->email);
            }
        }
    }
  g_free (fetch->user_id);
  g_free (fetch);
  fetch_next_configs (self);
  if (self->config_running == 0)
    give_back_memory ();
}

static void
fetch_next_configs (OhPbx *self)
{
  while (self->client && !self->syncing && self->config_running < CONFIG_FETCH_PARALLEL &&
         !g_queue_is_empty (&self->config_queue))
    {
      ConfigFetch *fetch = g_new0 (ConfigFetch, 1);
      OhUser *user;

      fetch->self = self;
      fetch->user_id = g_queue_pop_head (&self->config_queue);
      user = oh_user_list_lookup (self->users, fetch->user_id);
      if (user == NULL)
        {
          g_free (fetch->user_id);
          g_free (fetch);
          continue;
        }
      self->config_running++;
      oh_ari_client_get_endpoint_config_async (self->client, oh_user_get_resource (user),
                                               self->cancellable, on_endpoint_config, fetch);
    }
}

/* --- snapshot -------------------------------------------------------- */

void
oh_pbx_apply_snapshot (OhPbx     *self,
                       GPtrArray *endpoints,
                       GPtrArray *channels,
                       GPtrArray *bridges)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) users = NULL;

  g_return_if_fail (OH_IS_PBX (self));

  for (guint i = 0; i < endpoints->len; i++)
    {
      OhAriEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      OhUser *user = user_for_endpoint (self, endpoint, TRUE);

      if (user == NULL)
        continue;
      g_hash_table_add (seen, (gpointer) oh_user_get_id (user));
      oh_user_set_endpoint_state (user, endpoint->state);
      if (g_str_equal (endpoint->state, "offline"))
        oh_user_set_devices (user, NULL);
      /* Device states are not listed by ARI; the channels below are. */
      oh_user_set_device_state (user, NULL);
      oh_user_clear_channels (user);
    }

  users = oh_user_list_dup_users (self->users);
  for (guint i = 0; i < users->len; i++)
    {
      OhUser *user = g_ptr_array_index (users, i);

      if (!g_hash_table_contains (seen, oh_user_get_id (user)))
        oh_user_list_remove (self->users, oh_user_get_id (user));
    }

  for (guint i = 0; i < channels->len; i++)
    {
      OhAriChannel *channel = g_ptr_array_index (channels, i);
      OhUser *user = user_for_channel (self, channel);

      if (user)
        oh_user_update_channel (user, channel->id, channel_presence_state (channel->state));
    }

  oh_session_tracker_resync (self->tracker, channels, bridges, g_get_real_time ());
  g_signal_emit (self, signals[SIGNAL_RESYNCED], 0, channels, bridges);
}

/* --- connection ------------------------------------------------------ */

static void
drop_client (OhPbx *self)
{
  g_clear_handle_id (&self->resync_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      oh_ari_client_disconnect (self->client);
      g_clear_object (&self->client);
    }
  self->syncing = FALSE;
  self->ready = FALSE;
  g_ptr_array_set_size (self->held_events, 0);
  for (guint i = 0; i < G_N_ELEMENTS (self->snapshot); i++)
    g_clear_pointer (&self->snapshot[i], g_ptr_array_unref);
  g_clear_error (&self->snapshot_error);
  self->snapshot_pending = 0;
  self->config_running = 0;
  g_queue_clear_full (&self->config_queue, g_free);
}

static void
on_retry (gpointer user_data)
{
  OhPbx *self = user_data;

  self->retry_id = 0;
  oh_account_set_retry_time (self->account, 0);
  if (self->password == NULL || self->settings == NULL)
    g_signal_emit (self, signals[SIGNAL_NEED_CREDENTIALS], 0);
  else
    start_attempt (self);
}

static void
schedule_retry (OhPbx *self)
{
  guint64 delay = BACKOFF_FIRST_MS;

  for (guint i = 0; i < self->attempt && delay < BACKOFF_MAX_MS; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX_MS);
  /* ±25 % jitter, so that many desktops do not reconnect in lockstep after
   * a PBX restart. */
  delay = delay * 3 / 4 + g_random_int_range (0, (gint32) (delay / 2) + 1);
  self->attempt++;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_once (delay, on_retry, self);
  oh_account_set_retry_time (self->account, g_get_real_time () + (gint64) delay * 1000);
  g_debug ("Retrying in %" G_GUINT64_FORMAT " ms", delay);
}

static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_TLS))
    return g_strdup_printf (_("The PBX's TLS certificate was refused: %s"), error->message);
  if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_NETWORK))
    return g_str_has_prefix (error->message, "Cannot reach the PBX")
             ? g_strdup (error->message)
             : g_strdup_printf (_("Cannot reach the PBX: %s"), error->message);
  if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_TIMEOUT))
    return g_strdup_printf (_("The PBX did not answer in time: %s"), error->message);
  if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL))
    return g_strdup_printf (_("The PBX sent something Offhook does not understand: %s"),
                            error->message);
  return g_strdup_printf (_("The PBX connection failed: %s"), error->message);
}

static void clear_password (OhPbx *self);

static void
fail_attempt (OhPbx        *self,
              const GError *error)
{
  g_autofree char *message = NULL;

  drop_client (self);
  if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_UNAUTHORIZED))
    {
      g_message ("The PBX refused the credentials of %s", self->settings->username);
      oh_account_set_last_error (self->account,
                                 _("The PBX refused the user name or password"));
      oh_account_set_retry_time (self->account, 0);
      oh_account_set_state (self->account, OH_ACCOUNT_STATE_ACCESS_DENIED);
      /* Nothing retries with a refused password: forget it. */
      clear_password (self);
      return;
    }

  message = describe_error (error);
  g_message ("%s", message);
  oh_account_set_last_error (self->account, message);
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_FAILED);
  schedule_retry (self);
}

void
oh_pbx_fail (OhPbx      *self,
             const char *message,
             gboolean    retry)
{
  g_return_if_fail (OH_IS_PBX (self));

  drop_client (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_message ("%s", message);
  oh_account_set_last_error (self->account, message);
  oh_account_set_retry_time (self->account, 0);
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_FAILED);
  if (retry)
    schedule_retry (self);
}

/* Events can come duplicated or out of order (a PBX under load, a proxy):
 * an event about a channel that is already gone must not bring it back. */
static gboolean
is_stale (OhPbx      *self,
          OhAriEvent *event)
{
  if (event->channel == NULL)
    return FALSE;
  if (event->type == OH_ARI_EVENT_CHANNEL_DESTROYED)
    {
      if (g_hash_table_size (self->destroyed) >= DESTROYED_MEMORY)
        g_hash_table_remove_all (self->destroyed);
      return !g_hash_table_add (self->destroyed, g_strdup (event->channel->id));
    }
  return g_hash_table_contains (self->destroyed, event->channel->id);
}

static void
dispatch_event (OhPbx      *self,
                OhAriEvent *event)
{
  if (is_stale (self, event))
    {
      g_debug ("Ignored a %s for channel %s, which is gone", event->type_name,
               event->channel->id);
      return;
    }
  update_users (self, event);
  oh_session_tracker_handle_event (self->tracker, event);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
  if (!g_queue_is_empty (&self->config_queue))
    fetch_next_configs (self);
}

void
oh_pbx_handle_event (OhPbx      *self,
                     OhAriEvent *event)
{
  g_return_if_fail (OH_IS_PBX (self));
  dispatch_event (self, event);
}

static void
on_client_event (OhAriClient *client,
                 gpointer     event,
                 OhPbx       *self)
{
  if (self->syncing)
    g_ptr_array_add (self->held_events, oh_ari_event_ref (event));
  else
    dispatch_event (self, event);
}

static void start_resync (OhPbx *self);

static void
on_resync_due (gpointer user_data)
{
  OhPbx *self = user_data;

  self->resync_id = 0;
  if (self->client && !self->syncing && self->ready)
    start_resync (self);
}

/* An event was dropped as malformed: what it said is lost, so the picture
 * may be wrong. Read the state again soon (once for a burst of them). */
static void
on_client_protocol_error (OhAriClient *client,
                          const char  *message,
                          OhPbx       *self)
{
  if (self->resync_id == 0)
    self->resync_id = g_timeout_add_once (RESYNC_AFTER_LOSS_MS, on_resync_due, self);
}

static void
on_client_closed (OhAriClient *client,
                  gpointer     error,
                  OhPbx       *self)
{
  g_autoptr(GError) lost = NULL;

  lost = g_error_new (OH_ARI_ERROR, OH_ARI_ERROR_NETWORK, "%s",
                      error ? ((GError *) error)->message : _("the events socket closed"));
  g_debug ("Events socket closed: %s", lost->message);
  self->attempt = 0;
  g_signal_emit (self, signals[SIGNAL_CONNECTION_LOST], 0);
  fail_attempt (self, lost);
}

static void
finish_sync (OhPbx *self)
{
  g_autoptr(GPtrArray) held = NULL;
  OhAccount *account = self->account;

  if (self->snapshot_error)
    {
      g_autoptr(GError) error = g_steal_pointer (&self->snapshot_error);

      fail_attempt (self, error);
      return;
    }

  /* The model may talk to the PBX while it reconciles (calls found still
   * going get their audio back). */
  self->ready = TRUE;
  oh_pbx_apply_snapshot (self, self->snapshot[0], self->snapshot[1], self->snapshot[2]);
  for (guint i = 0; i < G_N_ELEMENTS (self->snapshot); i++)
    g_clear_pointer (&self->snapshot[i], g_ptr_array_unref);

  self->syncing = FALSE;
  self->attempt = 0;
  oh_account_set_last_error (account, NULL);
  oh_account_set_retry_time (account, 0);
  oh_account_set_state (account, OH_ACCOUNT_STATE_CONNECTED);
  g_debug ("Connected, %u users", oh_user_list_get_n_users (self->users));

  held = g_steal_pointer (&self->held_events);
  self->held_events = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_ari_event_unref);
  for (guint i = 0; i < held->len && self->client; i++)
    dispatch_event (self, g_ptr_array_index (held, i));

  fetch_next_configs (self);
  give_back_memory ();
}

typedef GPtrArray *(*ListFinish) (OhAriClient *, GAsyncResult *, GError **);

static void
on_list_done (OhPbx        *self,
              guint         slot,
              ListFinish    finish,
              GObject      *source,
              GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = finish (OH_ARI_CLIENT (source), result, &error);

  if ((gpointer) source != (gpointer) self->client || !self->syncing)
    {
      g_clear_pointer (&list, g_ptr_array_unref);
      return;
    }

  self->snapshot[slot] = list;
  if (list == NULL && self->snapshot_error == NULL)
    self->snapshot_error = g_steal_pointer (&error);
  if (--self->snapshot_pending == 0)
    finish_sync (self);
}

static void
on_endpoints (GObject *source, GAsyncResult *result, gpointer user_data)
{
  on_list_done (user_data, 0, oh_ari_client_list_endpoints_finish, source, result);
}

static void
on_channels (GObject *source, GAsyncResult *result, gpointer user_data)
{
  on_list_done (user_data, 1, oh_ari_client_list_channels_finish, source, result);
}

static void
on_bridges (GObject *source, GAsyncResult *result, gpointer user_data)
{
  on_list_done (user_data, 2, oh_ari_client_list_bridges_finish, source, result);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OhPbx *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriInfo) info = oh_ari_client_connect_finish (OH_ARI_CLIENT (source), result, &error);

  if ((gpointer) source != (gpointer) self->client)
    return;
  if (info == NULL)
    {
      fail_attempt (self, error);
      return;
    }

  oh_account_set_pbx_version (self->account, info->version);
  g_debug ("ARI accepted us (Asterisk %s); reading the PBX's state", info->version);
  start_resync (self);
}

static void
start_resync (OhPbx *self)
{
  /* The events socket is up: read the state; events meanwhile are held. */
  self->syncing = TRUE;
  self->snapshot_pending = 3;
  oh_ari_client_list_endpoints_async (self->client, self->cancellable, on_endpoints, self);
  oh_ari_client_list_channels_async (self->client, self->cancellable, on_channels, self);
  oh_ari_client_list_bridges_async (self->client, self->cancellable, on_bridges, self);
}

static void
start_attempt (OhPbx *self)
{
  drop_client (self);
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_CONNECTING);

  self->cancellable = g_cancellable_new ();
  self->client = oh_ari_client_new (self->settings->server, self->settings->username,
                                    self->password, self->settings->application,
                                    self->settings->tls_verify);
  g_signal_connect (self->client, "event", G_CALLBACK (on_client_event), self);
  g_signal_connect (self->client, "closed", G_CALLBACK (on_client_closed), self);
  g_signal_connect (self->client, "protocol-error", G_CALLBACK (on_client_protocol_error), self);
  if (g_getenv ("OFFHOOK_REQUEST_TIMEOUT"))
    oh_ari_client_set_timeout (self->client, atoi (g_getenv ("OFFHOOK_REQUEST_TIMEOUT")));
  oh_ari_client_connect_async (self->client, self->cancellable, on_connected, self);
}

static void
clear_password (OhPbx *self)
{
  if (self->password)
    {
      explicit_bzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
}

void
oh_pbx_connect (OhPbx            *self,
                const OhSettings *settings,
                const char       *password)
{
  g_return_if_fail (OH_IS_PBX (self));
  g_return_if_fail (settings != NULL && password != NULL);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  oh_account_set_retry_time (self->account, 0);
  g_clear_pointer (&self->settings, oh_settings_free);
  self->settings = oh_settings_copy (settings);
  clear_password (self);
  self->password = g_strdup (password);
  self->attempt = 0;
  start_attempt (self);
}

void
oh_pbx_disconnect (OhPbx *self)
{
  g_return_if_fail (OH_IS_PBX (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  drop_client (self);
  clear_password (self);
  oh_session_tracker_clear (self->tracker);
  oh_user_list_remove_all (self->users);
  oh_account_set_retry_time (self->account, 0);
  oh_account_set_pbx_version (self->account, NULL);
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_DISCONNECTED);
}

OhAriClient *
oh_pbx_get_client (OhPbx *self)
{
  g_return_val_if_fail (OH_IS_PBX (self), NULL);
  return self->ready ? self->client : NULL;
}

void
oh_pbx_set_directory (OhPbx       *self,
                      OhDirectory *directory)
{
  g_autoptr(GPtrArray) users = NULL;

  g_return_if_fail (OH_IS_PBX (self));

  self->directory = directory;
  users = oh_user_list_dup_users (self->users);
  for (guint i = 0; i < users->len; i++)
    {
      OhUser *user = g_ptr_array_index (users, i);
      const OhDirectoryEntry *entry = oh_directory_lookup (directory, oh_user_get_extension (user),
                                                           oh_user_get_full_name (user));

      oh_user_set_mobile (user, entry ? entry->mobile : NULL);
      oh_user_set_email (user, entry ? entry->email : NULL);
    }
}

static void
oh_pbx_dispose (GObject *object)
{
  OhPbx *self = OH_PBX (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  drop_client (self);
  clear_password (self);
  g_clear_pointer (&self->settings, oh_settings_free);
  g_clear_pointer (&self->held_events, g_ptr_array_unref);
  g_clear_object (&self->tracker);
  g_clear_pointer (&self->destroyed, g_hash_table_unref);
  g_clear_object (&self->users);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (oh_pbx_parent_class)->dispose (object);
}

static void
oh_pbx_class_init (OhPbxClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_pbx_dispose;

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_RESYNCED] =
    g_signal_new ("resynced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
  signals[SIGNAL_NEED_CREDENTIALS] =
    g_signal_new ("need-credentials", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CONNECTION_LOST] =
    g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
oh_pbx_init (OhPbx *self)
{
  self->held_events = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_ari_event_unref);
  self->destroyed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->config_queue);
}

OhPbx *
oh_pbx_new (OhAccount     *account,
            OhUserList    *users,
            OhSessionList *sessions)
{
  OhPbx *self = g_object_new (OH_TYPE_PBX, NULL);

  self->account = g_object_ref (account);
  self->users = g_object_ref (users);
  self->tracker = oh_session_tracker_new (users, sessions);
  return self;
}

/**
 * oh_pbx_get_session_tracker:
 *
 * Returns: (transfer none): what builds the sessions from the events.
 */
OhSessionTracker *
oh_pbx_get_session_tracker (OhPbx *self)
{
  g_return_val_if_fail (OH_IS_PBX (self), NULL);
  return self->tracker;
}

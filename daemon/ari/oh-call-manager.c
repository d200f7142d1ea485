/* oh-call-manager.c: the user's own calls, through the daemon's Stasis
 * application
 *
 * What the recorded Asterisk does, and this follows:
 *  - a call to the user's extension enters our application (StasisStart,
 *    args ["incoming"]); we ring it back and wait for Accept;
 *  - an originated channel enters our application only once answered;
 *  - ARI hold plays music on hold to the other party and emits no
 *    ChannelHold, so the hold state is ours to keep;
 *  - a blind transfer is `continue` into the transfer context (a redirect
 *    is a SIP REFER that only some phones follow).
 * Answered calls sit in a mixing bridge of their own, where the audio
 * channel joins them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <glib/gi18n.h>

#include "oh-call-audio.h"
#include "oh-call-manager.h"
#include "oh-dial.h"
#include "oh-error.h"

#define DEFAULT_GRACE_MS 3000
#define LOST_CONNECTION_GRACE_MS 5000
#define DEFAULT_RING_TIMEOUT_S 30

typedef struct {
  OhCallManager *self;
  OhCall        *call;
  char          *channel_id;    /* the other party's channel */
  char          *bridge_id;     /* ours, once answered */
  char          *dialstatus;
  gint           cause;
  gboolean       local_hangup;
  gboolean       rejecting;
  gboolean       transferring;
  gboolean       unverified;    /* the connection dropped; resync decides */
  guint          grace_id;
  OhCallAudio   *audio;
  gboolean       media_in_stasis; /* its channel may join the bridge */
} CallData;

/* Two parties joined by an attended transfer: when one leaves, the other
 * is hung up and the bridge goes. */
typedef struct {
  char *bridge_id;
  char *channels[2];
} Joined;

struct _OhCallManager
{
  GObject parent_instance;

  OhPbx      *pbx;
  OhAccount  *account;
  OhUserList *users;

  GHashTable *calls;      /* id → CallData */
  GHashTable *channels;   /* channel id → CallData (borrowed) */
  GHashTable *media_channels; /* audio channel id → call id */
  char       *audio_source;
  char       *audio_sink;
  GPtrArray  *joined;     /* Joined* */
  guint       next_number;
  guint       grace_ms;
  guint       ring_timeout;
  char       *dial_context;
  guint       lost_id;
};

G_DEFINE_FINAL_TYPE (OhCallManager, oh_call_manager, G_TYPE_OBJECT)

enum {
  SIGNAL_CALL_ADDED,
  SIGNAL_CALL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
call_data_free (CallData *data)
{
  g_clear_handle_id (&data->grace_id, g_source_remove);
  if (data->audio)
    {
      oh_call_audio_stop (data->audio);
      g_clear_object (&data->audio);
    }
  g_clear_object (&data->call);
  g_free (data->channel_id);
  g_free (data->bridge_id);
  g_free (data->dialstatus);
  g_free (data);
}

static void
joined_free (Joined *joined)
{
  g_free (joined->bridge_id);
  g_free (joined->channels[0]);
  g_free (joined->channels[1]);
  g_free (joined);
}

static OhAriClient *
client (OhCallManager *self)
{
  return oh_pbx_get_client (self->pbx);
}

static CallData *
lookup_data (OhCallManager *self,
             OhCall        *call)
{
  return call ? g_hash_table_lookup (self->calls, oh_call_get_id (call)) : NULL;
}

/* Requests whose answer changes nothing we track: failures are logged. */
static void
on_fire_and_forget (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = oh_ari_client_request_finish (OH_ARI_CLIENT (source), result, &error);

  if (body == NULL && !g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_NOT_FOUND) &&
      !g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED))
    g_message ("%s failed: %s", (const char *) user_data, error->message);
}

static void
fire (OhCallManager *self,
      const char    *method,
      const char    *path,
      const char    *what)
{
  OhAriClient *ari = client (self);

  if (ari)
    oh_ari_client_request_async (ari, method, path, NULL, NULL, NULL, on_fire_and_forget,
                                 (gpointer) what);
}

static void
destroy_bridge (OhCallManager *self,
                CallData      *data)
{
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;

  if (data->bridge_id == NULL)
    return;
  escaped = g_uri_escape_string (data->bridge_id, NULL, FALSE);
  path = g_strconcat ("/bridges/", escaped, NULL);
  fire (self, "DELETE", path, "Removing a call's bridge");
  g_clear_pointer (&data->bridge_id, g_free);
}

static void
on_grace_over (gpointer user_data)
{
  CallData *data = user_data;
  OhCallManager *self = data->self;
  g_autoptr(OhCall) call = g_object_ref (data->call);

  data->grace_id = 0;
  g_hash_table_remove (self->calls, oh_call_get_id (call));
  g_signal_emit (self, signals[SIGNAL_CALL_REMOVED], 0, call);
}

static void
end_call (OhCallManager  *self,
          CallData       *data,
          OhCallEndReason reason)
{
  if (oh_call_get_state (data->call) == OH_CALL_STATE_ENDED)
    return;

  g_debug ("Call %s ended: %s", oh_call_get_id (data->call), oh_call_end_reason_to_string (reason));
  if (data->channel_id)
    g_hash_table_remove (self->channels, data->channel_id);
  if (data->audio)
    {
      if (oh_call_audio_get_channel_id (data->audio))
        g_hash_table_remove (self->media_channels, oh_call_audio_get_channel_id (data->audio));
      oh_call_audio_stop (data->audio);
    }
  destroy_bridge (self, data);
  oh_call_end (data->call, reason, g_get_real_time ());
  data->grace_id = g_timeout_add_once (self->grace_ms, on_grace_over, data);
}

static CallData *
add_call (OhCallManager *self,
          gboolean       incoming,
          const char    *channel_id)
{
  CallData *data = g_new0 (CallData, 1);

  data->self = self;
  data->call = oh_call_new (++self->next_number, incoming, g_get_real_time ());
  data->channel_id = g_strdup (channel_id);
  g_hash_table_insert (self->calls, (gpointer) oh_call_get_id (data->call), data);
  if (channel_id)
    g_hash_table_insert (self->channels, data->channel_id, data);
  return data;
}

static void
set_remote (OhCallManager *self,
            CallData      *data,
            const char    *number,
            const char    *name)
{
  OhUser *user = oh_user_list_lookup_extension (self->users, number);

  if ((name == NULL || *name == '\0') && user)
    name = oh_user_get_full_name (user);
  oh_call_set_remote (data->call, number, name, user ? oh_user_get_id (user) : "");
}

static void
link_session (OhCallManager *self,
              CallData      *data)
{
  const char *session = NULL;

  if (data->channel_id)
    session = oh_session_tracker_lookup_channel (oh_pbx_get_session_tracker (self->pbx),
                                                 data->channel_id);
  oh_call_set_session (data->call, session ? session : "");
}

/* --- answered calls get a bridge -------------------------------------- */

static void
on_bridge_channel_added (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!oh_ari_client_bridge_add_channel_finish (OH_ARI_CLIENT (source), result, &error) &&
      !g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED))
    g_message ("Cannot put a call into its bridge: %s", error->message);
}

/* Names a call across an asynchronous request, which may outlive it. */
typedef struct {
  OhCallManager *self;
  char          *call_id;
} CallRef;

static CallRef *
call_ref_new (OhCallManager *self,
              CallData      *data)
{
  CallRef *ref = g_new0 (CallRef, 1);

  ref->self = g_object_ref (self);
  ref->call_id = g_strdup (oh_call_get_id (data->call));
  return ref;
}

static void
call_ref_free (CallRef *ref)
{
  g_object_unref (ref->self);
  g_free (ref->call_id);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallRef, call_ref_free)

static void
on_bridge_created (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CallRef) ref = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriBridge) bridge = oh_ari_client_create_bridge_finish (OH_ARI_CLIENT (source),
                                                                      result, &error);
  OhCallManager *self = ref->self;
  CallData *data;

  if (bridge == NULL)
    {
      if (!g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_CLOSED))
        g_message ("Cannot create a bridge for call %s: %s", ref->call_id, error->message);
      return;
    }
  data = self->calls ? g_hash_table_lookup (self->calls, ref->call_id) : NULL;
  if (data == NULL || oh_call_get_state (data->call) == OH_CALL_STATE_ENDED)
    {
      oh_ari_client_destroy_bridge_async (OH_ARI_CLIENT (source), bridge->id, NULL, NULL, NULL);
      return;
    }
  data->bridge_id = g_strdup (bridge->id);
  oh_ari_client_bridge_add_channel_async (OH_ARI_CLIENT (source), bridge->id, data->channel_id,
                                          NULL, on_bridge_channel_added, NULL);
  if (data->audio && data->media_in_stasis)
    oh_ari_client_bridge_add_channel_async (OH_ARI_CLIENT (source), bridge->id,
                                            oh_call_audio_get_channel_id (data->audio), NULL,
                                            on_bridge_channel_added, NULL);
}

/* --- audio ----------------------------------------------------------- */

static void
on_audio_channel_created (OhCallAudio *audio,
                          const char  *channel_id,
                          CallData    *data)
{
  data->media_in_stasis = FALSE;
  g_hash_table_insert (data->self->media_channels, g_strdup (channel_id),
                       g_strdup (oh_call_get_id (data->call)));
}

static void
start_audio (OhCallManager *self,
             CallData      *data)
{
  OhAriClient *ari = client (self);

  if (ari == NULL || data->audio)
    return;
  data->audio = oh_call_audio_new (ari, data->call, self->audio_source, self->audio_sink);
  g_signal_connect (data->audio, "channel-created", G_CALLBACK (on_audio_channel_created), data);
  oh_call_audio_start (data->audio);
}

static CallData *
media_channel_call (OhCallManager *self,
                    const char    *channel_id)
{
  const char *call_id = g_hash_table_lookup (self->media_channels, channel_id);

  return call_id ? g_hash_table_lookup (self->calls, call_id) : NULL;
}

/* The audio channel is in Stasis only once its socket is up: now it can
 * join the call's bridge (before, addChannel is refused with 422). */
static void
on_media_stasis_start (OhCallManager *self,
                       OhAriEvent    *event)
{
  CallData *data = media_channel_call (self, event->channel->id);
  OhAriClient *ari = client (self);

  if (data == NULL || data->audio == NULL ||
      g_strcmp0 (oh_call_audio_get_channel_id (data->audio), event->channel->id) != 0)
    return;
  data->media_in_stasis = TRUE;
  if (data->bridge_id && ari)
    oh_ari_client_bridge_add_channel_async (ari, data->bridge_id, event->channel->id, NULL,
                                            on_bridge_channel_added, NULL);
}

static void
bridge_call (OhCallManager *self,
             CallData      *data)
{
  g_autofree char *name = NULL;
  OhAriClient *ari = client (self);

  if (ari == NULL || data->bridge_id)
    return;
  name = g_strdup_printf ("%s-%s", oh_account_get_application (self->account),
                          oh_call_get_id (data->call));
  oh_ari_client_create_bridge_async (ari, "mixing", name, NULL, NULL, on_bridge_created,
                                     call_ref_new (self, data));
}

static void
answered (OhCallManager *self,
          CallData      *data,
          gint64         when)
{
  if (oh_call_get_answer_time (data->call) != 0)
    return;
  oh_call_set_answer_time (data->call, when);
  oh_call_set_state (data->call, OH_CALL_STATE_ACTIVE);
  link_session (self, data);
  bridge_call (self, data);
  start_audio (self, data);
}

/* --- events ---------------------------------------------------------- */

static OhCallEndReason
reason_for_unanswered (CallData *data)
{
  const char *status = data->dialstatus ? data->dialstatus : "";

  if (data->cause == 17 || g_str_equal (status, "BUSY"))
    return OH_CALL_END_BUSY;
  if (data->cause == 21)
    return OH_CALL_END_REJECTED;
  if (data->cause == 18 || data->cause == 19 || g_str_equal (status, "NOANSWER"))
    return OH_CALL_END_NO_ANSWER;
  if (g_str_equal (status, "CHANUNAVAIL") || g_str_equal (status, "CONGESTION") ||
      data->cause == 1 || data->cause == 3 || data->cause == 20 || data->cause == 34 ||
      data->cause == 38)
    return OH_CALL_END_FAILED;
  /* Hung up while it rang, without a reason: the callee declined. */
  return oh_call_get_state (data->call) == OH_CALL_STATE_RINGING_OUT ? OH_CALL_END_REJECTED
                                                                     : OH_CALL_END_FAILED;
}

static void
channel_gone (OhCallManager *self,
              CallData      *data)
{
  OhCallEndReason reason;

  if (data->rejecting)
    reason = OH_CALL_END_REJECTED;
  else if (data->local_hangup)
    reason = OH_CALL_END_LOCAL_HANGUP;
  else if (data->transferring)
    reason = OH_CALL_END_TRANSFERRED;
  else if (oh_call_get_answer_time (data->call) != 0)
    reason = OH_CALL_END_REMOTE_HANGUP;
  else if (oh_call_is_incoming (data->call))
    reason = OH_CALL_END_NO_ANSWER;   /* the caller gave up */
  else
    reason = reason_for_unanswered (data);
  end_call (self, data, reason);
}

static void
on_incoming (OhCallManager *self,
             OhAriEvent    *event)
{
  CallData *data = add_call (self, TRUE, event->channel->id);
  OhAriClient *ari = client (self);

  set_remote (self, data, event->channel->caller_number, event->channel->caller_name);
  link_session (self, data);
  g_debug ("Incoming call %s from %s", oh_call_get_id (data->call), event->channel->caller_number);
  if (ari)
    oh_ari_client_ring_async (ari, event->channel->id, NULL, NULL, NULL);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, data->call);
}

static void
on_joined_channel_left (OhCallManager *self,
                        const char    *channel_id)
{
  for (guint i = 0; i < self->joined->len; i++)
    {
      Joined *joined = g_ptr_array_index (self->joined, i);
      const char *other;
      g_autofree char *path = NULL;
      g_autofree char *escaped = NULL;

      if (g_strcmp0 (joined->channels[0], channel_id) == 0)
        other = joined->channels[1];
      else if (g_strcmp0 (joined->channels[1], channel_id) == 0)
        other = joined->channels[0];
      else
        continue;

      escaped = g_uri_escape_string (other, NULL, FALSE);
      path = g_strconcat ("/channels/", escaped, NULL);
      fire (self, "DELETE", path, "Ending the other party of a transfer");
      g_free (escaped);
      escaped = g_uri_escape_string (joined->bridge_id, NULL, FALSE);
      g_free (path);
      path = g_strconcat ("/bridges/", escaped, NULL);
      fire (self, "DELETE", path, "Removing a transfer's bridge");
      g_ptr_array_remove_index_fast (self->joined, i);
      return;
    }
}

static void
on_pbx_event (OhPbx         *pbx,
              OhAriEvent    *event,
              OhCallManager *self)
{
  const char *app = oh_account_get_application (self->account);
  CallData *data = NULL;

  if (event->channel)
    data = g_hash_table_lookup (self->channels, event->channel->id);

  switch (event->type)
    {
    case OH_ARI_EVENT_STASIS_START:
      if (g_strcmp0 (event->application, app) != 0)
        break;
      if (g_hash_table_contains (self->media_channels, event->channel->id))
        on_media_stasis_start (self, event);
      else if (data && !oh_call_is_incoming (data->call))
        answered (self, data, event->timestamp);
      else if (data == NULL && event->args && event->args[0] &&
               g_str_equal (event->args[0], "incoming"))
        on_incoming (self, event);
      break;

    case OH_ARI_EVENT_DIAL:
      if (data == NULL || oh_call_is_incoming (data->call))
        break;
      if (*event->dialstatus)
        {
          g_free (data->dialstatus);
          data->dialstatus = g_strdup (event->dialstatus);
        }
      if (g_str_equal (event->dialstatus, "RINGING"))
        oh_call_set_state (data->call, OH_CALL_STATE_RINGING_OUT);
      link_session (self, data);
      break;

    case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
      if (data == NULL)
        break;
      /* Up is the answer, whoever answered (we, or another client of the
       * same application). */
      if (event->channel->state == OH_ARI_CHANNEL_STATE_UP)
        answered (self, data, event->timestamp);
      else if (event->channel->state == OH_ARI_CHANNEL_STATE_RINGING &&
               !oh_call_is_incoming (data->call))
        oh_call_set_state (data->call, OH_CALL_STATE_RINGING_OUT);
      link_session (self, data);
      break;

    case OH_ARI_EVENT_CHANNEL_DTMF_RECEIVED:
      if (data && event->digit)
        oh_call_emit_dtmf (data->call, event->digit);
      break;

    case OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST:
      if (data && event->cause)
        data->cause = event->cause;
      break;

    case OH_ARI_EVENT_STASIS_END:
      if (data && data->transferring)
        channel_gone (self, data);
      if (event->channel)
        on_joined_channel_left (self, event->channel->id);
      break;

    case OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE:
      if (event->channel && event->bridge)
        for (guint i = 0; i < self->joined->len; i++)
          if (g_str_equal (((Joined *) g_ptr_array_index (self->joined, i))->bridge_id,
                           event->bridge->id))
            {
              on_joined_channel_left (self, event->channel->id);
              break;
            }
      break;

    case OH_ARI_EVENT_CHANNEL_DESTROYED:
      {
        CallData *owner = media_channel_call (self, event->channel->id);

        if (owner && owner->audio)
          oh_call_audio_channel_gone (owner->audio, event->channel->id);
        g_hash_table_remove (self->media_channels, event->channel->id);
      }
      if (data)
        {
          if (event->cause)
            data->cause = event->cause;
          channel_gone (self, data);
        }
      on_joined_channel_left (self, event->channel->id);
      break;

    default:
      break;
    }
}

/* Whether a channel the PBX lists is one of the user's calls, which this
 * daemon (or its previous run) placed or took into its application. */
static gboolean
is_ours (OhCallManager *self,
         OhAriChannel  *channel,
         gboolean      *incoming)
{
  const char *app = oh_account_get_application (self->account);
  g_autofree char *stasis = g_strconcat (app, ",incoming", NULL);

  if (g_str_has_prefix (channel->id, "offhook-media-"))
    return FALSE;
  if (g_str_has_prefix (channel->id, "offhook-"))
    {
      *incoming = FALSE;
      return TRUE;
    }
  if (g_strcmp0 (channel->app_name, "Stasis") == 0 &&
      (g_strcmp0 (channel->app_data, stasis) == 0 ||
       g_str_has_prefix (channel->app_data, stasis) ))
    {
      *incoming = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* After a restart (a crash, an update), the PBX still holds the user's
 * calls: their channels in our application, the answered ones in our
 * bridges. They become Calls again, with new audio; stale audio channels
 * of the previous run are hung up. */
static void
adopt_orphans (OhCallManager *self,
               GPtrArray     *channels,
               GPtrArray     *bridges)
{
  OhAriClient *ari = client (self);

  for (guint i = 0; i < channels->len; i++)
    {
      OhAriChannel *channel = g_ptr_array_index (channels, i);
      gboolean incoming = FALSE;
      OhCall *call;

      if (g_hash_table_contains (self->channels, channel->id))
        continue;
      if (g_str_has_prefix (channel->id, "offhook-media-"))
        {
          if (!g_hash_table_contains (self->media_channels, channel->id) && ari)
            oh_ari_client_hangup_async (ari, channel->id, "normal", NULL, NULL, NULL);
          continue;
        }
      if (!is_ours (self, channel, &incoming))
        continue;

      call = oh_call_manager_adopt (self, channel, bridges, incoming);
      g_message ("Found call %s (%s %s) still going at the PBX", oh_call_get_id (call),
                 incoming ? "from" : "to", oh_call_get_remote_number (call));
    }
}

static void
on_pbx_resynced (OhPbx         *pbx,
                 GPtrArray     *channels,
                 GPtrArray     *bridges,
                 OhCallManager *self)
{
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  CallData *data;

  g_clear_handle_id (&self->lost_id, g_source_remove);
  for (guint i = 0; i < channels->len; i++)
    g_hash_table_add (present, ((OhAriChannel *) g_ptr_array_index (channels, i))->id);

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    {
      data->unverified = FALSE;
      if (oh_call_get_state (data->call) == OH_CALL_STATE_ENDED)
        continue;
      if (data->channel_id == NULL || !g_hash_table_contains (present, data->channel_id))
        g_ptr_array_add (gone, data);
      else
        link_session (self, data);
    }
  for (guint i = 0; i < gone->len; i++)
    end_call (self, g_ptr_array_index (gone, i), OH_CALL_END_FAILED);
  adopt_orphans (self, channels, bridges);
}

static void
on_lost_too_long (gpointer user_data)
{
  OhCallManager *self = user_data;
  g_autoptr(GPtrArray) lost = g_ptr_array_new ();
  GHashTableIter iter;
  CallData *data;

  self->lost_id = 0;
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    if (data->unverified)
      g_ptr_array_add (lost, data);
  for (guint i = 0; i < lost->len; i++)
    end_call (self, g_ptr_array_index (lost, i), OH_CALL_END_FAILED);
}

static void
on_connection_lost (OhPbx         *pbx,
                    OhCallManager *self)
{
  GHashTableIter iter;
  CallData *data;

  /* The calls may well go on at the PBX: the resync after the reconnect
   * tells. If it does not come soon, they are lost for us. */
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    data->unverified = oh_call_get_state (data->call) != OH_CALL_STATE_ENDED;
  g_clear_handle_id (&self->lost_id, g_source_remove);
  self->lost_id = g_timeout_add_once (LOST_CONNECTION_GRACE_MS, on_lost_too_long, self);
}

static void
on_account_state (OhAccount     *account,
                  GParamSpec    *pspec,
                  OhCallManager *self)
{
  GHashTableIter iter;
  CallData *data;
  g_autoptr(GPtrArray) open = g_ptr_array_new ();

  if (oh_account_get_state (account) != OH_ACCOUNT_STATE_DISCONNECTED &&
      oh_account_get_state (account) != OH_ACCOUNT_STATE_ACCESS_DENIED)
    return;
  /* Disconnected on purpose: our calls are no longer ours to follow. */
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    g_ptr_array_add (open, data);
  for (guint i = 0; i < open->len; i++)
    end_call (self, g_ptr_array_index (open, i), OH_CALL_END_FAILED);
  g_ptr_array_set_size (self->joined, 0);
}

/**
 * oh_call_manager_adopt:
 * @channel: a channel of the user's that is in our application already
 * @bridges: (nullable) (element-type OhAriBridge): the PBX's bridges, to
 *   find the call's bridge of before
 * @incoming: whether the other party called the user
 *
 * Makes a Call of a channel this daemon did not create or has forgotten:
 * after a restart, the PBX still holds the user's calls (see the crash
 * survival in tests/README.md). An answered channel gets its bridge and
 * audio as any answered call.
 *
 * Returns: (transfer none): the call.
 */
OhCall *
oh_call_manager_adopt (OhCallManager *self,
                       OhAriChannel  *channel,
                       GPtrArray     *bridges,
                       gboolean       incoming)
{
  CallData *data = g_hash_table_lookup (self->channels, channel->id);
  const char *number, *name;

  if (data)
    return data->call;
  data = add_call (self, incoming, channel->id);
  /* For a call the user placed, the other party is the channel's own
   * endpoint: its connected line is the user. */
  number = incoming || *channel->connected_number == '\0' ? channel->caller_number
                                                           : channel->connected_number;
  name = incoming || *channel->connected_number == '\0' ? channel->caller_name
                                                         : channel->connected_name;
  if (!incoming)
    {
      g_autofree char *technology = NULL;
      g_autofree char *resource = NULL;
      OhUser *user = NULL;

      if (oh_pbx_parse_channel_name (channel->name, &technology, &resource))
        user = oh_user_list_lookup (self->users, resource);
      if (user)
        {
          number = oh_user_get_extension (user);
          name = oh_user_get_full_name (user);
        }
    }
  set_remote (self, data, number, name);
  link_session (self, data);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, data->call);
  if (channel->state == OH_ARI_CHANNEL_STATE_UP)
    {
      /* Rejoin the call's bridge of before, if it still stands. */
      for (guint i = 0; bridges && i < bridges->len && data->bridge_id == NULL; i++)
        {
          OhAriBridge *bridge = g_ptr_array_index (bridges, i);
          g_autofree char *prefix = g_strconcat (oh_account_get_application (self->account), "-", NULL);

          if (g_str_has_prefix (bridge->name, prefix) && bridge->channels &&
              g_strv_contains ((const char *const *) bridge->channels, channel->id))
            data->bridge_id = g_strdup (bridge->id);
        }
      answered (self, data, g_get_real_time ());
    }
  else if (channel->state == OH_ARI_CHANNEL_STATE_RINGING && !incoming)
    oh_call_set_state (data->call, OH_CALL_STATE_RINGING_OUT);
  g_debug ("Adopted channel %s as call %s", channel->id, oh_call_get_id (data->call));
  return data->call;
}

/* --- dialling -------------------------------------------------------- */

static char *
resolve_target (OhCallManager  *self,
                const char     *target,
                char          **endpoint,
                GError        **error)
{
  g_autofree char *number = NULL;
  g_autoptr(GError) number_error = NULL;
  OhUser *user = NULL;

  if (!oh_dial_validate_number (target, &number, &number_error))
    {
      if (!oh_dial_validate_name (target, NULL))
        {
          g_propagate_error (error, g_steal_pointer (&number_error));
          return NULL;
        }
      user = oh_user_list_lookup (self->users, target);
      if (user == NULL)
        user = oh_user_list_lookup_name (self->users, target);
      if (user == NULL)
        {
          g_set_error (error, OH_ERROR, OH_ERROR_NOT_FOUND,
                       _("No user is called “%s” (or several are)"), target);
          return NULL;
        }
      number = g_strdup (oh_user_get_extension (user));
    }
  else
    user = oh_user_list_lookup_extension (self->users, number);

  if (endpoint)
    {
      if (user && oh_dial_is_safe_resource (oh_user_get_resource (user)) &&
          oh_dial_is_safe_resource (oh_user_get_technology (user)))
        *endpoint = g_strdup_printf ("%s/%s", oh_user_get_technology (user),
                                     oh_user_get_resource (user));
      else if (oh_dial_validate_number (number, NULL, NULL))
        *endpoint = g_strdup_printf ("Local/%s@%s", number, self->dial_context);
      else
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("“%s” cannot be dialled"), target);
          return NULL;
        }
    }
  return g_steal_pointer (&number);
}

static gboolean
check_caller_id_name (const char *name)
{
  gsize length = strlen (name);

  if (length > 64 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
      return FALSE;
  return TRUE;
}

static void
on_originated (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriChannel) channel = oh_ari_client_originate_finish (OH_ARI_CLIENT (source),
                                                                    result, &error);

  if (channel == NULL)
    {
      g_message ("Cannot place call %s: %s", oh_call_get_id (data->call), error->message);
      end_call (data->self, data, OH_CALL_END_FAILED);
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_FAILED,
                               _("The PBX could not place the call: %s"), error->message);
      return;
    }
  g_task_return_pointer (task, g_object_ref (data->call), g_object_unref);
}

static CallData *
start_outgoing (OhCallManager *self,
                const char    *number,
                const char    *endpoint,
                const char    *caller_name,
                GTask         *task)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *channel_id = g_strconcat ("offhook-", uuid, NULL);
  g_autofree char *caller_id = NULL;
  const char *own = oh_account_get_extension (self->account);
  CallData *data = add_call (self, FALSE, channel_id);

  if (caller_name == NULL || *caller_name == '\0')
    {
      OhUser *me = oh_user_list_lookup_extension (self->users, own);

      caller_name = me ? oh_user_get_full_name (me) : "";
    }
  if (*own)
    caller_id = g_strdup_printf ("\"%s\" <%s>", caller_name, own);
  else if (*caller_name)
    caller_id = g_strdup_printf ("\"%s\"", caller_name);

  set_remote (self, data, number, NULL);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, data->call);
  g_debug ("Dialling %s as call %s", number, oh_call_get_id (data->call));
  g_task_set_task_data (task, data, NULL);
  oh_ari_client_originate_async (client (self), endpoint, NULL, "outgoing", caller_id,
                                 channel_id, self->ring_timeout, NULL, on_originated,
                                 g_object_ref (task));
  return data;
}

void
oh_call_manager_dial_async (OhCallManager       *self,
                            const char          *number,
                            GVariant            *options,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *caller_name = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *next;

  if (options)
    {
      g_variant_iter_init (&iter, options);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &next))
        {
          g_autoptr(GVariant) value = next;

          if (g_str_equal (key, "caller-id") && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
              check_caller_id_name (g_variant_get_string (value, NULL)))
            {
              g_free (caller_name);
              caller_name = g_variant_dup_string (value, NULL);
            }
          else if (g_str_equal (key, "video") && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
            {
              if (g_variant_get_boolean (value))
                {
                  g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_SUPPORTED, "%s",
                                           _("Video calls are not supported"));
                  return;
                }
            }
          else
            {
              g_task_return_new_error (task, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                                       _("Unknown or invalid option “%s”"), key);
              return;
            }
        }
    }

  resolved = resolve_target (self, number, &endpoint, &error);
  if (resolved == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (client (self) == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_CONNECTED, "%s",
                               _("Not connected to the PBX"));
      return;
    }
  start_outgoing (self, resolved, endpoint, caller_name, task);
}

OhCall *
oh_call_manager_dial_finish (OhCallManager  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- operations ------------------------------------------------------ */

typedef gboolean (*OpFinish) (OhAriClient *, GAsyncResult *, GError **);

typedef struct {
  OhCallOp  op;
  CallData *data;
  CallData *other;
  OpFinish  finish;
  char     *argument;
} OpData;

static void
op_data_free (OpData *op)
{
  g_free (op->argument);
  g_free (op);
}

static gboolean
refuse (GTask      *task,
        OhCall     *call,
        const char *message)
{
  g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_SUPPORTED, message,
                           oh_call_state_to_string (oh_call_get_state (call)));
  return FALSE;
}

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  OhCallManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!op->finish (OH_ARI_CLIENT (source), result, &error))
    {
      op->data->local_hangup = op->data->rejecting = op->data->transferring = FALSE;
      if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_FOUND, "%s",
                                 _("The call is already over at the PBX"));
      else
        g_task_return_new_error (task, OH_ERROR, OH_ERROR_FAILED,
                                 _("The PBX refused: %s"), error->message);
      return;
    }

  switch (op->op)
    {
    case OH_CALL_OP_ACCEPT:
      answered (self, op->data, g_get_real_time ());
      break;
    case OH_CALL_OP_HOLD:
      oh_call_set_state (op->data->call, OH_CALL_STATE_HELD);
      if (op->data->audio)
        oh_call_audio_set_held (op->data->audio, TRUE);
      oh_session_tracker_set_held (oh_pbx_get_session_tracker (self->pbx),
                                   op->data->channel_id, TRUE);
      break;
    case OH_CALL_OP_UNHOLD:
      oh_call_set_state (op->data->call, OH_CALL_STATE_ACTIVE);
      if (op->data->audio)
        oh_call_audio_set_held (op->data->audio, FALSE);
      oh_session_tracker_set_held (oh_pbx_get_session_tracker (self->pbx),
                                   op->data->channel_id, FALSE);
      break;
    default:
      break;
    }
  g_task_return_boolean (task, TRUE);
}

static void
hold_others (OhCallManager *self,
             CallData      *except)
{
  GHashTableIter iter;
  CallData *data;
  OhAriClient *ari = client (self);

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    if (data != except && oh_call_get_state (data->call) == OH_CALL_STATE_ACTIVE)
      {
        oh_ari_client_hold_async (ari, data->channel_id, NULL, NULL, NULL);
        oh_call_set_state (data->call, OH_CALL_STATE_HELD);
        if (data->audio)
          oh_call_audio_set_held (data->audio, TRUE);
        oh_session_tracker_set_held (oh_pbx_get_session_tracker (self->pbx),
                                     data->channel_id, TRUE);
      }
}

/* Attended transfer: the two other parties meet in a bridge of their own. */
static void
on_transfer_bridge_created (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  OhCallManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OhAriBridge) bridge = oh_ari_client_create_bridge_finish (OH_ARI_CLIENT (source),
                                                                      result, &error);
  Joined *joined;
  CallData *both[2] = { op->data, op->other };

  if (bridge == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_FAILED,
                               _("The PBX refused: %s"), error->message);
      return;
    }

  joined = g_new0 (Joined, 1);
  joined->bridge_id = g_strdup (bridge->id);
  for (guint i = 0; i < 2; i++)
    {
      CallData *data = both[i];

      joined->channels[i] = g_strdup (data->channel_id);
      if (oh_call_get_state (data->call) == OH_CALL_STATE_HELD)
        oh_ari_client_unhold_async (OH_ARI_CLIENT (source), data->channel_id, NULL, NULL, NULL);
      /* Leaving our bridge first: a channel is in one bridge at a time. */
      destroy_bridge (self, data);
      oh_ari_client_bridge_add_channel_async (OH_ARI_CLIENT (source), bridge->id,
                                              data->channel_id, NULL, on_bridge_channel_added,
                                              NULL);
    }
  g_ptr_array_add (self->joined, joined);
  for (guint i = 0; i < 2; i++)
    end_call (self, both[i], OH_CALL_END_TRANSFERRED);
  g_task_return_boolean (task, TRUE);
}

static gboolean
is_answered (OhCall *call)
{
  return oh_call_get_state (call) == OH_CALL_STATE_ACTIVE ||
         oh_call_get_state (call) == OH_CALL_STATE_HELD;
}

void
oh_call_manager_op_async (OhCallManager       *self,
                          OhCall              *call,
                          OhCallOp             kind,
                          const char          *argument,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  CallData *data = lookup_data (self, call);
  OhAriClient *ari = client (self);
  OhCallState state;
  OpData *op;

  if (data == NULL || oh_call_get_state (call) == OH_CALL_STATE_ENDED)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_FOUND, "%s",
                               _("The call has ended"));
      return;
    }
  if (ari == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_CONNECTED, "%s",
                               _("Not connected to the PBX"));
      return;
    }

  state = oh_call_get_state (call);
  op = g_new0 (OpData, 1);
  op->op = kind;
  op->data = data;
  op->argument = g_strdup (argument);
  g_task_set_task_data (task, op, (GDestroyNotify) op_data_free);

  switch (kind)
    {
    case OH_CALL_OP_ACCEPT:
      if (state != OH_CALL_STATE_RINGING_IN)
        {
          refuse (task, call, _("Only a ringing incoming call can be accepted (this one is %s)"));
          return;
        }
      hold_others (self, data);
      op->finish = oh_ari_client_answer_finish;
      oh_ari_client_answer_async (ari, data->channel_id, cancellable, on_op_done,
                                  g_steal_pointer (&task));
      return;

    case OH_CALL_OP_REJECT:
      if (state != OH_CALL_STATE_RINGING_IN)
        {
          refuse (task, call, _("Only a ringing incoming call can be rejected (this one is %s)"));
          return;
        }
      data->rejecting = TRUE;
      op->finish = oh_ari_client_hangup_finish;
      oh_ari_client_hangup_async (ari, data->channel_id, "busy", cancellable, on_op_done,
                                  g_steal_pointer (&task));
      return;

    case OH_CALL_OP_HANGUP:
      data->local_hangup = TRUE;
      op->finish = oh_ari_client_hangup_finish;
      oh_ari_client_hangup_async (ari, data->channel_id, "normal", cancellable, on_op_done,
                                  g_steal_pointer (&task));
      return;

    case OH_CALL_OP_HOLD:
      if (state != OH_CALL_STATE_ACTIVE)
        {
          refuse (task, call, _("Only an active call can be held (this one is %s)"));
          return;
        }
      op->finish = oh_ari_client_hold_finish;
      oh_ari_client_hold_async (ari, data->channel_id, cancellable, on_op_done,
                                g_steal_pointer (&task));
      return;

    case OH_CALL_OP_UNHOLD:
      if (state != OH_CALL_STATE_HELD)
        {
          refuse (task, call, _("Only a held call can be resumed (this one is %s)"));
          return;
        }
      hold_others (self, data);
      op->finish = oh_ari_client_unhold_finish;
      oh_ari_client_unhold_async (ari, data->channel_id, cancellable, on_op_done,
                                  g_steal_pointer (&task));
      return;

    case OH_CALL_OP_SEND_DTMF:
      if (!oh_dial_validate_dtmf (argument, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!is_answered (call))
        {
          refuse (task, call, _("DTMF can be sent in an answered call only (this one is %s)"));
          return;
        }
      op->finish = oh_ari_client_send_dtmf_finish;
      oh_ari_client_send_dtmf_async (ari, data->channel_id, argument, 0, 0, cancellable,
                                     on_op_done, g_steal_pointer (&task));
      return;

    case OH_CALL_OP_TRANSFER:
      {
        g_autofree char *number = resolve_target (self, argument, NULL, &error);

        if (number == NULL)
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        if (!is_answered (call))
          {
            refuse (task, call, _("Only an answered call can be transferred (this one is %s)"));
            return;
          }
        data->transferring = TRUE;
        destroy_bridge (self, data);
        op->finish = oh_ari_client_continue_finish;
        oh_ari_client_continue_async (ari, data->channel_id, self->dial_context, number, 1,
                                      cancellable, on_op_done, g_steal_pointer (&task));
        return;
      }

    case OH_CALL_OP_TRANSFER_TO:
      {
        OhCall *other_call = oh_call_manager_lookup (self, argument);

        op->other = lookup_data (self, other_call);
        if (op->other == NULL || op->other == data ||
            oh_call_get_state (other_call) == OH_CALL_STATE_ENDED)
          {
            g_task_return_new_error (task, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, "%s",
                                     _("The other call must be another call of yours that is still going"));
            return;
          }
        if (!is_answered (call) || !is_answered (other_call))
          {
            g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_SUPPORTED, "%s",
                                     _("Both calls must be answered to be joined"));
            return;
          }
        data->transferring = op->other->transferring = TRUE;
        oh_ari_client_create_bridge_async (ari, "mixing", NULL, NULL, cancellable,
                                           on_transfer_bridge_created, g_steal_pointer (&task));
        return;
      }
    }
  g_assert_not_reached ();
}

gboolean
oh_call_manager_op_finish (OhCallManager  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
oh_call_manager_hangup_all (OhCallManager *self)
{
  GHashTableIter iter;
  CallData *data;
  OhAriClient *ari = client (self);

  if (ari == NULL)
    return;
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    if (oh_call_get_state (data->call) != OH_CALL_STATE_ENDED && data->channel_id)
      {
        data->local_hangup = TRUE;
        oh_ari_client_hangup_async (ari, data->channel_id, "normal", NULL, NULL, NULL);
      }
}

/* --- object ---------------------------------------------------------- */

OhCall *
oh_call_manager_lookup (OhCallManager *self,
                        const char    *id)
{
  CallData *data = id ? g_hash_table_lookup (self->calls, id) : NULL;

  return data ? data->call : NULL;
}

static gint
compare_calls (gconstpointer a,
               gconstpointer b)
{
  guint na = (guint) g_ascii_strtoull (oh_call_get_id (*(OhCall **) a), NULL, 10);
  guint nb = (guint) g_ascii_strtoull (oh_call_get_id (*(OhCall **) b), NULL, 10);

  return (na > nb) - (na < nb);
}

GPtrArray *
oh_call_manager_dup_calls (OhCallManager *self)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  CallData *data;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &data))
    g_ptr_array_add (calls, g_object_ref (data->call));
  g_ptr_array_sort (calls, compare_calls);
  return calls;
}

void
oh_call_manager_set_grace (OhCallManager *self,
                           guint          milliseconds)
{
  self->grace_ms = milliseconds;
}

void
oh_call_manager_set_audio_devices (OhCallManager *self,
                                   const char    *source,
                                   const char    *sink)
{
  g_free (self->audio_source);
  g_free (self->audio_sink);
  self->audio_source = g_strdup (source && *source ? source : "autoaudiosrc");
  self->audio_sink = g_strdup (sink && *sink ? sink : "autoaudiosink");
}

void
oh_call_manager_set_ring_timeout (OhCallManager *self,
                                  guint          seconds)
{
  self->ring_timeout = CLAMP (seconds, 1, 600);
}

void
oh_call_manager_set_dial_context (OhCallManager *self,
                                  const char    *context)
{
  g_free (self->dial_context);
  self->dial_context = g_strdup (context && *context ? context : "transfer");
}

static void
oh_call_manager_dispose (GObject *object)
{
  OhCallManager *self = OH_CALL_MANAGER (object);

  g_clear_handle_id (&self->lost_id, g_source_remove);
  if (self->pbx)
    g_signal_handlers_disconnect_by_data (self->pbx, self);
  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->media_channels, g_hash_table_unref);
  g_clear_pointer (&self->audio_source, g_free);
  g_clear_pointer (&self->audio_sink, g_free);
  g_clear_pointer (&self->joined, g_ptr_array_unref);
  g_clear_object (&self->pbx);
  g_clear_object (&self->account);
  g_clear_object (&self->users);
  g_clear_pointer (&self->dial_context, g_free);

  G_OBJECT_CLASS (oh_call_manager_parent_class)->dispose (object);
}

static void
oh_call_manager_class_init (OhCallManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_call_manager_dispose;

  signals[SIGNAL_CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, OH_TYPE_CALL);
  signals[SIGNAL_CALL_REMOVED] =
    g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, OH_TYPE_CALL);
}

static void
oh_call_manager_init (OhCallManager *self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) call_data_free);
  self->channels = g_hash_table_new (g_str_hash, g_str_equal);
  self->media_channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  oh_call_manager_set_audio_devices (self, NULL, NULL);
  self->joined = g_ptr_array_new_with_free_func ((GDestroyNotify) joined_free);
  self->grace_ms = DEFAULT_GRACE_MS;
  self->ring_timeout = DEFAULT_RING_TIMEOUT_S;
  self->dial_context = g_strdup ("transfer");
}

OhCallManager *
oh_call_manager_new (OhPbx      *pbx,
                     OhAccount  *account,
                     OhUserList *users)
{
  OhCallManager *self = g_object_new (OH_TYPE_CALL_MANAGER, NULL);

  self->pbx = g_object_ref (pbx);
  self->account = g_object_ref (account);
  self->users = g_object_ref (users);
  g_signal_connect (pbx, "event", G_CALLBACK (on_pbx_event), self);
  g_signal_connect (pbx, "resynced", G_CALLBACK (on_pbx_resynced), self);
  g_signal_connect (pbx, "connection-lost", G_CALLBACK (on_connection_lost), self);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_state), self);
  return self;
}

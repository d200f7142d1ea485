/* oh-session-tracker.c: builds sessions (calls anywhere on the PBX) from
 * channel and bridge events
 *
 * A call between two phones is one session however many channels and
 * bridges Asterisk uses for it. As the recorded traffic shows:
 *  - a phone that dials creates a channel in state Ring: it starts a
 *    session (caller = its caller id, callee = the dialled extension);
 *  - the channel towards the callee is created Down and joined to the
 *    caller's session by the Dial event that names both;
 *  - an originated channel (Down, Dial without a caller) starts its own
 *    session once its Dial or its first ringing shows it is a real call;
 *  - bridges join their channels' sessions;
 *  - the session ends when its last channel is destroyed.
 * Channels of internal technologies (media sockets, message queues) never
 * make a session of their own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include "oh-pbx.h"
#include "oh-session-tracker.h"

typedef struct {
  char             *id;
  char             *technology;
  char             *resource;
  OhAriChannelState state;
  gboolean          held;
  char             *session_id;   /* NULL while pending */
  char             *bridge_id;
} Channel;

/* What the session's events told beyond what OhSession shows. */
typedef struct {
  gboolean rang;
  gboolean busy;
  gboolean failed;
} SessionFacts;

struct _OhSessionTracker
{
  GObject parent_instance;

  OhUserList    *users;
  OhSessionList *sessions;
  GHashTable    *channels;  /* id → Channel */
  GHashTable    *bridges;   /* id → GPtrArray of channel ids */
  GHashTable    *facts;     /* session id → SessionFacts */
};

G_DEFINE_FINAL_TYPE (OhSessionTracker, oh_session_tracker, G_TYPE_OBJECT)

enum {
  SESSION_COMPLETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const internal_technologies[] = {
  "WebSocket", "Message", "Announcer", "Recorder", "Snoop", "UnicastRTP",
  "AudioSocket", "Bridge", "CBAnn", "CBRec", "Multicast", NULL,
};

static void
channel_free (Channel *channel)
{
  g_free (channel->id);
  g_free (channel->technology);
  g_free (channel->resource);
  g_free (channel->session_id);
  g_free (channel->bridge_id);
  g_free (channel);
}

static gboolean
is_internal (const char *name)
{
  for (guint i = 0; internal_technologies[i]; i++)
    {
      gsize n = strlen (internal_technologies[i]);

      if (strncmp (name, internal_technologies[i], n) == 0 && name[n] == '/')
        return TRUE;
    }
  return FALSE;
}

/* --- users of a session --------------------------------------------- */

static void
add_user (OhSessionTracker *self,
          OhSession        *session,
          OhUser           *user)
{
  if (user == NULL)
    return;
  if (oh_session_add_user (session, oh_user_get_id (user)))
    oh_user_add_session (user, oh_session_get_id (session));
}

static OhUser *
channel_user (OhSessionTracker *self,
              Channel          *channel)
{
  OhUser *user;

  if (channel->resource == NULL)
    return NULL;
  user = oh_user_list_lookup (self->users, channel->resource);
  if (user && g_str_equal (oh_user_get_technology (user), channel->technology))
    return user;
  return NULL;
}

static const char *
user_name (OhUser *user)
{
  return user ? oh_user_get_full_name (user) : NULL;
}

/* --- states ---------------------------------------------------------- */

static void
recompute_state (OhSessionTracker *self,
                 OhSession        *session,
                 gint64            now)
{
  SessionFacts *facts = g_hash_table_lookup (self->facts, oh_session_get_id (session));
  const char *const *ids = oh_session_get_channels (session);
  gboolean any_up = FALSE, any_held = FALSE, any_ringing = FALSE;
  OhSessionState state;

  for (guint i = 0; ids[i]; i++)
    {
      Channel *channel = g_hash_table_lookup (self->channels, ids[i]);

      if (channel == NULL)
        continue;
      any_up |= channel->state == OH_ARI_CHANNEL_STATE_UP;
      any_held |= channel->held;
      any_ringing |= channel->state == OH_ARI_CHANNEL_STATE_RINGING;
    }
  if (any_ringing && facts)
    facts->rang = TRUE;

  if (any_up && oh_session_get_answer_time (session) == 0)
    oh_session_set_answer_time (session, now);

  if (any_up)
    state = any_held ? OH_SESSION_STATE_ON_HOLD : OH_SESSION_STATE_IN_CALL;
  else if (oh_session_get_answer_time (session) != 0)
    state = oh_session_get_state (session);   /* between legs of a transfer */
  else if (any_ringing || (facts && facts->rang))
    state = OH_SESSION_STATE_RINGING;
  else
    state = OH_SESSION_STATE_SETUP;
  oh_session_set_state (session, state);
}

/* --- creating, joining, ending -------------------------------------- */

static void
join (OhSessionTracker *self,
      OhSession        *session,
      Channel          *channel)
{
  g_free (channel->session_id);
  channel->session_id = g_strdup (oh_session_get_id (session));
  oh_session_add_channel (session, channel->id);
  add_user (self, session, channel_user (self, channel));
}

static OhSession *
create_session (OhSessionTracker *self,
                Channel          *first,
                const char       *caller,
                const char       *caller_name,
                const char       *callee,
                const char       *callee_name,
                gint64            start_time)
{
  g_autoptr(OhSession) session = oh_session_new (first->id, start_time);
  OhUser *caller_user = oh_user_list_lookup_extension (self->users, caller);
  OhUser *callee_user = oh_user_list_lookup_extension (self->users, callee);

  if ((caller_name == NULL || *caller_name == '\0') && caller_user)
    caller_name = user_name (caller_user);
  if ((callee_name == NULL || *callee_name == '\0') && callee_user)
    callee_name = user_name (callee_user);
  oh_session_set_caller (session, caller, caller_name);
  oh_session_set_callee (session, callee, callee_name);
  g_hash_table_insert (self->facts, g_strdup (first->id), g_new0 (SessionFacts, 1));

  join (self, session, first);
  add_user (self, session, caller_user);
  add_user (self, session, callee_user);
  oh_session_list_add (self->sessions, session);
  g_debug ("Session %s: %s → %s", first->id, caller, callee);
  return session;
}

/* A channel a phone opened towards the PBX: it starts a call. */
static OhSession *
create_inbound_session (OhSessionTracker *self,
                        Channel          *channel,
                        OhAriChannel     *data,
                        gint64            start_time)
{
  const char *callee = data->exten;

  /* "s" is the start extension of originated and transferred channels,
   * not a number anybody dialled. */
  if (g_str_equal (callee, "s") && *data->connected_number)
    callee = data->connected_number;
  return create_session (self, channel, data->caller_number, data->caller_name, callee, NULL,
                         start_time);
}

/* A channel the PBX opened towards a phone, without a caller channel: an
 * originate (from an ARI application or a call file). */
static OhSession *
create_outbound_session (OhSessionTracker *self,
                         Channel          *channel,
                         OhAriChannel     *data,
                         const char       *dialstring,
                         gint64            start_time)
{
  const char *callee = channel->resource ? channel->resource : dialstring;
  OhUser *user = channel_user (self, channel);

  if (user)
    callee = oh_user_get_extension (user);
  return create_session (self, channel, data->caller_number, data->caller_name, callee,
                         user_name (user), start_time);
}

static OhHistoryDirection
session_direction (OhSessionTracker *self,
                   OhSession        *session)
{
  gboolean from_user = oh_user_list_lookup_extension (self->users, oh_session_get_caller (session)) != NULL;
  gboolean to_user = oh_user_list_lookup_extension (self->users, oh_session_get_callee (session)) != NULL;

  if (from_user && to_user)
    return OH_HISTORY_DIRECTION_INTERNAL;
  if (from_user)
    return OH_HISTORY_DIRECTION_OUTGOING;
  return OH_HISTORY_DIRECTION_INCOMING;
}

static void
complete_session (OhSessionTracker *self,
                  OhSession        *session,
                  gint64            end_time)
{
  g_autoptr(OhSession) keep = g_object_ref (session);
  SessionFacts *facts = g_hash_table_lookup (self->facts, oh_session_get_id (session));
  OhSessionOutcome outcome = { 0 };
  const char *const *users;

  outcome.direction = session_direction (self, session);
  outcome.end_time = end_time;
  if (oh_session_get_answer_time (session) != 0)
    outcome.disposition = OH_HISTORY_DISPOSITION_ANSWERED;
  else if (facts && facts->busy)
    outcome.disposition = OH_HISTORY_DISPOSITION_BUSY;
  else if (facts && facts->rang && !facts->failed)
    outcome.disposition = OH_HISTORY_DISPOSITION_MISSED;
  else
    outcome.disposition = OH_HISTORY_DISPOSITION_FAILED;

  oh_session_set_state (session, OH_SESSION_STATE_COMPLETED);
  g_signal_emit (self, signals[SESSION_COMPLETED], 0, session, &outcome);

  users = oh_session_get_users (session);
  for (guint i = 0; users[i]; i++)
    {
      OhUser *user = oh_user_list_lookup (self->users, users[i]);

      if (user)
        oh_user_remove_session (user, oh_session_get_id (session));
    }
  g_hash_table_remove (self->facts, oh_session_get_id (session));
  oh_session_list_remove (self->sessions, oh_session_get_id (session));
}

static OhSession *
channel_session (OhSessionTracker *self,
                 Channel          *channel)
{
  return channel ? oh_session_list_lookup (self->sessions, channel->session_id) : NULL;
}

/* Moves every channel of @from into @into; @from ends (it was one leg of
 * what is now one call, e.g. an attended transfer). */
static void
merge_sessions (OhSessionTracker *self,
                OhSession        *into,
                OhSession        *from,
                gint64            now)
{
  g_auto(GStrv) ids = g_strdupv ((char **) oh_session_get_channels (from));

  for (guint i = 0; ids[i]; i++)
    {
      Channel *channel = g_hash_table_lookup (self->channels, ids[i]);

      oh_session_remove_channel (from, ids[i]);
      if (channel)
        join (self, into, channel);
    }
  complete_session (self, from, now);
  recompute_state (self, into, now);
}

static void
remove_channel (OhSessionTracker *self,
                const char       *id,
                gint64            now)
{
  Channel *channel = g_hash_table_lookup (self->channels, id);
  OhSession *session = channel_session (self, channel);

  if (channel == NULL)
    return;
  if (channel->bridge_id)
    {
      GPtrArray *members = g_hash_table_lookup (self->bridges, channel->bridge_id);

      if (members)
        g_ptr_array_remove_fast (members, channel->id);
    }
  if (session)
    {
      oh_session_remove_channel (session, id);
      if (oh_session_get_channels (session)[0] == NULL)
        {
          recompute_state (self, session, now);
          g_hash_table_remove (self->channels, id);
          complete_session (self, session, now);
          return;
        }
      recompute_state (self, session, now);
    }
  g_hash_table_remove (self->channels, id);
}

/* --- events ---------------------------------------------------------- */

static Channel *
track (OhSessionTracker *self,
       OhAriChannel     *data)
{
  Channel *channel;

  if (data == NULL || is_internal (data->name))
    return NULL;
  channel = g_hash_table_lookup (self->channels, data->id);
  if (channel == NULL)
    {
      channel = g_new0 (Channel, 1);
      channel->id = g_strdup (data->id);
      if (!oh_pbx_parse_channel_name (data->name, &channel->technology, &channel->resource))
        channel->technology = g_strdup ("");
      g_hash_table_insert (self->channels, channel->id, channel);
    }
  channel->state = data->state;
  return channel;
}

static gboolean
is_inbound_state (OhAriChannelState state)
{
  return state == OH_ARI_CHANNEL_STATE_RING || state == OH_ARI_CHANNEL_STATE_UP ||
         state == OH_ARI_CHANNEL_STATE_OFFHOOK || state == OH_ARI_CHANNEL_STATE_DIALING;
}

static void
note_dialstatus (SessionFacts *facts,
                 const char   *status)
{
  if (facts == NULL || status == NULL)
    return;
  if (g_str_equal (status, "RINGING") || g_str_equal (status, "PROGRESS") ||
      g_str_equal (status, "NOANSWER"))
    facts->rang = TRUE;
  else if (g_str_equal (status, "BUSY"))
    facts->busy = TRUE;
  else if (g_str_equal (status, "CHANUNAVAIL") || g_str_equal (status, "CONGESTION"))
    facts->failed = TRUE;
}

static void
note_cause (SessionFacts *facts,
            gint          cause)
{
  /* Q.850: 17 user busy, 21 call rejected (the callee declined). */
  if (facts && (cause == 17 || cause == 21))
    facts->busy = TRUE;
}

static void
on_bridge_entered (OhSessionTracker *self,
                   OhAriEvent       *event,
                   Channel          *channel)
{
  GPtrArray *members = g_hash_table_lookup (self->bridges, event->bridge->id);
  OhSession *session = channel_session (self, channel);

  if (members == NULL)
    {
      members = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->bridges, g_strdup (event->bridge->id), members);
    }
  g_free (channel->bridge_id);
  channel->bridge_id = g_strdup (event->bridge->id);

  for (guint i = 0; i < members->len; i++)
    {
      Channel *other = g_hash_table_lookup (self->channels, g_ptr_array_index (members, i));
      OhSession *other_session = channel_session (self, other);

      if (other_session == NULL || other_session == session)
        continue;
      if (session == NULL)
        {
          join (self, other_session, channel);
          session = other_session;
        }
      else
        merge_sessions (self, session, other_session, event->timestamp);
    }
  if (!g_ptr_array_find_with_equal_func (members, channel->id, g_str_equal, NULL))
    g_ptr_array_add (members, g_strdup (channel->id));
}

static void
on_bridge_left (OhSessionTracker *self,
                OhAriEvent       *event,
                Channel          *channel)
{
  GPtrArray *members = g_hash_table_lookup (self->bridges, event->bridge->id);
  guint index;

  if (members && g_ptr_array_find_with_equal_func (members, channel->id, g_str_equal, &index))
    g_ptr_array_remove_index_fast (members, index);
  if (g_strcmp0 (channel->bridge_id, event->bridge->id) == 0)
    g_clear_pointer (&channel->bridge_id, g_free);
}

void
oh_session_tracker_handle_event (OhSessionTracker *self,
                                 OhAriEvent       *event)
{
  Channel *channel = NULL;
  OhSession *session;
  SessionFacts *facts;

  g_return_if_fail (OH_IS_SESSION_TRACKER (self));

  switch (event->type)
    {
    case OH_ARI_EVENT_BRIDGE_DESTROYED:
      if (event->bridge)
        g_hash_table_remove (self->bridges, event->bridge->id);
      return;
    case OH_ARI_EVENT_CHANNEL_DESTROYED:
      if (event->channel == NULL)
        return;
      channel = g_hash_table_lookup (self->channels, event->channel->id);
      session = channel_session (self, channel);
      if (session)
        note_cause (g_hash_table_lookup (self->facts, oh_session_get_id (session)),
                    event->cause);
      remove_channel (self, event->channel->id, event->timestamp);
      return;
    case OH_ARI_EVENT_CHANNEL_CREATED:
    case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
    case OH_ARI_EVENT_CHANNEL_HOLD:
    case OH_ARI_EVENT_CHANNEL_UNHOLD:
    case OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST:
    case OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE:
    case OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE:
    case OH_ARI_EVENT_STASIS_START:
    case OH_ARI_EVENT_DIAL:
    case OH_ARI_EVENT_CHANNEL_CALLER_ID:
    case OH_ARI_EVENT_CHANNEL_CONNECTED_LINE:
      channel = track (self, event->channel);
      break;
    default:
      return;
    }
  if (channel == NULL)
    return;

  session = channel_session (self, channel);

  switch (event->type)
    {
    case OH_ARI_EVENT_CHANNEL_CREATED:
    case OH_ARI_EVENT_STASIS_START:
      if (session == NULL && is_inbound_state (event->channel->state))
        session = create_inbound_session (self, channel, event->channel, event->timestamp);
      /* A caller waiting in an ARI application (such as Offhook ringing its
       * user) rings, though no event says so: ARI's ring has none. */
      if (session && event->type == OH_ARI_EVENT_STASIS_START &&
          event->channel->state == OH_ARI_CHANNEL_STATE_RING)
        {
          facts = g_hash_table_lookup (self->facts, oh_session_get_id (session));
          if (facts)
            facts->rang = TRUE;
        }
      break;

    case OH_ARI_EVENT_DIAL:
      {
        Channel *caller = track (self, event->caller);
        OhSession *caller_session = channel_session (self, caller);

        if (session == NULL && caller_session)
          {
            join (self, caller_session, channel);
            session = caller_session;
            if (*oh_session_get_callee_name (session) == '\0')
              {
                OhUser *user = channel_user (self, channel);

                oh_session_set_callee (session, NULL,
                                       user ? oh_user_get_full_name (user) : event->channel->caller_name);
              }
          }
        else if (session == NULL && caller == NULL)
          session = create_outbound_session (self, channel, event->channel, event->dialstring,
                                             event->timestamp);
        note_dialstatus (g_hash_table_lookup (self->facts,
                                              session ? oh_session_get_id (session) : ""),
                         event->dialstatus);
      }
      break;

    case OH_ARI_EVENT_CHANNEL_STATE_CHANGE:
      if (session == NULL && !is_inbound_state (event->channel->state) &&
          event->channel->state != OH_ARI_CHANNEL_STATE_RINGING)
        break;
      if (session == NULL)
        session = create_outbound_session (self, channel, event->channel, NULL, event->timestamp);
      break;

    case OH_ARI_EVENT_CHANNEL_HOLD:
    case OH_ARI_EVENT_CHANNEL_UNHOLD:
      channel->held = event->type == OH_ARI_EVENT_CHANNEL_HOLD;
      break;

    case OH_ARI_EVENT_CHANNEL_HANGUP_REQUEST:
      if (session)
        note_cause (g_hash_table_lookup (self->facts, oh_session_get_id (session)), event->cause);
      break;

    case OH_ARI_EVENT_CHANNEL_ENTERED_BRIDGE:
      if (event->bridge)
        on_bridge_entered (self, event, channel);
      session = channel_session (self, channel);
      break;

    case OH_ARI_EVENT_CHANNEL_LEFT_BRIDGE:
      if (event->bridge)
        on_bridge_left (self, event, channel);
      break;

    default:
      break;
    }

  if (session)
    {
      facts = g_hash_table_lookup (self->facts, oh_session_get_id (session));
      if (facts && event->channel->state == OH_ARI_CHANNEL_STATE_RINGING)
        facts->rang = TRUE;
      recompute_state (self, session, event->timestamp);
    }
}

void
oh_session_tracker_set_held (OhSessionTracker *self,
                             const char       *channel_id,
                             gboolean          held)
{
  Channel *channel = g_hash_table_lookup (self->channels, channel_id);
  OhSession *session = channel_session (self, channel);

  if (channel == NULL || channel->held == held)
    return;
  channel->held = held;
  if (session)
    recompute_state (self, session, g_get_real_time ());
}

const char *
oh_session_tracker_lookup_channel (OhSessionTracker *self,
                                   const char       *channel_id)
{
  Channel *channel = g_hash_table_lookup (self->channels, channel_id);

  return channel ? channel->session_id : NULL;
}

/* --- resync ---------------------------------------------------------- */

static gint
compare_creation (gconstpointer a,
                  gconstpointer b)
{
  const OhAriChannel *ca = *(OhAriChannel **) a;
  const OhAriChannel *cb = *(OhAriChannel **) b;

  return (ca->creation_time > cb->creation_time) - (ca->creation_time < cb->creation_time);
}

void
oh_session_tracker_resync (OhSessionTracker *self,
                           GPtrArray        *channels,
                           GPtrArray        *bridges,
                           gint64            now)
{
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sessions = NULL;
  GHashTableIter iter;
  Channel *channel;

  g_return_if_fail (OH_IS_SESSION_TRACKER (self));

  for (guint i = 0; i < channels->len; i++)
    {
      OhAriChannel *data = g_ptr_array_index (channels, i);

      if (is_internal (data->name))
        continue;
      g_hash_table_add (present, data->id);
      g_ptr_array_add (sorted, data);
    }

  /* Channels that ended while we were away end their sessions. */
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
    if (!g_hash_table_contains (present, channel->id))
      g_ptr_array_add (gone, g_strdup (channel->id));
  for (guint i = 0; i < gone->len; i++)
    remove_channel (self, g_ptr_array_index (gone, i), now);

  /* Bridges are rebuilt from scratch. */
  g_hash_table_remove_all (self->bridges);
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &channel))
    g_clear_pointer (&channel->bridge_id, g_free);

  /* Oldest first, so that a call's first leg names the session. */
  g_ptr_array_sort (sorted, compare_creation);
  for (guint i = 0; i < sorted->len; i++)
    track (self, g_ptr_array_index (sorted, i));

  /* A bridge is one call: its channels join the session one of them is
   * already in, or a new one named after the oldest of them. Done before
   * lone channels get sessions of their own, so that no session is made
   * only to be merged away (and recorded) a moment later. */
  for (guint i = 0; i < bridges->len; i++)
    {
      OhAriBridge *bridge = g_ptr_array_index (bridges, i);
      g_autoptr(OhAriEvent) event = g_new0 (OhAriEvent, 1);
      OhAriChannel *oldest = NULL;

      event->ref_count = 1;
      event->bridge = oh_ari_bridge_ref (bridge);
      event->timestamp = now;
      for (guint j = 0; j < sorted->len && bridge->channels; j++)
        {
          OhAriChannel *data = g_ptr_array_index (sorted, j);

          if (g_strv_contains ((const char *const *) bridge->channels, data->id))
            {
              oldest = data;
              break;
            }
        }
      for (guint j = 0; bridge->channels && bridge->channels[j]; j++)
        {
          Channel *member = g_hash_table_lookup (self->channels, bridge->channels[j]);

          if (member)
            on_bridge_entered (self, event, member);
        }
      /* The members without a session join the one a member has, or one
       * the oldest leg starts. */
      {
        OhSession *session = NULL;

        for (guint j = 0; bridge->channels && bridge->channels[j] && session == NULL; j++)
          session = channel_session (self, g_hash_table_lookup (self->channels,
                                                                bridge->channels[j]));
        channel = oldest ? g_hash_table_lookup (self->channels, oldest->id) : NULL;
        if (session == NULL && channel)
          {
            if (is_inbound_state (oldest->state) && !g_str_equal (oldest->exten, "s"))
              session = create_inbound_session (self, channel, oldest, oldest->creation_time);
            else
              session = create_outbound_session (self, channel, oldest, NULL,
                                                 oldest->creation_time);
          }
        for (guint j = 0; session && bridge->channels[j]; j++)
          {
            Channel *member = g_hash_table_lookup (self->channels, bridge->channels[j]);

            if (member && channel_session (self, member) == NULL)
              join (self, session, member);
          }
      }
    }

  /* Whatever is still alone is a call of its own. */
  for (guint i = 0; i < sorted->len; i++)
    {
      OhAriChannel *data = g_ptr_array_index (sorted, i);

      channel = g_hash_table_lookup (self->channels, data->id);
      if (channel && channel_session (self, channel) == NULL)
        {
          if (is_inbound_state (data->state) && !g_str_equal (data->exten, "s"))
            create_inbound_session (self, channel, data, data->creation_time);
          else
            create_outbound_session (self, channel, data, NULL, data->creation_time);
        }
    }

  sessions = oh_session_list_dup_all (self->sessions);
  for (guint i = 0; i < sessions->len; i++)
    recompute_state (self, g_ptr_array_index (sessions, i), now);
}

void
oh_session_tracker_clear (OhSessionTracker *self)
{
  g_autoptr(GPtrArray) sessions = oh_session_list_dup_all (self->sessions);

  /* Nothing ended: these calls are just no longer watched, so they get no
   * history entry (a reconnect finds those still running). */
  for (guint i = 0; i < sessions->len; i++)
    {
      OhSession *session = g_ptr_array_index (sessions, i);
      const char *const *users = oh_session_get_users (session);

      for (guint j = 0; users[j]; j++)
        {
          OhUser *user = oh_user_list_lookup (self->users, users[j]);

          if (user)
            oh_user_remove_session (user, oh_session_get_id (session));
        }
      g_hash_table_remove (self->facts, oh_session_get_id (session));
      oh_session_list_remove (self->sessions, oh_session_get_id (session));
    }
  g_hash_table_remove_all (self->channels);
  g_hash_table_remove_all (self->bridges);
}

/* --- object ---------------------------------------------------------- */

static void
oh_session_tracker_finalize (GObject *object)
{
  OhSessionTracker *self = OH_SESSION_TRACKER (object);

  g_hash_table_unref (self->channels);
  g_hash_table_unref (self->bridges);
  g_hash_table_unref (self->facts);
  g_clear_object (&self->users);
  g_clear_object (&self->sessions);

  G_OBJECT_CLASS (oh_session_tracker_parent_class)->finalize (object);
}

static void
oh_session_tracker_class_init (OhSessionTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oh_session_tracker_finalize;

  signals[SESSION_COMPLETED] =
    g_signal_new ("session-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, OH_TYPE_SESSION, G_TYPE_POINTER);
}

static void
oh_session_tracker_init (OhSessionTracker *self)
{
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) channel_free);
  self->bridges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->facts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

OhSessionTracker *
oh_session_tracker_new (OhUserList    *users,
                        OhSessionList *sessions)
{
  OhSessionTracker *self = g_object_new (OH_TYPE_SESSION_TRACKER, NULL);

  self->users = g_object_ref (users);
  self->sessions = g_object_ref (sessions);
  return self;
}

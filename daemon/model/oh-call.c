/* oh-call.c: one of the user's own calls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-call.h"
#include "oh-util.h"

struct _OhCall
{
  GObject parent_instance;

  char            *id;
  OhCallState      state;
  OhCallEndReason  end_reason;
  gboolean         incoming;
  char            *remote_number;
  char            *remote_name;
  char            *remote_user;
  char            *session;
  gint64           start_time;
  gint64           answer_time;
  gint64           end_time;
  gboolean         muted;
  OhAudioState     audio_state;
};

G_DEFINE_FINAL_TYPE (OhCall, oh_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_END_REASON,
  PROP_DIRECTION,
  PROP_REMOTE_NUMBER,
  PROP_REMOTE_NAME,
  PROP_REMOTE_USER,
  PROP_SESSION,
  PROP_START_TIME,
  PROP_ANSWER_TIME,
  PROP_END_TIME,
  PROP_MUTED,
  PROP_AUDIO_STATE,
  N_PROPS
};

enum {
  SIGNAL_DTMF_RECEIVED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

const char *
oh_call_state_to_string (OhCallState state)
{
  static const char *const names[] = {
    "dialing", "ringing-out", "ringing-in", "active", "held", "ended",
  };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), "ended");
  return names[state];
}

const char *
oh_call_end_reason_to_string (OhCallEndReason reason)
{
  static const char *const names[] = {
    "", "local-hangup", "remote-hangup", "rejected", "busy", "no-answer", "transferred",
    "failed",
  };

  g_return_val_if_fail (reason < G_N_ELEMENTS (names), "failed");
  return names[reason];
}

const char *
oh_audio_state_to_string (OhAudioState state)
{
  static const char *const names[] = { "none", "connecting", "flowing", "stalled", "failed" };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), "none");
  return names[state];
}

static void
oh_call_finalize (GObject *object)
{
  OhCall *self = OH_CALL (object);

  g_free (self->id);
  g_free (self->remote_number);
  g_free (self->remote_name);
  g_free (self->remote_user);
  g_free (self->session);

  G_OBJECT_CLASS (oh_call_parent_class)->finalize (object);
}

static void
oh_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OhCall *self = OH_CALL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, oh_call_state_to_string (self->state));
      break;
    case PROP_END_REASON:
      g_value_set_string (value, oh_call_end_reason_to_string (self->end_reason));
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, self->incoming ? "incoming" : "outgoing");
      break;
    case PROP_REMOTE_NUMBER:
      g_value_set_string (value, oh_call_get_remote_number (self));
      break;
    case PROP_REMOTE_NAME:
      g_value_set_string (value, oh_call_get_remote_name (self));
      break;
    case PROP_REMOTE_USER:
      g_value_set_string (value, oh_call_get_remote_user (self));
      break;
    case PROP_SESSION:
      g_value_set_string (value, oh_call_get_session (self));
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_ANSWER_TIME:
      g_value_set_int64 (value, self->answer_time);
      break;
    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_AUDIO_STATE:
      g_value_set_string (value, oh_audio_state_to_string (self->audio_state));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_call_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  OhCall *self = OH_CALL (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      oh_call_set_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_call_class_init (OhCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = oh_call_finalize;
  object_class->get_property = oh_call_get_property;
  object_class->set_property = oh_call_set_property;

  props[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, "dialing", flags);
  props[PROP_END_REASON] = g_param_spec_string ("end-reason", NULL, NULL, "", flags);
  props[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, "outgoing", flags);
  props[PROP_REMOTE_NUMBER] = g_param_spec_string ("remote-number", NULL, NULL, "", flags);
  props[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, "", flags);
  /* User and session ids; the bus layer turns them into object paths. */
  props[PROP_REMOTE_USER] = g_param_spec_string ("remote-user", NULL, NULL, "", flags);
  props[PROP_SESSION] = g_param_spec_string ("session", NULL, NULL, "", flags);
  props[PROP_START_TIME] = g_param_spec_int64 ("start-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_ANSWER_TIME] = g_param_spec_int64 ("answer-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_END_TIME] = g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                            G_PARAM_STATIC_STRINGS);
  props[PROP_AUDIO_STATE] = g_param_spec_string ("audio-state", NULL, NULL, "none", flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * OhCall::dtmf-received:
   * @digit: the digit the other party pressed
   */
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
oh_call_init (OhCall *self)
{
}

/**
 * oh_call_new:
 * @number: the call's number; never reused while the daemon runs
 */
OhCall *
oh_call_new (guint    number,
             gboolean incoming,
             gint64   start_time)
{
  OhCall *self = g_object_new (OH_TYPE_CALL, NULL);

  self->id = g_strdup_printf ("%u", number);
  self->incoming = incoming;
  self->state = incoming ? OH_CALL_STATE_RINGING_IN : OH_CALL_STATE_DIALING;
  self->start_time = start_time;
  return self;
}

const char *
oh_call_get_id (OhCall *self)
{
  return self->id;
}

OhCallState
oh_call_get_state (OhCall *self)
{
  return self->state;
}

OhCallEndReason
oh_call_get_end_reason (OhCall *self)
{
  return self->end_reason;
}

gboolean
oh_call_is_incoming (OhCall *self)
{
  return self->incoming;
}

const char *
oh_call_get_remote_number (OhCall *self)
{
  return self->remote_number ? self->remote_number : "";
}

const char *
oh_call_get_remote_name (OhCall *self)
{
  return self->remote_name ? self->remote_name : "";
}

const char *
oh_call_get_remote_user (OhCall *self)
{
  return self->remote_user ? self->remote_user : "";
}

const char *
oh_call_get_session (OhCall *self)
{
  return self->session ? self->session : "";
}

gint64
oh_call_get_start_time (OhCall *self)
{
  return self->start_time;
}

gint64
oh_call_get_answer_time (OhCall *self)
{
  return self->answer_time;
}

gint64
oh_call_get_end_time (OhCall *self)
{
  return self->end_time;
}

gboolean
oh_call_get_muted (OhCall *self)
{
  return self->muted;
}

OhAudioState
oh_call_get_audio_state (OhCall *self)
{
  return self->audio_state;
}

void
oh_call_set_state (OhCall     *self,
                   OhCallState state)
{
  g_return_if_fail (OH_IS_CALL (self));
  /* An ended call stays ended. */
  if (self->state == state || self->state == OH_CALL_STATE_ENDED)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

void
oh_call_end (OhCall         *self,
             OhCallEndReason reason,
             gint64          end_time)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (self->state == OH_CALL_STATE_ENDED)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->end_reason = reason;
  self->end_time = end_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_TIME]);
  oh_call_set_state (self, OH_CALL_STATE_ENDED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
oh_call_set_remote (OhCall     *self,
                    const char *number,
                    const char *name,
                    const char *user_id)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (number && oh_set_str (&self->remote_number, number))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_NUMBER]);
  if (name && oh_set_str (&self->remote_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_NAME]);
  if (user_id && oh_set_str (&self->remote_user, user_id))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_USER]);
}

void
oh_call_set_session (OhCall     *self,
                     const char *session_id)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (oh_set_str (&self->session, session_id))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION]);
}

void
oh_call_set_answer_time (OhCall *self,
                         gint64  answer_time)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (self->answer_time == answer_time)
    return;
  self->answer_time = answer_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_TIME]);
}

void
oh_call_set_muted (OhCall  *self,
                   gboolean muted)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (self->muted == !!muted)
    return;
  self->muted = !!muted;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
}

void
oh_call_set_audio_state (OhCall      *self,
                         OhAudioState state)
{
  g_return_if_fail (OH_IS_CALL (self));
  if (self->audio_state == state)
    return;
  self->audio_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_AUDIO_STATE]);
}

void
oh_call_emit_dtmf (OhCall     *self,
                   const char *digit)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

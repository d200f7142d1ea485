/* oh-session.c: one call anywhere on the PBX (the operator's view)
 *
 * A plain record with change notification; how a session is assembled
 * from channels and bridges is the tracker's business (ari/).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-session.h"
#include "oh-util.h"

struct _OhSession
{
  GObject parent_instance;

  char           *id;
  OhSessionState  state;
  char           *caller;
  char           *caller_name;
  char           *callee;
  char           *callee_name;
  gint64          start_time;
  gint64          answer_time;
  GPtrArray      *users;     /* char*, NULL-terminated */
  GPtrArray      *channels;  /* char*, NULL-terminated */

  OhModelObserver observer;
  gpointer        observer_data;
};

G_DEFINE_FINAL_TYPE (OhSession, oh_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION_ID,
  PROP_STATE,
  PROP_CALLER,
  PROP_CALLER_NAME,
  PROP_CALLEE,
  PROP_CALLEE_NAME,
  PROP_USERS,
  PROP_START_TIME,
  PROP_ANSWER_TIME,
  PROP_CHANNELS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const state_names[] = {
  [OH_SESSION_STATE_SETUP] = "setup",
  [OH_SESSION_STATE_RINGING] = "ringing",
  [OH_SESSION_STATE_IN_CALL] = "in-call",
  [OH_SESSION_STATE_ON_HOLD] = "on-hold",
  [OH_SESSION_STATE_COMPLETED] = "completed",
};

const char *
oh_session_state_to_string (OhSessionState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "setup");
  return state_names[state];
}

static void
oh_session_finalize (GObject *object)
{
  OhSession *self = OH_SESSION (object);

  g_free (self->id);
  g_free (self->caller);
  g_free (self->caller_name);
  g_free (self->callee);
  g_free (self->callee_name);
  g_ptr_array_unref (self->users);
  g_ptr_array_unref (self->channels);

  G_OBJECT_CLASS (oh_session_parent_class)->finalize (object);
}

static void
oh_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OhSession *self = OH_SESSION (object);

  switch (prop_id)
    {
    case PROP_SESSION_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_string (value, oh_session_state_to_string (self->state));
      break;
    case PROP_CALLER:
      g_value_set_string (value, oh_session_get_caller (self));
      break;
    case PROP_CALLER_NAME:
      g_value_set_string (value, oh_session_get_caller_name (self));
      break;
    case PROP_CALLEE:
      g_value_set_string (value, oh_session_get_callee (self));
      break;
    case PROP_CALLEE_NAME:
      g_value_set_string (value, oh_session_get_callee_name (self));
      break;
    case PROP_USERS:
      g_value_set_boxed (value, self->users->pdata);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_ANSWER_TIME:
      g_value_set_int64 (value, self->answer_time);
      break;
    case PROP_CHANNELS:
      g_value_set_boxed (value, self->channels->pdata);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_session_dispatch_properties_changed (GObject     *object,
                                   guint        n_pspecs,
                                   GParamSpec **pspecs)
{
  OhSession *self = (OhSession *) object;

  if (self->observer)
    for (guint i = 0; i < n_pspecs; i++)
      self->observer (object, pspecs[i], self->observer_data);
  G_OBJECT_CLASS (oh_session_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);
}

static void
oh_session_class_init (OhSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = oh_session_finalize;
  object_class->dispatch_properties_changed = oh_session_dispatch_properties_changed;
  object_class->get_property = oh_session_get_property;

  props[PROP_SESSION_ID] = g_param_spec_string ("session-id", NULL, NULL, "", flags);
  props[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, "setup", flags);
  props[PROP_CALLER] = g_param_spec_string ("caller", NULL, NULL, "", flags);
  props[PROP_CALLER_NAME] = g_param_spec_string ("caller-name", NULL, NULL, "", flags);
  props[PROP_CALLEE] = g_param_spec_string ("callee", NULL, NULL, "", flags);
  props[PROP_CALLEE_NAME] = g_param_spec_string ("callee-name", NULL, NULL, "", flags);
  props[PROP_USERS] = g_param_spec_boxed ("users", NULL, NULL, G_TYPE_STRV, flags);
  props[PROP_START_TIME] = g_param_spec_int64 ("start-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_ANSWER_TIME] = g_param_spec_int64 ("answer-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_CHANNELS] = g_param_spec_boxed ("channels", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
oh_session_init (OhSession *self)
{
  self->users = oh_strv_array_new ();
  self->channels = oh_strv_array_new ();
}

OhSession *
oh_session_new (const char *id,
                gint64      start_time)
{
  OhSession *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (OH_TYPE_SESSION, NULL);
  self->id = g_strdup (id);
  self->start_time = start_time;
  return self;
}

const char *
oh_session_get_id (OhSession *self)
{
  g_return_val_if_fail (OH_IS_SESSION (self), NULL);
  return self->id;
}

OhSessionState
oh_session_get_state (OhSession *self)
{
  g_return_val_if_fail (OH_IS_SESSION (self), OH_SESSION_STATE_SETUP);
  return self->state;
}

const char *
oh_session_get_caller (OhSession *self)
{
  return self->caller ? self->caller : "";
}

const char *
oh_session_get_caller_name (OhSession *self)
{
  return self->caller_name ? self->caller_name : "";
}

const char *
oh_session_get_callee (OhSession *self)
{
  return self->callee ? self->callee : "";
}

const char *
oh_session_get_callee_name (OhSession *self)
{
  return self->callee_name ? self->callee_name : "";
}

gint64
oh_session_get_start_time (OhSession *self)
{
  return self->start_time;
}

gint64
oh_session_get_answer_time (OhSession *self)
{
  return self->answer_time;
}

const char *const *
oh_session_get_users (OhSession *self)
{
  return (const char *const *) self->users->pdata;
}

const char *const *
oh_session_get_channels (OhSession *self)
{
  return (const char *const *) self->channels->pdata;
}

void
oh_session_set_state (OhSession     *self,
                      OhSessionState state)
{
  g_return_if_fail (OH_IS_SESSION (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

void
oh_session_set_caller (OhSession  *self,
                       const char *number,
                       const char *name)
{
  g_return_if_fail (OH_IS_SESSION (self));
  if (number && oh_set_str (&self->caller, number))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALLER]);
  if (name && oh_set_str (&self->caller_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALLER_NAME]);
}

void
oh_session_set_callee (OhSession  *self,
                       const char *number,
                       const char *name)
{
  g_return_if_fail (OH_IS_SESSION (self));
  if (number && oh_set_str (&self->callee, number))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALLEE]);
  if (name && oh_set_str (&self->callee_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALLEE_NAME]);
}

void
oh_session_set_answer_time (OhSession *self,
                            gint64     answer_time)
{
  g_return_if_fail (OH_IS_SESSION (self));
  if (self->answer_time == answer_time)
    return;
  self->answer_time = answer_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_TIME]);
}

gboolean
oh_session_add_user (OhSession  *self,
                     const char *user_id)
{
  g_return_val_if_fail (OH_IS_SESSION (self), FALSE);
  if (!oh_strv_array_add (self->users, user_id))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USERS]);
  return TRUE;
}

gboolean
oh_session_remove_user (OhSession  *self,
                        const char *user_id)
{
  g_return_val_if_fail (OH_IS_SESSION (self), FALSE);
  if (!oh_strv_array_remove (self->users, user_id))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USERS]);
  return TRUE;
}

gboolean
oh_session_add_channel (OhSession  *self,
                        const char *channel_id)
{
  g_return_val_if_fail (OH_IS_SESSION (self), FALSE);
  if (!oh_strv_array_add (self->channels, channel_id))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHANNELS]);
  return TRUE;
}

gboolean
oh_session_remove_channel (OhSession  *self,
                           const char *channel_id)
{
  g_return_val_if_fail (OH_IS_SESSION (self), FALSE);
  if (!oh_strv_array_remove (self->channels, channel_id))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHANNELS]);
  return TRUE;
}

/**
 * oh_session_set_observer:
 * @observer: (nullable): told of every property change from now on
 *
 * There is one observer at a time: the bus exporter.
 */
void
oh_session_set_observer (OhSession      *self,
                         OhModelObserver observer,
                         gpointer        data)
{
  g_return_if_fail (OH_IS_SESSION (self));
  self->observer = observer;
  self->observer_data = data;
}

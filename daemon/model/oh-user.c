/* oh-user.c: one user of the PBX (an Asterisk endpoint) and their presence
 *
 * Presence is derived, never set: from the endpoint's state, the device
 * state Asterisk reports for it, and the user's channels. Channels are the
 * most precise source (they say who rings and who talks); the device state
 * adds what channels cannot show, such as a hold started through ARI, which
 * produces no ChannelHold event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-user.h"
#include "oh-util.h"

typedef struct {
  OhUserChannelState state;
  gboolean           held;
} ChannelInfo;

struct _OhUser
{
  GObject parent_instance;

  char       *id;
  char       *technology;
  char       *resource;
  char       *full_name;
  char       *extension;
  char       *mobile;
  char       *email;
  GPtrArray  *devices;     /* char*, NULL-terminated */
  GPtrArray  *sessions;    /* char*, NULL-terminated */
  char       *endpoint_state;
  char       *device_state;
  GHashTable *channels;    /* id → ChannelInfo; NULL until the first (most
                            * users of a big PBX are idle) */
  OhPresence  presence;

  OhModelObserver observer;
  gpointer        observer_data;
};

G_DEFINE_FINAL_TYPE (OhUser, oh_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_FULL_NAME,
  PROP_EXTENSION,
  PROP_MOBILE,
  PROP_EMAIL,
  PROP_DEVICES,
  PROP_PRESENCE,
  PROP_SESSIONS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const presence_names[] = {
  [OH_PRESENCE_UNKNOWN] = "unknown",
  [OH_PRESENCE_OFFLINE] = "offline",
  [OH_PRESENCE_AVAILABLE] = "available",
  [OH_PRESENCE_RINGING] = "ringing",
  [OH_PRESENCE_BUSY] = "busy",
  [OH_PRESENCE_ON_HOLD] = "on-hold",
};

const char *
oh_presence_to_string (OhPresence presence)
{
  g_return_val_if_fail (presence < G_N_ELEMENTS (presence_names), "unknown");
  return presence_names[presence];
}

static OhPresence
derive_presence (OhUser *self)
{
  GHashTableIter iter;
  ChannelInfo *info;
  gboolean any_up = FALSE, any_held = FALSE, any_ringing = FALSE, any_setup = FALSE;

  if (self->channels != NULL && g_hash_table_size (self->channels) > 0)
    {
      g_hash_table_iter_init (&iter, self->channels);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
        {
          any_held |= info->held;
          any_up |= info->state == OH_USER_CHANNEL_UP;
          any_ringing |= info->state == OH_USER_CHANNEL_RINGING;
          any_setup |= info->state == OH_USER_CHANNEL_SETUP;
        }
      if (any_held || g_strcmp0 (self->device_state, "ONHOLD") == 0)
        return OH_PRESENCE_ON_HOLD;
      if (any_up || any_setup)
        return OH_PRESENCE_BUSY;
      if (any_ringing)
        return OH_PRESENCE_RINGING;
    }

  if (self->device_state)
    {
      if (g_str_equal (self->device_state, "ONHOLD"))
        return OH_PRESENCE_ON_HOLD;
      if (g_str_equal (self->device_state, "INUSE") || g_str_equal (self->device_state, "BUSY") ||
          g_str_equal (self->device_state, "RINGINUSE"))
        return OH_PRESENCE_BUSY;
      if (g_str_equal (self->device_state, "RINGING"))
        return OH_PRESENCE_RINGING;
      if (g_str_equal (self->device_state, "UNAVAILABLE") ||
          g_str_equal (self->device_state, "INVALID"))
        return OH_PRESENCE_OFFLINE;
      if (g_str_equal (self->device_state, "NOT_INUSE"))
        return OH_PRESENCE_AVAILABLE;
    }

  if (g_strcmp0 (self->endpoint_state, "online") == 0)
    return OH_PRESENCE_AVAILABLE;
  if (g_strcmp0 (self->endpoint_state, "offline") == 0)
    return OH_PRESENCE_OFFLINE;
  return OH_PRESENCE_UNKNOWN;
}

static void
update_presence (OhUser *self)
{
  OhPresence presence = derive_presence (self);

  if (presence == self->presence)
    return;
  self->presence = presence;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PRESENCE]);
}

static void
oh_user_finalize (GObject *object)
{
  OhUser *self = OH_USER (object);

  g_free (self->id);
  g_free (self->technology);
  g_free (self->resource);
  g_free (self->full_name);
  g_free (self->extension);
  g_free (self->mobile);
  g_free (self->email);
  g_free (self->endpoint_state);
  g_free (self->device_state);
  g_ptr_array_unref (self->devices);
  g_ptr_array_unref (self->sessions);
  g_clear_pointer (&self->channels, g_hash_table_unref);

  G_OBJECT_CLASS (oh_user_parent_class)->finalize (object);
}

static void
oh_user_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OhUser *self = OH_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->resource);
      break;
    case PROP_FULL_NAME:
      g_value_set_string (value, oh_user_get_full_name (self));
      break;
    case PROP_EXTENSION:
      g_value_set_string (value, oh_user_get_extension (self));
      break;
    case PROP_MOBILE:
      g_value_set_string (value, oh_user_get_mobile (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, oh_user_get_email (self));
      break;
    case PROP_DEVICES:
      g_value_set_boxed (value, self->devices->pdata);
      break;
    case PROP_PRESENCE:
      g_value_set_string (value, oh_presence_to_string (self->presence));
      break;
    case PROP_SESSIONS:
      g_value_set_boxed (value, self->sessions->pdata);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_user_dispatch_properties_changed (GObject     *object,
                                   guint        n_pspecs,
                                   GParamSpec **pspecs)
{
  OhUser *self = (OhUser *) object;

  if (self->observer)
    for (guint i = 0; i < n_pspecs; i++)
      self->observer (object, pspecs[i], self->observer_data);
  G_OBJECT_CLASS (oh_user_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);
}

static void
oh_user_class_init (OhUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = oh_user_finalize;
  object_class->dispatch_properties_changed = oh_user_dispatch_properties_changed;
  object_class->get_property = oh_user_get_property;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, "", flags);
  props[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, "", flags);
  props[PROP_FULL_NAME] = g_param_spec_string ("full-name", NULL, NULL, "", flags);
  props[PROP_EXTENSION] = g_param_spec_string ("extension", NULL, NULL, "", flags);
  props[PROP_MOBILE] = g_param_spec_string ("mobile", NULL, NULL, "", flags);
  props[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, "", flags);
  props[PROP_DEVICES] = g_param_spec_boxed ("devices", NULL, NULL, G_TYPE_STRV, flags);
  props[PROP_PRESENCE] = g_param_spec_string ("presence", NULL, NULL, "unknown", flags);
  props[PROP_SESSIONS] = g_param_spec_boxed ("sessions", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
oh_user_init (OhUser *self)
{
  self->devices = oh_strv_array_new ();
  self->sessions = oh_strv_array_new ();
  self->presence = OH_PRESENCE_UNKNOWN;
}

/**
 * oh_user_new:
 * @technology: the endpoint's technology, e.g. "PJSIP"
 * @resource: the endpoint's resource, e.g. "101"
 *
 * Returns: (transfer full): a user whose extension is the resource until
 * the PBX says otherwise.
 */
OhUser *
oh_user_new (const char *technology,
             const char *resource)
{
  OhUser *self;

  g_return_val_if_fail (technology != NULL && resource != NULL, NULL);

  self = g_object_new (OH_TYPE_USER, NULL);
  self->technology = g_strdup (technology);
  self->resource = g_strdup (resource);
  self->id = g_strdup (resource);
  return self;
}

const char *
oh_user_get_id (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), NULL);
  return self->id;
}

const char *
oh_user_get_technology (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), NULL);
  return self->technology;
}

const char *
oh_user_get_resource (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), NULL);
  return self->resource;
}

const char *
oh_user_get_full_name (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), "");
  return self->full_name ? self->full_name : "";
}

const char *
oh_user_get_extension (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), "");
  return self->extension ? self->extension : self->resource;
}

const char *
oh_user_get_mobile (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), "");
  return self->mobile ? self->mobile : "";
}

const char *
oh_user_get_email (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), "");
  return self->email ? self->email : "";
}

const char *const *
oh_user_get_devices (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), NULL);
  return (const char *const *) self->devices->pdata;
}

const char *const *
oh_user_get_sessions (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), NULL);
  return (const char *const *) self->sessions->pdata;
}

OhPresence
oh_user_get_presence (OhUser *self)
{
  g_return_val_if_fail (OH_IS_USER (self), OH_PRESENCE_UNKNOWN);
  return self->presence;
}

void
oh_user_set_full_name (OhUser     *self,
                       const char *full_name)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_set_str (&self->full_name, full_name))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FULL_NAME]);
}

void
oh_user_set_extension (OhUser     *self,
                       const char *extension)
{
  g_autofree char *before = NULL;

  g_return_if_fail (OH_IS_USER (self));

  before = g_strdup (oh_user_get_extension (self));
  oh_set_str (&self->extension, extension && *extension ? extension : NULL);
  if (!g_str_equal (before, oh_user_get_extension (self)))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXTENSION]);
}

void
oh_user_set_mobile (OhUser     *self,
                    const char *mobile)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_set_str (&self->mobile, mobile))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MOBILE]);
}

void
oh_user_set_email (OhUser     *self,
                   const char *email)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_set_str (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EMAIL]);
}

/**
 * oh_user_set_endpoint_state:
 * @state: ARI's endpoint state ("online", "offline", "unknown")
 */
void
oh_user_set_endpoint_state (OhUser     *self,
                            const char *state)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_set_str (&self->endpoint_state, state))
    update_presence (self);
}

/**
 * oh_user_set_device_state:
 * @state: Asterisk's device state ("NOT_INUSE", "INUSE", "RINGING",
 *   "ONHOLD", "UNAVAILABLE", ...), or %NULL when unknown
 */
void
oh_user_set_device_state (OhUser     *self,
                          const char *state)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_set_str (&self->device_state, state))
    update_presence (self);
}

void
oh_user_set_devices (OhUser            *self,
                     const char *const *devices)
{
  gboolean same = TRUE;
  guint n = devices ? g_strv_length ((char **) devices) : 0;

  g_return_if_fail (OH_IS_USER (self));

  if (n != self->devices->len - 1)
    same = FALSE;
  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (devices[i], g_ptr_array_index (self->devices, i));
  if (same)
    return;

  g_ptr_array_set_size (self->devices, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->devices, g_strdup (devices[i]));
  g_ptr_array_add (self->devices, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEVICES]);
}

void
oh_user_add_device (OhUser     *self,
                    const char *uri)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_strv_array_add (self->devices, uri))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEVICES]);
}

void
oh_user_remove_device (OhUser     *self,
                       const char *uri)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_strv_array_remove (self->devices, uri))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEVICES]);
}

void
oh_user_update_channel (OhUser            *self,
                        const char        *channel_id,
                        OhUserChannelState state)
{
  ChannelInfo *info;

  g_return_if_fail (OH_IS_USER (self));

  if (self->channels == NULL)
    self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info = g_hash_table_lookup (self->channels, channel_id);
  if (info == NULL)
    {
      info = g_new0 (ChannelInfo, 1);
      g_hash_table_insert (self->channels, g_strdup (channel_id), info);
    }
  info->state = state;
  update_presence (self);
}

void
oh_user_set_channel_held (OhUser     *self,
                          const char *channel_id,
                          gboolean    held)
{
  ChannelInfo *info;

  g_return_if_fail (OH_IS_USER (self));

  info = self->channels ? g_hash_table_lookup (self->channels, channel_id) : NULL;
  if (info == NULL || info->held == held)
    return;
  info->held = held;
  update_presence (self);
}

void
oh_user_remove_channel (OhUser     *self,
                        const char *channel_id)
{
  g_return_if_fail (OH_IS_USER (self));
  if (self->channels && g_hash_table_remove (self->channels, channel_id))
    update_presence (self);
}

void
oh_user_clear_channels (OhUser *self)
{
  g_return_if_fail (OH_IS_USER (self));
  if (self->channels == NULL || g_hash_table_size (self->channels) == 0)
    return;
  g_hash_table_remove_all (self->channels);
  update_presence (self);
}

gboolean
oh_user_has_channel (OhUser     *self,
                     const char *channel_id)
{
  g_return_val_if_fail (OH_IS_USER (self), FALSE);
  return self->channels && g_hash_table_contains (self->channels, channel_id);
}

/**
 * oh_user_dup_channel_ids:
 *
 * Returns: (transfer full): the ids of the user's channels.
 */
GPtrArray *
oh_user_dup_channel_ids (OhUser *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const char *id;

  if (self->channels == NULL)
    return ids;
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_ptr_array_add (ids, g_strdup (id));
  return ids;
}

void
oh_user_add_session (OhUser     *self,
                     const char *session_id)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_strv_array_add (self->sessions, session_id))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSIONS]);
}

void
oh_user_remove_session (OhUser     *self,
                        const char *session_id)
{
  g_return_if_fail (OH_IS_USER (self));
  if (oh_strv_array_remove (self->sessions, session_id))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSIONS]);
}

/**
 * oh_user_set_observer:
 * @observer: (nullable): told of every property change from now on
 *
 * There is one observer at a time: the bus exporter.
 */
void
oh_user_set_observer (OhUser         *self,
                      OhModelObserver observer,
                      gpointer        data)
{
  g_return_if_fail (OH_IS_USER (self));
  self->observer = observer;
  self->observer_data = data;
}

/* oh-account.c: the account and the state of its PBX connection
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-model"

#include "oh-account.h"
#include "oh-util.h"

struct _OhAccount
{
  GObject parent_instance;

  OhAccountState state;
  char *server;
  char *username;
  char *extension;
  char *application;
  char *last_error;
  char *pbx_version;
  gint64 retry_time;
};

G_DEFINE_FINAL_TYPE (OhAccount, oh_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SERVER,
  PROP_USERNAME,
  PROP_EXTENSION,
  PROP_APPLICATION,
  PROP_LAST_ERROR,
  PROP_PBX_VERSION,
  PROP_RETRY_TIME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const char *const state_names[] = {
  [OH_ACCOUNT_STATE_DISCONNECTED] = "disconnected",
  [OH_ACCOUNT_STATE_CONNECTING] = "connecting",
  [OH_ACCOUNT_STATE_CONNECTED] = "connected",
  [OH_ACCOUNT_STATE_ACCESS_DENIED] = "access-denied",
  [OH_ACCOUNT_STATE_FAILED] = "failed",
};

/**
 * oh_account_state_to_string:
 *
 * Returns: the state as the D-Bus API spells it.
 */
const char *
oh_account_state_to_string (OhAccountState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "disconnected");
  return state_names[state];
}

static void
oh_account_finalize (GObject *object)
{
  OhAccount *self = OH_ACCOUNT (object);

  g_free (self->server);
  g_free (self->username);
  g_free (self->extension);
  g_free (self->application);
  g_free (self->last_error);
  g_free (self->pbx_version);

  G_OBJECT_CLASS (oh_account_parent_class)->finalize (object);
}

static void
oh_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OhAccount *self = OH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, oh_account_state_to_string (self->state));
      break;
    case PROP_SERVER:
      g_value_set_string (value, self->server ? self->server : "");
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username ? self->username : "");
      break;
    case PROP_EXTENSION:
      g_value_set_string (value, self->extension ? self->extension : "");
      break;
    case PROP_APPLICATION:
      g_value_set_string (value, self->application ? self->application : "");
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error ? self->last_error : "");
      break;
    case PROP_PBX_VERSION:
      g_value_set_string (value, self->pbx_version ? self->pbx_version : "");
      break;
    case PROP_RETRY_TIME:
      g_value_set_int64 (value, self->retry_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_account_class_init (OhAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oh_account_finalize;
  object_class->get_property = oh_account_get_property;

  /* The state is exposed as its API string so the bus layer can bind it. */
  props[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "disconnected",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_APPLICATION] =
    g_param_spec_string ("application", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PBX_VERSION] =
    g_param_spec_string ("pbx-version", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_RETRY_TIME] =
    g_param_spec_int64 ("retry-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
oh_account_init (OhAccount *self)
{
  self->state = OH_ACCOUNT_STATE_DISCONNECTED;
}

OhAccount *
oh_account_new (void)
{
  return g_object_new (OH_TYPE_ACCOUNT, NULL);
}

OhAccountState
oh_account_get_state (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), OH_ACCOUNT_STATE_DISCONNECTED);
  return self->state;
}

void
oh_account_set_state (OhAccount     *self,
                      OhAccountState state)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));
  g_return_if_fail (state < G_N_ELEMENTS (state_names));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

gint64
oh_account_get_retry_time (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), 0);
  return self->retry_time;
}

void
oh_account_set_retry_time (OhAccount *self,
                           gint64     retry_time)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (self->retry_time == retry_time)
    return;
  self->retry_time = retry_time;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRY_TIME]);
}

const char *
oh_account_get_server (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->server ? self->server : "";
}

void
oh_account_set_server (OhAccount  *self,
                       const char *server)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->server, server))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERVER]);
}

const char *
oh_account_get_username (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->username ? self->username : "";
}

void
oh_account_set_username (OhAccount  *self,
                         const char *username)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USERNAME]);
}

const char *
oh_account_get_extension (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->extension ? self->extension : "";
}

void
oh_account_set_extension (OhAccount  *self,
                          const char *extension)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->extension, extension))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXTENSION]);
}

const char *
oh_account_get_application (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->application ? self->application : "";
}

void
oh_account_set_application (OhAccount  *self,
                            const char *application)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->application, application))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_APPLICATION]);
}

const char *
oh_account_get_last_error (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->last_error ? self->last_error : "";
}

void
oh_account_set_last_error (OhAccount  *self,
                           const char *last_error)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->last_error, last_error))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_ERROR]);
}

const char *
oh_account_get_pbx_version (OhAccount *self)
{
  g_return_val_if_fail (OH_IS_ACCOUNT (self), "");
  return self->pbx_version ? self->pbx_version : "";
}

void
oh_account_set_pbx_version (OhAccount  *self,
                            const char *pbx_version)
{
  g_return_if_fail (OH_IS_ACCOUNT (self));

  if (oh_set_str (&self->pbx_version, pbx_version))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PBX_VERSION]);
}

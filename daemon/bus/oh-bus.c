/* oh-bus.c: exports the daemon's model on the session bus
 *
 * One ObjectManager at /org/offhook/Offhook1 (oh-bus-objects.c) holds every
 * object below it: users and sessions served from the model, the user's
 * calls as generated skeletons. The root object's own interfaces (Account,
 * Phone, History, Chat) are skeletons exported directly at that path: the
 * D-Bus specification has GetManagedObjects return only the children of
 * the manager's path. Model properties are mirrored onto the skeletons,
 * whose own PropertiesChanged emission is coalesced per main-loop turn.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-bus"

#include <glib/gi18n.h>

#include "oh-bus-private.h"
#include "oh-error.h"

struct _OhBus
{
  GObject parent_instance;

  OhService                *service;
  OhBusObjects             *objects;
  OhDBusAccount            *account;
  OhDBusHistory            *history;
  OhDBusPhone              *phone;
  OhDBusChat               *chat;
};

OhBusObjects *
oh_bus_get_objects (OhBus *self)
{
  return self->objects;
}

OhService *
oh_bus_get_service (OhBus *self)
{
  return self->service;
}

/* --- users ----------------------------------------------------------- */

#define USER(model) OH_USER (model)

static GVariant *
user_username (GObject *model)
{
  return g_variant_new_string (oh_user_get_resource (USER (model)));
}

static GVariant *
user_full_name (GObject *model)
{
  return g_variant_new_string (oh_user_get_full_name (USER (model)));
}

static GVariant *
user_extension (GObject *model)
{
  return g_variant_new_string (oh_user_get_extension (USER (model)));
}

static GVariant *
user_mobile (GObject *model)
{
  return g_variant_new_string (oh_user_get_mobile (USER (model)));
}

static GVariant *
user_email (GObject *model)
{
  return g_variant_new_string (oh_user_get_email (USER (model)));
}

static GVariant *
user_devices (GObject *model)
{
  return g_variant_new_strv (oh_user_get_devices (USER (model)), -1);
}

static GVariant *
user_presence (GObject *model)
{
  return g_variant_new_string (oh_presence_to_string (oh_user_get_presence (USER (model))));
}

static GVariant *
user_sessions (GObject *model)
{
  return oh_bus_variant_paths (SESSION_PATH_PREFIX, oh_user_get_sessions (USER (model)));
}

static const OhBusProperty user_properties[] = {
  { "Username", "username", user_username },
  { "FullName", "full-name", user_full_name },
  { "Extension", "extension", user_extension },
  { "Mobile", "mobile", user_mobile },
  { "Email", "email", user_email },
  { "Devices", "devices", user_devices },
  { "Presence", "presence", user_presence },
  { "Sessions", "sessions", user_sessions },
};

static void
user_method_call (OhBus                 *self,
                  GObject               *model,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation)
{
  /* GDBus has checked the name and the arguments against the XML. */
  if (g_str_equal (method, "Call"))
    oh_bus_calls_call_user (self, USER (model), FALSE, invocation);
  else if (g_str_equal (method, "CallMobile"))
    oh_bus_calls_call_user (self, USER (model), TRUE, invocation);
  else
    {
      const char *body;

      g_variant_get (parameters, "(&s)", &body);
      oh_bus_chat_send_to_user (self, USER (model), body, invocation);
    }
}

static void
user_set_observer (GObject         *model,
                   OhModelObserver  observer,
                   gpointer         data)
{
  oh_user_set_observer (USER (model), observer, data);
}

static const OhBusKind user_kind = {
  .root = OH_OBJECT_PATH "/User",
  .prefix = USER_PATH_PREFIX,
  .interface_name = "org.offhook.Offhook1.User",
  .info = oh_dbus_user_interface_info,
  .properties = user_properties,
  .n_properties = G_N_ELEMENTS (user_properties),
  .method_call = user_method_call,
  .set_observer = user_set_observer,
};

static void
on_user_added (OhUserList *users,
               OhUser     *user,
               OhBus      *self)
{
  oh_bus_objects_add (self->objects, &user_kind, oh_user_get_id (user), G_OBJECT (user));
}

static void
on_user_removed (OhUserList *users,
                 OhUser     *user,
                 OhBus      *self)
{
  oh_bus_objects_remove (self->objects, &user_kind, oh_user_get_id (user));
}

/* --- sessions -------------------------------------------------------- */

#define SESSION(model) OH_SESSION (model)

static GVariant *
session_id (GObject *model)
{
  return g_variant_new_string (oh_session_get_id (SESSION (model)));
}

static GVariant *
session_state (GObject *model)
{
  return g_variant_new_string (oh_session_state_to_string (oh_session_get_state (SESSION (model))));
}

static GVariant *
session_caller (GObject *model)
{
  return g_variant_new_string (oh_session_get_caller (SESSION (model)));
}

static GVariant *
session_caller_name (GObject *model)
{
  return g_variant_new_string (oh_session_get_caller_name (SESSION (model)));
}

static GVariant *
session_callee (GObject *model)
{
  return g_variant_new_string (oh_session_get_callee (SESSION (model)));
}

static GVariant *
session_callee_name (GObject *model)
{
  return g_variant_new_string (oh_session_get_callee_name (SESSION (model)));
}

static GVariant *
session_users (GObject *model)
{
  return oh_bus_variant_paths (USER_PATH_PREFIX, oh_session_get_users (SESSION (model)));
}

static GVariant *
session_start_time (GObject *model)
{
  return g_variant_new_int64 (oh_session_get_start_time (SESSION (model)));
}

static GVariant *
session_answer_time (GObject *model)
{
  return g_variant_new_int64 (oh_session_get_answer_time (SESSION (model)));
}

static GVariant *
session_channels (GObject *model)
{
  return g_variant_new_strv (oh_session_get_channels (SESSION (model)), -1);
}

static const OhBusProperty session_properties[] = {
  { "SessionId", "session-id", session_id },
  { "State", "state", session_state },
  { "Caller", "caller", session_caller },
  { "CallerName", "caller-name", session_caller_name },
  { "Callee", "callee", session_callee },
  { "CalleeName", "callee-name", session_callee_name },
  { "Users", "users", session_users },
  { "StartTime", "start-time", session_start_time },
  { "AnswerTime", "answer-time", session_answer_time },
  { "Channels", "channels", session_channels },
};

static void
session_set_observer (GObject         *model,
                      OhModelObserver  observer,
                      gpointer         data)
{
  oh_session_set_observer (SESSION (model), observer, data);
}

static const OhBusKind session_kind = {
  .root = OH_OBJECT_PATH "/Session",
  .prefix = SESSION_PATH_PREFIX,
  .interface_name = "org.offhook.Offhook1.Session",
  .info = oh_dbus_session_interface_info,
  .properties = session_properties,
  .n_properties = G_N_ELEMENTS (session_properties),
  .set_observer = session_set_observer,
};

static void
on_session_added (OhSessionList *sessions,
                  OhSession     *session,
                  OhBus         *self)
{
  oh_bus_objects_add (self->objects, &session_kind, oh_session_get_id (session),
                      G_OBJECT (session));
}

static void
on_session_removed (OhSessionList *sessions,
                    OhSession     *session,
                    OhBus         *self)
{
  oh_bus_objects_remove (self->objects, &session_kind, oh_session_get_id (session));
}

G_DEFINE_FINAL_TYPE (OhBus, oh_bus, G_TYPE_OBJECT)

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (oh_service_op_finish (OH_SERVICE (source), result, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
}

static gboolean
on_handle_login (OhDBusAccount         *iface,
                 GDBusMethodInvocation *invocation,
                 const char            *server,
                 const char            *username,
                 const char            *password,
                 GVariant              *options,
                 OhBus                 *self)
{
  oh_service_login_async (self->service, server, username, password, options, NULL,
                          on_op_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_connect (OhDBusAccount         *iface,
                   GDBusMethodInvocation *invocation,
                   OhBus                 *self)
{
  oh_service_connect_async (self->service, NULL, on_op_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_disconnect (OhDBusAccount         *iface,
                      GDBusMethodInvocation *invocation,
                      OhBus                 *self)
{
  GError *error = NULL;

  if (oh_service_disconnect (self->service, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_logout (OhDBusAccount         *iface,
                  GDBusMethodInvocation *invocation,
                  OhBus                 *self)
{
  oh_service_logout_async (self->service, NULL, on_op_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- history --------------------------------------------------------- */

static OhStore *
require_store (OhBus                 *self,
               GDBusMethodInvocation *invocation)
{
  OhStore *store = oh_service_get_store (self->service);

  if (store == NULL)
    g_dbus_method_invocation_return_error_literal (invocation, OH_ERROR, OH_ERROR_FAILED,
                                                   _("The history database could not be opened; see the daemon's log"));
  return store;
}

static gboolean
on_handle_query (OhDBusHistory         *iface,
                 GDBusMethodInvocation *invocation,
                 GVariant              *filter_variant,
                 guint                  page,
                 guint                  rows,
                 OhBus                 *self)
{
  g_autoptr(OhHistoryFilter) filter = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;
  GVariantBuilder builder;
  OhStore *store;
  guint total = 0;

  if ((store = require_store (self, invocation)) == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  filter = oh_history_filter_from_variant (filter_variant, &error);
  if (filter == NULL || !oh_history_filter_validate (filter, rows, &error) ||
      (entries = oh_store_query_history (store, filter, page, rows, &total, &error)) == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add_value (&builder,
                                 oh_history_entry_to_variant (g_ptr_array_index (entries, i)));
  oh_dbus_history_complete_query (iface, invocation, g_variant_builder_end (&builder), total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_delete (OhDBusHistory         *iface,
                  GDBusMethodInvocation *invocation,
                  const char *const     *ids,
                  OhBus                 *self)
{
  GError *error = NULL;
  OhStore *store;

  if ((store = require_store (self, invocation)) == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (oh_store_delete_history (store, ids, NULL, &error))
    oh_dbus_history_complete_delete (iface, invocation);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_clear (OhDBusHistory         *iface,
                 GDBusMethodInvocation *invocation,
                 OhBus                 *self)
{
  GError *error = NULL;
  OhStore *store;

  if ((store = require_store (self, invocation)) == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (oh_store_clear_history (store, &error))
    oh_dbus_history_complete_clear (iface, invocation);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_history_entry_added (OhService      *service,
                        OhHistoryEntry *entry,
                        OhBus          *self)
{
  oh_dbus_history_emit_entry_added (self->history, oh_history_entry_to_variant (entry));
}

static void
bind_account (OhBus *self)
{
  OhAccount *account = oh_service_get_account (self->service);

  oh_bus_mirror_properties (G_OBJECT (account), G_OBJECT (self->account), oh_bus_copy_property);

  g_signal_connect_object (self->account, "handle-login",
                           G_CALLBACK (on_handle_login), self, 0);
  g_signal_connect_object (self->account, "handle-connect",
                           G_CALLBACK (on_handle_connect), self, 0);
  g_signal_connect_object (self->account, "handle-disconnect",
                           G_CALLBACK (on_handle_disconnect), self, 0);
  g_signal_connect_object (self->account, "handle-logout",
                           G_CALLBACK (on_handle_logout), self, 0);
}

static void
oh_bus_dispose (GObject *object)
{
  OhBus *self = OH_BUS (object);

  oh_bus_unexport (self);
  if (self->objects)
    oh_bus_objects_close (self->objects);
  g_clear_object (&self->account);
  g_clear_object (&self->history);
  g_clear_object (&self->phone);
  g_clear_object (&self->chat);
  g_clear_pointer (&self->objects, oh_bus_objects_unref);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (oh_bus_parent_class)->dispose (object);
}

static void
oh_bus_class_init (OhBusClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_bus_dispose;
}

static void
oh_bus_init (OhBus *self)
{
}

/**
 * oh_bus_new:
 * @service: the daemon's service
 *
 * Creates the exporter and the root object with its interfaces; nothing is
 * on the bus until oh_bus_export().
 */
OhBus *
oh_bus_new (OhService *service)
{
  static const OhBusKind *const kinds[] = { &user_kind, &session_kind, NULL };
  OhBus *self = g_object_new (OH_TYPE_BUS, NULL);

  self->service = g_object_ref (service);
  self->objects = oh_bus_objects_new (self, kinds);
  self->account = oh_dbus_account_skeleton_new ();
  bind_account (self);
  self->phone = oh_bus_calls_setup (self);
  self->chat = oh_bus_chat_setup (self);
  self->history = oh_dbus_history_skeleton_new ();
  g_signal_connect_object (self->history, "handle-query", G_CALLBACK (on_handle_query), self, 0);
  g_signal_connect_object (self->history, "handle-delete", G_CALLBACK (on_handle_delete), self, 0);
  g_signal_connect_object (self->history, "handle-clear", G_CALLBACK (on_handle_clear), self, 0);
  g_signal_connect_object (service, "history-entry-added",
                           G_CALLBACK (on_history_entry_added), self, 0);
  g_signal_connect_object (oh_service_get_users (service), "user-added",
                           G_CALLBACK (on_user_added), self, 0);
  g_signal_connect_object (oh_service_get_users (service), "user-removed",
                           G_CALLBACK (on_user_removed), self, 0);
  g_signal_connect_object (oh_service_get_sessions (service), "session-added",
                           G_CALLBACK (on_session_added), self, 0);
  g_signal_connect_object (oh_service_get_sessions (service), "session-removed",
                           G_CALLBACK (on_session_removed), self, 0);
  return self;
}

/**
 * oh_bus_export:
 *
 * Puts the root object's interfaces and the object manager on @connection.
 *
 * Returns: whether it worked (it fails only when something else already
 * exports objects at our path on this connection).
 */
gboolean
oh_bus_export (OhBus            *self,
               GDBusConnection  *connection,
               GError          **error)
{
  g_return_val_if_fail (OH_IS_BUS (self), FALSE);

  GDBusInterfaceSkeleton *root[] = {
    G_DBUS_INTERFACE_SKELETON (self->account),
    G_DBUS_INTERFACE_SKELETON (self->history),
    G_DBUS_INTERFACE_SKELETON (self->phone),
    G_DBUS_INTERFACE_SKELETON (self->chat),
  };

  for (guint i = 0; i < G_N_ELEMENTS (root); i++)
    if (!g_dbus_interface_skeleton_export (root[i], connection, OH_OBJECT_PATH, error))
      return FALSE;
  return oh_bus_objects_set_connection (self->objects, connection, error);
}

void
oh_bus_unexport (OhBus *self)
{
  g_return_if_fail (OH_IS_BUS (self));

  if (self->objects)
    oh_bus_objects_set_connection (self->objects, NULL, NULL);
  GDBusInterfaceSkeleton *root[] = {
    G_DBUS_INTERFACE_SKELETON (self->account),
    G_DBUS_INTERFACE_SKELETON (self->history),
    G_DBUS_INTERFACE_SKELETON (self->phone),
    G_DBUS_INTERFACE_SKELETON (self->chat),
  };

  for (guint i = 0; i < G_N_ELEMENTS (root); i++)
    if (root[i] && g_dbus_interface_skeleton_get_connection (root[i]))
      g_dbus_interface_skeleton_unexport (root[i]);
}

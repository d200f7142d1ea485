/* oh-bus.c: exports the daemon's model on the session bus
 *
 * One GDBusObjectManagerServer at /org/offhook/Offhook1 holds every object
 * below it. The root object's own interfaces (Account, Phone, History, Chat)
 * are exported directly at that path: the D-Bus specification has
 * GetManagedObjects return only the children of the manager's path, and
 * GLib enforces that.
 * Model properties are bound onto the generated skeletons, whose own
 * PropertiesChanged emission is already coalesced per main-loop turn.
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
  GDBusObjectManagerServer *manager;
  OhDBusAccount            *account;
  OhDBusHistory            *history;
  OhDBusPhone              *phone;
  OhDBusChat               *chat;
};

GDBusObjectManagerServer *
oh_bus_get_manager (OhBus *self)
{
  return self->manager;
}

OhService *
oh_bus_get_service (OhBus *self)
{
  return self->service;
}

/* --- users ----------------------------------------------------------- */

static void
mirror_user (GObject    *model,
             GObject    *skeleton,
             const char *name)
{
  if (g_str_equal (name, "sessions"))
    {
      g_auto(GStrv) paths = oh_bus_make_paths (SESSION_PATH_PREFIX,
                                        oh_user_get_sessions (OH_USER (model)));

      oh_dbus_user_set_sessions (OH_DBUS_USER (skeleton), (const char *const *) paths);
      return;
    }
  oh_bus_copy_property (model, skeleton, name);
}

static void
on_user_added (OhUserList *users,
               OhUser     *user,
               OhBus      *self)
{
  g_autofree char *path = oh_bus_make_path (USER_PATH_PREFIX, oh_user_get_id (user));
  g_autoptr(OhDBusObjectSkeleton) object = oh_dbus_object_skeleton_new (path);
  g_autoptr(OhDBusUser) iface = oh_dbus_user_skeleton_new ();

  oh_bus_mirror_properties (G_OBJECT (user), G_OBJECT (iface), mirror_user);
  oh_bus_calls_connect_user (self, iface, user);
  oh_bus_chat_connect_user (self, iface, user);
  oh_dbus_object_skeleton_set_user (object, iface);
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_user_removed (OhUserList *users,
                 OhUser     *user,
                 OhBus      *self)
{
  g_autofree char *path = oh_bus_make_path (USER_PATH_PREFIX, oh_user_get_id (user));

  oh_bus_forget_model (G_OBJECT (user));
  g_dbus_object_manager_server_unexport (self->manager, path);
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

/* --- sessions -------------------------------------------------------- */

static void
mirror_session (GObject    *model,
                GObject    *skeleton,
                const char *name)
{
  if (g_str_equal (name, "users"))
    {
      g_auto(GStrv) paths = oh_bus_make_paths (USER_PATH_PREFIX,
                                        oh_session_get_users (OH_SESSION (model)));

      oh_dbus_session_set_users (OH_DBUS_SESSION (skeleton), (const char *const *) paths);
      return;
    }
  oh_bus_copy_property (model, skeleton, name);
}

static void
on_session_added (OhSessionList *sessions,
                  OhSession     *session,
                  OhBus         *self)
{
  g_autofree char *path = oh_bus_make_path (SESSION_PATH_PREFIX, oh_session_get_id (session));
  g_autoptr(OhDBusObjectSkeleton) object = oh_dbus_object_skeleton_new (path);
  g_autoptr(OhDBusSession) iface = oh_dbus_session_skeleton_new ();

  oh_bus_mirror_properties (G_OBJECT (session), G_OBJECT (iface), mirror_session);
  oh_dbus_object_skeleton_set_session (object, iface);
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_session_removed (OhSessionList *sessions,
                    OhSession     *session,
                    OhBus         *self)
{
  g_autofree char *path = oh_bus_make_path (SESSION_PATH_PREFIX, oh_session_get_id (session));

  oh_bus_forget_model (G_OBJECT (session));
  oh_bus_unexport_object (self->manager, path, "org.offhook.Offhook1.Session");
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
  g_clear_object (&self->account);
  g_clear_object (&self->history);
  g_clear_object (&self->phone);
  g_clear_object (&self->chat);
  g_clear_object (&self->manager);
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
  OhBus *self = g_object_new (OH_TYPE_BUS, NULL);

  self->service = g_object_ref (service);
  self->manager = g_dbus_object_manager_server_new (OH_OBJECT_PATH);
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
  g_dbus_object_manager_server_set_connection (self->manager, connection);
  return TRUE;
}

void
oh_bus_unexport (OhBus *self)
{
  g_return_if_fail (OH_IS_BUS (self));

  if (self->manager)
    g_dbus_object_manager_server_set_connection (self->manager, NULL);
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

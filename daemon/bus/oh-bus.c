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

#include "oh-bus.h"
#include "oh-dbus-generated.h"

struct _OhBus
{
  GObject parent_instance;

  OhService                *service;
  GDBusObjectManagerServer *manager;
  OhDBusAccount            *account;
};

G_DEFINE_FINAL_TYPE (OhBus, oh_bus, G_TYPE_OBJECT)

static gboolean
return_result (GDBusMethodInvocation *invocation,
               gboolean               ok,
               GError                *error)
{
  if (ok)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
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
  GError *error = NULL;
  gboolean ok = oh_service_login (self->service, server, username, password,
                                  options, &error);

  return return_result (invocation, ok, error);
}

static gboolean
on_handle_connect (OhDBusAccount         *iface,
                   GDBusMethodInvocation *invocation,
                   OhBus                 *self)
{
  GError *error = NULL;
  gboolean ok = oh_service_connect (self->service, &error);

  return return_result (invocation, ok, error);
}

static gboolean
on_handle_disconnect (OhDBusAccount         *iface,
                      GDBusMethodInvocation *invocation,
                      OhBus                 *self)
{
  GError *error = NULL;
  gboolean ok = oh_service_disconnect (self->service, &error);

  return return_result (invocation, ok, error);
}

static gboolean
on_handle_logout (OhDBusAccount         *iface,
                  GDBusMethodInvocation *invocation,
                  OhBus                 *self)
{
  GError *error = NULL;
  gboolean ok = oh_service_logout (self->service, &error);

  return return_result (invocation, ok, error);
}

static void
bind_account (OhBus *self)
{
  static const char *const names[] = {
    "state", "server", "username", "extension", "application",
    "last-error", "pbx-version", "retry-time",
  };
  OhAccount *account = oh_service_get_account (self->service);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_bind_property (account, names[i], self->account, names[i],
                            G_BINDING_SYNC_CREATE);

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

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->account),
                                         connection, OH_OBJECT_PATH, error))
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
  if (self->account && g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->account)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->account));
}

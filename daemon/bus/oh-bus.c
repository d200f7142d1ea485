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

#include "oh-bus.h"
#include "oh-error.h"
#include "oh-dbus-generated.h"

struct _OhBus
{
  GObject parent_instance;

  OhService                *service;
  GDBusObjectManagerServer *manager;
  OhDBusAccount            *account;
  OhDBusHistory            *history;
};

#define USER_PATH_PREFIX OH_OBJECT_PATH "/User/"
#define SESSION_PATH_PREFIX OH_OBJECT_PATH "/Session/"

/**
 * oh_bus_escape_path_element:
 * @id: any string
 *
 * Returns: (transfer full): @id as an object path element: letters and
 * digits stay, every other byte becomes _XX (its hex code).
 */
char *
oh_bus_escape_path_element (const char *id)
{
  GString *out = g_string_sized_new (strlen (id) + 1);

  if (*id == '\0')
    return g_string_free (out, FALSE);
  for (const guchar *p = (const guchar *) id; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "_%02x", *p);
    }
  return g_string_free (out, FALSE);
}

static char *
make_path (const char *prefix,
           const char *id)
{
  g_autofree char *element = oh_bus_escape_path_element (id);

  return g_strconcat (prefix, *element ? element : "_", NULL);
}

/* Mirrors model properties onto a skeleton's properties of the same names,
 * with one notify handler per object (cheaper than a GBinding per property
 * at ten thousand users). The skeleton coalesces the resulting
 * PropertiesChanged into one signal per main-loop turn. */
typedef void (*MirrorFunc) (GObject *model, GObject *skeleton, const char *name);

static void
copy_property (GObject    *model,
               GObject    *skeleton,
               const char *name)
{
  GValue value = G_VALUE_INIT;

  g_object_get_property (model, name, &value);
  g_object_set_property (skeleton, name, &value);
  g_value_unset (&value);
}

static void
on_model_notify (GObject    *model,
                 GParamSpec *pspec,
                 GObject    *skeleton)
{
  MirrorFunc mirror = g_object_get_data (skeleton, "oh-mirror");

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (skeleton), pspec->name))
    mirror (model, skeleton, pspec->name);
}

static void
mirror_properties (GObject    *model,
                   GObject    *skeleton,
                   MirrorFunc  mirror)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  g_object_set_data (skeleton, "oh-mirror", mirror);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (model), &n);
  for (guint i = 0; i < n; i++)
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (skeleton), pspecs[i]->name))
      mirror (model, skeleton, pspecs[i]->name);
  g_signal_connect_object (model, "notify", G_CALLBACK (on_model_notify), skeleton, 0);
}

/* --- users ----------------------------------------------------------- */

static char **
make_paths (const char        *prefix,
            const char *const *ids)
{
  guint n = ids ? g_strv_length ((char **) ids) : 0;
  char **paths = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    paths[i] = make_path (prefix, ids[i]);
  return paths;
}

static void
mirror_user (GObject    *model,
             GObject    *skeleton,
             const char *name)
{
  if (g_str_equal (name, "sessions"))
    {
      g_auto(GStrv) paths = make_paths (SESSION_PATH_PREFIX,
                                        oh_user_get_sessions (OH_USER (model)));

      oh_dbus_user_set_sessions (OH_DBUS_USER (skeleton), (const char *const *) paths);
      return;
    }
  copy_property (model, skeleton, name);
}

static gboolean
on_handle_user_not_yet (OhDBusUser            *iface,
                        GDBusMethodInvocation *invocation,
                        gpointer               user_data)
{
  g_dbus_method_invocation_return_error_literal (invocation, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                                                 _("Calls and messages are not available yet"));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_user_added (OhUserList *users,
               OhUser     *user,
               OhBus      *self)
{
  g_autofree char *path = make_path (USER_PATH_PREFIX, oh_user_get_id (user));
  g_autoptr(OhDBusObjectSkeleton) object = oh_dbus_object_skeleton_new (path);
  g_autoptr(OhDBusUser) iface = oh_dbus_user_skeleton_new ();

  mirror_properties (G_OBJECT (user), G_OBJECT (iface), mirror_user);
  g_signal_connect (iface, "handle-call", G_CALLBACK (on_handle_user_not_yet), self);
  g_signal_connect (iface, "handle-call-mobile", G_CALLBACK (on_handle_user_not_yet), self);
  g_signal_connect (iface, "handle-send-message", G_CALLBACK (on_handle_user_not_yet), self);
  oh_dbus_object_skeleton_set_user (object, iface);
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_user_removed (OhUserList *users,
                 OhUser     *user,
                 OhBus      *self)
{
  g_autofree char *path = make_path (USER_PATH_PREFIX, oh_user_get_id (user));

  g_signal_handlers_disconnect_matched (user, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_model_notify, NULL);
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
      g_auto(GStrv) paths = make_paths (USER_PATH_PREFIX,
                                        oh_session_get_users (OH_SESSION (model)));

      oh_dbus_session_set_users (OH_DBUS_SESSION (skeleton), (const char *const *) paths);
      return;
    }
  copy_property (model, skeleton, name);
}

static void
on_session_added (OhSessionList *sessions,
                  OhSession     *session,
                  OhBus         *self)
{
  g_autofree char *path = make_path (SESSION_PATH_PREFIX, oh_session_get_id (session));
  g_autoptr(OhDBusObjectSkeleton) object = oh_dbus_object_skeleton_new (path);
  g_autoptr(OhDBusSession) iface = oh_dbus_session_skeleton_new ();

  mirror_properties (G_OBJECT (session), G_OBJECT (iface), mirror_session);
  oh_dbus_object_skeleton_set_session (object, iface);
  g_dbus_object_manager_server_export (self->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
on_session_removed (OhSessionList *sessions,
                    OhSession     *session,
                    OhBus         *self)
{
  g_autofree char *path = make_path (SESSION_PATH_PREFIX, oh_session_get_id (session));
  g_autoptr(GDBusObject) object = g_dbus_object_manager_get_object (G_DBUS_OBJECT_MANAGER (self->manager), path);

  g_signal_handlers_disconnect_matched (session, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_model_notify, NULL);
  /* Flush the last changes (state "completed") before the object goes, so
   * every client sees how the call ended. */
  if (object)
    {
      g_autoptr(GDBusInterface) iface = g_dbus_object_get_interface (object, "org.offhook.Offhook1.Session");

      if (iface)
        g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (iface));
    }
  g_dbus_object_manager_server_unexport (self->manager, path);
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

  mirror_properties (G_OBJECT (account), G_OBJECT (self->account), copy_property);

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
  };

  for (guint i = 0; i < G_N_ELEMENTS (root); i++)
    if (root[i] && g_dbus_interface_skeleton_get_connection (root[i]))
      g_dbus_interface_skeleton_unexport (root[i]);
}

/* oh-bus-objects.c: the ObjectManager, and the users and sessions below it
 *
 * A big PBX is 10,000 users and 2,000 calls in progress: 12,000 objects.
 * As GDBusObjectSkeletons (the first design) each cost ~7 KB (a skeleton
 * holding a GValue copy of every property, a registration per object in
 * the connection, signal handlers per method), exporting them was half of
 * the sync, and GetManagedObjects took ~350 ms of the daemon's CPU going
 * through each skeleton's generic property machinery.
 *
 * So users and sessions are served straight from the model: one subtree
 * registration per kind of object, properties read with the model's typed
 * getters when asked for, and changes coalesced into one PropertiesChanged
 * per object and main-loop turn (what the generated skeletons do, at the
 * same priority). The user's own calls, few and with a writable property,
 * stay GDBusInterfaceSkeletons. This file is the one ObjectManager for both,
 * at OH_OBJECT_PATH.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-bus"

#include <string.h>

#include "oh-bus-private.h"

#define MANAGER_IFACE "org.freedesktop.DBus.ObjectManager"
#define PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

typedef struct _Lean Lean;

struct _OhBusObjects
{
  OhBus               *bus;          /* not owned; NULL once the bus is gone */
  const OhBusKind    **kinds;        /* NULL-terminated */
  guint                n_kinds;
  GDBusConnection     *connection;
  guint                manager_id;
  guint               *subtree_ids;  /* one per kind */
  GHashTable          *lean;         /* path → Lean */
  GHashTable          *skeletons;    /* path → GDBusInterfaceSkeleton */
  GQueue               dirty;        /* Lean with unsent changes, oldest first */
  guint                flush_id;
};

struct _Lean
{
  OhBusObjects    *owner;
  const OhBusKind *kind;
  char            *path;
  GObject         *model;
  GVariant        *entry;   /* {oa{sa{sv}}} in serialised form; NULL after a change */
  guint32          dirty;   /* bit i: kind->properties[i] changed */
  gboolean         announced;  /* InterfacesAdded sent */
  GList            link;    /* in owner->dirty while dirty != 0 or not announced */
};

static GDBusInterfaceInfo *
manager_interface_info (void)
{
  static GDBusNodeInfo *node;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      static const char xml[] =
        "<node><interface name='" MANAGER_IFACE "'>"
        "<method name='GetManagedObjects'>"
        "<arg type='a{oa{sa{sv}}}' name='object_paths_interfaces_and_properties' direction='out'/>"
        "</method>"
        "<signal name='InterfacesAdded'>"
        "<arg type='o' name='object_path'/>"
        "<arg type='a{sa{sv}}' name='interfaces_and_properties'/>"
        "</signal>"
        "<signal name='InterfacesRemoved'>"
        "<arg type='o' name='object_path'/>"
        "<arg type='as' name='interfaces'/>"
        "</signal>"
        "</interface></node>";

      node = g_dbus_node_info_new_for_xml (xml, NULL);
      g_once_init_leave (&once, 1);
    }
  return node->interfaces[0];
}

/* --- properties ------------------------------------------------------- */

static const OhBusProperty *
find_property (const OhBusKind *kind,
               const char      *name)
{
  for (guint i = 0; i < kind->n_properties; i++)
    if (g_str_equal (kind->properties[i].name, name))
      return &kind->properties[i];
  return NULL;
}

/* Built with the typed constructors: no format string to parse per
 * property, which shows at 12,000 objects. */
static GVariant *
lean_properties (Lean    *lean,
                 guint32  mask)
{
  const OhBusKind *kind = lean->kind;
  GVariant *members[32];
  guint n = 0;

  for (guint i = 0; i < kind->n_properties; i++)
    if (mask & (1u << i))
      members[n++] = g_variant_new_dict_entry (g_variant_new_string (kind->properties[i].name),
                                               g_variant_new_variant (kind->properties[i].get (lean->model)));
  return g_variant_new_array (G_VARIANT_TYPE ("{sv}"), members, n);
}

static GVariant *
lean_interfaces (Lean *lean)
{
  GVariant *member = g_variant_new_dict_entry (g_variant_new_string (lean->kind->interface_name),
                                               lean_properties (lean, G_MAXUINT32));

  return g_variant_new_array (G_VARIANT_TYPE ("{sa{sv}}"), &member, 1);
}

/* The object's {oa{sa{sv}}} for GetManagedObjects, kept serialised (a few
 * hundred bytes in one block) until something changes: the reply on 12,000
 * objects then copies blocks instead of building ~200,000 GVariants. */
static GVariant *
lean_entry (Lean *lean)
{
  if (lean->entry == NULL)
    {
      lean->entry = g_variant_ref_sink (g_variant_new_dict_entry (g_variant_new_object_path (lean->path),
                                                                  lean_interfaces (lean)));
      g_variant_get_data (lean->entry);
    }
  return lean->entry;
}

static GVariant *
skeleton_interfaces (GDBusInterfaceSkeleton *iface)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa{sv}}"));
  g_variant_builder_add (&builder, "{s@a{sv}}",
                         g_dbus_interface_skeleton_get_info (iface)->name,
                         g_dbus_interface_skeleton_get_properties (iface));
  return g_variant_builder_end (&builder);
}

static void
emit (OhBusObjects *self,
      const char   *path,
      const char   *interface_name,
      const char   *signal_name,
      GVariant     *parameters)
{
  g_autoptr(GError) error = NULL;

  g_variant_ref_sink (parameters);
  if (self->connection != NULL &&
      !g_dbus_connection_emit_signal (self->connection, NULL, path, interface_name,
                                      signal_name, parameters, &error))
    g_debug ("Could not emit %s: %s", signal_name, error->message);
  g_variant_unref (parameters);
}

/* Sends what clients have not seen of @lean: the whole object
 * (InterfacesAdded) the first time, then what changed. */
static void
flush_lean (Lean *lean)
{
  OhBusObjects *self = lean->owner;

  if (lean->announced && lean->dirty == 0)
    return;
  g_queue_unlink (&self->dirty, &lean->link);
  /* Tree-form, not the cached entry: GDBus serialises a tree faster than
   * it walks serialised data, and most objects are never asked for. */
  if (!lean->announced)
    emit (self, OH_OBJECT_PATH, MANAGER_IFACE, "InterfacesAdded",
          g_variant_new ("(o@a{sa{sv}})", lean->path, lean_interfaces (lean)));
  else
    emit (self, lean->path, PROPERTIES_IFACE, "PropertiesChanged",
          g_variant_new ("(s@a{sv}as)", lean->kind->interface_name,
                         lean_properties (lean, lean->dirty), NULL));
  lean->announced = TRUE;
  lean->dirty = 0;
}

static gboolean flush_all (gpointer user_data);

static void
queue_flush (OhBusObjects *self,
             Lean         *lean)
{
  if (lean->announced && lean->dirty == 0)
    g_queue_push_tail_link (&self->dirty, &lean->link);
  if (self->flush_id == 0)
    {
      /* The generated skeletons' priority: changes of users and sessions
       * reach clients in the same turn as those of calls. */
      self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_all, self, NULL);
      g_source_set_name_by_id (self->flush_id, "[offhook] PropertiesChanged");
    }
}

static void
flush_pending (OhBusObjects *self)
{
  while (self->dirty.head != NULL)
    flush_lean (self->dirty.head->data);
}

static gboolean
flush_all (gpointer user_data)
{
  OhBusObjects *self = user_data;

  self->flush_id = 0;
  flush_pending (self);
  return G_SOURCE_REMOVE;
}

static void
on_model_changed (GObject    *model,
                  GParamSpec *pspec,
                  gpointer    data)
{
  Lean *lean = data;
  OhBusObjects *self = lean->owner;

  for (guint i = 0; i < lean->kind->n_properties; i++)
    {
      if (!g_str_equal (lean->kind->properties[i].model_name, pspec->name))
        continue;
      g_clear_pointer (&lean->entry, g_variant_unref);
      queue_flush (self, lean);
      if (lean->announced)
        lean->dirty |= 1u << i;
      return;
    }
}

static void
lean_free (Lean *lean)
{
  lean->kind->set_observer (lean->model, NULL, NULL);
  g_clear_object (&lean->model);
  g_clear_pointer (&lean->entry, g_variant_unref);
  g_free (lean->path);
  g_free (lean);
}

/* --- the subtrees ----------------------------------------------------- */

static Lean *
lookup_lean (OhBusObjects *self,
             const char   *path,
             const char   *interface_name)
{
  Lean *lean = g_hash_table_lookup (self->lean, path);

  if (lean == NULL || (interface_name && !g_str_equal (lean->kind->interface_name, interface_name)))
    return NULL;
  return lean;
}

/* GLib 2.74 passes the subtree's root as @object_path when introspecting
 * but the whole path when dispatching a call. */
static char *
node_path (OhBusObjects *self,
           const char   *object_path,
           const char   *node)
{
  for (guint i = 0; i < self->n_kinds; i++)
    if (g_str_equal (object_path, self->kinds[i]->root))
      return g_strconcat (object_path, "/", node, NULL);
  return g_strdup (object_path);
}

static void
subtree_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  OhBusObjects *self = user_data;
  Lean *lean = lookup_lean (self, object_path, interface_name);

  /* The object can go between GDBus's dispatch and this call. */
  if (lean == NULL || self->bus == NULL || lean->kind->method_call == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_OBJECT,
                                             "No such object: %s", object_path);
      return;
    }
  lean->kind->method_call (self->bus, lean->model, method_name, parameters, invocation);
}

static GVariant *
subtree_get_property (GDBusConnection *connection,
                      const char      *sender,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *property_name,
                      GError         **error,
                      gpointer         user_data)
{
  OhBusObjects *self = user_data;
  Lean *lean = lookup_lean (self, object_path, interface_name);
  const OhBusProperty *property;

  if (lean == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT,
                   "No such object: %s", object_path);
      return NULL;
    }
  if ((property = find_property (lean->kind, property_name)) == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                   "No such property: %s", property_name);
      return NULL;
    }
  return property->get (lean->model);
}

static const GDBusInterfaceVTable subtree_interface_vtable = {
  .method_call = subtree_method_call,
  .get_property = subtree_get_property,
};

static char **
subtree_enumerate (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   gpointer         user_data)
{
  OhBusObjects *self = user_data;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  gsize root_len = strlen (object_path);
  GHashTableIter iter;
  Lean *lean;

  /* Only for introspection of the subtree's root: every call to an object
   * is dispatched without it (G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES). */
  g_hash_table_iter_init (&iter, self->lean);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lean))
    if (strncmp (lean->path, object_path, root_len) == 0 && lean->path[root_len] == '/')
      g_ptr_array_add (nodes, g_strdup (lean->path + root_len + 1));
  g_ptr_array_add (nodes, NULL);
  return (char **) g_ptr_array_steal (nodes, NULL);
}

static GDBusInterfaceInfo **
subtree_introspect (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *node,
                    gpointer         user_data)
{
  OhBusObjects *self = user_data;
  g_autofree char *path = NULL;
  GDBusInterfaceInfo **infos;
  Lean *lean;

  if (node == NULL)
    return NULL;
  path = node_path (self, object_path, node);
  if ((lean = lookup_lean (self, path, NULL)) == NULL)
    return NULL;
  infos = g_new0 (GDBusInterfaceInfo *, 2);
  infos[0] = g_dbus_interface_info_ref (lean->kind->info ());
  return infos;
}

static const GDBusInterfaceVTable *
subtree_dispatch (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  OhBusObjects *self = user_data;
  g_autofree char *path = NULL;

  if (node == NULL)
    return NULL;
  path = node_path (self, object_path, node);
  if (lookup_lean (self, path, interface_name) == NULL)
    return NULL;
  *out_user_data = self;
  return &subtree_interface_vtable;
}

static const GDBusSubtreeVTable subtree_vtable = {
  .enumerate = subtree_enumerate,
  .introspect = subtree_introspect,
  .dispatch = subtree_dispatch,
};

/* --- the manager ------------------------------------------------------ */

static void
manager_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  OhBusObjects *self = user_data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_full (g_hash_table_size (self->lean) +
                                                        g_hash_table_size (self->skeletons),
                                                        (GDestroyNotify) g_variant_unref);
  GHashTableIter iter;
  gpointer path, value;
  GVariant *objects;

  /* GetManagedObjects is the only method; GDBus checked the name. Pending
   * changes go first, so that the reply and the signals that follow it
   * agree. */
  g_clear_handle_id (&self->flush_id, g_source_remove);
  flush_pending (self);

  g_hash_table_iter_init (&iter, self->lean);
  while (g_hash_table_iter_next (&iter, &path, &value))
    g_ptr_array_add (entries, g_variant_ref (lean_entry (value)));
  g_hash_table_iter_init (&iter, self->skeletons);
  while (g_hash_table_iter_next (&iter, &path, &value))
    g_ptr_array_add (entries, g_variant_ref_sink (g_variant_new_dict_entry (g_variant_new_object_path (path),
                                                                            skeleton_interfaces (value))));
  objects = g_variant_new_array (G_VARIANT_TYPE ("{oa{sa{sv}}}"),
                                 (GVariant **) entries->pdata, entries->len);
  g_dbus_method_invocation_return_value (invocation, g_variant_new_tuple (&objects, 1));
}

static const GDBusInterfaceVTable manager_vtable = {
  .method_call = manager_method_call,
};

/**
 * oh_bus_objects_new:
 * @bus: what methods of users and sessions are handed to
 * @kinds: (array zero-terminated=1): the kinds of object served from the model
 *
 * Returns: (transfer full): an ObjectManager with nothing in it.
 */
OhBusObjects *
oh_bus_objects_new (OhBus                  *bus,
                    const OhBusKind *const *kinds)
{
  OhBusObjects *self = g_rc_box_new0 (OhBusObjects);

  while (kinds[self->n_kinds] != NULL)
    self->n_kinds++;
  self->bus = bus;
  self->kinds = g_memdup2 (kinds, (self->n_kinds + 1) * sizeof (kinds[0]));
  self->subtree_ids = g_new0 (guint, self->n_kinds);
  self->lean = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lean_free);
  self->skeletons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->dirty);
  return self;
}

static void
unregister (OhBusObjects *self)
{
  GHashTableIter iter;
  gpointer iface;

  if (self->connection == NULL)
    return;
  for (guint i = 0; i < self->n_kinds; i++)
    if (self->subtree_ids[i] != 0)
      g_dbus_connection_unregister_subtree (self->connection, self->subtree_ids[i]);
  memset (self->subtree_ids, 0, sizeof (guint) * self->n_kinds);
  if (self->manager_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->manager_id);
  self->manager_id = 0;
  g_hash_table_iter_init (&iter, self->skeletons);
  while (g_hash_table_iter_next (&iter, NULL, &iface))
    g_dbus_interface_skeleton_unexport_from_connection (iface, self->connection);
  g_clear_object (&self->connection);
}

/**
 * oh_bus_objects_set_connection:
 * @connection: (nullable): where to serve the objects; %NULL to stop
 *
 * Puts the ObjectManager and every object on @connection (after taking
 * them off the previous one).
 *
 * Returns: whether it worked: it fails only when something else serves
 * the manager's path on @connection.
 */
gboolean
oh_bus_objects_set_connection (OhBusObjects     *self,
                               GDBusConnection  *connection,
                               GError          **error)
{
  GHashTableIter iter;
  gpointer path, iface;

  unregister (self);
  if (connection == NULL)
    return TRUE;

  self->connection = g_object_ref (connection);
  self->manager_id = g_dbus_connection_register_object (connection, OH_OBJECT_PATH,
                                                        manager_interface_info (),
                                                        &manager_vtable, g_rc_box_acquire (self),
                                                        (GDestroyNotify) oh_bus_objects_unref,
                                                        error);
  if (self->manager_id == 0)
    goto failed;
  for (guint i = 0; i < self->n_kinds; i++)
    {
      self->subtree_ids[i] =
        g_dbus_connection_register_subtree (connection, self->kinds[i]->root, &subtree_vtable,
                                            G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES,
                                            g_rc_box_acquire (self),
                                            (GDestroyNotify) oh_bus_objects_unref, error);
      if (self->subtree_ids[i] == 0)
        goto failed;
    }
  g_hash_table_iter_init (&iter, self->skeletons);
  while (g_hash_table_iter_next (&iter, &path, &iface))
    if (!g_dbus_interface_skeleton_export (iface, connection, path, error))
      goto failed;
  return TRUE;

failed:
  unregister (self);
  return FALSE;
}

static void
clear (OhBusObjects *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_queue_init (&self->dirty);  /* its links are inside the objects */
  g_hash_table_destroy (self->lean);
  g_hash_table_destroy (self->skeletons);
  g_free (self->subtree_ids);
  g_free (self->kinds);
}

void
oh_bus_objects_unref (OhBusObjects *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) clear);
}

/**
 * oh_bus_objects_close:
 *
 * Takes everything off the bus and forgets the bus: calls GDBus has
 * already queued (it keeps its own reference until they have run) are
 * answered with an error.
 */
void
oh_bus_objects_close (OhBusObjects *self)
{
  unregister (self);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->bus = NULL;
}

/**
 * oh_bus_objects_add:
 * @kind: what @model is
 * @id: the object's name, made into the last element of its path
 *
 * Serves @model at @kind's root + "/" + @id from now on, and announces it
 * (InterfacesAdded) at the end of the main-loop turn, or before anything
 * else is said of it.
 */
void
oh_bus_objects_add (OhBusObjects    *self,
                    const OhBusKind *kind,
                    const char      *id,
                    GObject         *model)
{
  Lean *lean;

  g_return_if_fail (kind->n_properties <= 32);

  lean = g_new0 (Lean, 1);
  lean->owner = self;
  lean->kind = kind;
  lean->path = oh_bus_make_path (kind->prefix, id);
  lean->model = g_object_ref (model);
  lean->link.data = lean;
  kind->set_observer (model, on_model_changed, lean);
  g_hash_table_replace (self->lean, lean->path, lean);
  /* Announced from the idle, with the values it has by then: a sync sets
   * up 10,000 users and then their state, which would otherwise be an
   * InterfacesAdded and a PropertiesChanged each. */
  g_queue_push_tail_link (&self->dirty, &lean->link);
  queue_flush (self, lean);
}

/**
 * oh_bus_objects_remove:
 *
 * Sends what changed of the object since the last PropertiesChanged (a
 * final state clients must see), then removes it (InterfacesRemoved).
 */
void
oh_bus_objects_remove (OhBusObjects    *self,
                       const OhBusKind *kind,
                       const char      *id)
{
  g_autofree char *path = oh_bus_make_path (kind->prefix, id);
  const char *names[] = { kind->interface_name, NULL };
  Lean *lean = lookup_lean (self, path, NULL);

  if (lean == NULL)
    return;
  flush_lean (lean);
  g_hash_table_remove (self->lean, path);
  emit (self, OH_OBJECT_PATH, MANAGER_IFACE, "InterfacesRemoved",
        g_variant_new ("(o^as)", path, names));
}

/**
 * oh_bus_objects_add_skeleton:
 *
 * Exports @iface at @path and announces it.
 */
void
oh_bus_objects_add_skeleton (OhBusObjects           *self,
                             const char             *path,
                             GDBusInterfaceSkeleton *iface)
{
  g_autoptr(GError) error = NULL;

  g_hash_table_replace (self->skeletons, g_strdup (path), g_object_ref (iface));
  if (self->connection == NULL)
    return;
  if (!g_dbus_interface_skeleton_export (iface, self->connection, path, &error))
    {
      g_warning ("Could not export %s: %s", path, error->message);
      return;
    }
  emit (self, OH_OBJECT_PATH, MANAGER_IFACE, "InterfacesAdded",
        g_variant_new ("(o@a{sa{sv}})", path, skeleton_interfaces (iface)));
}

/**
 * oh_bus_objects_remove_skeleton:
 *
 * Sends the skeleton's pending property changes, then takes it off the
 * bus and announces that.
 */
void
oh_bus_objects_remove_skeleton (OhBusObjects *self,
                                const char   *path)
{
  GDBusInterfaceSkeleton *iface = g_hash_table_lookup (self->skeletons, path);
  const char *names[2] = { NULL, NULL };

  if (iface == NULL)
    return;
  names[0] = g_dbus_interface_skeleton_get_info (iface)->name;
  if (self->connection != NULL)
    {
      g_dbus_interface_skeleton_flush (iface);
      g_dbus_interface_skeleton_unexport_from_connection (iface, self->connection);
      emit (self, OH_OBJECT_PATH, MANAGER_IFACE, "InterfacesRemoved",
            g_variant_new ("(o^as)", path, names));
    }
  g_hash_table_remove (self->skeletons, path);
}

/* oh-bus-util.c: what every exported object shares
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-bus"

#include "oh-bus-private.h"

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

char *
oh_bus_make_path (const char *prefix,
           const char *id)
{
  g_autofree char *element = oh_bus_escape_path_element (id);

  return g_strconcat (prefix, *element ? element : "_", NULL);
}

/* Mirrors model properties onto a skeleton's properties of the same names,
 * with one notify handler per object (cheaper than a GBinding per property
 * at ten thousand users). The skeleton coalesces the resulting
 * PropertiesChanged into one signal per main-loop turn. */
void
oh_bus_copy_property (GObject    *model,
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
  OhBusMirrorFunc mirror = g_object_get_data (skeleton, "oh-mirror");

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (skeleton), pspec->name))
    mirror (model, skeleton, pspec->name);
}

void
oh_bus_mirror_properties (GObject    *model,
                   GObject    *skeleton,
                   OhBusMirrorFunc mirror)
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

char **
oh_bus_make_paths (const char        *prefix,
            const char *const *ids)
{
  guint n = ids ? g_strv_length ((char **) ids) : 0;
  char **paths = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    paths[i] = oh_bus_make_path (prefix, ids[i]);
  return paths;
}

void
oh_bus_forget_model (GObject *model)
{
  g_signal_handlers_disconnect_matched (model, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_model_notify, NULL);
}

/**
 * oh_bus_unexport_object:
 * @iface_name: the interface whose last changes must reach clients first
 *
 * Removes the object at @path, after flushing pending property changes
 * (a final state such as "completed" or "ended") so every client sees them
 * before InterfacesRemoved.
 */
void
oh_bus_unexport_object (GDBusObjectManagerServer *manager,
                        const char               *path,
                        const char               *iface_name)
{
  g_autoptr(GDBusObject) object = g_dbus_object_manager_get_object (G_DBUS_OBJECT_MANAGER (manager), path);

  if (object && iface_name)
    {
      g_autoptr(GDBusInterface) iface = g_dbus_object_get_interface (object, iface_name);

      if (iface)
        g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (iface));
    }
  g_dbus_object_manager_server_unexport (manager, path);
}

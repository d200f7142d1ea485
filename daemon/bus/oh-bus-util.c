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

/* An "ao" of @ids made into paths below @prefix. */
GVariant *
oh_bus_variant_paths (const char        *prefix,
                      const char *const *ids)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_OBJECT_PATH_ARRAY);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *path = oh_bus_make_path (prefix, ids[i]);

      g_variant_builder_add_value (&builder, g_variant_new_object_path (path));
    }
  return g_variant_builder_end (&builder);
}

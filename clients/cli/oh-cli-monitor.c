/* oh-cli-monitor.c: monitor, every change on the bus until interrupted
 *
 * Prints each signal of the daemon as one line (objects added and removed,
 * property changes, the root's own signals) and when the daemon starts or
 * stops; with --json, one JSON object per line with the D-Bus names of
 * interfaces and properties.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

typedef struct {
  OhCli *cli;
  char  *owner;   /* the daemon's unique name, or NULL */
} Monitor;

/* "/org/offhook/Offhook1/User/102" is "User/102"; the root object is
 * named by the interface ("Account"). */
static char *
object_name (const char *path,
             const char *interface)
{
  if (g_str_has_prefix (path, OH_OBJECT_PATH "/"))
    return g_strdup (path + strlen (OH_OBJECT_PATH "/"));
  if (g_str_equal (path, OH_OBJECT_PATH))
    {
      if (interface && g_str_has_prefix (interface, "org.offhook.Offhook1."))
        return g_strdup (interface + strlen ("org.offhook.Offhook1."));
      return g_strdup ("Offhook1");
    }
  return g_strdup (path);
}

static void append_value (GString *out, const char *key, GVariant *value);

static void
append_dict (GString  *out,
             GVariant *dict,
             gboolean  braces)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;
  gboolean first = TRUE;

  if (braces)
    g_string_append_c (out, '{');
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!first)
        g_string_append (out, braces ? ", " : " ");
      first = FALSE;
      g_string_append_printf (out, "%s=", key);
      append_value (out, key, value);
      g_variant_unref (value);
    }
  if (braces)
    g_string_append_c (out, '}');
}

static void
append_value (GString    *out,
              const char *key,
              GVariant   *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      append_value (out, key, inner);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    {
      const char *path = g_variant_get_string (value, NULL);
      g_autofree char *name = object_name (path, NULL);

      g_string_append (out, g_str_equal (path, "/") ? "-" : name);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_autofree char *clean = oh_cli_sanitize (g_variant_get_string (value, NULL));

      if (*clean == '\0' || strpbrk (clean, " '\"="))
        {
          g_autofree char *quoted = g_shell_quote (clean);

          g_string_append (out, quoted);
        }
      else
        g_string_append (out, clean);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64) && key &&
           (g_str_has_suffix (key, "Time") || g_str_has_suffix (key, "-time") ||
            g_str_equal (key, "time")) &&
           g_variant_get_int64 (value) > 0)
    {
      g_autofree char *time = oh_cli_format_time (g_variant_get_int64 (value));

      g_string_append (out, time);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      append_dict (out, value, TRUE);
    }
  else if (g_variant_is_container (value) &&
           !g_variant_is_of_type (value, G_VARIANT_TYPE_DICTIONARY))
    {
      GVariantIter iter;
      GVariant *child;
      gboolean first = TRUE;

      g_string_append_c (out, '[');
      g_variant_iter_init (&iter, value);
      while ((child = g_variant_iter_next_value (&iter)))
        {
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          append_value (out, NULL, child);
          g_variant_unref (child);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = g_variant_print (value, FALSE);
      g_autofree char *clean = oh_cli_sanitize (text);

      g_string_append (out, clean);
    }
}

static void
print_human (const char *object,
             const char *event,
             const char *details)
{
  g_autofree char *clock = oh_cli_format_clock ();
  g_autofree char *clean_object = oh_cli_sanitize (object);

  if (details && *details)
    oh_cli_print_line ("%s  %s  %s  %s", clock, clean_object, event, details);
  else
    oh_cli_print_line ("%s  %s  %s", clock, clean_object, event);
}

static JsonBuilder *
json_event (const char *event,
            const char *path)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "event", event);
  oh_cli_json_add_int (b, "time", g_get_real_time ());
  if (path)
    oh_cli_json_add_string (b, "path", path);
  return b;
}

static void
print_json_event (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  oh_cli_print_json (root);
}

static void
on_interfaces_added (Monitor    *monitor,
                     GVariant   *parameters)
{
  const char *path;
  g_autoptr(GVariant) interfaces = NULL;

  g_variant_get (parameters, "(&o@a{sa{sv}})", &path, &interfaces);
  if (monitor->cli->json)
    {
      g_autoptr(JsonBuilder) b = json_event ("added", path);

      json_builder_set_member_name (b, "interfaces");
      json_builder_add_value (b, json_gvariant_serialize (interfaces));
      print_json_event (b);
    }
  else
    {
      g_autofree char *name = object_name (path, NULL);
      g_autoptr(GString) details = g_string_new (NULL);
      GVariantIter iter;
      GVariant *props;

      g_variant_iter_init (&iter, interfaces);
      while (g_variant_iter_next (&iter, "{&s@a{sv}}", NULL, &props))
        {
          if (details->len)
            g_string_append_c (details, ' ');
          append_dict (details, props, FALSE);
          g_variant_unref (props);
        }
      print_human (name, oh_cli_event_label (OH_CLI_EVENT_ADDED), details->str);
    }
}

static void
on_interfaces_removed (Monitor  *monitor,
                       GVariant *parameters)
{
  const char *path;
  g_autofree const char **interfaces = NULL;

  g_variant_get (parameters, "(&o^a&s)", &path, &interfaces);
  if (monitor->cli->json)
    {
      g_autoptr(JsonBuilder) b = json_event ("removed", path);

      oh_cli_json_add_strv (b, "interfaces", interfaces);
      print_json_event (b);
    }
  else
    {
      g_autofree char *name = object_name (path, NULL);

      print_human (name, oh_cli_event_label (OH_CLI_EVENT_REMOVED), NULL);
    }
}

static void
on_properties_changed (Monitor    *monitor,
                       const char *path,
                       GVariant   *parameters)
{
  const char *interface;
  g_autoptr(GVariant) changed = NULL;
  g_autofree const char **invalidated = NULL;

  g_variant_get (parameters, "(&s@a{sv}^a&s)", &interface, &changed, &invalidated);
  if (monitor->cli->json)
    {
      g_autoptr(JsonBuilder) b = json_event ("changed", path);

      oh_cli_json_add_string (b, "interface", interface);
      json_builder_set_member_name (b, "properties");
      json_builder_add_value (b, json_gvariant_serialize (changed));
      oh_cli_json_add_strv (b, "invalidated", invalidated);
      print_json_event (b);
    }
  else
    {
      g_autofree char *name = object_name (path, interface);
      g_autoptr(GString) details = g_string_new (NULL);

      append_dict (details, changed, FALSE);
      for (guint i = 0; invalidated && invalidated[i]; i++)
        g_string_append_printf (details, "%s%s=?", details->len ? " " : "", invalidated[i]);
      print_human (name, oh_cli_event_label (OH_CLI_EVENT_CHANGED), details->str);
    }
}

static void
on_other_signal (Monitor    *monitor,
                 const char *path,
                 const char *interface,
                 const char *member,
                 GVariant   *parameters)
{
  if (monitor->cli->json)
    {
      g_autoptr(JsonBuilder) b = json_event ("signal", path);

      oh_cli_json_add_string (b, "interface", interface);
      oh_cli_json_add_string (b, "signal", member);
      json_builder_set_member_name (b, "args");
      json_builder_add_value (b, json_gvariant_serialize (parameters));
      print_json_event (b);
    }
  else
    {
      g_autofree char *name = object_name (path, interface);
      g_autoptr(GString) details = g_string_new (NULL);
      GVariantIter iter;
      GVariant *arg;

      g_variant_iter_init (&iter, parameters);
      while ((arg = g_variant_iter_next_value (&iter)))
        {
          if (details->len)
            g_string_append_c (details, ' ');
          if (g_variant_is_of_type (arg, G_VARIANT_TYPE_VARDICT))
            append_dict (details, arg, FALSE);
          else
            append_value (details, NULL, arg);
          g_variant_unref (arg);
        }
      print_human (name, member, details->str);
    }
}

static void
on_signal (GDBusConnection *bus,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *parameters,
           gpointer         user_data)
{
  Monitor *monitor = user_data;

  /* The subscription names the daemon's well-known name; other signals
   * (the bus's own, say) can still reach this connection. */
  if (monitor->owner == NULL || g_strcmp0 (sender, monitor->owner) != 0)
    return;

  if (g_str_equal (interface, "org.freedesktop.DBus.ObjectManager") &&
      g_str_equal (member, "InterfacesAdded") &&
      g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(oa{sa{sv}})")))
    on_interfaces_added (monitor, parameters);
  else if (g_str_equal (interface, "org.freedesktop.DBus.ObjectManager") &&
           g_str_equal (member, "InterfacesRemoved") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(oas)")))
    on_interfaces_removed (monitor, parameters);
  else if (g_str_equal (interface, "org.freedesktop.DBus.Properties") &&
           g_str_equal (member, "PropertiesChanged") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sa{sv}as)")))
    on_properties_changed (monitor, path, parameters);
  else
    on_other_signal (monitor, path, interface, member, parameters);
}

static void
on_name_owner_changed (GDBusConnection *bus,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *member,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  Monitor *monitor = user_data;
  const char *name, *old_owner, *new_owner;

  if (g_strcmp0 (sender, "org.freedesktop.DBus") != 0 ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (!g_str_equal (name, OH_BUS_NAME))
    return;

  g_clear_pointer (&monitor->owner, g_free);
  if (*new_owner)
    monitor->owner = g_strdup (new_owner);

  if (monitor->cli->json)
    {
      const char *event = *new_owner ? "daemon-started" : "daemon-stopped";
      g_autoptr(JsonBuilder) b = json_event (event, NULL);

      oh_cli_json_add_string (b, "owner", *new_owner ? new_owner : old_owner);
      print_json_event (b);
    }
  else
    print_human ("offhookd", *new_owner ? _("started") : _("stopped"), NULL);
}

int
oh_cli_cmd_monitor (OhCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  Monitor monitor = { cli, NULL };
  guint signals_id, owner_id;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "monitor", NULL,
                             _("Print every change on the bus, one line each, until interrupted."),
                             0, 0, &status))
    return status;

  oh_cli_loop_prepare (cli);
  if (!oh_cli_ensure_daemon (cli, &error))
    return oh_cli_fail (error);

  owner_id = g_dbus_connection_signal_subscribe (cli->bus, "org.freedesktop.DBus",
                                                 "org.freedesktop.DBus", "NameOwnerChanged",
                                                 "/org/freedesktop/DBus", OH_BUS_NAME,
                                                 G_DBUS_SIGNAL_FLAGS_NONE,
                                                 on_name_owner_changed, &monitor, NULL);
  signals_id = g_dbus_connection_signal_subscribe (cli->bus, OH_BUS_NAME, NULL, NULL, NULL, NULL,
                                                   G_DBUS_SIGNAL_FLAGS_NONE,
                                                   on_signal, &monitor, NULL);

  /* The match rules go out before this call, so once it returns nothing
   * the daemon emits is missed; it also tells who the daemon is now. */
  reply = g_dbus_connection_call_sync (cli->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", OH_BUS_NAME), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply)
    g_variant_get (reply, "(s)", &monitor.owner);

  status = oh_cli_loop_run (cli);

  g_dbus_connection_signal_unsubscribe (cli->bus, signals_id);
  g_dbus_connection_signal_unsubscribe (cli->bus, owner_id);
  g_free (monitor.owner);
  return status;
}

/* oh-cli-common.c: what every offhook command shares
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "oh-cli-common.h"

static const struct {
  const char *name;
  OhExit      code;
} error_codes[] = {
  { "org.offhook.Offhook1.Error.NotConnected", OH_EXIT_NOT_CONNECTED },
  { "org.offhook.Offhook1.Error.AccessDenied", OH_EXIT_NOT_CONNECTED },
  { "org.offhook.Offhook1.Error.InvalidArgument", OH_EXIT_INVALID_ARGUMENT },
  { "org.offhook.Offhook1.Error.NotFound", OH_EXIT_NOT_FOUND },
  { "org.freedesktop.DBus.Error.ServiceUnknown", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.NameHasNoOwner", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.Spawn.ChildExited", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.NoReply", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.Disconnected", OH_EXIT_UNREACHABLE },
};

/**
 * oh_cli_fail:
 * @error: what the daemon (or the bus) said
 *
 * Prints the error as one line on stderr, without the D-Bus error name.
 *
 * Returns: the exit code for it.
 */
int
oh_cli_fail (const GError *error)
{
  g_autofree char *remote = g_dbus_error_get_remote_error (error);
  g_autoptr(GError) copy = g_error_copy (error);
  OhExit code = OH_EXIT_FAILED;

  g_dbus_error_strip_remote_error (copy);
  for (guint i = 0; remote && i < G_N_ELEMENTS (error_codes); i++)
    if (g_str_equal (remote, error_codes[i].name))
      code = error_codes[i].code;

  if (code == OH_EXIT_UNREACHABLE)
    return oh_cli_unreachable (copy);

  g_printerr ("offhook: %s\n", copy->message);
  return code;
}

int
oh_cli_unreachable (const GError *error)
{
  g_printerr (_("offhook: the Offhook daemon cannot be reached (%s)\n"),
              error ? error->message : _("it is not running"));
  return OH_EXIT_UNREACHABLE;
}

int
oh_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("offhook: %s\n", message);
  return OH_EXIT_INVALID_ARGUMENT;
}

/**
 * oh_cli_account_proxy:
 *
 * Returns: (transfer full): a proxy for the Account interface, after making
 * sure the daemon runs (starting it through D-Bus activation when needed).
 */
OhDBusAccount *
oh_cli_account_proxy (OhCli   *cli,
                      GError **error)
{
  g_autoptr(GVariant) reply = NULL;

  /* An explicit call activates the daemon and proves it answers; a proxy
   * alone would happily return empty cached properties. */
  reply = g_dbus_connection_call_sync (cli->bus, OH_BUS_NAME, OH_OBJECT_PATH,
                                       "org.freedesktop.DBus.Peer", "Ping",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                       25000, NULL, error);
  if (reply == NULL)
    return NULL;

  return oh_dbus_account_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_NONE,
                                         OH_BUS_NAME, OH_OBJECT_PATH, NULL,
                                         error);
}

/**
 * oh_cli_variant_to_json:
 * @value: a variant, typically a{sv} or aa{sv}
 *
 * Returns: (transfer full): @value as one line of JSON.
 */
char *
oh_cli_variant_to_json (GVariant *value)
{
  g_autoptr(JsonNode) node = json_gvariant_serialize (value);

  return json_to_string (node, FALSE);
}

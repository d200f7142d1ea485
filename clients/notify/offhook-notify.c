/* offhook-notify.c: desktop notifications for Offhook's calls and messages
 *
 * Only main(): options, the single-instance bus name, and the main loop
 * until SIGTERM or SIGINT. What is shown and why is in oh-notifier.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-notify"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "oh-notifications.h"
#include "oh-notifier.h"

/* Owned while running, so that the systemd unit and the XDG autostart file
 * can both be installed without two notifiers showing everything twice;
 * owning it also tells systemd (Type=dbus) and the tests that it is ready. */
#define NOTIFY_BUS_NAME "org.offhook.Notify"
#define CAPABILITIES_TIMEOUT_MSEC 5000

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_debug ("Quitting");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static void
on_name_lost (GDBusConnection *bus,
              const char      *sender,
              const char      *path,
              const char      *interface,
              const char      *member,
              GVariant        *parameters,
              gpointer         user_data)
{
  const char *name;

  g_variant_get (parameters, "(&s)", &name);
  if (g_str_equal (name, NOTIFY_BUS_NAME))
    {
      g_message ("Lost the bus name %s; quitting", NOTIFY_BUS_NAME);
      g_main_loop_quit (user_data);
    }
}

/* Returns: 1 when we are the only notifier, 0 when another one runs, -1 on
 * error. */
static int
claim_name (GDBusConnection  *bus,
            GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", NOTIFY_BUS_NAME,
                                                      0x4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       error);
  if (reply == NULL)
    return -1;
  g_variant_get (reply, "(u)", &result);
  return result == 1 /* PRIMARY_OWNER */ ? 1 : 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(OhNotifications) notifications = NULL;
  g_autoptr(OhNotifier) notifier = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print debug messages"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  guint sigterm_id, sigint_id, lost_id;
  int claimed;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Offhook"));

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Show desktop notifications for the calls and "
                                            "messages of the Offhook phone daemon."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("offhook-notify: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("offhook-notify %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1)
    {
      g_printerr (_("offhook-notify: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }
  if (verbose && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_setenv ("G_MESSAGES_DEBUG", G_LOG_DOMAIN, TRUE);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("offhook-notify: no session bus: %s\n"), error->message);
      return 1;
    }

  notifications = oh_notifications_new (bus);
  oh_notifications_load_capabilities (notifications, CAPABILITIES_TIMEOUT_MSEC);
  notifier = oh_notifier_new (bus, notifications, &error);
  if (notifier == NULL)
    {
      g_printerr (_("offhook-notify: cannot watch the Offhook daemon: %s\n"), error->message);
      return 1;
    }

  /* Nothing has been shown yet: the main loop has not run. */
  claimed = claim_name (bus, &error);
  if (claimed < 0)
    {
      g_printerr (_("offhook-notify: cannot own %s: %s\n"), NOTIFY_BUS_NAME, error->message);
      return 1;
    }
  if (claimed == 0)
    {
      g_printerr (_("offhook-notify: already running\n"));
      return 0;
    }

  loop = g_main_loop_new (NULL, FALSE);
  lost_id = g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus",
                                                "org.freedesktop.DBus", "NameLost",
                                                "/org/freedesktop/DBus", NOTIFY_BUS_NAME,
                                                G_DBUS_SIGNAL_FLAGS_NONE, on_name_lost, loop,
                                                NULL);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  oh_notifier_start (notifier);
  g_debug ("Ready");
  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_dbus_connection_signal_unsubscribe (bus, lost_id);
  oh_notifier_withdraw_ringing (notifier);
  g_clear_object (&notifier);
  g_clear_object (&notifications);
  if (!g_dbus_connection_flush_sync (bus, NULL, &error))
    g_debug ("Could not flush the bus: %s", error->message);
  return 0;
}

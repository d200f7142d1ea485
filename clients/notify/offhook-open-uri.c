/* offhook-open-uri.c: calls the number of a tel:, sip:, sips: or callto: link
 *
 * The handler of those URI schemes (offhook-open-uri.desktop): a browser or
 * a mail client runs it with the link. The link is checked and read by
 * oh_dial_uri_parse() and dialled with Phone.Dial(), starting the daemon
 * when needed. A link with ";ext=" waits for the call to be answered and
 * then, after a pause like a phone's "," (2 s), sends the extension as
 * DTMF. Whatever goes wrong is said in a notification (the user clicked a
 * link; there is no terminal) and on stderr.
 *
 * Exit codes: 0 the call was placed, 1 failure, 2 the link is refused (or
 * the daemon refused the number), 3 the daemon cannot be reached, 4 it is
 * not connected to the PBX, 5 no such user.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-notify"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "oh-dbus-generated.h"
#include "oh-dial-uri.h"
#include "oh-notifications.h"
#include "oh-notify-text.h"

#define EXIT_FAILED 1
#define EXIT_INVALID 2
#define EXIT_UNREACHABLE 3
#define EXIT_NOT_CONNECTED 4
#define EXIT_NOT_FOUND 5

#define EXTENSION_PAUSE_MSEC 2000
/* The longest wait for an answer before the extension is given up. */
#define ANSWER_TIMEOUT_SEC 180
#define NOTIFY_TIMEOUT_MSEC 5000

typedef struct {
  GMainLoop       *loop;
  OhNotifications *notifications;
  OhDBusCall      *call;
  const char      *extension;
  guint            pause_id;
  int              status;
} Handler;

static int
exit_code_for (const GError *error)
{
  static const struct
  {
    const char *name;
    int code;
  } codes[] = {
    { "org.offhook.Offhook1.Error.InvalidArgument", EXIT_INVALID },
    { "org.offhook.Offhook1.Error.NotConnected", EXIT_NOT_CONNECTED },
    { "org.offhook.Offhook1.Error.AccessDenied", EXIT_NOT_CONNECTED },
    { "org.offhook.Offhook1.Error.NotFound", EXIT_NOT_FOUND },
    { "org.freedesktop.DBus.Error.ServiceUnknown", EXIT_UNREACHABLE },
    { "org.freedesktop.DBus.Error.NameHasNoOwner", EXIT_UNREACHABLE },
    { "org.freedesktop.DBus.Error.NoReply", EXIT_UNREACHABLE },
    { "org.freedesktop.DBus.Error.TimedOut", EXIT_UNREACHABLE },
  };
  g_autofree char *remote = g_dbus_error_get_remote_error (error);

  for (guint i = 0; remote && i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (remote, codes[i].name))
      return codes[i].code;
  if (remote && g_str_has_prefix (remote, "org.freedesktop.DBus.Error.Spawn."))
    return EXIT_UNREACHABLE;
  return EXIT_FAILED;
}

static void
on_notified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Handler *handler = user_data;
  g_autoptr(GError) error = NULL;

  if (!oh_notifications_send_finish (OH_NOTIFICATIONS (source), result, &error))
    g_printerr (_("offhook-open-uri: could not show a notification: %s\n"), error->message);
  g_main_loop_quit (handler->loop);
}

/* Says what went wrong, on stderr and in a notification, and waits until
 * the notification server has it. */
static int
fail (Handler    *handler,
      int         status,
      const char *summary,
      const char *reason,
      const char *uri)
{
  g_autofree char *clean_reason = oh_notify_text_clean (reason, OH_NOTIFY_BODY_MAX);
  g_autofree char *clean_uri = oh_notify_text_clean (uri, OH_NOTIFY_SUMMARY_MAX);
  g_autofree char *body = NULL;
  OhNotification n = {
    .summary = summary,
    .icon = "dialog-error",
    .category = "call",
    .urgency = OH_NOTIFICATION_URGENCY_NORMAL,
    .expire_timeout = -1,
  };

  g_printerr ("offhook-open-uri: %s: %s\n", summary, clean_reason);
  if (handler->notifications == NULL)
    return status;
  if (*clean_uri)
    body = g_strdup_printf ("%s\n%s", clean_reason, clean_uri);
  else
    body = g_steal_pointer (&clean_reason);
  n.body = body;
  oh_notifications_send_async (handler->notifications, &n, NULL, on_notified, handler);
  g_main_loop_run (handler->loop);
  return status;
}

/* --- the extension, once answered ------------------------------------ */

static void
on_dtmf_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Handler *handler = user_data;
  g_autoptr(GError) error = NULL;

  if (!oh_dbus_call_call_send_dtmf_finish (OH_DBUS_CALL (source), result, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_("offhook-open-uri: could not dial the extension: %s\n"), error->message);
      handler->status = EXIT_FAILED;
    }
  g_main_loop_quit (handler->loop);
}

static void
on_pause_over (gpointer user_data)
{
  Handler *handler = user_data;

  handler->pause_id = 0;
  g_debug ("Dialling extension %s", handler->extension);
  oh_dbus_call_call_send_dtmf (handler->call, handler->extension, NULL, on_dtmf_sent, handler);
}

static void
check_call (Handler *handler)
{
  const char *state = oh_dbus_call_get_state (handler->call);
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (handler->call));

  if (owner == NULL || g_strcmp0 (state, "ended") == 0)
    {
      g_printerr (_("offhook-open-uri: the call ended before the extension was dialled\n"));
      g_main_loop_quit (handler->loop);
    }
  else if (g_strcmp0 (state, "active") == 0 && handler->pause_id == 0)
    handler->pause_id = g_timeout_add_once (EXTENSION_PAUSE_MSEC, on_pause_over, handler);
  else if (g_strcmp0 (state, "active") != 0)
    g_clear_handle_id (&handler->pause_id, g_source_remove);
}

static void
on_call_changed (GDBusProxy *proxy,
                 GVariant   *changed,
                 GStrv       invalidated,
                 gpointer    user_data)
{
  check_call (user_data);
}

static void
on_owner_changed (GObject    *proxy,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  check_call (user_data);
}

static gboolean
on_quit (gpointer user_data)
{
  Handler *handler = user_data;

  g_main_loop_quit (handler->loop);
  return G_SOURCE_CONTINUE;
}

static void
dial_extension (Handler         *handler,
                GDBusConnection *bus,
                const char      *path)
{
  g_autoptr(GError) error = NULL;
  guint timeout_id, sigint_id, sigterm_id;

  handler->call = oh_dbus_call_proxy_new_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                               OH_BUS_NAME, path, NULL, &error);
  if (handler->call == NULL)
    {
      g_printerr (_("offhook-open-uri: could not follow the call: %s\n"), error->message);
      handler->status = EXIT_FAILED;
      return;
    }
  g_signal_connect (handler->call, "g-properties-changed", G_CALLBACK (on_call_changed), handler);
  g_signal_connect (handler->call, "notify::g-name-owner", G_CALLBACK (on_owner_changed), handler);
  timeout_id = g_timeout_add_seconds (ANSWER_TIMEOUT_SEC, on_quit, handler);
  sigint_id = g_unix_signal_add (SIGINT, on_quit, handler);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit, handler);
  check_call (handler);
  g_main_loop_run (handler->loop);
  g_source_remove (timeout_id);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&handler->pause_id, g_source_remove);
  g_clear_object (&handler->call);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(OhNotifications) notifications = NULL;
  g_autoptr(OhDialUri) parsed = NULL;
  g_autoptr(OhDBusPhone) phone = NULL;
  g_autofree char *path = NULL;
  g_autofree char *what = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  Handler handler = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Offhook"));

  context = g_option_context_new (_("URI"));
  g_option_context_set_summary (context, _("Call the number of a tel:, sip:, sips: or callto: "
                                            "link with the Offhook phone daemon."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* A link is never an option, even one that starts with "-". */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("offhook-open-uri: %s\n", error->message);
      return EXIT_INVALID;
    }
  if (version)
    {
      g_print ("offhook-open-uri %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1 && g_str_equal (argv[1], "--"))
    {
      argv++;
      argc--;
    }
  if (argc != 2)
    {
      g_printerr (_("offhook-open-uri: give one link, e.g. “offhook-open-uri tel:101”\n"));
      return EXIT_INVALID;
    }

  loop = g_main_loop_new (NULL, FALSE);
  handler.loop = loop;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("offhook-open-uri: no session bus: %s\n"), error->message);
      return EXIT_UNREACHABLE;
    }
  notifications = oh_notifications_new (bus);
  handler.notifications = notifications;

  parsed = oh_dial_uri_parse (argv[1], &error);
  if (parsed == NULL)
    {
      oh_notifications_load_capabilities (notifications, NOTIFY_TIMEOUT_MSEC);
      return fail (&handler, EXIT_INVALID, _("Offhook cannot call this link"), error->message,
                   argv[1]);
    }

  g_debug ("Dialling %s", parsed->target);
  phone = oh_dbus_phone_proxy_new_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                        OH_BUS_NAME, OH_OBJECT_PATH, NULL, &error);
  if (phone == NULL ||
      !oh_dbus_phone_call_dial_sync (phone, parsed->target, g_variant_new ("a{sv}", NULL), &path,
                                     NULL, &error))
    {
      int status = exit_code_for (error);

      g_dbus_error_strip_remote_error (error);
      oh_notifications_load_capabilities (notifications, NOTIFY_TIMEOUT_MSEC);
      what = g_strdup_printf (_("Could not call %s"), parsed->target);
      return fail (&handler, status, what, error->message, NULL);
    }
  g_print ("%s\n", path);

  handler.status = 0;
  if (parsed->extension)
    {
      handler.extension = parsed->extension;
      dial_extension (&handler, bus, path);
    }
  return handler.status;
}

/* oh-cli-common.c: what every offhook command shares
 *
 * Errors and exit codes, option parsing, reaching the daemon (activating
 * it when needed), finding users, and the main loop that --watch and
 * monitor run until SIGINT or SIGTERM. What is printed, and how, is in
 * oh-cli-output.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "oh-cli-common.h"

/* --- errors ---------------------------------------------------------- */

static const struct {
  const char *name;
  OhExit      code;
} error_codes[] = {
  { "org.offhook.Offhook1.Error.NotConnected", OH_EXIT_NOT_CONNECTED },
  { "org.offhook.Offhook1.Error.AccessDenied", OH_EXIT_NOT_CONNECTED },
  { "org.offhook.Offhook1.Error.InvalidArgument", OH_EXIT_INVALID_ARGUMENT },
  { "org.offhook.Offhook1.Error.NotFound", OH_EXIT_NOT_FOUND },
  { "org.offhook.Offhook1.Error.NotSupported", OH_EXIT_FAILED },
  { "org.offhook.Offhook1.Error.Busy", OH_EXIT_FAILED },
  { "org.offhook.Offhook1.Error.Failed", OH_EXIT_FAILED },
  { "org.freedesktop.DBus.Error.ServiceUnknown", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.NameHasNoOwner", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.NoReply", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.Disconnected", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.NoServer", OH_EXIT_UNREACHABLE },
  { "org.freedesktop.DBus.Error.TimedOut", OH_EXIT_UNREACHABLE },
};

/* What an older daemon answers for a member it does not have yet. */
static const char *const unsupported_errors[] = {
  "org.freedesktop.DBus.Error.UnknownMethod",
  "org.freedesktop.DBus.Error.UnknownInterface",
  "org.freedesktop.DBus.Error.UnknownObject",
  "org.freedesktop.DBus.Error.UnknownProperty",
  NULL
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
  char *clean;

  g_dbus_error_strip_remote_error (copy);
  /* One line, whatever the daemon (or the PBX behind it) said. */
  clean = oh_cli_sanitize (copy->message);
  g_free (copy->message);
  copy->message = clean;
  if (remote)
    {
      for (guint i = 0; i < G_N_ELEMENTS (error_codes); i++)
        if (g_str_equal (remote, error_codes[i].name))
          code = error_codes[i].code;
      if (g_str_has_prefix (remote, "org.freedesktop.DBus.Error.Spawn."))
        code = OH_EXIT_UNREACHABLE;
      if (g_strv_contains (unsupported_errors, remote))
        {
          g_printerr (_("offhook: the daemon does not support this yet (%s)\n"), copy->message);
          return OH_EXIT_FAILED;
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED))
    {
      code = OH_EXIT_UNREACHABLE;
    }

  if (code == OH_EXIT_UNREACHABLE)
    return oh_cli_unreachable (copy);

  g_printerr ("offhook: %s\n", copy->message);
  return code;
}

/**
 * oh_cli_error:
 * @code: the exit code
 *
 * Prints "offhook: " and the message as one line on stderr.
 *
 * Returns: @code
 */
int
oh_cli_error (OhExit      code,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  clean = oh_cli_sanitize (message);
  g_printerr ("offhook: %s\n", clean);
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
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  clean = oh_cli_sanitize (message);
  g_printerr ("offhook: %s\n", clean);
  return OH_EXIT_INVALID_ARGUMENT;
}

/* --- arguments ------------------------------------------------------- */

/**
 * oh_cli_parse_options:
 * @argv: the command's arguments, the command name first
 * @entries: (nullable): the command's options
 * @command: the command, e.g. "chat send"
 * @parameters: (nullable): its arguments in the usage line, e.g. "SERVER USER"
 * @max_args: at most this many positional arguments, or -1
 * @status: (out): the exit code when parsing failed
 *
 * Parses a command's options (and --json, which may also follow the
 * command) and checks the number of positional arguments left in @argv.
 *
 * Returns: %TRUE to go on
 */
gboolean
oh_cli_parse_options (OhCli               *cli,
                      int                 *argc,
                      char              ***argv,
                      const GOptionEntry  *entries,
                      const char          *command,
                      const char          *parameters,
                      const char          *summary,
                      int                  min_args,
                      int                  max_args,
                      int                 *status)
{
  g_autofree char *usage = g_strjoin (" ", command, parameters, NULL);
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;
  const GOptionEntry common[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  int n;

  g_option_context_set_summary (context, summary);
  if (entries)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = oh_cli_usage_error ("%s", error->message);
      return FALSE;
    }

  /* The "--" that GOption left where it stopped (it ends the options) is
   * not an argument. */
  for (int i = 1; i < *argc; i++)
    if (g_str_equal ((*argv)[i], "--"))
      {
        memmove (*argv + i, *argv + i + 1, sizeof (char *) * (*argc - i));
        (*argc)--;
        break;
      }

  n = *argc - 1;
  if (n < min_args)
    {
      *status = oh_cli_usage_error (_("“%s” needs more arguments; see “offhook %s --help”"),
                                    command, command);
      return FALSE;
    }
  if (max_args >= 0 && n > max_args)
    {
      *status = oh_cli_usage_error (_("too many arguments for “%s”; see “offhook %s --help”"),
                                    command, command);
      return FALSE;
    }
  return TRUE;
}

static GDateTime *
local_midnight (int days_ago)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -days_ago);

  return g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day), 0, 0, 0);
}

/**
 * oh_cli_parse_time:
 * @text: "now", "today", "yesterday", an age such as "30m", "2h", "7d" or
 *   "1w", "@SECONDS" since the epoch, a date "YYYY-MM-DD" (local
 *   midnight) or an ISO 8601 date and time (local unless it says otherwise;
 *   a space may stand for the "T")
 * @usec: (out): microseconds since the Unix epoch
 *
 * Returns: whether @text is a time
 */
gboolean
oh_cli_parse_time (const char  *text,
                   gint64      *usec,
                   GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *iso = NULL;
  const char *p = text;
  char *end = NULL;
  gint64 n;
  int y, m, d;
  char tail;

  if (g_str_equal (text, "now"))
    {
      *usec = g_get_real_time ();
      return TRUE;
    }
  if (g_str_equal (text, "today") || g_str_equal (text, "yesterday"))
    {
      dt = local_midnight (g_str_equal (text, "today") ? 0 : 1);
      *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
      return TRUE;
    }
  if (*p == '@')
    {
      n = g_ascii_strtoll (p + 1, &end, 10);
      if (end != p + 1 && *end == '\0' && n >= 0 && n < G_MAXINT64 / G_USEC_PER_SEC)
        {
          *usec = n * G_USEC_PER_SEC;
          return TRUE;
        }
    }

  /* An age: "2h" is two hours ago. */
  if (*p == '-')
    p++;
  if (g_ascii_isdigit (*p))
    {
      n = g_ascii_strtoll (p, &end, 10);
      if (end[0] != '\0' && end[1] == '\0' && n >= 0 && n < 100000)
        {
          gint64 unit = 0;

          switch (end[0])
            {
            case 's': unit = 1; break;
            case 'm': unit = 60; break;
            case 'h': unit = 3600; break;
            case 'd': unit = 86400; break;
            case 'w': unit = 7 * 86400; break;
            default: break;
            }
          if (unit)
            {
              *usec = g_get_real_time () - n * unit * G_USEC_PER_SEC;
              return TRUE;
            }
        }
    }

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    {
      dt = g_date_time_new_local (y, m, d, 0, 0, 0);
      if (dt)
        {
          *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
          return TRUE;
        }
    }

  iso = g_strdup (text);
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  dt = g_date_time_new_from_iso8601 (iso, local);
  if (dt == NULL && strlen (iso) >= 16 && iso[13] == ':' && iso[16] != ':')
    {
      /* GLib wants seconds; people write "14:30". */
      g_autofree char *with_seconds = g_strdup_printf ("%.16s:00%s", iso, iso + 16);

      dt = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  if (dt)
    {
      *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
      return TRUE;
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a time; use for example “2026-11-27”, “2026-11-27 14:30”, "
                 "“today”, “yesterday” or “2h” (two hours ago)"), text);
  return FALSE;
}

/* --- the daemon ------------------------------------------------------ */

/**
 * oh_cli_ensure_daemon:
 *
 * Makes sure the daemon runs, starting it through D-Bus activation when
 * needed. An explicit call both activates it and proves it answers; a proxy
 * alone would happily return empty cached properties.
 */
gboolean
oh_cli_ensure_daemon (OhCli   *cli,
                      GError **error)
{
  g_autoptr(GVariant) reply = NULL;

  if (cli->daemon_checked)
    return TRUE;
  if (cli->bus == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      cli->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
      if (cli->bus == NULL)
        {
          /* An error that maps to "unreachable". */
          g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER, local_error->message);
          return FALSE;
        }
    }
  reply = g_dbus_connection_call_sync (cli->bus, OH_BUS_NAME, OH_OBJECT_PATH,
                                       "org.freedesktop.DBus.Peer", "Ping",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                       25000, NULL, error);
  cli->daemon_checked = reply != NULL;
  return cli->daemon_checked;
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
  if (!oh_cli_ensure_daemon (cli, error))
    return NULL;

  return oh_dbus_account_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_NONE,
                                         OH_BUS_NAME, OH_OBJECT_PATH, NULL,
                                         error);
}

/**
 * oh_cli_object_manager:
 *
 * Returns: (transfer none): the daemon's object manager (users, sessions,
 * calls), with every object's properties.
 */
GDBusObjectManager *
oh_cli_object_manager (OhCli   *cli,
                       GError **error)
{
  if (cli->manager)
    return cli->manager;
  if (!oh_cli_ensure_daemon (cli, error))
    return NULL;
  cli->manager = oh_dbus_object_manager_client_new_sync (cli->bus,
                                                         G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                         OH_BUS_NAME, OH_OBJECT_PATH,
                                                         NULL, error);
  return cli->manager;
}

/**
 * oh_cli_get_all:
 * @interface: one of the root object's interfaces
 *
 * Reads every property of one of the root object's interfaces with an
 * explicit call, so that a daemon without that interface is an error
 * (G_IO_ERROR_NOT_SUPPORTED) rather than an empty answer.
 *
 * Returns: (transfer full): the a{sv} of properties
 */
GVariant *
oh_cli_get_all (OhCli       *cli,
                const char  *interface,
                GError     **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *remote = NULL;
  GVariant *props = NULL;

  if (!oh_cli_ensure_daemon (cli, error))
    return NULL;
  reply = g_dbus_connection_call_sync (cli->bus, OH_BUS_NAME, OH_OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "GetAll",
                                       g_variant_new ("(s)", interface),
                                       G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &local_error);
  if (reply == NULL)
    {
      remote = g_dbus_error_get_remote_error (local_error);
      /* Our interface names are right, so an invalid argument here means
       * a daemon that does not have the interface (yet). */
      if (remote && (g_str_equal (remote, "org.freedesktop.DBus.Error.InvalidArgs") ||
                     g_strv_contains (unsupported_errors, remote)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("the daemon does not support this yet (it has no %s interface)"),
                       interface);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_variant_get (reply, "(@a{sv})", &props);
  return props;
}

/**
 * oh_cli_require_connected:
 *
 * Returns: %OH_EXIT_OK when the daemon is connected to the PBX; otherwise
 * says why not on stderr and returns the exit code.
 */
int
oh_cli_require_connected (OhCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = oh_cli_account_proxy (cli, &error);
  const char *state;
  const char *last_error;

  if (account == NULL)
    return oh_cli_fail (error);
  state = oh_dbus_account_get_state (account);
  if (g_strcmp0 (state, "connected") == 0)
    return OH_EXIT_OK;

  last_error = oh_dbus_account_get_last_error (account);
  if (last_error && *last_error)
    return oh_cli_error (OH_EXIT_NOT_CONNECTED,
                         _("not connected to the PBX (%s: %s)"),
                         oh_cli_state_label (state), last_error);
  return oh_cli_error (OH_EXIT_NOT_CONNECTED,
                       _("not connected to the PBX (%s); use “offhook login” or “offhook connect”"),
                       oh_cli_state_label (state ? state : "unknown"));
}

/* --- objects --------------------------------------------------------- */

/**
 * oh_cli_path_element:
 *
 * Returns: (transfer none): the last element of an object path
 */
const char *
oh_cli_path_element (const char *path)
{
  const char *slash = path ? strrchr (path, '/') : NULL;

  return slash ? slash + 1 : (path ? path : "");
}

/**
 * oh_cli_user_name_for_path:
 *
 * Returns: (transfer full): the user name of the User at @path, or the
 * path's last element when the object is unknown
 */
char *
oh_cli_user_name_for_path (GDBusObjectManager *manager,
                           const char         *path)
{
  g_autoptr(GDBusInterface) iface = NULL;

  if (manager && g_variant_is_object_path (path))
    iface = g_dbus_object_manager_get_interface (manager, path, OH_IFACE_USER);
  if (iface)
    return g_strdup (oh_dbus_user_get_username (OH_DBUS_USER (iface)));
  return g_strdup (oh_cli_path_element (path));
}

/**
 * oh_cli_session_id_for_path:
 *
 * Returns: (transfer full): the SessionId of the Session at @path, or the
 * path's last element when the object is unknown
 */
char *
oh_cli_session_id_for_path (GDBusObjectManager *manager,
                            const char         *path)
{
  g_autoptr(GDBusInterface) iface = NULL;

  if (manager && g_variant_is_object_path (path))
    iface = g_dbus_object_manager_get_interface (manager, path, OH_IFACE_SESSION);
  if (iface && oh_dbus_session_get_session_id (OH_DBUS_SESSION (iface)))
    return g_strdup (oh_dbus_session_get_session_id (OH_DBUS_SESSION (iface)));
  return g_strdup (oh_cli_path_element (path));
}

/**
 * oh_cli_objects_with:
 *
 * Returns: (transfer full) (element-type GDBusObject): the objects that
 * have @interface
 */
GList *
oh_cli_objects_with (GDBusObjectManager *manager,
                     const char         *interface)
{
  GList *objects = g_dbus_object_manager_get_objects (manager);
  GList *out = NULL;

  for (GList *l = objects; l; l = l->next)
    {
      g_autoptr(GDBusInterface) iface = g_dbus_object_get_interface (l->data, interface);

      if (iface)
        out = g_list_prepend (out, g_object_ref (l->data));
    }
  g_list_free_full (objects, g_object_unref);
  return g_list_reverse (out);
}

static gboolean
is_dial_string (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '+' && *p != '*' && *p != '#')
      return FALSE;
  return TRUE;
}

/* Whether a word of @name (both casefolded) starts with @prefix. */
static gboolean
word_starts_with (const char *name,
                  const char *prefix)
{
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      if ((p == name || g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (p)))) &&
          g_str_has_prefix (p, prefix))
        return TRUE;
    }
  return FALSE;
}

/* The users @query names, best match first: the user name, then the
 * extension, then the whole name, then the start of a word of the name
 * ("carol", "chen"), ignoring case. */
static GPtrArray *
match_users (GDBusObjectManager *manager,
             const char         *query)
{
  g_autolist(GDBusObject) objects = oh_cli_objects_with (manager, OH_IFACE_USER);
  g_autofree char *folded = g_utf8_casefold (query, -1);
  GPtrArray *tiers[4];
  GPtrArray *out = NULL;

  for (guint t = 0; t < G_N_ELEMENTS (tiers); t++)
    tiers[t] = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = objects; l; l = l->next)
    {
      OhDBusUser *user = oh_dbus_object_peek_user (OH_DBUS_OBJECT (l->data));
      g_autofree char *name = g_utf8_casefold (oh_dbus_user_get_full_name (user) ?: "", -1);

      if (g_strcmp0 (oh_dbus_user_get_username (user), query) == 0)
        g_ptr_array_add (tiers[0], g_object_ref (user));
      else if (g_strcmp0 (oh_dbus_user_get_extension (user), query) == 0)
        g_ptr_array_add (tiers[1], g_object_ref (user));
      else if (*name && g_str_equal (name, folded))
        g_ptr_array_add (tiers[2], g_object_ref (user));
      else if (*name && *folded && word_starts_with (name, folded))
        g_ptr_array_add (tiers[3], g_object_ref (user));
    }

  for (guint t = 0; t < G_N_ELEMENTS (tiers); t++)
    {
      if (out == NULL && tiers[t]->len > 0)
        out = g_ptr_array_ref (tiers[t]);
      g_ptr_array_unref (tiers[t]);
    }
  return out ? out : g_ptr_array_new_with_free_func (g_object_unref);
}

static int
ambiguous_users (const char *query,
                 GPtrArray  *users)
{
  g_printerr (_("offhook: “%s” matches several users; say which:\n"), query);
  for (guint i = 0; i < users->len; i++)
    {
      OhDBusUser *user = users->pdata[i];
      g_autofree char *name = oh_cli_sanitize (oh_dbus_user_get_full_name (user));
      g_autofree char *username = oh_cli_sanitize (oh_dbus_user_get_username (user));

      g_printerr ("  %s  %s\n", username, name);
    }
  return OH_EXIT_INVALID_ARGUMENT;
}

/**
 * oh_cli_find_user:
 * @query: a user name, extension or (part of) a name
 * @status: (out): the exit code when no single user matches
 *
 * Returns: (transfer full) (nullable): the one user @query names
 */
OhDBusUser *
oh_cli_find_user (OhCli      *cli,
                  const char *query,
                  int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GDBusObjectManager *manager = oh_cli_object_manager (cli, &error);

  if (manager == NULL)
    {
      *status = oh_cli_fail (error);
      return NULL;
    }
  users = match_users (manager, query);
  if (users->len == 1)
    return g_object_ref (users->pdata[0]);
  if (users->len > 1)
    {
      *status = ambiguous_users (query, users);
      return NULL;
    }
  *status = oh_cli_error (OH_EXIT_NOT_FOUND, _("no user matches “%s”"), query);
  return NULL;
}

/**
 * oh_cli_resolve_user:
 * @query: a number, user name, extension or (part of) a name
 * @status: (out): the exit code when @query is ambiguous
 *
 * Turns what a person typed into what the daemon takes (a number or a
 * user name). Numbers, and names no user has, go to the daemon as they are,
 * so that it decides (and says) what they mean.
 *
 * Returns: (transfer full) (nullable): the number or user name
 */
char *
oh_cli_resolve_user (OhCli      *cli,
                     const char *query,
                     int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GDBusObjectManager *manager;

  if (is_dial_string (query))
    return g_strdup (query);
  manager = oh_cli_object_manager (cli, &error);
  if (manager == NULL)
    {
      *status = oh_cli_fail (error);
      return NULL;
    }
  users = match_users (manager, query);
  if (users->len > 1)
    {
      *status = ambiguous_users (query, users);
      return NULL;
    }
  if (users->len == 1)
    return g_strdup (oh_dbus_user_get_username (users->pdata[0]));
  return g_strdup (query);
}

/* --- watching -------------------------------------------------------- */

const char *
oh_cli_event_name (OhCliEvent event)
{
  switch (event)
    {
    case OH_CLI_EVENT_EXISTING: return "existing";
    case OH_CLI_EVENT_ADDED: return "added";
    case OH_CLI_EVENT_CHANGED: return "changed";
    case OH_CLI_EVENT_REMOVED: return "removed";
    default: g_assert_not_reached ();
    }
}

const char *
oh_cli_event_label (OhCliEvent event)
{
  switch (event)
    {
    case OH_CLI_EVENT_EXISTING: return C_("event", "existing");
    case OH_CLI_EVENT_ADDED: return C_("event", "added");
    case OH_CLI_EVENT_CHANGED: return C_("event", "changed");
    case OH_CLI_EVENT_REMOVED: return C_("event", "removed");
    default: g_assert_not_reached ();
    }
}

static gboolean
on_quit_signal (gpointer user_data)
{
  OhCli *cli = user_data;

  oh_cli_quit_loop (cli, OH_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

/**
 * oh_cli_loop_prepare:
 *
 * Creates the main loop and makes SIGINT and SIGTERM end it (with status
 * 0). Call it before printing anything a reader may answer with a signal.
 */
void
oh_cli_loop_prepare (OhCli *cli)
{
  if (cli->loop)
    return;
  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->loop_status = OH_EXIT_OK;
  cli->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, cli);
  cli->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, cli);
}

/**
 * oh_cli_loop_run:
 *
 * Runs the main loop until a signal or oh_cli_quit_loop().
 *
 * Returns: the exit status
 */
int
oh_cli_loop_run (OhCli *cli)
{
  oh_cli_loop_prepare (cli);
  g_main_loop_run (cli->loop);
  g_clear_handle_id (&cli->sigint_id, g_source_remove);
  g_clear_handle_id (&cli->sigterm_id, g_source_remove);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  return cli->loop_status;
}

/**
 * oh_cli_clear:
 *
 * Frees what the commands left in @cli: the main loop and its signal
 * handlers (when a command failed before running it), the object manager
 * and the bus.
 */
void
oh_cli_clear (OhCli *cli)
{
  g_clear_handle_id (&cli->sigint_id, g_source_remove);
  g_clear_handle_id (&cli->sigterm_id, g_source_remove);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_object (&cli->manager);
  g_clear_object (&cli->bus);
}

void
oh_cli_quit_loop (OhCli *cli,
                  int    status)
{
  cli->loop_status = status;
  if (cli->loop)
    g_main_loop_quit (cli->loop);
}

/**
 * oh_cli_json_keys:
 * @changed_properties: an a{sv} of D-Bus properties
 *
 * Returns: (transfer full): the JSON field names of the properties
 * ("FullName" is "full-name")
 */
char **
oh_cli_json_keys (GVariant *changed_properties)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  GVariantIter iter;
  const char *name;

  g_variant_iter_init (&iter, changed_properties);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    {
      GString *key = g_string_new (NULL);

      for (const char *p = name; *p; p++)
        {
          if (g_ascii_isupper (*p) && p != name)
            g_string_append_c (key, '-');
          g_string_append_c (key, g_ascii_tolower (*p));
        }
      g_strv_builder_add (keys, key->str);
      g_string_free (key, TRUE);
    }
  return g_strv_builder_end (keys);
}

/**
 * oh_cli_print_event_json:
 * @kind: the member holding the object: "user", "session", "call"
 * @object: (transfer none): the object's JSON
 * @changed: (nullable): the fields that changed
 *
 * Prints one JSON line {"event", "time", @kind, "changed"} and flushes.
 */
void
oh_cli_print_event_json (OhCliEvent         event,
                         const char        *kind,
                         JsonNode          *object,
                         const char *const *changed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "event", oh_cli_event_name (event));
  oh_cli_json_add_int (b, "time", g_get_real_time ());
  json_builder_set_member_name (b, kind);
  json_builder_add_value (b, json_node_copy (object));
  if (changed)
    oh_cli_json_add_strv (b, "changed", changed);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  oh_cli_print_json (root);
}

typedef struct {
  OhCli           *cli;
  const char      *interface;
  OhCliObjectFunc  func;
  gpointer         user_data;
} Watch;

static gboolean
has_interface (GDBusObject *object,
               const char  *interface)
{
  g_autoptr(GDBusInterface) iface = g_dbus_object_get_interface (object, interface);

  return iface != NULL;
}

static void
on_object_added (GDBusObjectManager *manager,
                 GDBusObject        *object,
                 Watch              *watch)
{
  if (has_interface (object, watch->interface))
    watch->func (watch->cli, OH_CLI_EVENT_ADDED, object, NULL, watch->user_data);
}

static void
on_object_removed (GDBusObjectManager *manager,
                   GDBusObject        *object,
                   Watch              *watch)
{
  if (has_interface (object, watch->interface))
    watch->func (watch->cli, OH_CLI_EVENT_REMOVED, object, NULL, watch->user_data);
}

static void
on_properties_changed (GDBusObjectManagerClient *manager,
                       GDBusObjectProxy         *object,
                       GDBusProxy               *proxy,
                       GVariant                 *changed,
                       const char *const        *invalidated,
                       Watch                    *watch)
{
  g_auto(GStrv) keys = NULL;

  if (g_strcmp0 (g_dbus_proxy_get_interface_name (proxy), watch->interface) != 0)
    return;
  keys = oh_cli_json_keys (changed);
  watch->func (watch->cli, OH_CLI_EVENT_CHANGED, G_DBUS_OBJECT (object),
               (const char *const *) keys, watch->user_data);
}

/**
 * oh_cli_watch_objects:
 * @interface: the objects to watch, by interface
 * @func: called for every object added, changed or removed
 *
 * Runs the main loop until SIGINT or SIGTERM. Print the objects that exist
 * before calling this (nothing is missed: changes are only dispatched by the
 * loop), after oh_cli_loop_prepare() so that a signal cannot come too early.
 *
 * Returns: the exit status
 */
int
oh_cli_watch_objects (OhCli           *cli,
                      const char      *interface,
                      OhCliObjectFunc  func,
                      gpointer         user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusObjectManager *manager;
  Watch watch = { cli, interface, func, user_data };
  gulong ids[3];
  int status;

  oh_cli_loop_prepare (cli);
  manager = oh_cli_object_manager (cli, &error);
  if (manager == NULL)
    return oh_cli_fail (error);

  ids[0] = g_signal_connect (manager, "object-added", G_CALLBACK (on_object_added), &watch);
  ids[1] = g_signal_connect (manager, "object-removed", G_CALLBACK (on_object_removed), &watch);
  ids[2] = g_signal_connect (manager, "interface-proxy-properties-changed",
                             G_CALLBACK (on_properties_changed), &watch);
  status = oh_cli_loop_run (cli);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (manager, ids[i]);
  return status;
}

/* oh-cli-account.c: status, login, logout, connect, disconnect
 *
 * The password is read from the terminal without echo, or as one line from
 * stdin; it is never an argument or an environment variable (both are
 * visible to other users' processes), and it is wiped from our memory once
 * sent to the daemon, which keeps it only in the Secret Service.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

#define MAX_PASSWORD 1024

/* --- status ---------------------------------------------------------- */

static JsonNode *
status_json (OhDBusAccount *account)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "state", oh_dbus_account_get_state (account));
  oh_cli_json_add_string (b, "server", oh_dbus_account_get_server (account));
  oh_cli_json_add_string (b, "username", oh_dbus_account_get_username (account));
  oh_cli_json_add_string (b, "extension", oh_dbus_account_get_extension (account));
  oh_cli_json_add_string (b, "application", oh_dbus_account_get_application (account));
  oh_cli_json_add_string (b, "pbx-version", oh_dbus_account_get_pbx_version (account));
  oh_cli_json_add_string (b, "last-error", oh_dbus_account_get_last_error (account));
  oh_cli_json_add_int (b, "retry-time", oh_dbus_account_get_retry_time (account));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_field (const char *label,
             const char *value)
{
  gsize width = oh_cli_text_width (label);

  /* The value may carry colour escapes: only the label is measured. */
  if (value && *value)
    g_print ("%s%*s %s\n", label, (int) (width < 12 ? 12 - width : 0), "", value);
}

static int
print_status (OhCli         *cli,
              OhDBusAccount *account)
{
  g_autofree char *state = NULL;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *version = NULL;
  g_autofree char *last_error = NULL;
  g_autofree char *retry = NULL;

  if (cli->json)
    {
      g_autoptr(JsonNode) node = status_json (account);

      oh_cli_print_json (node);
      return OH_EXIT_OK;
    }

  state = oh_cli_state_text (cli, oh_dbus_account_get_state (account));
  server = oh_cli_sanitize (oh_dbus_account_get_server (account));
  username = oh_cli_sanitize (oh_dbus_account_get_username (account));
  extension = oh_cli_sanitize (oh_dbus_account_get_extension (account));
  version = oh_cli_sanitize (oh_dbus_account_get_pbx_version (account));
  last_error = oh_cli_sanitize (oh_dbus_account_get_last_error (account));
  if (oh_dbus_account_get_retry_time (account) > 0)
    retry = oh_cli_format_time (oh_dbus_account_get_retry_time (account));

  print_field (_("State:"), state);
  print_field (_("Server:"), server);
  print_field (_("User:"), username);
  print_field (_("Extension:"), extension);
  print_field (_("PBX:"), version);
  print_field (_("Last error:"), last_error);
  print_field (_("Next retry:"), retry);
  return OH_EXIT_OK;
}

int
oh_cli_cmd_status (OhCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "status", NULL,
                             _("Show the state of the PBX connection."), 0, 0, &status))
    return status;

  account = oh_cli_account_proxy (cli, &error);
  if (account == NULL)
    return oh_cli_fail (error);
  return print_status (cli, account);
}

/* --- waiting for the connection -------------------------------------- */

typedef struct {
  OhCli     *cli;
  GMainLoop *loop;
  char      *state;
  gboolean   timed_out;
} ConnectWait;

static gboolean
state_is_settled (const char *state)
{
  return g_strcmp0 (state, "connecting") != 0;
}

/* Asks for the current state rather than trusting a signal's value: a
 * signal still queued from before our call may carry an old state. */
static void
refresh_state (ConnectWait *wait)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (wait->cli->bus, OH_BUS_NAME, OH_OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", OH_IFACE_ACCOUNT, "State"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, NULL);
  if (reply == NULL)
    return;
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return;
  g_free (wait->state);
  wait->state = g_variant_dup_string (value, NULL);
  if (state_is_settled (wait->state))
    g_main_loop_quit (wait->loop);
}

static void
on_account_changed (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *member,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  const char *iface = NULL;

  g_variant_get (parameters, "(&sa{sv}as)", &iface, NULL, NULL);
  if (g_strcmp0 (iface, OH_IFACE_ACCOUNT) == 0)
    refresh_state (user_data);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  ConnectWait *wait = user_data;

  wait->timed_out = TRUE;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

static guint
subscribe_account (OhCli       *cli,
                   ConnectWait *wait)
{
  return g_dbus_connection_signal_subscribe (cli->bus, OH_BUS_NAME,
                                             "org.freedesktop.DBus.Properties",
                                             "PropertiesChanged", OH_OBJECT_PATH,
                                             OH_IFACE_ACCOUNT, G_DBUS_SIGNAL_FLAGS_NONE,
                                             on_account_changed, wait, NULL);
}

/* After Login() or Connect() returned: waits until the daemon is connected
 * or has given up (access denied) or failed (it then keeps retrying), and
 * reports the outcome. */
static int
finish_connect (OhCli       *cli,
                ConnectWait *wait,
                guint        timeout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;
  guint timeout_id;
  const char *state;

  wait->loop = g_main_loop_new (NULL, FALSE);
  refresh_state (wait);
  if (!state_is_settled (wait->state))
    {
      timeout_id = g_timeout_add_seconds (timeout, on_wait_timeout, wait);
      g_main_loop_run (wait->loop);
      if (!wait->timed_out)
        g_source_remove (timeout_id);
    }
  g_clear_pointer (&wait->loop, g_main_loop_unref);

  account = oh_dbus_account_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_NONE, OH_BUS_NAME,
                                            OH_OBJECT_PATH, NULL, &error);
  if (account == NULL)
    return oh_cli_fail (error);
  state = oh_dbus_account_get_state (account);

  if (cli->json)
    print_status (cli, account);

  if (g_strcmp0 (state, "connected") == 0)
    {
      if (!cli->json)
        {
          g_autofree char *server = oh_cli_sanitize (oh_dbus_account_get_server (account));
          g_autofree char *user = oh_cli_sanitize (oh_dbus_account_get_username (account));
          g_autofree char *version = oh_cli_sanitize (oh_dbus_account_get_pbx_version (account));

          if (*version)
            g_print (_("Connected to %s as %s (Asterisk %s).\n"), server, user, version);
          else
            g_print (_("Connected to %s as %s.\n"), server, user);
        }
      return OH_EXIT_OK;
    }
  if (wait->timed_out && g_strcmp0 (state, "connecting") == 0)
    return oh_cli_error (OH_EXIT_NOT_CONNECTED,
                         _("still connecting after %u seconds; the daemon keeps trying "
                           "(see “offhook status”)"), timeout);
  if (*oh_dbus_account_get_last_error (account))
    {
      g_autofree char *message = oh_cli_sanitize (oh_dbus_account_get_last_error (account));

      if (g_strcmp0 (state, "failed") == 0)
        return oh_cli_error (OH_EXIT_NOT_CONNECTED,
                             _("not connected: %s (the daemon keeps trying)"), message);
      return oh_cli_error (OH_EXIT_NOT_CONNECTED, _("not connected: %s"), message);
    }
  return oh_cli_error (OH_EXIT_NOT_CONNECTED, _("not connected (%s)"),
                       oh_cli_state_label (state));
}

/* --- the password ---------------------------------------------------- */

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void
restore_terminal (void)
{
  if (termios_saved)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      termios_saved = 0;
    }
}

static void
on_fatal_signal (int signum)
{
  /* Give the terminal its echo back, then die of the signal as usual. */
  restore_terminal ();
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Reads up to a newline (not included) or the end of the input, one byte
 * at a time so that nothing after the line is consumed. */
static gssize
read_line (char   *buffer,
           gsize   size,
           GError **error)
{
  gsize n = 0;

  for (;;)
    {
      char c;
      gssize r = read (STDIN_FILENO, &c, 1);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("cannot read the password: %s"), g_strerror (saved));
          return -1;
        }
      if (r == 0 || c == '\n')
        break;
      if (n + 1 >= size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("the password is longer than %d bytes"), MAX_PASSWORD);
          return -1;
        }
      buffer[n++] = c;
    }
  if (n > 0 && buffer[n - 1] == '\r')
    n--;
  buffer[n] = '\0';
  return n;
}

static gssize
read_password (const char  *server,
               const char  *user,
               char        *buffer,
               gsize        size,
               GError     **error)
{
  struct termios quiet;
  struct sigaction action = { 0 };
  struct sigaction old_actions[4];
  const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
  gssize n;

  if (!isatty (STDIN_FILENO))
    return read_line (buffer, size, error);

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    return read_line (buffer, size, error);

  action.sa_handler = on_fatal_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, &old_actions[i]);

  quiet = saved_termios;
  quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK);
  quiet.c_lflag |= ECHONL | ICANON;
  termios_saved = 1;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  /* Only now: what is typed after the prompt must not be flushed. */
  g_printerr (_("Password for %s on %s: "), user, server);

  n = read_line (buffer, size, error);

  restore_terminal ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &old_actions[i], NULL);
  return n;
}

/* --- login ----------------------------------------------------------- */

int
oh_cli_cmd_login (OhCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *application = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *password = NULL;
  gboolean no_tls_verify = FALSE;
  gboolean no_wait = FALSE;
  int timeout = 30;
  const GOptionEntry entries[] = {
    { "extension", 'e', 0, G_OPTION_ARG_STRING, &extension,
      N_("Your own extension on the PBX"), N_("EXTENSION") },
    { "application", 'a', 0, G_OPTION_ARG_STRING, &application,
      N_("The ARI (Stasis) application name"), N_("NAME") },
    { "no-tls-verify", 0, 0, G_OPTION_ARG_NONE, &no_tls_verify,
      N_("Do not verify the server's TLS certificate"), NULL },
    { "directory", 'd', 0, G_OPTION_ARG_STRING, &directory,
      N_("A company directory (vCard or CSV file, or https URL)"), N_("FILE|URL") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Return once the daemon has the account, without waiting for the connection"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("Wait at most this long for the connection (default 30)"), N_("SECONDS") },
    { NULL }
  };
  ConnectWait wait = { cli, NULL, NULL, FALSE };
  GVariantBuilder options;
  const char *server;
  const char *user;
  guint sub_id = 0;
  gssize n;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "login", _("SERVER USER"),
                             _("Log in to a PBX. The password is asked for on the terminal "
                               "(without echo), or read as one line from standard input."),
                             2, 2, &status))
    return status;
  server = argv[1];
  user = argv[2];
  if (timeout <= 0)
    return oh_cli_usage_error (_("the timeout must be a positive number of seconds"));
  if (!g_str_has_prefix (server, "http://") && !g_str_has_prefix (server, "https://"))
    return oh_cli_usage_error (_("the server must be an http:// or https:// URL, "
                                 "e.g. https://pbx.example.com:8089"));

  /* Reach the daemon before asking a person for a password. */
  if (!oh_cli_ensure_daemon (cli, &error))
    return oh_cli_fail (error);

  password = g_malloc0 (MAX_PASSWORD + 1);
  n = read_password (server, user, password, MAX_PASSWORD + 1, &error);
  if (n < 0)
    {
      explicit_bzero (password, MAX_PASSWORD + 1);
      return oh_cli_usage_error ("%s", error->message);
    }
  if (n == 0)
    return oh_cli_usage_error (_("no password given"));

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (extension)
    g_variant_builder_add (&options, "{sv}", "extension", g_variant_new_string (extension));
  if (application)
    g_variant_builder_add (&options, "{sv}", "application", g_variant_new_string (application));
  if (no_tls_verify)
    g_variant_builder_add (&options, "{sv}", "tls-verify", g_variant_new_boolean (FALSE));
  if (directory)
    {
      /* The daemon runs elsewhere: a relative file name means ours. */
      g_autofree char *absolute = strstr (directory, "://")
        ? g_strdup (directory) : g_canonicalize_filename (directory, NULL);

      g_variant_builder_add (&options, "{sv}", "directory", g_variant_new_string (absolute));
    }

  account = oh_dbus_account_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                            OH_BUS_NAME, OH_OBJECT_PATH, NULL, &error);
  if (account == NULL)
    {
      explicit_bzero (password, MAX_PASSWORD + 1);
      return oh_cli_fail (error);
    }
  if (!no_wait)
    sub_id = subscribe_account (cli, &wait);
  if (!oh_dbus_account_call_login_sync (account, server, user, password,
                                        g_variant_builder_end (&options), NULL, &error))
    {
      explicit_bzero (password, MAX_PASSWORD + 1);
      if (sub_id)
        g_dbus_connection_signal_unsubscribe (cli->bus, sub_id);
      return oh_cli_fail (error);
    }
  explicit_bzero (password, MAX_PASSWORD + 1);

  if (no_wait)
    {
      if (cli->json)
        {
          g_autoptr(OhDBusAccount) fresh = oh_cli_account_proxy (cli, &error);

          if (fresh == NULL)
            return oh_cli_fail (error);
          return print_status (cli, fresh);
        }
      g_print (_("Logged in; connecting to %s.\n"), server);
      return OH_EXIT_OK;
    }

  status = finish_connect (cli, &wait, timeout);
  g_dbus_connection_signal_unsubscribe (cli->bus, sub_id);
  g_free (wait.state);
  return status;
}

/* --- connect, disconnect, logout ------------------------------------- */

int
oh_cli_cmd_connect (OhCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;
  ConnectWait wait = { cli, NULL, NULL, FALSE };
  gboolean no_wait = FALSE;
  int timeout = 30;
  const GOptionEntry entries[] = {
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
      N_("Return at once, without waiting for the connection"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("Wait at most this long for the connection (default 30)"), N_("SECONDS") },
    { NULL }
  };
  guint sub_id = 0;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "connect", NULL,
                             _("Connect with the stored account."), 0, 0, &status))
    return status;
  if (timeout <= 0)
    return oh_cli_usage_error (_("the timeout must be a positive number of seconds"));

  account = oh_cli_account_proxy (cli, &error);
  if (account == NULL)
    return oh_cli_fail (error);
  if (!no_wait)
    sub_id = subscribe_account (cli, &wait);
  if (!oh_dbus_account_call_connect_sync (account, NULL, &error))
    {
      if (sub_id)
        g_dbus_connection_signal_unsubscribe (cli->bus, sub_id);
      return oh_cli_fail (error);
    }
  if (no_wait)
    {
      g_autoptr(OhDBusAccount) fresh = NULL;

      if (!cli->json)
        {
          g_print (_("Connecting.\n"));
          return OH_EXIT_OK;
        }
      fresh = oh_cli_account_proxy (cli, &error);
      if (fresh == NULL)
        return oh_cli_fail (error);
      return print_status (cli, fresh);
    }

  status = finish_connect (cli, &wait, timeout);
  g_dbus_connection_signal_unsubscribe (cli->bus, sub_id);
  g_free (wait.state);
  return status;
}

typedef gboolean (*AccountCall) (OhDBusAccount *proxy, GCancellable *cancellable, GError **error);

static int
simple_call (OhCli       *cli,
             int          argc,
             char       **argv,
             const char  *summary,
             AccountCall  call,
             const char  *done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;
  g_autoptr(OhDBusAccount) fresh = NULL;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, argv[0], NULL, summary, 0, 0, &status))
    return status;

  account = oh_cli_account_proxy (cli, &error);
  if (account == NULL)
    return oh_cli_fail (error);
  if (!call (account, NULL, &error))
    return oh_cli_fail (error);
  if (!cli->json)
    {
      g_print ("%s\n", done);
      return OH_EXIT_OK;
    }
  fresh = oh_dbus_account_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_NONE, OH_BUS_NAME,
                                          OH_OBJECT_PATH, NULL, &error);
  if (fresh == NULL)
    return oh_cli_fail (error);
  return print_status (cli, fresh);
}

int
oh_cli_cmd_disconnect (OhCli  *cli,
                       int     argc,
                       char  **argv)
{
  return simple_call (cli, argc, argv,
                      _("Disconnect from the PBX and stop retrying; the account stays."),
                      oh_dbus_account_call_disconnect_sync, _("Disconnected."));
}

int
oh_cli_cmd_logout (OhCli  *cli,
                   int     argc,
                   char  **argv)
{
  return simple_call (cli, argc, argv,
                      _("Disconnect and delete the stored password and settings."),
                      oh_dbus_account_call_logout_sync, _("Logged out."));
}

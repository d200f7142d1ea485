/* offhook.c: the command line client of the Offhook daemon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

static int
cmd_status (OhCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusAccount) account = NULL;

  if (argc > 1)
    return oh_cli_usage_error (_("“status” takes no arguments"));

  account = oh_cli_account_proxy (cli, &error);
  if (account == NULL)
    return oh_cli_unreachable (error);

  if (cli->json)
    {
      g_autoptr(GVariantBuilder) b = g_variant_builder_new (G_VARIANT_TYPE_VARDICT);
      g_autoptr(GVariant) dict = NULL;
      g_autofree char *text = NULL;

      g_variant_builder_add (b, "{sv}", "state", g_variant_new_string (oh_dbus_account_get_state (account)));
      g_variant_builder_add (b, "{sv}", "server", g_variant_new_string (oh_dbus_account_get_server (account)));
      g_variant_builder_add (b, "{sv}", "username", g_variant_new_string (oh_dbus_account_get_username (account)));
      g_variant_builder_add (b, "{sv}", "extension", g_variant_new_string (oh_dbus_account_get_extension (account)));
      g_variant_builder_add (b, "{sv}", "application", g_variant_new_string (oh_dbus_account_get_application (account)));
      g_variant_builder_add (b, "{sv}", "pbx-version", g_variant_new_string (oh_dbus_account_get_pbx_version (account)));
      g_variant_builder_add (b, "{sv}", "last-error", g_variant_new_string (oh_dbus_account_get_last_error (account)));
      g_variant_builder_add (b, "{sv}", "retry-time", g_variant_new_int64 (oh_dbus_account_get_retry_time (account)));
      dict = g_variant_ref_sink (g_variant_builder_end (b));
      text = oh_cli_variant_to_json (dict);
      g_print ("%s\n", text);
      return OH_EXIT_OK;
    }

  g_print ("%-12s %s\n", _("State:"), oh_dbus_account_get_state (account));
  if (*oh_dbus_account_get_server (account))
    g_print ("%-12s %s\n", _("Server:"), oh_dbus_account_get_server (account));
  if (*oh_dbus_account_get_username (account))
    g_print ("%-12s %s\n", _("User:"), oh_dbus_account_get_username (account));
  if (*oh_dbus_account_get_extension (account))
    g_print ("%-12s %s\n", _("Extension:"), oh_dbus_account_get_extension (account));
  if (*oh_dbus_account_get_pbx_version (account))
    g_print ("%-12s %s\n", _("PBX:"), oh_dbus_account_get_pbx_version (account));
  if (*oh_dbus_account_get_last_error (account))
    g_print ("%-12s %s\n", _("Last error:"), oh_dbus_account_get_last_error (account));
  return OH_EXIT_OK;
}

typedef struct {
  const char *name;
  int       (*run) (OhCli *cli, int argc, char **argv);
  const char *summary;
} OhCommand;

static const OhCommand commands[] = {
  { "status", cmd_status, N_("Show the state of the PBX connection") },
};

static char *
commands_description (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "\n  %-12s %s", commands[i].name, _(commands[i].summary));
  return g_string_free (s, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gboolean json = FALSE;
  gboolean version = FALSE;
  OhCli cli = { 0 };
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context, _("Control the Offhook phone daemon."));
  description = commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return oh_cli_usage_error ("%s", error->message);

  if (version)
    {
      g_print ("offhook %s\n", PACKAGE_VERSION);
      return OH_EXIT_OK;
    }
  if (argc < 2)
    return oh_cli_usage_error (_("no command given; see “offhook --help”"));

  cli.json = json;
  cli.color = isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (argv[1], commands[i].name))
        continue;

      cli.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      if (cli.bus == NULL)
        return oh_cli_unreachable (error);
      status = commands[i].run (&cli, argc - 1, argv + 1);
      g_object_unref (cli.bus);
      return status;
    }

  return oh_cli_usage_error (_("unknown command “%s”; see “offhook --help”"), argv[1]);
}

/* offhook.c: the command line client of the Offhook daemon
 *
 * Only main(): the global options and the table of commands. Each group of
 * commands lives in its own oh-cli-*.c file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

static const OhCommand commands[] = {
  { "status", "", oh_cli_cmd_status, N_("Show the state of the PBX connection") },
  { "login", N_("SERVER USER"), oh_cli_cmd_login, N_("Log in to a PBX (asks for the password)") },
  { "logout", "", oh_cli_cmd_logout, N_("Disconnect and forget the account") },
  { "connect", "", oh_cli_cmd_connect, N_("Connect with the stored account") },
  { "disconnect", "", oh_cli_cmd_disconnect, N_("Disconnect from the PBX") },
  { "users", N_("[PATTERN]"), oh_cli_cmd_users,
    N_("List the users of the PBX and their presence") },
  { "sessions", "", oh_cli_cmd_sessions, N_("List every call on the PBX") },
  { "calls", "", oh_cli_cmd_calls, N_("List your own calls") },
  { "call", N_("NUMBER|USER"), oh_cli_cmd_call, N_("Place a call") },
  { "answer", N_("[CALL]"), oh_cli_cmd_answer, N_("Answer a ringing call") },
  { "reject", N_("[CALL]"), oh_cli_cmd_reject, N_("Decline a ringing call") },
  { "hangup", N_("[CALL]"), oh_cli_cmd_hangup, N_("End a call") },
  { "hold", N_("[CALL]"), oh_cli_cmd_hold, N_("Put a call on hold") },
  { "unhold", N_("[CALL]"), oh_cli_cmd_unhold, N_("Resume a held call") },
  { "transfer", N_("TARGET|--to CALL"), oh_cli_cmd_transfer, N_("Transfer a call") },
  { "dtmf", N_("DIGITS [CALL]"), oh_cli_cmd_dtmf, N_("Send touch tones") },
  { "mute", N_("[CALL]"), oh_cli_cmd_mute, N_("Mute the microphone in a call") },
  { "unmute", N_("[CALL]"), oh_cli_cmd_unmute, N_("Unmute the microphone in a call") },
  { "history", "", oh_cli_cmd_history, N_("Show the call history") },
  { "chat", N_("send|log|unread"), oh_cli_cmd_chat, N_("Send and read instant messages") },
  { "monitor", "", oh_cli_cmd_monitor, N_("Print every change on the bus until interrupted") },
};

static char *
commands_description (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strdup_printf ("%s %s", commands[i].name,
                                                *commands[i].args ? _(commands[i].args) : "");

      g_string_append_printf (s, "\n  %-26s %s", g_strchomp (usage), _(commands[i].summary));
    }
  g_string_append_printf (s, "\n\n%s", _("“offhook COMMAND --help” describes a command's options. "
                                         "See offhook(1) for the exit codes and the JSON fields."));
  return g_string_free (s, FALSE);
}

static gboolean
want_color (void)
{
  const char *no_color = g_getenv ("NO_COLOR");

  /* https://no-color.org: set and not empty means no colour. */
  if (no_color && *no_color)
    return FALSE;
  if (g_strcmp0 (g_getenv ("TERM"), "dumb") == 0)
    return FALSE;
  return isatty (STDOUT_FILENO);
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
  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
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
  cli.color = want_color ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (argv[1], commands[i].name))
        continue;

      /* The command connects to the bus when it needs it, after checking
       * its arguments. */
      status = commands[i].run (&cli, argc - 1, argv + 1);
      oh_cli_clear (&cli);
      return status;
    }

  return oh_cli_usage_error (_("unknown command “%s”; see “offhook --help”"), argv[1]);
}

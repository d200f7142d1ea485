/* oh-cli-calls.c: the user's own calls
 *
 * calls, call, answer, reject, hangup, hold, unhold, transfer, dtmf, mute,
 * unmute. Without a CALL argument a command acts on the one call it can
 * mean (the ringing one for answer, the active one for hold, ...) and says
 * so, with the list, when there are several.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

#define CALL_PATH_PREFIX OH_OBJECT_PATH "/Call/"

static const char *call_id (OhDBusCall *call)
{
  return oh_cli_path_element (g_dbus_proxy_get_object_path (G_DBUS_PROXY (call)));
}

static JsonNode *
call_json (GDBusObjectManager *manager,
           OhDBusCall         *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *remote_user = oh_dbus_call_get_remote_user (call);
  const char *session = oh_dbus_call_get_session (call);
  g_autofree char *user = NULL;
  g_autofree char *session_id = NULL;

  if (remote_user && g_strcmp0 (remote_user, "/") != 0)
    user = oh_cli_user_name_for_path (manager, remote_user);
  if (session && g_strcmp0 (session, "/") != 0)
    session_id = oh_cli_session_id_for_path (manager, session);

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "id", call_id (call));
  oh_cli_json_add_string (b, "path", g_dbus_proxy_get_object_path (G_DBUS_PROXY (call)));
  oh_cli_json_add_string (b, "state", oh_dbus_call_get_state (call));
  oh_cli_json_add_string (b, "end-reason", oh_dbus_call_get_end_reason (call));
  oh_cli_json_add_string (b, "direction", oh_dbus_call_get_direction (call));
  oh_cli_json_add_string (b, "remote-number", oh_dbus_call_get_remote_number (call));
  oh_cli_json_add_string (b, "remote-name", oh_dbus_call_get_remote_name (call));
  oh_cli_json_add_string (b, "remote-user", user);
  oh_cli_json_add_string (b, "session", session_id);
  oh_cli_json_add_int (b, "start-time", oh_dbus_call_get_start_time (call));
  oh_cli_json_add_int (b, "answer-time", oh_dbus_call_get_answer_time (call));
  oh_cli_json_add_int (b, "end-time", oh_dbus_call_get_end_time (call));
  oh_cli_json_add_int (b, "talk-seconds", oh_cli_talk_seconds (oh_dbus_call_get_answer_time (call),
                                                                oh_dbus_call_get_end_time (call)));
  json_builder_set_member_name (b, "muted");
  json_builder_add_boolean_value (b, oh_dbus_call_get_muted (call));
  oh_cli_json_add_string (b, "audio-state", oh_dbus_call_get_audio_state (call));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
compare_calls (gconstpointer a,
               gconstpointer b)
{
  guint64 na = g_ascii_strtoull (call_id (*(OhDBusCall **) a), NULL, 10);
  guint64 nb = g_ascii_strtoull (call_id (*(OhDBusCall **) b), NULL, 10);

  return na < nb ? -1 : na > nb;
}

/* The user's calls, in the order they came. Fails (with the exit status)
 * when the daemon has no Phone yet or is not connected. */
static GPtrArray *
load_calls (OhCli *cli,
            int   *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) phone = NULL;
  g_autolist(GDBusObject) objects = NULL;
  GDBusObjectManager *manager;
  GPtrArray *calls;

  phone = oh_cli_get_all (cli, OH_IFACE_PHONE, &error);
  if (phone == NULL)
    {
      *status = oh_cli_fail (error);
      return NULL;
    }
  if ((*status = oh_cli_require_connected (cli)) != OH_EXIT_OK)
    return NULL;
  manager = oh_cli_object_manager (cli, &error);
  if (manager == NULL)
    {
      *status = oh_cli_fail (error);
      return NULL;
    }

  calls = g_ptr_array_new_with_free_func (g_object_unref);
  objects = oh_cli_objects_with (manager, OH_IFACE_CALL);
  for (GList *l = objects; l; l = l->next)
    g_ptr_array_add (calls, oh_dbus_object_get_call (OH_DBUS_OBJECT (l->data)));
  g_ptr_array_sort (calls, compare_calls);
  return calls;
}

static char *
call_party (OhDBusCall *call)
{
  return oh_cli_party (oh_dbus_call_get_remote_number (call), oh_dbus_call_get_remote_name (call));
}

static char *
call_talk (OhDBusCall *call)
{
  if (oh_dbus_call_get_answer_time (call) <= 0)
    return g_strdup ("-");
  return oh_cli_format_duration (oh_cli_talk_seconds (oh_dbus_call_get_answer_time (call),
                                                      oh_dbus_call_get_end_time (call)));
}

int
oh_cli_cmd_calls (OhCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(OhCliTable) table = NULL;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "calls", NULL,
                             _("List your own calls."), 0, 0, &status))
    return status;
  calls = load_calls (cli, &status);
  if (calls == NULL)
    return status;

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < calls->len; i++)
        json_array_add_element (array, call_json (cli->manager, calls->pdata[i]));
      json_node_set_array (root, array);
      oh_cli_print_json (root);
      return OH_EXIT_OK;
    }
  if (calls->len == 0)
    {
      g_print ("%s\n", _("You have no calls."));
      return OH_EXIT_OK;
    }

  table = oh_cli_table_new (cli, C_("column", "CALL"), C_("column", "STATE"),
                            C_("column", "DIRECTION"), C_("column", "WITH"),
                            C_("column", "STARTED"), C_("column", "TALK"),
                            C_("column", "MUTED"), C_("column", "AUDIO"), NULL);
  oh_cli_table_align_right (table, 5);
  for (guint i = 0; i < calls->len; i++)
    {
      OhDBusCall *call = calls->pdata[i];
      g_autofree char *party = call_party (call);
      g_autofree char *started = oh_cli_format_time (oh_dbus_call_get_start_time (call));
      g_autofree char *talk = call_talk (call);

      oh_cli_table_add (table, call_id (call), NULL);
      oh_cli_table_add_state (table, oh_dbus_call_get_state (call));
      oh_cli_table_add_state (table, oh_dbus_call_get_direction (call));
      oh_cli_table_add (table, party, NULL);
      oh_cli_table_add (table, started, NULL);
      oh_cli_table_add (table, talk, NULL);
      oh_cli_table_add (table, oh_dbus_call_get_muted (call) ? _("yes") : _("no"), NULL);
      oh_cli_table_add_state (table, oh_dbus_call_get_audio_state (call));
    }
  oh_cli_table_print (table);
  return OH_EXIT_OK;
}

/* --- choosing the call ----------------------------------------------- */

static OhDBusCall *
find_call (GPtrArray  *calls,
           const char *given)
{
  const char *id = given;

  if (g_str_has_prefix (given, CALL_PATH_PREFIX))
    id += strlen (CALL_PATH_PREFIX);

  for (guint i = 0; i < calls->len; i++)
    if (g_str_equal (call_id (calls->pdata[i]), id))
      return calls->pdata[i];
  return NULL;
}

/**
 * pick_call:
 * @given: (nullable): what the user named
 * @states: the states of the calls the command can act on
 * @exclude: (nullable): a call that is not meant
 * @none: what to say when no call is in @states
 *
 * Returns: (transfer none): the call, or %NULL with *@status set
 */
static OhDBusCall *
pick_call (GPtrArray         *calls,
           const char        *given,
           const char *const *states,
           OhDBusCall        *exclude,
           const char        *none,
           int               *status)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();

  if (given)
    {
      OhDBusCall *call = find_call (calls, given);

      if (call == NULL)
        *status = oh_cli_error (OH_EXIT_NOT_FOUND, _("there is no call “%s”; see “offhook calls”"),
                                given);
      return call;
    }

  for (guint i = 0; i < calls->len; i++)
    if (calls->pdata[i] != exclude &&
        g_strv_contains (states, oh_dbus_call_get_state (calls->pdata[i]) ?: ""))
      g_ptr_array_add (matches, calls->pdata[i]);

  if (matches->len == 1)
    return matches->pdata[0];
  if (matches->len == 0)
    {
      *status = oh_cli_error (OH_EXIT_NOT_FOUND, "%s", none);
      return NULL;
    }

  g_printerr (_("offhook: there are several calls; say which one (CALL):\n"));
  for (guint i = 0; i < matches->len; i++)
    {
      OhDBusCall *call = matches->pdata[i];
      g_autofree char *party = call_party (call);
      g_autofree char *clean = oh_cli_sanitize (party);

      g_printerr ("  %s  %s  %s\n", call_id (call),
                  oh_cli_state_label (oh_dbus_call_get_state (call)), clean);
    }
  *status = OH_EXIT_INVALID_ARGUMENT;
  return NULL;
}

static int
report_call (OhCli      *cli,
             const char *path,
             const char *message)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      oh_cli_json_add_string (b, "id", oh_cli_path_element (path));
      oh_cli_json_add_string (b, "path", path);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      oh_cli_print_json (root);
    }
  else
    {
      g_autofree char *clean = oh_cli_sanitize (message);

      g_print ("%s\n", clean);
    }
  return OH_EXIT_OK;
}

/* --- call ------------------------------------------------------------ */

int
oh_cli_cmd_call (OhCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusPhone) phone = NULL;
  g_autofree char *caller_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  gboolean mobile = FALSE;
  const GOptionEntry entries[] = {
    { "mobile", 'm', 0, G_OPTION_ARG_NONE, &mobile,
      N_("Call the user's mobile number (from the company directory)"), NULL },
    { "caller-id", 0, 0, G_OPTION_ARG_STRING, &caller_id,
      N_("The caller id to present"), N_("ID") },
    { NULL }
  };
  GVariantBuilder options;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "call", _("NUMBER|USER"),
                             _("Place a call to a number, an extension or a user (by user name "
                               "or name)."), 1, 1, &status))
    return status;
  if (mobile && caller_id)
    return oh_cli_usage_error (_("--caller-id cannot be used with --mobile"));

  if (mobile)
    {
      g_autoptr(OhDBusUser) user = oh_cli_find_user (cli, argv[1], &status);

      if (user == NULL)
        return status;
      if (!oh_dbus_user_call_call_mobile_sync (user, &path, NULL, &error))
        return oh_cli_fail (error);
      message = g_strdup_printf (_("Calling %s on the mobile (call %s)."),
                                 oh_dbus_user_get_full_name (user), oh_cli_path_element (path));
      return report_call (cli, path, message);
    }

  if (!oh_cli_ensure_daemon (cli, &error))
    return oh_cli_fail (error);
  number = oh_cli_resolve_user (cli, argv[1], &status);
  if (number == NULL)
    return status;

  phone = oh_dbus_phone_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                        OH_BUS_NAME, OH_OBJECT_PATH, NULL, &error);
  if (phone == NULL)
    return oh_cli_fail (error);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (caller_id)
    g_variant_builder_add (&options, "{sv}", "caller-id", g_variant_new_string (caller_id));
  if (!oh_dbus_phone_call_dial_sync (phone, number, g_variant_builder_end (&options), &path,
                                     NULL, &error))
    return oh_cli_fail (error);
  message = g_strdup_printf (_("Calling %s (call %s)."), number, oh_cli_path_element (path));
  return report_call (cli, path, message);
}

/* --- actions on one call --------------------------------------------- */

typedef gboolean (*CallAction) (OhDBusCall *call, GCancellable *cancellable, GError **error);

typedef struct {
  const char        *name;
  const char        *summary;
  const char *const *states;
  const char        *none;
  const char        *done;
  CallAction         action;
} SimpleAction;

static const char *const ringing_states[] = { "ringing-in", NULL };
static const char *const live_states[] = {
  "dialing", "ringing-out", "ringing-in", "active", "held", NULL
};
static const char *const active_states[] = { "active", NULL };
static const char *const held_states[] = { "held", NULL };
static const char *const connected_states[] = { "active", "held", NULL };
static const char *const mutable_states[] = { "dialing", "ringing-out", "active", "held", NULL };

static int
run_simple_action (OhCli              *cli,
                   int                 argc,
                   char              **argv,
                   const SimpleAction *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *party = NULL;
  g_autofree char *message = NULL;
  OhDBusCall *call;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, action->name, _("[CALL]"),
                             _(action->summary),
                             0, 1, &status))
    return status;
  calls = load_calls (cli, &status);
  if (calls == NULL)
    return status;
  call = pick_call (calls, argc > 1 ? argv[1] : NULL, action->states, NULL, _(action->none),
                    &status);
  if (call == NULL)
    return status;
  if (!action->action (call, NULL, &error))
    return oh_cli_fail (error);

  party = call_party (call);
  message = g_strdup_printf (_(action->done), call_id (call), party);
  return report_call (cli, g_dbus_proxy_get_object_path (G_DBUS_PROXY (call)), message);
}

static const SimpleAction answer_action = {
  "answer", N_("Answer a ringing call."), ringing_states,
  N_("no call is ringing"),
  /* Translators: call 3 (101 Bob Brown) */
  N_("Answered call %s (%s)."), oh_dbus_call_call_accept_sync,
};

static const SimpleAction reject_action = {
  "reject", N_("Decline a ringing call (the caller hears busy)."), ringing_states,
  N_("no call is ringing"),
  N_("Rejected call %s (%s)."), oh_dbus_call_call_reject_sync,
};

static const SimpleAction hangup_action = {
  "hangup", N_("End a call."), live_states,
  N_("you have no call to hang up"),
  N_("Hung up call %s (%s)."), oh_dbus_call_call_hangup_sync,
};

static const SimpleAction hold_action = {
  "hold", N_("Put an active call on hold."), active_states,
  N_("you have no active call"),
  N_("Call %s (%s) is on hold."), oh_dbus_call_call_hold_sync,
};

static const SimpleAction unhold_action = {
  "unhold", N_("Resume a held call."), held_states,
  N_("you have no held call"),
  N_("Call %s (%s) is resumed."), oh_dbus_call_call_unhold_sync,
};

int
oh_cli_cmd_answer (OhCli *cli, int argc, char **argv)
{
  return run_simple_action (cli, argc, argv, &answer_action);
}

int
oh_cli_cmd_reject (OhCli *cli, int argc, char **argv)
{
  return run_simple_action (cli, argc, argv, &reject_action);
}

int
oh_cli_cmd_hangup (OhCli *cli, int argc, char **argv)
{
  return run_simple_action (cli, argc, argv, &hangup_action);
}

int
oh_cli_cmd_hold (OhCli *cli, int argc, char **argv)
{
  return run_simple_action (cli, argc, argv, &hold_action);
}

int
oh_cli_cmd_unhold (OhCli *cli, int argc, char **argv)
{
  return run_simple_action (cli, argc, argv, &unhold_action);
}

/* --- transfer -------------------------------------------------------- */

int
oh_cli_cmd_transfer (OhCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *to = NULL;
  g_autofree char *target = NULL;
  g_autofree char *message = NULL;
  g_autofree char *party = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Attended transfer: join the other party with that of this call"), N_("CALL") },
    { NULL }
  };
  OhDBusCall *call;
  OhDBusCall *other = NULL;
  const char *given;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "transfer",
                             _("TARGET [CALL] | --to CALL [CALL]"),
                             _("Blind transfer: send the other party of a call to TARGET (a "
                               "number or user); or, with --to, an attended transfer that "
                               "joins the other parties of two of your calls."),
                             0, 2, &status))
    return status;
  if (to == NULL && argc < 2)
    return oh_cli_usage_error (_("say where to transfer the call: TARGET, or --to CALL"));
  if (to && argc > 2)
    return oh_cli_usage_error (_("with --to, give no TARGET (at most the CALL to transfer)"));
  given = to ? (argc > 1 ? argv[1] : NULL) : (argc > 2 ? argv[2] : NULL);

  calls = load_calls (cli, &status);
  if (calls == NULL)
    return status;

  if (to)
    {
      other = pick_call (calls, to, connected_states, NULL, NULL, &status);
      if (other == NULL)
        return status;
    }
  call = pick_call (calls, given, connected_states, other,
                    _("you have no active or held call to transfer"), &status);
  if (call == NULL)
    return status;
  if (call == other)
    return oh_cli_usage_error (_("a call cannot be transferred to itself"));

  party = call_party (call);
  if (other)
    {
      const char *other_path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (other));

      if (!oh_dbus_call_call_transfer_to_sync (call, other_path, NULL, &error))
        return oh_cli_fail (error);
      message = g_strdup_printf (_("Joined call %s (%s) with call %s."), call_id (call), party,
                                 call_id (other));
    }
  else
    {
      target = oh_cli_resolve_user (cli, argv[1], &status);
      if (target == NULL)
        return status;
      if (!oh_dbus_call_call_transfer_sync (call, target, NULL, &error))
        return oh_cli_fail (error);
      message = g_strdup_printf (_("Transferred call %s (%s) to %s."), call_id (call), party,
                                 target);
    }
  return report_call (cli, g_dbus_proxy_get_object_path (G_DBUS_PROXY (call)), message);
}

/* --- dtmf ------------------------------------------------------------ */

int
oh_cli_cmd_dtmf (OhCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *message = NULL;
  OhDBusCall *call;
  const char *digits;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "dtmf", _("DIGITS [CALL]"),
                             _("Send touch tones (0-9, *, #, A-D; at most 64) in the active call."),
                             1, 2, &status))
    return status;
  digits = argv[1];
  if (*digits == '\0' || strlen (digits) > 64 ||
      strspn (digits, "0123456789*#ABCD") != strlen (digits))
    return oh_cli_usage_error (_("“%s” are not touch tones: use 1 to 64 of 0-9, *, #, A-D"),
                               digits);

  calls = load_calls (cli, &status);
  if (calls == NULL)
    return status;
  call = pick_call (calls, argc > 2 ? argv[2] : NULL, active_states, NULL,
                    _("you have no active call"), &status);
  if (call == NULL)
    return status;
  if (!oh_dbus_call_call_send_dtmf_sync (call, digits, NULL, &error))
    return oh_cli_fail (error);
  message = g_strdup_printf (_("Sent %s in call %s."), digits, call_id (call));
  return report_call (cli, g_dbus_proxy_get_object_path (G_DBUS_PROXY (call)), message);
}

/* --- mute, unmute ---------------------------------------------------- */

static int
set_muted (OhCli    *cli,
           int       argc,
           char    **argv,
           gboolean  muted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *message = NULL;
  OhDBusCall *call;
  const char *path;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL,
                             muted ? "mute" : "unmute", _("[CALL]"),
                             muted ? _("Mute your microphone in a call.")
                                   : _("Unmute your microphone in a call."),
                             0, 1, &status))
    return status;
  calls = load_calls (cli, &status);
  if (calls == NULL)
    return status;
  call = pick_call (calls, argc > 1 ? argv[1] : NULL, mutable_states, NULL,
                    _("you have no call"), &status);
  if (call == NULL)
    return status;

  /* An explicit Set, since the proxy's setter would not report errors. */
  path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (call));
  reply = g_dbus_connection_call_sync (cli->bus, OH_BUS_NAME, path,
                                       "org.freedesktop.DBus.Properties", "Set",
                                       g_variant_new ("(ssv)", OH_IFACE_CALL, "Muted",
                                                      g_variant_new_boolean (muted)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    return oh_cli_fail (error);
  message = g_strdup_printf (muted ? _("Call %s is muted.") : _("Call %s is unmuted."),
                             call_id (call));
  return report_call (cli, path, message);
}

int
oh_cli_cmd_mute (OhCli *cli, int argc, char **argv)
{
  return set_muted (cli, argc, argv, TRUE);
}

int
oh_cli_cmd_unmute (OhCli *cli, int argc, char **argv)
{
  return set_muted (cli, argc, argv, FALSE);
}

/* oh-cli-sessions.c: sessions [--watch], every call on the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

static char *
session_id (OhDBusSession *session)
{
  const char *id = oh_dbus_session_get_session_id (session);

  if (id && *id)
    return g_strdup (id);
  return g_strdup (oh_cli_path_element (g_dbus_proxy_get_object_path (G_DBUS_PROXY (session))));
}

static JsonNode *
session_json (GDBusObjectManager *manager,
              OhDBusSession      *session)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = session_id (session);
  const char *const *users = oh_dbus_session_get_users (session);

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "id", id);
  oh_cli_json_add_string (b, "path", g_dbus_proxy_get_object_path (G_DBUS_PROXY (session)));
  oh_cli_json_add_string (b, "state", oh_dbus_session_get_state (session));
  oh_cli_json_add_string (b, "caller", oh_dbus_session_get_caller (session));
  oh_cli_json_add_string (b, "caller-name", oh_dbus_session_get_caller_name (session));
  oh_cli_json_add_string (b, "callee", oh_dbus_session_get_callee (session));
  oh_cli_json_add_string (b, "callee-name", oh_dbus_session_get_callee_name (session));
  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  for (guint i = 0; users && users[i]; i++)
    {
      g_autofree char *name = oh_cli_user_name_for_path (manager, users[i]);

      json_builder_add_string_value (b, name);
    }
  json_builder_end_array (b);
  oh_cli_json_add_int (b, "start-time", oh_dbus_session_get_start_time (session));
  oh_cli_json_add_int (b, "answer-time", oh_dbus_session_get_answer_time (session));
  oh_cli_json_add_int (b, "talk-seconds",
                       oh_cli_talk_seconds (oh_dbus_session_get_answer_time (session), 0));
  oh_cli_json_add_strv (b, "channels", oh_dbus_session_get_channels (session));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
compare_sessions (gconstpointer a,
                  gconstpointer b)
{
  OhDBusSession *sa = oh_dbus_object_peek_session (OH_DBUS_OBJECT (*(GDBusObject **) a));
  OhDBusSession *sb = oh_dbus_object_peek_session (OH_DBUS_OBJECT (*(GDBusObject **) b));
  gint64 ta = oh_dbus_session_get_start_time (sa);
  gint64 tb = oh_dbus_session_get_start_time (sb);

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return g_strcmp0 (g_dbus_proxy_get_object_path (G_DBUS_PROXY (sa)),
                    g_dbus_proxy_get_object_path (G_DBUS_PROXY (sb)));
}

static char *
talk_time (OhDBusSession *session)
{
  if (oh_dbus_session_get_answer_time (session) <= 0)
    return g_strdup ("-");
  return oh_cli_format_duration (oh_cli_talk_seconds (oh_dbus_session_get_answer_time (session),
                                                      0));
}

static void
print_sessions (OhCli              *cli,
                GDBusObjectManager *manager,
                GPtrArray          *sessions)
{
  g_autoptr(OhCliTable) table = NULL;

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < sessions->len; i++)
        {
          OhDBusSession *session = oh_dbus_object_peek_session (sessions->pdata[i]);

          json_array_add_element (array, session_json (manager, session));
        }
      json_node_set_array (root, array);
      oh_cli_print_json (root);
      return;
    }

  table = oh_cli_table_new (cli, C_("column", "ID"), C_("column", "STATE"),
                            C_("column", "FROM"), C_("column", "TO"),
                            C_("column", "STARTED"), C_("column", "TALK"), NULL);
  oh_cli_table_align_right (table, 5);
  for (guint i = 0; i < sessions->len; i++)
    {
      OhDBusSession *session = oh_dbus_object_peek_session (sessions->pdata[i]);
      g_autofree char *id = session_id (session);
      g_autofree char *from = oh_cli_party (oh_dbus_session_get_caller (session),
                                            oh_dbus_session_get_caller_name (session));
      g_autofree char *to = oh_cli_party (oh_dbus_session_get_callee (session),
                                          oh_dbus_session_get_callee_name (session));
      g_autofree char *started = oh_cli_format_time (oh_dbus_session_get_start_time (session));
      g_autofree char *talk = talk_time (session);

      oh_cli_table_add (table, id, NULL);
      oh_cli_table_add_state (table, oh_dbus_session_get_state (session));
      oh_cli_table_add (table, from, NULL);
      oh_cli_table_add (table, to, NULL);
      oh_cli_table_add (table, started, NULL);
      oh_cli_table_add (table, talk, NULL);
    }
  oh_cli_table_print (table);
}

static void
on_session_event (OhCli             *cli,
                  OhCliEvent         event,
                  GDBusObject       *object,
                  const char *const *changed,
                  gpointer           user_data)
{
  GDBusObjectManager *manager = user_data;
  OhDBusSession *session = oh_dbus_object_peek_session (OH_DBUS_OBJECT (object));
  g_autofree char *clock = NULL;
  g_autofree char *raw_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *raw_from = NULL;
  g_autofree char *raw_to = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *talk = NULL;

  if (session == NULL)
    return;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = session_json (manager, session);

      oh_cli_print_event_json (event, "session", node, changed);
      return;
    }

  clock = oh_cli_format_clock ();
  raw_id = session_id (session);
  id = oh_cli_sanitize (raw_id);
  state = oh_cli_state_text (cli, oh_dbus_session_get_state (session));
  raw_from = oh_cli_party (oh_dbus_session_get_caller (session),
                           oh_dbus_session_get_caller_name (session));
  raw_to = oh_cli_party (oh_dbus_session_get_callee (session),
                         oh_dbus_session_get_callee_name (session));
  from = oh_cli_sanitize (raw_from);
  to = oh_cli_sanitize (raw_to);
  talk = talk_time (session);
  oh_cli_print_line ("%s  %s  %s  %s  %s → %s  %s", clock, oh_cli_event_label (event), id,
                     state, from, to, talk);
}

int
oh_cli_cmd_sessions (OhCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autolist(GDBusObject) objects = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  GDBusObjectManager *manager;
  gboolean watch = FALSE;
  const GOptionEntry entries[] = {
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep running and print every change (until interrupted)"), NULL },
    { NULL }
  };
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "sessions", NULL,
                             _("List every call on the PBX (the operator's view)."),
                             0, 0, &status))
    return status;

  if (watch)
    oh_cli_loop_prepare (cli);
  else if ((status = oh_cli_require_connected (cli)) != OH_EXIT_OK)
    return status;

  manager = oh_cli_object_manager (cli, &error);
  if (manager == NULL)
    return oh_cli_fail (error);
  objects = oh_cli_objects_with (manager, OH_IFACE_SESSION);
  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = objects; l; l = l->next)
    g_ptr_array_add (sessions, g_object_ref (l->data));
  g_ptr_array_sort (sessions, compare_sessions);

  if (watch)
    {
      if (cli->json)
        {
          for (guint i = 0; i < sessions->len; i++)
            on_session_event (cli, OH_CLI_EVENT_EXISTING, sessions->pdata[i], NULL, manager);
        }
      else if (sessions->len > 0)
        print_sessions (cli, manager, sessions);
      else
        oh_cli_print_line ("%s", _("No calls on the PBX right now."));
      return oh_cli_watch_objects (cli, OH_IFACE_SESSION, on_session_event, manager);
    }

  if (sessions->len == 0 && !cli->json)
    {
      g_print ("%s\n", _("No calls on the PBX right now."));
      return OH_EXIT_OK;
    }
  print_sessions (cli, manager, sessions);
  return OH_EXIT_OK;
}

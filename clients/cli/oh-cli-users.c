/* oh-cli-users.c: users [PATTERN] [--watch]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

typedef struct {
  char     *pattern;   /* casefolded */
  gboolean  glob;
} UserFilter;

static gboolean
field_matches (const UserFilter *filter,
               const char       *value)
{
  g_autofree char *folded = NULL;

  if (value == NULL || *value == '\0')
    return FALSE;
  folded = g_utf8_casefold (value, -1);
  if (filter->glob)
    return g_pattern_match_simple (filter->pattern, folded);
  return strstr (folded, filter->pattern) != NULL;
}

/* A pattern matches a part of the user name, name, extension, mobile
 * number or e-mail address, ignoring case; with * or ? it is a glob that
 * must match one of them whole. */
static gboolean
user_matches (const UserFilter *filter,
              OhDBusUser       *user)
{
  if (filter->pattern == NULL)
    return TRUE;
  return field_matches (filter, oh_dbus_user_get_username (user)) ||
         field_matches (filter, oh_dbus_user_get_full_name (user)) ||
         field_matches (filter, oh_dbus_user_get_extension (user)) ||
         field_matches (filter, oh_dbus_user_get_mobile (user)) ||
         field_matches (filter, oh_dbus_user_get_email (user));
}

static JsonNode *
user_json (GDBusObjectManager *manager,
           OhDBusUser         *user)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (user));
  const char *const *sessions = oh_dbus_user_get_sessions (user);

  json_builder_begin_object (b);
  oh_cli_json_add_string (b, "id", oh_cli_path_element (path));
  oh_cli_json_add_string (b, "path", path);
  oh_cli_json_add_string (b, "username", oh_dbus_user_get_username (user));
  oh_cli_json_add_string (b, "full-name", oh_dbus_user_get_full_name (user));
  oh_cli_json_add_string (b, "extension", oh_dbus_user_get_extension (user));
  oh_cli_json_add_string (b, "mobile", oh_dbus_user_get_mobile (user));
  oh_cli_json_add_string (b, "email", oh_dbus_user_get_email (user));
  oh_cli_json_add_strv (b, "devices", oh_dbus_user_get_devices (user));
  oh_cli_json_add_string (b, "presence", oh_dbus_user_get_presence (user));
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; sessions && sessions[i]; i++)
    {
      g_autofree char *id = oh_cli_session_id_for_path (manager, sessions[i]);

      json_builder_add_string_value (b, id);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  OhDBusUser *ua = oh_dbus_object_peek_user (OH_DBUS_OBJECT (*(GDBusObject **) a));
  OhDBusUser *ub = oh_dbus_object_peek_user (OH_DBUS_OBJECT (*(GDBusObject **) b));
  g_autofree char *ka = g_utf8_collate_key_for_filename (oh_dbus_user_get_username (ua) ?: "", -1);
  g_autofree char *kb = g_utf8_collate_key_for_filename (oh_dbus_user_get_username (ub) ?: "", -1);

  return strcmp (ka, kb);
}

static GPtrArray *
sorted_users (GDBusObjectManager *manager,
              const UserFilter   *filter)
{
  g_autolist(GDBusObject) objects = oh_cli_objects_with (manager, OH_IFACE_USER);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = objects; l; l = l->next)
    if (user_matches (filter, oh_dbus_object_peek_user (OH_DBUS_OBJECT (l->data))))
      g_ptr_array_add (out, g_object_ref (l->data));
  g_ptr_array_sort (out, compare_users);
  return out;
}

static void
add_user_row (OhCliTable *table,
              OhDBusUser *user)
{
  const char *const *devices = oh_dbus_user_get_devices (user);
  g_autofree char *count = g_strdup_printf ("%u", devices ? g_strv_length ((char **) devices) : 0);
  const char *name = oh_dbus_user_get_full_name (user);

  oh_cli_table_add (table, oh_dbus_user_get_username (user), NULL);
  oh_cli_table_add (table, name && *name ? name : "-", NULL);
  oh_cli_table_add (table, oh_dbus_user_get_extension (user), NULL);
  oh_cli_table_add_state (table, oh_dbus_user_get_presence (user));
  oh_cli_table_add (table, count, NULL);
}

static void
print_users (OhCli              *cli,
             GDBusObjectManager *manager,
             GPtrArray          *users)
{
  g_autoptr(OhCliTable) table = NULL;

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < users->len; i++)
        {
          OhDBusUser *user = oh_dbus_object_peek_user (users->pdata[i]);

          json_array_add_element (array, user_json (manager, user));
        }
      json_node_set_array (root, array);
      oh_cli_print_json (root);
      return;
    }

  table = oh_cli_table_new (cli, C_("column", "USER"), C_("column", "NAME"),
                            C_("column", "EXTENSION"), C_("column", "PRESENCE"),
                            C_("column", "DEVICES"), NULL);
  oh_cli_table_align_right (table, 4);
  for (guint i = 0; i < users->len; i++)
    add_user_row (table, oh_dbus_object_peek_user (users->pdata[i]));
  oh_cli_table_print (table);
}

typedef struct {
  UserFilter         *filter;
  GDBusObjectManager *manager;
} WatchData;

static void
on_user_event (OhCli             *cli,
               OhCliEvent         event,
               GDBusObject       *object,
               const char *const *changed,
               gpointer           user_data)
{
  WatchData *data = user_data;
  OhDBusUser *user = oh_dbus_object_peek_user (OH_DBUS_OBJECT (object));
  g_autofree char *clock = NULL;
  g_autofree char *username = NULL;
  g_autofree char *name = NULL;
  g_autofree char *presence = NULL;

  if (user == NULL || !user_matches (data->filter, user))
    return;

  if (cli->json)
    {
      g_autoptr(JsonNode) node = user_json (data->manager, user);

      oh_cli_print_event_json (event, "user", node, changed);
      return;
    }

  clock = oh_cli_format_clock ();
  username = oh_cli_sanitize (oh_dbus_user_get_username (user));
  name = oh_cli_sanitize (oh_dbus_user_get_full_name (user));
  presence = oh_cli_state_text (cli, oh_dbus_user_get_presence (user));
  oh_cli_print_line ("%s  %s  %s  %s  %s", clock, oh_cli_event_label (event), username,
                     *name ? name : "-", presence);
}

int
oh_cli_cmd_users (OhCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *pattern = NULL;
  GDBusObjectManager *manager;
  UserFilter filter = { NULL, FALSE };
  gboolean watch = FALSE;
  const GOptionEntry entries[] = {
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep running and print every change (until interrupted)"), NULL },
    { NULL }
  };
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "users", _("[PATTERN]"),
                             _("List the users of the PBX and their presence. PATTERN matches "
                               "a part of the user name, name, extension, mobile number or "
                               "e-mail address (ignoring case); with * or ? it is a glob."),
                             0, 1, &status))
    return status;
  if (argc > 1)
    {
      pattern = g_utf8_casefold (argv[1], -1);
      filter.pattern = pattern;
      filter.glob = strpbrk (pattern, "*?") != NULL;
    }

  if (watch)
    oh_cli_loop_prepare (cli);
  else if ((status = oh_cli_require_connected (cli)) != OH_EXIT_OK)
    return status;

  manager = oh_cli_object_manager (cli, &error);
  if (manager == NULL)
    return oh_cli_fail (error);
  users = sorted_users (manager, &filter);

  if (watch)
    {
      WatchData data = { &filter, manager };

      if (cli->json)
        {
          for (guint i = 0; i < users->len; i++)
            on_user_event (cli, OH_CLI_EVENT_EXISTING, users->pdata[i], NULL, &data);
        }
      else
        print_users (cli, manager, users);
      return oh_cli_watch_objects (cli, OH_IFACE_USER, on_user_event, &data);
    }

  if (users->len == 0 && pattern && !cli->json)
    return oh_cli_error (OH_EXIT_NOT_FOUND, _("no user matches “%s”"), argv[1]);
  if (users->len == 0 && !cli->json)
    {
      g_print ("%s\n", _("The PBX has no users."));
      return OH_EXIT_OK;
    }
  print_users (cli, manager, users);
  return users->len == 0 && pattern ? OH_EXIT_NOT_FOUND : OH_EXIT_OK;
}

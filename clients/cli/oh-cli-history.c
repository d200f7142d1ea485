/* oh-cli-history.c: history, one page of the call history
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib/gi18n.h>

#include "oh-cli-common.h"

static const char *
entry_string (GVariant   *entry,
              const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (entry, key, "&s", &value))
    return "";
  return value;
}

static gint64
entry_int64 (GVariant   *entry,
             const char *key)
{
  gint64 value = 0;

  g_variant_lookup (entry, key, "x", &value);
  return value;
}

static void
print_entries (OhCli    *cli,
               GVariant *entries)
{
  g_autoptr(OhCliTable) table = NULL;
  GVariantIter iter;
  GVariant *entry;

  table = oh_cli_table_new (cli, C_("column", "TIME"), C_("column", "DIRECTION"),
                            C_("column", "FROM"), C_("column", "TO"),
                            C_("column", "RESULT"), C_("column", "TALK"), NULL);
  oh_cli_table_align_right (table, 5);
  g_variant_iter_init (&iter, entries);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      g_autofree char *time = oh_cli_format_time (entry_int64 (entry, "start-time"));
      g_autofree char *from = oh_cli_party (entry_string (entry, "caller"),
                                            entry_string (entry, "caller-name"));
      g_autofree char *to = oh_cli_party (entry_string (entry, "callee"),
                                          entry_string (entry, "callee-name"));
      guint32 talk_seconds = 0;
      g_autofree char *talk = NULL;

      g_variant_lookup (entry, "talk-seconds", "u", &talk_seconds);
      talk = oh_cli_format_duration (talk_seconds);
      oh_cli_table_add (table, time, NULL);
      oh_cli_table_add_state (table, entry_string (entry, "direction"));
      oh_cli_table_add (table, from, NULL);
      oh_cli_table_add (table, to, NULL);
      oh_cli_table_add_state (table, entry_string (entry, "disposition"));
      oh_cli_table_add (table, talk, NULL);
      g_variant_unref (entry);
    }
  oh_cli_table_print (table);
}

int
oh_cli_cmd_history (OhCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusHistory) history = NULL;
  g_autoptr(GVariant) entries = NULL;
  g_autofree char *text = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *extension = NULL;
  gboolean missed = FALSE;
  int page = 1;
  int rows = 20;
  const GOptionEntry entries_options[] = {
    { "filter", 'f', 0, G_OPTION_ARG_STRING, &text,
      N_("Only calls whose number or name (of either side) contains TEXT"), N_("TEXT") },
    { "missed", 'm', 0, G_OPTION_ARG_NONE, &missed, N_("Only missed calls"), NULL },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction,
      N_("Only incoming, outgoing or internal calls"), N_("DIRECTION") },
    { "extension", 'e', 0, G_OPTION_ARG_STRING, &extension,
      N_("Only calls of this extension"), N_("EXTENSION") },
    { "since", 's', 0, G_OPTION_ARG_STRING, &since,
      N_("Only calls since DATE (e.g. 2026-11-27, “2026-11-27 14:30”, today, yesterday, 2h)"),
      N_("DATE") },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &until, N_("Only calls before DATE"), N_("DATE") },
    { "page", 'p', 0, G_OPTION_ARG_INT, &page, N_("Show page N, counting from 1 (default 1)"),
      N_("N") },
    { "rows", 'n', 0, G_OPTION_ARG_INT, &rows, N_("N entries per page, 1 to 1000 (default 20)"),
      N_("N") },
    { NULL }
  };
  static const char *const directions[] = { "incoming", "outgoing", "internal", NULL };
  GVariantBuilder filter;
  guint32 total = 0;
  gboolean beyond;
  guint pages;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries_options, "history", NULL,
                             _("Show the call history, newest first, one page at a time."),
                             0, 0, &status))
    return status;
  if (page < 1)
    return oh_cli_usage_error (_("the page must be 1 or more"));
  if (rows < 1 || rows > 1000)
    return oh_cli_usage_error (_("the rows per page must be between 1 and 1000"));
  if (direction && !g_strv_contains (directions, direction))
    return oh_cli_usage_error (_("the direction must be incoming, outgoing or internal"));

  g_variant_builder_init (&filter, G_VARIANT_TYPE_VARDICT);
  if (text)
    g_variant_builder_add (&filter, "{sv}", "text", g_variant_new_string (text));
  if (missed)
    g_variant_builder_add (&filter, "{sv}", "disposition", g_variant_new_string ("missed"));
  if (direction)
    g_variant_builder_add (&filter, "{sv}", "direction", g_variant_new_string (direction));
  if (extension)
    g_variant_builder_add (&filter, "{sv}", "extension", g_variant_new_string (extension));
  for (guint i = 0; i < 2; i++)
    {
      const char *value = i == 0 ? since : until;
      gint64 usec;

      if (value == NULL)
        continue;
      if (!oh_cli_parse_time (value, &usec, &error))
        {
          g_variant_builder_clear (&filter);
          return oh_cli_usage_error ("%s", error->message);
        }
      g_variant_builder_add (&filter, "{sv}", i == 0 ? "since" : "until",
                             g_variant_new_int64 (usec));
    }

  if (!oh_cli_ensure_daemon (cli, &error))
    {
      g_variant_builder_clear (&filter);
      return oh_cli_fail (error);
    }
  history = oh_dbus_history_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                            OH_BUS_NAME, OH_OBJECT_PATH, NULL, &error);
  if (history == NULL)
    {
      g_variant_builder_clear (&filter);
      return oh_cli_fail (error);
    }
  if (!oh_dbus_history_call_query_sync (history, g_variant_builder_end (&filter), page - 1, rows,
                                        &entries, &total, NULL, &error))
    return oh_cli_fail (error);
  pages = (total + rows - 1) / rows;
  beyond = total > 0 && g_variant_n_children (entries) == 0;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      oh_cli_json_add_int (b, "page", page);
      oh_cli_json_add_int (b, "pages", pages);
      oh_cli_json_add_int (b, "rows", rows);
      oh_cli_json_add_int (b, "total", total);
      json_builder_set_member_name (b, "entries");
      json_builder_add_value (b, json_gvariant_serialize (entries));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      oh_cli_print_json (root);
    }
  else if (total == 0)
    {
      g_print ("%s\n", _("No calls in the history."));
      return OH_EXIT_OK;
    }

  if (beyond)
    return oh_cli_error (OH_EXIT_NOT_FOUND,
                         ngettext ("there is no page %d: the history has %u page",
                                   "there is no page %d: the history has %u pages", pages),
                         page, pages);
  if (cli->json)
    return OH_EXIT_OK;
  print_entries (cli, entries);
  g_print (ngettext ("Page %d of %u (%u call).\n", "Page %d of %u (%u calls).\n", total),
           page, pages, total);
  return OH_EXIT_OK;
}

/* oh-cli-chat.c: chat send, chat log, chat unread
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

#define MAX_BODY 4096

static OhDBusChat *
chat_proxy (OhCli   *cli,
            GError **error)
{
  if (!oh_cli_ensure_daemon (cli, error))
    return NULL;
  return oh_dbus_chat_proxy_new_sync (cli->bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                      OH_BUS_NAME, OH_OBJECT_PATH, NULL, error);
}

static char *
read_body_from_stdin (GError **error)
{
  g_autoptr(GString) body = g_string_new (NULL);
  char buffer[1024];
  gssize n;

  while ((n = read (STDIN_FILENO, buffer, sizeof buffer)) != 0)
    {
      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot read the message: %s"),
                       g_strerror (errno));
          return NULL;
        }
      g_string_append_len (body, buffer, n);
      if (body->len > MAX_BODY + 1)
        break;
    }
  /* The newline that ends the input is not part of the message. */
  if (body->len > 0 && body->str[body->len - 1] == '\n')
    g_string_truncate (body, body->len - 1);
  return g_string_free (g_steal_pointer (&body), FALSE);
}

static int
chat_send (OhCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusChat) chat = NULL;
  g_autofree char *body = NULL;
  g_autofree char *to = NULL;
  g_autofree char *id = NULL;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "chat send", _("USER TEXT…"),
                             _("Send a message to every device of a user. TEXT “-” reads the "
                               "message from standard input."), 2, -1, &status))
    return status;

  if (argc == 3 && g_str_equal (argv[2], "-"))
    {
      body = read_body_from_stdin (&error);
      if (body == NULL)
        return oh_cli_fail (error);
    }
  else
    body = g_strjoinv (" ", argv + 2);
  if (!g_utf8_validate (body, -1, NULL))
    return oh_cli_usage_error (_("the message is not valid UTF-8 text"));
  if (*body == '\0' || strlen (body) > MAX_BODY)
    return oh_cli_usage_error (_("a message has 1 to %d bytes"), MAX_BODY);

  chat = chat_proxy (cli, &error);
  if (chat == NULL)
    return oh_cli_fail (error);
  to = oh_cli_resolve_user (cli, argv[1], &status);
  if (to == NULL)
    return status;
  if (!oh_dbus_chat_call_send_sync (chat, to, body, &id, NULL, &error))
    return oh_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      oh_cli_json_add_string (b, "id", id);
      oh_cli_json_add_string (b, "to", to);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      oh_cli_print_json (root);
    }
  else
    {
      g_autofree char *clean = oh_cli_sanitize (to);

      g_print (_("Sent to %s.\n"), clean);
    }
  return OH_EXIT_OK;
}

static const char *
message_string (GVariant   *message,
                const char *key)
{
  const char *value = "";

  g_variant_lookup (message, key, "&s", &value);
  return value;
}

static int
chat_log (OhCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDBusChat) chat = NULL;
  g_autoptr(GVariant) messages = NULL;
  g_autoptr(OhCliTable) table = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *before = NULL;
  gboolean keep_unread = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show the last N messages, 1 to 1000 (default 50)"), N_("N") },
    { "before", 'b', 0, G_OPTION_ARG_STRING, &before,
      N_("Only messages older than DATE"), N_("DATE") },
    { "keep-unread", 'k', 0, G_OPTION_ARG_NONE, &keep_unread,
      N_("Do not mark the messages as read"), NULL },
    { NULL }
  };
  GVariantBuilder options;
  gsize n;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, entries, "chat log", _("USER"),
                             _("Show the conversation with a user, oldest first, and mark it "
                               "as read."), 1, 1, &status))
    return status;
  if (limit < 1 || limit > 1000)
    return oh_cli_usage_error (_("the limit must be between 1 and 1000"));

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "limit", g_variant_new_uint32 (limit));
  if (before)
    {
      gint64 usec;

      if (!oh_cli_parse_time (before, &usec, &error))
        {
          g_variant_builder_clear (&options);
          return oh_cli_usage_error ("%s", error->message);
        }
      g_variant_builder_add (&options, "{sv}", "before", g_variant_new_int64 (usec));
    }

  chat = chat_proxy (cli, &error);
  if (chat == NULL)
    {
      g_variant_builder_clear (&options);
      return oh_cli_fail (error);
    }
  peer = oh_cli_resolve_user (cli, argv[1], &status);
  if (peer == NULL)
    {
      g_variant_builder_clear (&options);
      return status;
    }
  if (!oh_dbus_chat_call_conversation_sync (chat, peer, g_variant_builder_end (&options),
                                            &messages, NULL, &error))
    return oh_cli_fail (error);
  if (!keep_unread && !oh_dbus_chat_call_mark_read_sync (chat, peer, NULL, &error))
    return oh_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_gvariant_serialize (messages);

      oh_cli_print_json (root);
      return OH_EXIT_OK;
    }

  n = g_variant_n_children (messages);
  if (n == 0)
    {
      g_autofree char *clean = oh_cli_sanitize (peer);

      g_print (_("No messages with %s.\n"), clean);
      return OH_EXIT_OK;
    }
  table = oh_cli_table_new (cli, C_("column", "TIME"), C_("column", "FROM"),
                            C_("column", "MESSAGE"), NULL);
  /* The daemon pages backwards (newest first); people read forwards. */
  for (gsize i = n; i > 0; i--)
    {
      g_autoptr(GVariant) message = g_variant_get_child_value (messages, i - 1);
      gint64 time = 0;
      g_autofree char *when = NULL;
      g_autofree char *from = NULL;

      g_variant_lookup (message, "time", "x", &time);
      when = oh_cli_format_time (time);
      if (g_strcmp0 (message_string (message, "direction"), "outgoing") == 0)
        from = g_strdup (C_("chat", "me"));
      else
        from = oh_cli_party (message_string (message, "from"),
                             message_string (message, "from-name"));
      oh_cli_table_add (table, when, NULL);
      oh_cli_table_add (table, from, NULL);
      if (g_strcmp0 (message_string (message, "status"), "failed") == 0)
        {
          /* Translators: a message that did not reach the other side */
          g_autofree char *body = g_strdup_printf (_("%s (not delivered)"),
                                                   message_string (message, "body"));

          oh_cli_table_add (table, body, "1;31");
        }
      else
        oh_cli_table_add (table, message_string (message, "body"), NULL);
    }
  oh_cli_table_print (table);
  return OH_EXIT_OK;
}

static int
chat_unread (OhCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) unread = NULL;
  g_autoptr(OhCliTable) table = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autolist(GDBusObject) users = NULL;
  GDBusObjectManager *manager;
  GVariantIter iter;
  const char *peer;
  guint32 count;
  int status;

  if (!oh_cli_parse_options (cli, &argc, &argv, NULL, "chat unread", NULL,
                             _("Show how many unread messages each user sent you."),
                             0, 0, &status))
    return status;

  props = oh_cli_get_all (cli, OH_IFACE_CHAT, &error);
  if (props == NULL)
    return oh_cli_fail (error);
  unread = g_variant_lookup_value (props, "Unread", G_VARIANT_TYPE ("a{su}"));
  /* Names are a nicety: without the users (not connected), none. */
  manager = oh_cli_object_manager (cli, NULL);

  table = oh_cli_table_new (cli, C_("column", "USER"), C_("column", "NAME"),
                            C_("column", "UNREAD"), NULL);
  oh_cli_table_align_right (table, 2);
  json_builder_begin_array (b);
  if (unread == NULL)
    unread = g_variant_ref_sink (g_variant_new ("a{su}", NULL));
  if (manager)
    users = oh_cli_objects_with (manager, OH_IFACE_USER);
  g_variant_iter_init (&iter, unread);
  while (g_variant_iter_next (&iter, "{&su}", &peer, &count))
    {
      g_autofree char *number = g_strdup_printf ("%u", count);
      const char *name = "";

      if (count == 0)
        continue;
      for (GList *l = users; l; l = l->next)
        {
          OhDBusUser *user = oh_dbus_object_peek_user (l->data);

          if (g_strcmp0 (oh_dbus_user_get_extension (user), peer) == 0 ||
              g_strcmp0 (oh_dbus_user_get_username (user), peer) == 0)
            name = oh_dbus_user_get_full_name (user);
        }
      json_builder_begin_object (b);
      oh_cli_json_add_string (b, "peer", peer);
      oh_cli_json_add_string (b, "name", name);
      oh_cli_json_add_int (b, "unread", count);
      json_builder_end_object (b);
      oh_cli_table_add (table, peer, NULL);
      oh_cli_table_add (table, *name ? name : "-", NULL);
      oh_cli_table_add (table, number, NULL);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);

  if (cli->json)
    oh_cli_print_json (root);
  else if (json_array_get_length (json_node_get_array (root)) == 0)
    g_print ("%s\n", _("No unread messages."));
  else
    oh_cli_table_print (table);
  return OH_EXIT_OK;
}

int
oh_cli_cmd_chat (OhCli  *cli,
                 int     argc,
                 char  **argv)
{
  /* --json may come before the chat command too. */
  while (argc > 1 && (g_str_equal (argv[1], "--json") || g_str_equal (argv[1], "-j")))
    {
      cli->json = TRUE;
      argc--;
      argv++;
    }
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      if (argc < 2)
        return oh_cli_usage_error (_("“chat” needs send, log or unread; see “offhook --help”"));
      g_print ("%s", _("Usage:\n"
                       "  offhook chat send USER TEXT…   Send a message\n"
                       "  offhook chat log USER          Show a conversation\n"
                       "  offhook chat unread            Show who sent unread messages\n"
                       "“offhook chat COMMAND --help” describes a command's options.\n"));
      return OH_EXIT_OK;
    }
  if (g_str_equal (argv[1], "send"))
    return chat_send (cli, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "log"))
    return chat_log (cli, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "unread"))
    return chat_unread (cli, argc - 1, argv + 1);
  return oh_cli_usage_error (_("unknown chat command “%s”: use send, log or unread"), argv[1]);
}

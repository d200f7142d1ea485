/* test-store-messages.c: chat messages in the store
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "store-test-util.h"

#define T0 G_GINT64_CONSTANT (1700000000000000)

static void
add (OhStore *store, OhStoredMessage *message)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (oh_store_add_message (store, message, &error));
  g_assert_no_error (error);
  g_assert_nonnull (message->id);
}

static void
add_new (OhStore *store, OhStoredMessage *message)
{
  g_autoptr (OhStoredMessage) owned = message;

  add (store, owned);
}

static GPtrArray *
conversation (OhStore *store, const char *peer, gint64 before, const char *before_id, guint limit)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *messages = oh_store_get_conversation (store, peer, before, before_id, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (messages);
  return messages;
}

static guint
unread (OhStore *store, const char *peer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) counts = oh_store_get_unread_counts (store, &error);

  g_assert_no_error (error);
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, peer));
}

static void
test_add_and_read (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhStoredMessage) in
      = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0, "Hallo, Grüße ✓\nzweite Zeile");
  g_autoptr (OhStoredMessage) out
      = make_message ("100", "101", OH_STORED_MESSAGE_OUTGOING, T0 + 1, "reply");
  g_autoptr (GPtrArray) messages = NULL;
  OhStoredMessage *read;

  add (f->store, in);
  add (f->store, out);
  /* The peer is the other party on both sides. */
  g_assert_cmpstr (in->peer, ==, "101");
  g_assert_cmpstr (out->peer, ==, "101");
  g_assert_false (in->read);
  g_assert_true (out->read);
  g_assert_cmpstr (in->id, !=, out->id);

  messages = conversation (f->store, "101", 0, NULL, 10);
  g_assert_cmpuint (messages->len, ==, 2);
  read = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (read->id, ==, out->id);
  g_assert_cmpint (read->direction, ==, OH_STORED_MESSAGE_OUTGOING);
  g_assert_cmpint (read->status, ==, OH_STORED_MESSAGE_SENT);
  g_assert_true (read->read);
  read = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (read->id, ==, in->id);
  g_assert_cmpstr (read->peer, ==, "101");
  g_assert_cmpstr (read->from, ==, "101");
  g_assert_cmpstr (read->from_name, ==, "User 101");
  g_assert_cmpstr (read->to, ==, "100");
  g_assert_cmpstr (read->body, ==, "Hallo, Grüße ✓\nzweite Zeile");
  g_assert_cmpint (read->time, ==, T0);
  g_assert_cmpint (read->direction, ==, OH_STORED_MESSAGE_INCOMING);
  g_assert_cmpstr (read->device, ==, "PJSIP/100-phone");
  g_assert_cmpint (read->status, ==, OH_STORED_MESSAGE_RECEIVED);
  g_assert_false (read->read);

  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = conversation (f->store, "102", 0, NULL, 10);
  g_assert_cmpuint (messages->len, ==, 0);
}

static void
test_failed_is_kept (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhStoredMessage) failed
      = make_message ("100", "105", OH_STORED_MESSAGE_OUTGOING, T0, "nobody home");
  g_autoptr (GPtrArray) messages = NULL;

  failed->status = OH_STORED_MESSAGE_FAILED;
  add (f->store, failed);
  messages = conversation (f->store, "105", 0, NULL, 10);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpint (((OhStoredMessage *)g_ptr_array_index (messages, 0))->status, ==,
                   OH_STORED_MESSAGE_FAILED);
}

/* 10,000 messages of the same microsecond, paged with (before, before-id):
 * each exactly once, in the order they were stored, newest first. */
static void
test_paging_equal_times (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) stored_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) all
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_stored_message_free);
  g_autoptr (GError) error = NULL;
  gint64 before = 0;
  char *before_id = NULL;
  guint pages = 0;

  /* A little before and after the run, and another peer in between. */
  add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 - 1, "older"));
  for (guint i = 0; i < 10000; i++)
    {
      OhStoredMessage *message = make_message (
          i % 2 ? "101" : "100", i % 2 ? "100" : "101",
          i % 2 ? OH_STORED_MESSAGE_INCOMING : OH_STORED_MESSAGE_OUTGOING, T0, "same time");

      add (f->store, message);
      g_ptr_array_add (stored_ids, g_strdup (message->id));
      oh_stored_message_free (message);
      if (i % 1000 == 0)
        add_new (f->store, make_message ("102", "100", OH_STORED_MESSAGE_INCOMING, T0, "other"));
    }
  add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 + 1, "newer"));

  for (;;)
    {
      g_autoptr (GPtrArray) page = conversation (f->store, "101", before, before_id, 97);
      OhStoredMessage *oldest;

      if (page->len == 0)
        break;
      pages++;
      for (guint i = 0; i < page->len; i++)
        {
          OhStoredMessage *message = g_ptr_array_index (page, i);

          g_assert_cmpstr (message->peer, ==, "101");
          g_assert_false (g_hash_table_contains (seen, message->id));
          g_hash_table_add (seen, message->id);
        }
      oldest = g_ptr_array_index (page, page->len - 1);
      before = oldest->time;
      before_id = oldest->id;
      /* Keep the messages: seen points into them. */
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }

  g_assert_cmpuint (all->len, ==, 10002);
  g_assert_cmpuint (pages, ==, (10002 + 96) / 97);
  g_assert_cmpstr (((OhStoredMessage *)g_ptr_array_index (all, 0))->body, ==, "newer");
  g_assert_cmpstr (((OhStoredMessage *)g_ptr_array_index (all, 10001))->body, ==, "older");
  for (guint i = 0; i < 10000; i++)
    g_assert_cmpstr (((OhStoredMessage *)g_ptr_array_index (all, i + 1))->id, ==,
                     g_ptr_array_index (stored_ids, 9999 - i));
  g_assert_no_error (error);
}

/* `before` alone is strictly older, as the API says. */
static void
test_before_is_strict (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) messages = NULL;

  for (int i = 0; i < 3; i++)
    add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 + i, "x"));
  add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 + 1, "y"));

  messages = conversation (f->store, "101", T0 + 1, NULL, 10);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpint (((OhStoredMessage *)g_ptr_array_index (messages, 0))->time, ==, T0);
  g_clear_pointer (&messages, g_ptr_array_unref);

  messages = conversation (f->store, "101", 0, NULL, 2);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpint (((OhStoredMessage *)g_ptr_array_index (messages, 0))->time, ==, T0 + 2);
  g_assert_cmpstr (((OhStoredMessage *)g_ptr_array_index (messages, 1))->body, ==, "y");
}

static void
test_conversation_invalid (StoreFixture *f, gconstpointer data)
{
  static const struct
  {
    const char *peer;
    gint64 before;
    const char *before_id;
    guint limit;
    const char *mentions;
  } cases[] = {
    { "", 0, NULL, 10, "peer" },       { NULL, 0, NULL, 10, "peer" },
    { "101", 0, NULL, 0, "limit" },    { "101", 0, NULL, 1001, "1001" },
    { "101", -5, NULL, 10, "before" }, { "101", T0, "abc", 10, "abc" },
    { "101", T0, "-1", 10, "-1" },     { "101", 0, "5", 10, "before-id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) messages = oh_store_get_conversation (
          f->store, cases[i].peer, cases[i].before, cases[i].before_id, cases[i].limit, &error);

      g_assert_null (messages);
      g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
test_add_invalid (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhStoredMessage) no_time
      = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, 0, "x");
  g_autoptr (OhStoredMessage) no_peer
      = make_message ("", "100", OH_STORED_MESSAGE_INCOMING, T0, "x");
  g_autoptr (OhStoredMessage) bad_body
      = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0, "\xc3\x28");
  OhStoredMessage *cases[] = { no_time, no_peer, bad_body };
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (oh_store_add_message (f->store, cases[i], &error));
      g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
      g_assert_null (cases[i]->id);
      g_clear_error (&error);
    }
  counts = oh_store_get_unread_counts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
}

static void
test_unread_counts (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (GError) error = NULL;
  guint n_marked = 99;

  counts = oh_store_get_unread_counts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
  g_clear_pointer (&counts, g_hash_table_unref);

  for (int i = 0; i < 3; i++)
    add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 + i, "a"));
  for (int i = 0; i < 2; i++)
    add_new (f->store, make_message ("102", "100", OH_STORED_MESSAGE_INCOMING, T0 + i, "b"));
  /* Our own messages are never unread, whatever the caller says. */
  {
    OhStoredMessage *out = make_message ("100", "101", OH_STORED_MESSAGE_OUTGOING, T0, "c");

    out->read = FALSE;
    add_new (f->store, out);
  }
  /* One that arrives already read (shown while the user looked). */
  {
    OhStoredMessage *seen = make_message ("103", "100", OH_STORED_MESSAGE_INCOMING, T0, "d");

    seen->read = TRUE;
    add_new (f->store, seen);
  }

  counts = oh_store_get_unread_counts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "101")), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "102")), ==, 2);

  g_assert_true (oh_store_mark_read (f->store, "101", &n_marked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_marked, ==, 3);
  g_assert_cmpuint (unread (f->store, "101"), ==, 0);
  g_assert_cmpuint (unread (f->store, "102"), ==, 2);

  g_assert_true (oh_store_mark_read (f->store, "101", &n_marked, &error));
  g_assert_cmpuint (n_marked, ==, 0);
  g_assert_true (oh_store_mark_read (f->store, "999", &n_marked, &error));
  g_assert_cmpuint (n_marked, ==, 0);

  add_new (f->store, make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0 + 10, "again"));
  g_assert_cmpuint (unread (f->store, "101"), ==, 1);
  g_assert_cmpuint (unread (f->store, "102"), ==, 2);

  /* Counts survive a restart. */
  store_fixture_reopen (f);
  g_assert_cmpuint (unread (f->store, "101"), ==, 1);
  g_assert_true (oh_store_mark_read (f->store, "102", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unread (f->store, "102"), ==, 0);

  g_assert_false (oh_store_mark_read (f->store, "", NULL, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
}

static void
test_message_to_variant (void)
{
  g_autoptr (OhStoredMessage) message
      = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, T0, "hi");
  static const struct
  {
    const char *key;
    const char *type;
  } keys[] = {
    { "id", "s" },   { "from", "s" },      { "from-name", "s" }, { "to", "s" },     { "body", "s" },
    { "time", "x" }, { "direction", "s" }, { "device", "s" },    { "status", "s" }, { "read", "b" },
  };
  g_autoptr (GVariant) dict = NULL;
  g_autoptr (GVariantDict) lookup = NULL;
  g_autoptr (OhStoredMessage) copy = NULL;
  const char *s;
  gint64 time;

  message->id = g_strdup ("17");
  dict = g_variant_ref_sink (oh_stored_message_to_variant (message));
  g_assert_cmpuint (g_variant_n_children (dict), ==, G_N_ELEMENTS (keys));
  lookup = g_variant_dict_new (dict);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr (GVariant) value = g_variant_dict_lookup_value (lookup, keys[i].key, NULL);

      g_assert_nonnull (value);
      g_assert_cmpstr (g_variant_get_type_string (value), ==, keys[i].type);
    }
  g_assert_true (g_variant_dict_lookup (lookup, "direction", "&s", &s));
  g_assert_cmpstr (s, ==, "incoming");
  g_assert_true (g_variant_dict_lookup (lookup, "id", "&s", &s));
  g_assert_cmpstr (s, ==, "17");
  g_assert_true (g_variant_dict_lookup (lookup, "time", "x", &time));
  g_assert_cmpint (time, ==, T0);

  copy = oh_stored_message_copy (message);
  g_assert_true (copy->body != message->body);
  g_assert_cmpstr (copy->body, ==, "hi");
  g_assert_cmpstr (oh_stored_message_status_to_string (OH_STORED_MESSAGE_RECEIVED), ==, "received");
}

static void
test_options_from_variant (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before_id = NULL;
  gint64 before = -1;
  guint limit = 0;

  g_assert_true (oh_conversation_options_from_variant (g_variant_new_parsed ("@a{sv} {}"), &before,
                                                       &before_id, &limit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (before, ==, 0);
  g_assert_null (before_id);
  g_assert_cmpuint (limit, ==, OH_CONVERSATION_DEFAULT_LIMIT);

  g_assert_true (oh_conversation_options_from_variant (
      g_variant_new_parsed ("{'before': <int64 99>, 'before-id': <'7'>, 'limit': <uint32 5>}"),
      &before, &before_id, &limit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (before, ==, 99);
  g_assert_cmpstr (before_id, ==, "7");
  g_assert_cmpuint (limit, ==, 5);

  {
    static const struct
    {
      const char *options;
      const char *mentions;
    } bad[] = {
      { "{'after': <int64 1>}", "after" },         { "{'limit': <5>}", "limit" },
      { "{'limit': <uint32 0>}", "limit" },        { "{'limit': <uint32 1001>}", "1001" },
      { "{'before': <'now'>}", "before" },         { "{'before': <int64 -1>}", "before" },
      { "{'before-id': <int64 1>}", "before-id" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *id = NULL;

        g_assert_false (oh_conversation_options_from_variant (g_variant_new_parsed (bad[i].options),
                                                              &before, &id, &limit, &error));
        g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
        g_assert_nonnull (strstr (error->message, bad[i].mentions));
        g_assert_null (id);
        g_clear_error (&error);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/messages/add-and-read", test_add_and_read);
  ADD ("/store/messages/failed-is-kept", test_failed_is_kept);
  ADD ("/store/messages/paging-equal-times", test_paging_equal_times);
  ADD ("/store/messages/before-is-strict", test_before_is_strict);
  ADD ("/store/messages/conversation-invalid", test_conversation_invalid);
  ADD ("/store/messages/add-invalid", test_add_invalid);
  ADD ("/store/messages/unread-counts", test_unread_counts);
  g_test_add_func ("/store/messages/to-variant", test_message_to_variant);
  g_test_add_func ("/store/messages/options-from-variant", test_options_from_variant);

  return g_test_run ();
}

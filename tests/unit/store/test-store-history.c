/* test-store-history.c: the call history in the store
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "store-test-util.h"
#include "store/oh-store-private.h"

#define T0 G_GINT64_CONSTANT (1700000000000000)
#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

/* Most tests run twice: with the entries they add left pending, as the
 * calls of the last minutes are, and with each indexed and counted at
 * once (see setup_indexed()). */
static gboolean index_each_add;

static void
setup_pending (StoreFixture *f, gconstpointer data)
{
  store_fixture_setup (f, data);
  index_each_add = FALSE;
}

static void
setup_indexed (StoreFixture *f, gconstpointer data)
{
  store_fixture_setup (f, data);
  index_each_add = TRUE;
}

static void
index_history (OhStore *store)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (oh_store_index_history (store, &error));
  g_assert_no_error (error);
}

static gint64
pending_of (OhStore *store)
{
  g_autoptr (GError) error = NULL;
  gint64 n = -1;

  g_assert_true (oh_store_pending_history (store, &n, &error));
  g_assert_no_error (error);
  return n;
}

static GPtrArray *
query (OhStore *store, OhHistoryFilter *filter, guint page, guint rows, guint *total)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = oh_store_query_history (store, filter, page, rows, total, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static void
add (OhStore *store, OhHistoryEntry *entry)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (oh_store_add_history (store, entry, &error));
  g_assert_no_error (error);
  g_assert_nonnull (entry->id);
  if (index_each_add)
    index_history (store);
}

static void
add_new (OhStore *store, OhHistoryEntry *entry)
{
  g_autoptr (OhHistoryEntry) owned = entry;

  add (store, owned);
}

/* The ids of all matching entries, read page by page, checking the total
 * on every page. */
static GPtrArray *
query_all_ids (OhStore *store, OhHistoryFilter *filter, guint rows, guint *total)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  *total = G_MAXUINT;
  for (guint page = 0;; page++)
    {
      g_autoptr (GPtrArray) entries = NULL;
      guint page_total = 0;

      entries = query (store, filter, page, rows, &page_total);
      if (*total != G_MAXUINT)
        g_assert_cmpuint (page_total, ==, *total);
      *total = page_total;
      g_assert_cmpuint (entries->len, <=, rows);
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (ids, g_strdup (((OhHistoryEntry *)g_ptr_array_index (entries, i))->id));
      if (entries->len < rows)
        break;
    }
  g_assert_cmpuint (ids->len, ==, *total);
  return ids;
}

static void
test_add_and_read (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryEntry) answered
      = make_entry ("100", "Anna Müller", "+4930123456", "", OH_HISTORY_DIRECTION_OUTGOING,
                    OH_HISTORY_DISPOSITION_ANSWERED, T0);
  g_autoptr (OhHistoryEntry) missed
      = make_entry ("+4930123456", "", "100", "Anna Müller", OH_HISTORY_DIRECTION_INCOMING,
                    OH_HISTORY_DISPOSITION_MISSED, T0 + 1);
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) entries = NULL;
  OhHistoryEntry *read;
  guint total = 0;

  g_free (answered->session_id);
  answered->session_id = g_strdup ("1700000000.42");
  add (f->store, answered);
  add (f->store, missed);
  /* 5 s to 65.4 s: whole seconds. */
  g_assert_cmpuint (answered->talk_seconds, ==, 60);
  g_assert_cmpuint (missed->talk_seconds, ==, 0);
  g_assert_cmpstr (answered->id, !=, missed->id);

  entries = query (f->store, filter, 0, 10, &total);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (entries->len, ==, 2);
  read = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (read->id, ==, answered->id);
  g_assert_cmpstr (read->session_id, ==, "1700000000.42");
  g_assert_cmpstr (read->caller, ==, "100");
  g_assert_cmpstr (read->caller_name, ==, "Anna Müller");
  g_assert_cmpstr (read->callee, ==, "+4930123456");
  g_assert_cmpstr (read->callee_name, ==, "");
  g_assert_cmpint (read->direction, ==, OH_HISTORY_DIRECTION_OUTGOING);
  g_assert_cmpint (read->disposition, ==, OH_HISTORY_DISPOSITION_ANSWERED);
  g_assert_cmpint (read->start_time, ==, T0);
  g_assert_cmpint (read->answer_time, ==, answered->answer_time);
  g_assert_cmpint (read->end_time, ==, answered->end_time);
  g_assert_cmpuint (read->talk_seconds, ==, 60);
  read = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (read->id, ==, missed->id);
  g_assert_cmpint (read->disposition, ==, OH_HISTORY_DISPOSITION_MISSED);
  g_assert_cmpint (read->answer_time, ==, 0);
}

static void
test_order_and_paging (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) beyond = NULL;
  gint64 previous = G_MAXINT64;
  guint total = 0;

  /* Added out of order, as calls end out of order. */
  for (int i = 0; i < 25; i++)
    add_new (f->store,
             make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                         OH_HISTORY_DISPOSITION_ANSWERED, T0 + ((i * 7) % 25) * G_USEC_PER_SEC));

  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 25);
  for (guint page = 0; page < 3; page++)
    {
      g_autoptr (GPtrArray) entries = query (f->store, filter, page, 10, NULL);

      g_assert_cmpuint (entries->len, ==, page < 2 ? 10 : 5);
      for (guint i = 0; i < entries->len; i++)
        {
          OhHistoryEntry *entry = g_ptr_array_index (entries, i);

          g_assert_cmpint (entry->start_time, <, previous);
          previous = entry->start_time;
        }
    }
  beyond = query (f->store, filter, 3, 10, &total);
  g_assert_cmpuint (beyond->len, ==, 0);
  g_assert_cmpuint (total, ==, 25);
  g_clear_pointer (&beyond, g_ptr_array_unref);
  beyond = query (f->store, filter, G_MAXUINT, OH_HISTORY_MAX_ROWS, &total);
  g_assert_cmpuint (beyond->len, ==, 0);
}

/* Calls that started in the same microsecond: distinct ids, the one added
 * last first. */
static void
test_same_start_time (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GPtrArray) added
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);

  for (int i = 0; i < 5; i++)
    {
      OhHistoryEntry *entry = make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                          OH_HISTORY_DISPOSITION_ANSWERED, T0);

      add (f->store, entry);
      g_ptr_array_add (added, entry);
    }
  add_new (f->store, make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0 + 1));
  add_new (f->store, make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0 - 1));

  entries = query (f->store, filter, 0, 100, NULL);
  g_assert_cmpuint (entries->len, ==, 7);
  g_assert_cmpint (((OhHistoryEntry *)g_ptr_array_index (entries, 0))->start_time, ==, T0 + 1);
  for (guint i = 0; i < 5; i++)
    {
      OhHistoryEntry *entry = g_ptr_array_index (entries, i + 1);

      g_assert_cmpstr (entry->id, ==, ((OhHistoryEntry *)g_ptr_array_index (added, 4 - i))->id);
    }
  g_assert_cmpint (((OhHistoryEntry *)g_ptr_array_index (entries, 6))->start_time, ==, T0 - 1);
}

static guint
count_text (OhStore *store, const char *text)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) ids = NULL;
  guint total = 0;

  filter->text = g_strdup (text);
  ids = query_all_ids (store, filter, 3, &total);
  return total;
}

/* `%`, `_` and `\` are what they are, on the short (scan) and the long
 * (index) path, and so are quotes. */
static void
test_text_is_literal (StoreFixture *f, gconstpointer data)
{
  const char *names[] = { "100% Sure",    "r_s Bank", "back\\slash", "Say \"hi\"",
                          "plain rs 100", "plain",    "Rabcs",       "xxx" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    add_new (f->store, make_entry ("200", names[i], "201", "", OH_HISTORY_DIRECTION_INTERNAL,
                                   OH_HISTORY_DISPOSITION_ANSWERED, T0 + i));

  g_assert_cmpuint (count_text (f->store, "%"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "0%"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "00%"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "% s"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "_"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "r_s"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "\\"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "k\\s"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "\""), ==, 1);
  g_assert_cmpuint (count_text (f->store, "\"hi\""), ==, 1);
  g_assert_cmpuint (count_text (f->store, "*"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "plain OR xxx"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "NEAR(a b)"), ==, 0);
  /* Numbers: 200 is every caller. */
  g_assert_cmpuint (count_text (f->store, "20"), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (count_text (f->store, "201"), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (count_text (f->store, "100"), ==, 2);
}

static void
test_text_case (StoreFixture *f, gconstpointer data)
{
  add_new (f->store, make_entry ("100", "Ömer Öztürk", "101", "ANNA", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0));
  add_new (f->store, make_entry ("102", "Émile Zola", "103", "anna", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0 + 1));

  g_assert_cmpuint (count_text (f->store, "anna"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "AnNa"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "an"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "ÖZTÜRK"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "öztürk"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "öz"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "Ö"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "émile"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "é"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "emile"), ==, 0);
}

static guint
count_extension (OhStore *store, const char *extension)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) ids = NULL;
  guint total = 0;

  filter->extension = g_strdup (extension);
  ids = query_all_ids (store, filter, 3, &total);
  return total;
}

/* Three characters are a trigram, more the phrase of their 4-grams; no
 * match runs from one value into the next. */
static void
test_text_lengths (StoreFixture *f, gconstpointer data)
{
  add_new (f->store,
           make_entry ("100", "Anna Berg", "+4930123456", "Ben Koch", OH_HISTORY_DIRECTION_OUTGOING,
                       OH_HISTORY_DISPOSITION_ANSWERED, T0));
  add_new (f->store, make_entry ("101", "Hannah", "102", "Johannes", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_MISSED, T0 + 1));

  g_assert_cmpuint (count_text (f->store, "ann"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "anna"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "annah"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "hannah"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "hannahs"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "anna berg"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "a b"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "johannes"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "ohanne"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "ohannes!"), ==, 0);
  /* Across values: caller name then callee, and number then name. */
  g_assert_cmpuint (count_text (f->store, "bergben"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "berg+49"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "100anna"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "456ben"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "101h"), ==, 0);
  g_assert_cmpuint (count_text (f->store, "30123456"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "+4930123456"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "10"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "102"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "1023"), ==, 0);
}

/* Whatever a value holds (the PBX sends names), it is text to search, not
 * a number, a tag or a field of the search document. */
static void
test_values_are_opaque (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) ids = NULL;
  guint total = 0;

  add_new (f->store,
           make_entry ("100", "\002d1\002p1", "101", "N3:555T1:x\0035\003",
                       OH_HISTORY_DIRECTION_INTERNAL, OH_HISTORY_DISPOSITION_ANSWERED, T0));
  add_new (f->store,
           make_entry ("\002200\003", "D2:11", "N3:300", "Tab\tEnd", OH_HISTORY_DIRECTION_INTERNAL,
                       OH_HISTORY_DISPOSITION_ANSWERED, T0 + 1));

  g_assert_cmpuint (count_extension (f->store, "555"), ==, 0);
  g_assert_cmpuint (count_extension (f->store, "300"), ==, 0);
  g_assert_cmpuint (count_extension (f->store, "200"), ==, 0);
  g_assert_cmpuint (count_extension (f->store, "N3:300"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "N3:555"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "n3:"), ==, 2);
  g_assert_cmpuint (count_text (f->store, "D2:11"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "200"), ==, 1);
  g_assert_cmpuint (count_text (f->store, "tab"), ==, 1);

  filter->direction = g_strdup ("outgoing");
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  g_free (filter->direction);
  filter->direction = NULL;
  filter->disposition = g_strdup ("missed");
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 0);
}

/* The whole number of either side, not a part of it. */
static void
test_extension_is_exact (StoreFixture *f, gconstpointer data)
{
  add_new (f->store, make_entry ("100", "", "1000", "", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0));
  add_new (f->store, make_entry ("+49100", "", "Alice", "", OH_HISTORY_DIRECTION_INCOMING,
                                 OH_HISTORY_DISPOSITION_MISSED, T0 + 1));
  add_new (f->store, make_entry ("1001", "100", "\"quoted\"", "", OH_HISTORY_DIRECTION_OUTGOING,
                                 OH_HISTORY_DISPOSITION_BUSY, T0 + 2));

  g_assert_cmpuint (count_extension (f->store, "100"), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "1000"), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "10"), ==, 0);
  g_assert_cmpuint (count_extension (f->store, "+49100"), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "49100"), ==, 0);
  g_assert_cmpuint (count_extension (f->store, "alice"), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "ALICE"), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "\"quoted\""), ==, 1);
  g_assert_cmpuint (count_extension (f->store, "1"), ==, 0);
  /* A name is not a number. */
  g_assert_cmpuint (count_extension (f->store, "Anna"), ==, 0);
}

/* The reference: what the API documents, written the obvious way. */
static char *
fold (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (p)));
  return g_string_free (out, FALSE);
}

static gboolean
contains (const char *haystack, const char *needle)
{
  g_autofree char *h = fold (haystack);
  g_autofree char *n = fold (needle);

  return strstr (h, n) != NULL;
}

static gboolean
reference_match (const OhHistoryEntry *entry, const OhHistoryFilter *filter)
{
  if (filter->text != NULL
      && !(contains (entry->caller, filter->text) || contains (entry->caller_name, filter->text)
           || contains (entry->callee, filter->text)
           || contains (entry->callee_name, filter->text)))
    return FALSE;
  if (filter->extension != NULL && g_strcmp0 (entry->caller, filter->extension) != 0
      && g_strcmp0 (entry->callee, filter->extension) != 0)
    return FALSE;
  if (filter->direction != NULL
      && g_strcmp0 (oh_history_direction_to_string (entry->direction), filter->direction) != 0)
    return FALSE;
  if (filter->disposition != NULL
      && g_strcmp0 (oh_history_disposition_to_string (entry->disposition), filter->disposition)
             != 0)
    return FALSE;
  if (entry->start_time < filter->since)
    return FALSE;
  if (filter->until != 0 && entry->start_time > filter->until)
    return FALSE;
  return TRUE;
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  const OhHistoryEntry *x = *(OhHistoryEntry **)a;
  const OhHistoryEntry *y = *(OhHistoryEntry **)b;
  gint64 id_x = g_ascii_strtoll (x->id, NULL, 10);
  gint64 id_y = g_ascii_strtoll (y->id, NULL, 10);

  if (x->start_time != y->start_time)
    return x->start_time < y->start_time ? 1 : -1;
  return id_x < id_y ? 1 : id_x > id_y ? -1 : 0;
}

static const char *const ref_numbers[]
    = { "100", "101", "102", "103", "110", "1000", "+4930123456", "+4930999", "0301234", "*97" };
static const char *const ref_names[] = { "Anna Müller",
                                         "ANNA upper",
                                         "Hannah",
                                         "Ömer Öztürk",
                                         "José Álvarez",
                                         "Ben 100% Sure",
                                         "under_score",
                                         "back\\slash",
                                         "Quote \"Q\" Man",
                                         "Émile",
                                         "",
                                         "" };

/* About 1.2 hours apart: 200 slots over ten days, so since/until cross
 * whole days and many calls share a start time. */
#define SLOT (G_GINT64_CONSTANT (4321) * G_USEC_PER_SEC)

static gint64
random_time (GRand *rand)
{
  return T0 + g_rand_int_range (rand, 0, 200) * SLOT + g_rand_int_range (rand, -1, 2);
}

static void
check_filters_against_reference (OhStore *store, GPtrArray *all, GRand *rand, guint rounds)
{
  static const char *const needles[]
      = { "ann",   "ANN", "an",  "a", "müller", "MÜLLER", "ömer",  "öz",
          "%",     "0%",  "100", "_", "r_s",    "\\",     "\"q\"", "\"",
          "+4930", "30",  "zzz", "é", "ÉMILE",  "1",      "ü",     "Q\" M" };
  static const char *const directions[] = { "incoming", "outgoing", "internal" };
  static const char *const dispositions[] = { "answered", "missed", "busy", "failed" };

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
      g_autoptr (GPtrArray) expected = g_ptr_array_new ();
      g_autoptr (GPtrArray) ids = NULL;
      guint rows = (guint[]){ 7, 50, 1000 }[g_rand_int_range (rand, 0, 3)];
      guint total = 0;

      if (g_rand_int_range (rand, 0, 2))
        filter->text = g_strdup (needles[g_rand_int_range (rand, 0, G_N_ELEMENTS (needles))]);
      if (g_rand_int_range (rand, 0, 4) == 0)
        filter->extension
            = g_strdup (ref_numbers[g_rand_int_range (rand, 0, G_N_ELEMENTS (ref_numbers))]);
      if (g_rand_int_range (rand, 0, 3) == 0)
        filter->direction = g_strdup (directions[g_rand_int_range (rand, 0, 3)]);
      if (g_rand_int_range (rand, 0, 3) == 0)
        filter->disposition = g_strdup (dispositions[g_rand_int_range (rand, 0, 4)]);
      if (g_rand_int_range (rand, 0, 2) == 0)
        filter->since = random_time (rand);
      if (g_rand_int_range (rand, 0, 2) == 0)
        {
          gint64 until = random_time (rand);

          filter->until = MAX (filter->since, until);
        }

      for (guint i = 0; i < all->len; i++)
        if (reference_match (g_ptr_array_index (all, i), filter))
          g_ptr_array_add (expected, ((OhHistoryEntry *)g_ptr_array_index (all, i))->id);

      ids = query_all_ids (store, filter, rows, &total);
      if (total != expected->len)
        g_test_message (
            "text “%s” extension “%s” direction %s disposition %s since %" G_GINT64_FORMAT
            " until %" G_GINT64_FORMAT,
            filter->text, filter->extension, filter->direction, filter->disposition, filter->since,
            filter->until);
      g_assert_cmpuint (total, ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_assert_cmpstr (g_ptr_array_index (ids, i), ==, g_ptr_array_index (expected, i));
    }
}

/* Every filter and combination, on every path (index, short text, totals
 * by day), with pending and indexed entries, against the reference; again
 * after deleting some entries, and once all are indexed. */
/* Past one indexing by the store itself, well before the next. */
#define N_REFERENCE (OH_STORE_PENDING_MAX * 3 / 2 + 50)

static void
test_filters_match_reference (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240501);
  g_autoptr (GPtrArray) all
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  guint n_deleted = 0;
  gint64 pending = 0;

  /* In batches of 50: once OH_STORE_PENDING_MAX are pending, the store
   * indexes them by itself; some of the last ones stay pending. */
  for (guint i = 0; i < N_REFERENCE; i++)
    {
      OhHistoryEntry *entry
          = make_entry (ref_numbers[g_rand_int_range (rand, 0, G_N_ELEMENTS (ref_numbers))],
                        ref_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (ref_names))],
                        ref_numbers[g_rand_int_range (rand, 0, G_N_ELEMENTS (ref_numbers))],
                        ref_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (ref_names))],
                        g_rand_int_range (rand, 0, 3), g_rand_int_range (rand, 0, 4),
                        T0 + g_rand_int_range (rand, 0, 200) * SLOT);

      g_ptr_array_add (all, entry);
      g_ptr_array_add (batch, entry);
      if (batch->len == 50 || i == N_REFERENCE - 1)
        {
          g_assert_true (oh_store_add_history_many (f->store, batch, &error));
          g_assert_no_error (error);
          pending = pending + batch->len >= OH_STORE_PENDING_MAX ? 0 : pending + batch->len;
          g_ptr_array_set_size (batch, 0);
        }
    }
  g_ptr_array_sort (all, newest_first);
  g_assert_cmpint (pending, >, 0);
  g_assert_cmpint (pending, <, N_REFERENCE);
  g_assert_cmpint (pending_of (f->store), ==, pending);
  check_filters_against_reference (f->store, all, rand, 200);

  for (guint i = all->len; i-- > 0;)
    if (g_rand_int_range (rand, 0, 5) == 0)
      {
        g_ptr_array_add (doomed, g_strdup (((OhHistoryEntry *)g_ptr_array_index (all, i))->id));
        g_ptr_array_remove_index (all, i);
      }
  g_ptr_array_add (doomed, NULL);
  g_assert_true (
      oh_store_delete_history (f->store, (const char *const *)doomed->pdata, &n_deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, doomed->len - 1);
  check_filters_against_reference (f->store, all, rand, 100);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  index_history (f->store);
  g_assert_cmpint (pending_of (f->store), ==, 0);
  check_filters_against_reference (f->store, all, rand, 100);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

/* More matches than the store reads from the index while paging, so the
 * total takes its own pass: pages and totals stay right on both sides. */
static void
test_many_matches (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) batch
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  g_autoptr (GError) error = NULL;
  static const struct
  {
    const char *text;
    const char *extension;
    const char *direction;
    guint expected;
  } filters[] = {
    { "anna", NULL, NULL, 2500 },       { NULL, "100", NULL, 2500 },
    { "an", NULL, NULL, 2500 },         { NULL, NULL, "internal", 1250 },
    { "anna", NULL, "outgoing", 1250 },
  };

  /* The oldest 100 added last, one by one: they stay pending, and the
   * last pages come from them. */
  for (guint i = 100; i < 2500; i++)
    g_ptr_array_add (
        batch, make_entry ("100", "Anna", "101", "",
                           i % 2 ? OH_HISTORY_DIRECTION_INTERNAL : OH_HISTORY_DIRECTION_OUTGOING,
                           OH_HISTORY_DISPOSITION_ANSWERED, T0 + i));
  g_assert_true (oh_store_add_history_many (f->store, batch, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    add_new (f->store,
             make_entry ("100", "Anna", "101", "",
                         i % 2 ? OH_HISTORY_DIRECTION_INTERNAL : OH_HISTORY_DIRECTION_OUTGOING,
                         OH_HISTORY_DISPOSITION_ANSWERED, T0 + i));
  g_assert_cmpint (pending_of (f->store), ==, 100);

  for (guint k = 0; k < G_N_ELEMENTS (filters); k++)
    {
      g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
      guint pages[] = { 0, 1, 199, 210, 249, 250 };

      filter->text = g_strdup (filters[k].text);
      filter->extension = g_strdup (filters[k].extension);
      filter->direction = g_strdup (filters[k].direction);
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autoptr (GPtrArray) entries = NULL;
          guint total = 0;
          guint first = pages[p] * 10;
          guint expected_len
              = first >= filters[k].expected ? 0 : MIN (10, filters[k].expected - first);

          entries = query (f->store, filter, pages[p], 10, &total);
          g_assert_cmpuint (total, ==, filters[k].expected);
          g_assert_cmpuint (entries->len, ==, expected_len);
          for (guint i = 0; i < entries->len; i++)
            {
              OhHistoryEntry *entry = g_ptr_array_index (entries, i);
              /* Newest first; with a direction, every other one. */
              guint step = filters[k].direction != NULL ? 2 : 1;
              gint64 newest
                  = filters[k].direction == NULL || g_str_equal (filters[k].direction, "internal")
                        ? 2499
                        : 2498;

              g_assert_cmpint (entry->start_time, ==, T0 + newest - (gint64)(first + i) * step);
            }

          /* Without the total (read another way): the same page. */
          {
            g_autoptr (GPtrArray) alone = query (f->store, filter, pages[p], 10, NULL);

            g_assert_cmpuint (alone->len, ==, entries->len);
            for (guint i = 0; i < alone->len; i++)
              g_assert_cmpstr (((OhHistoryEntry *)g_ptr_array_index (alone, i))->id, ==,
                               ((OhHistoryEntry *)g_ptr_array_index (entries, i))->id);
          }
        }
    }
}

static char *
totals_of (OhStore *store)
{
  static const struct
  {
    const char *text;
    const char *extension;
    const char *direction;
    gint64 since_days;
    gint64 until_days;
  } filters[] = {
    { NULL, NULL, NULL, 0, 0 },   { "anna", NULL, NULL, 0, 0 },
    { "ann", NULL, NULL, 0, 0 },  { "an", NULL, NULL, 0, 0 },
    { "ü", NULL, NULL, 0, 0 },    { NULL, "100", NULL, 0, 0 },
    { "an", "100", NULL, 0, 0 },  { NULL, NULL, "internal", 0, 0 },
    { NULL, NULL, NULL, 1, 5 },   { NULL, NULL, "internal", 1, 5 },
    { "anna", NULL, NULL, 1, 5 }, { "an", NULL, "outgoing", 0, 0 },
  };
  GString *totals = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
      g_autoptr (GPtrArray) ids = NULL;
      guint total = 0;

      filter->text = g_strdup (filters[i].text);
      filter->extension = g_strdup (filters[i].extension);
      filter->direction = g_strdup (filters[i].direction);
      if (filters[i].since_days > 0)
        {
          filter->since = T0 + filters[i].since_days * DAY_US;
          filter->until = T0 + filters[i].until_days * DAY_US;
        }
      ids = query_all_ids (store, filter, 2, &total);
      g_string_append_printf (totals, "%s%u", i > 0 ? " " : "", total);
    }
  return g_string_free (totals, FALSE);
}

/* Pending entries are found, counted and deleted like indexed ones, and
 * indexing them changes no answer. */
static void
test_pending (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) entries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *ids[3] = { NULL };

  /* A day apart, so a range has whole days (history_days) and partial ones. */
  for (int i = 0; i < 9; i++)
    {
      OhHistoryEntry *entry = make_entry (
          i % 3 ? "100" : "+4930123456", i % 2 ? "Anna Müller" : "Hannah", "101",
          i % 4 ? "" : "Bän", i % 3 ? OH_HISTORY_DIRECTION_INTERNAL : OH_HISTORY_DIRECTION_OUTGOING,
          i % 4, T0 + i * DAY_US + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);

      add (f->store, entry);
      g_ptr_array_add (entries, entry);
    }
  g_assert_cmpint (pending_of (f->store), ==, 9);
  before = totals_of (f->store);
  g_assert_cmpstr (before, ==, "9 9 9 9 4 6 6 6 4 3 4 3");

  index_history (f->store);
  g_assert_cmpint (pending_of (f->store), ==, 0);
  after = totals_of (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  /* Three more, pending; then one of them and one indexed entry deleted. */
  for (int i = 9; i < 12; i++)
    {
      OhHistoryEntry *entry = make_entry ("100", "Anna", "102", "", OH_HISTORY_DIRECTION_INTERNAL,
                                          OH_HISTORY_DISPOSITION_MISSED, T0 + (i - 8) * DAY_US);

      add (f->store, entry);
      g_ptr_array_add (entries, entry);
    }
  g_assert_cmpint (pending_of (f->store), ==, 3);
  g_clear_pointer (&after, g_free);
  after = totals_of (f->store);
  g_assert_cmpstr (after, ==, "12 12 12 12 4 9 9 9 7 6 7 3");
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  ids[0] = ((OhHistoryEntry *)g_ptr_array_index (entries, 10))->id;
  ids[1] = ((OhHistoryEntry *)g_ptr_array_index (entries, 1))->id;
  g_assert_true (oh_store_delete_history (f->store, ids, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_of (f->store), ==, 2);
  g_clear_pointer (&after, g_free);
  after = totals_of (f->store);
  g_assert_cmpstr (after, ==, "10 10 10 10 3 7 7 7 5 4 5 3");
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  index_history (f->store);
  g_clear_pointer (&before, g_free);
  before = totals_of (f->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (oh_store_clear_history (f->store, &error));
  g_assert_cmpint (pending_of (f->store), ==, 0);
  g_clear_pointer (&after, g_free);
  after = totals_of (f->store);
  g_assert_cmpstr (after, ==, "0 0 0 0 0 0 0 0 0 0 0 0");
}

/* The store indexes the pending entries by itself when there are enough
 * of them, and a batch that big right after it is stored. */
static void
test_indexed_by_itself (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) batch
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < OH_STORE_PENDING_MAX - 1; i++)
    add_new (f->store, make_entry ("100", "Anna", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                   OH_HISTORY_DISPOSITION_ANSWERED, T0 + i));
  g_assert_cmpint (pending_of (f->store), ==, OH_STORE_PENDING_MAX - 1);
  add_new (f->store, make_entry ("100", "Anna", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0 - 1));
  g_assert_cmpint (pending_of (f->store), ==, 0);
  g_assert_cmpuint (count_text (f->store, "anna"), ==, OH_STORE_PENDING_MAX);

  for (int i = 0; i < OH_STORE_PENDING_MAX * 2; i++)
    g_ptr_array_add (batch, make_entry ("100", "Ben", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                        OH_HISTORY_DISPOSITION_ANSWERED, T0 + 1000 + i));
  g_assert_true (oh_store_add_history_many (f->store, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_of (f->store), ==, 0);
  g_assert_cmpuint (count_text (f->store, "ben"), ==, OH_STORE_PENDING_MAX * 2);
  g_assert_cmpuint (count_text (f->store, "n"), ==, OH_STORE_PENDING_MAX * 3);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

static void
test_since_until_inclusive (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) ids = NULL;
  guint total = 0;

  for (int i = 0; i < 10; i++)
    add_new (f->store, make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                   OH_HISTORY_DISPOSITION_ANSWERED, T0 + i));
  filter->since = T0 + 2;
  filter->until = T0 + 5;
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 4);
  g_clear_pointer (&ids, g_ptr_array_unref);

  filter->until = T0 + 2;
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);

  filter->since = 0;
  filter->until = G_MAXINT64;
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 10);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Far ends of time, alone and with a word (totals by day). */
  filter->since = G_MAXINT64 - 1;
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  filter->direction = g_strdup ("internal");
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  filter->since = 1;
  filter->until = 0;
  ids = query_all_ids (f->store, filter, 10, &total);
  g_assert_cmpuint (total, ==, 10);
  g_clear_pointer (&ids, g_ptr_array_unref);
  filter->until = T0 + 9;
  ids = query_all_ids (f->store, filter, 3, &total);
  g_assert_cmpuint (total, ==, 10);
}

static void
assert_invalid (OhStore *store, OhHistoryFilter *filter, guint rows, const char *mentions)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  guint total = 12345;

  g_assert_false (oh_history_filter_validate (filter, rows, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, mentions));
  g_clear_error (&error);

  entries = oh_store_query_history (store, filter, 0, rows, &total, &error);
  g_assert_null (entries);
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (total, ==, 12345);
}

static void
test_validation (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *long_text = g_strnfill (OH_HISTORY_MAX_TEXT + 1, 'a');

  g_assert_true (oh_history_filter_validate (filter, 1, &error));
  g_assert_true (oh_history_filter_validate (filter, OH_HISTORY_MAX_ROWS, &error));
  g_assert_no_error (error);

  assert_invalid (f->store, filter, 0, "Rows");
  assert_invalid (f->store, filter, OH_HISTORY_MAX_ROWS + 1, "1001");

  filter->direction = g_strdup ("sideways");
  assert_invalid (f->store, filter, 10, "sideways");
  g_clear_pointer (&filter->direction, g_free);

  filter->disposition = g_strdup ("Answered");
  assert_invalid (f->store, filter, 10, "Answered");
  g_clear_pointer (&filter->disposition, g_free);

  filter->since = 20;
  filter->until = 10;
  assert_invalid (f->store, filter, 10, "since");
  filter->since = -1;
  filter->until = 0;
  assert_invalid (f->store, filter, 10, "negative");
  filter->since = 0;

  filter->text = g_strdup (long_text);
  assert_invalid (f->store, filter, 10, "text");
  g_free (filter->text);
  filter->text = g_strdup ("\xff\xfe");
  assert_invalid (f->store, filter, 10, "UTF-8");
  g_clear_pointer (&filter->text, g_free);

  filter->extension = g_strdup ("\xc3");
  assert_invalid (f->store, filter, 10, "extension");
  g_clear_pointer (&filter->extension, g_free);

  /* The index marks its own tokens with control characters. */
  filter->text = g_strdup ("\002d2");
  assert_invalid (f->store, filter, 10, "control");
  g_clear_pointer (&filter->text, g_free);
  filter->extension = g_strdup ("100\003");
  assert_invalid (f->store, filter, 10, "control");
  g_clear_pointer (&filter->extension, g_free);

  /* Empty words are no filter. */
  filter->direction = g_strdup ("");
  filter->disposition = g_strdup ("");
  filter->text = g_strdup ("");
  g_assert_true (oh_history_filter_validate (filter, 10, &error));
}

static void
test_filter_from_variant (void)
{
  g_autoptr (OhHistoryFilter) filter = NULL;
  g_autoptr (GError) error = NULL;
  GVariant *bad;

  filter = oh_history_filter_from_variant (
      g_variant_new_parsed ("{'text': <'ann'>, 'extension': <'100'>, 'direction': <'incoming'>, "
                            "'disposition': <'missed'>, 'since': <int64 5>, 'until': <int64 9>}"),
      &error);
  g_assert_no_error (error);
  g_assert_cmpstr (filter->text, ==, "ann");
  g_assert_cmpstr (filter->extension, ==, "100");
  g_assert_cmpstr (filter->direction, ==, "incoming");
  g_assert_cmpstr (filter->disposition, ==, "missed");
  g_assert_cmpint (filter->since, ==, 5);
  g_assert_cmpint (filter->until, ==, 9);
  g_assert_true (oh_history_filter_validate (filter, 50, &error));
  g_clear_pointer (&filter, oh_history_filter_free);

  filter = oh_history_filter_from_variant (g_variant_new_parsed ("@a{sv} {}"), &error);
  g_assert_no_error (error);
  g_assert_null (filter->text);
  g_assert_cmpint (filter->until, ==, 0);
  g_clear_pointer (&filter, oh_history_filter_free);

  bad = g_variant_ref_sink (g_variant_new_parsed ("{'general': <'ann'>}"));
  filter = oh_history_filter_from_variant (bad, &error);
  g_variant_unref (bad);
  g_assert_null (filter);
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "general"));
  g_clear_error (&error);

  bad = g_variant_ref_sink (g_variant_new_parsed ("{'since': <'yesterday'>}"));
  filter = oh_history_filter_from_variant (bad, &error);
  g_variant_unref (bad);
  g_assert_null (filter);
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "since"));
  g_clear_error (&error);

  /* int32 is not x. */
  bad = g_variant_ref_sink (g_variant_new_parsed ("{'until': <5>}"));
  filter = oh_history_filter_from_variant (bad, &error);
  g_variant_unref (bad);
  g_assert_null (filter);
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "until"));
}

static void
test_entry_to_variant (void)
{
  g_autoptr (OhHistoryEntry) entry = make_entry (
      "100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INTERNAL, OH_HISTORY_DISPOSITION_BUSY, T0);
  static const struct
  {
    const char *key;
    const char *type;
  } keys[] = {
    { "id", "s" },         { "session-id", "s" },  { "caller", "s" },    { "caller-name", "s" },
    { "callee", "s" },     { "callee-name", "s" }, { "direction", "s" }, { "disposition", "s" },
    { "start-time", "x" }, { "answer-time", "x" }, { "end-time", "x" },  { "talk-seconds", "u" },
  };
  g_autoptr (GVariant) dict = NULL;
  g_autoptr (GVariantDict) lookup = NULL;
  const char *s;

  entry->id = g_strdup ("42");
  dict = g_variant_ref_sink (oh_history_entry_to_variant (entry));
  g_assert_cmpstr (g_variant_get_type_string (dict), ==, "a{sv}");
  g_assert_cmpuint (g_variant_n_children (dict), ==, G_N_ELEMENTS (keys));
  lookup = g_variant_dict_new (dict);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr (GVariant) value = g_variant_dict_lookup_value (lookup, keys[i].key, NULL);

      g_assert_nonnull (value);
      g_assert_cmpstr (g_variant_get_type_string (value), ==, keys[i].type);
    }
  g_assert_true (g_variant_dict_lookup (lookup, "direction", "&s", &s));
  g_assert_cmpstr (s, ==, "internal");
  g_assert_true (g_variant_dict_lookup (lookup, "disposition", "&s", &s));
  g_assert_cmpstr (s, ==, "busy");
  g_assert_true (g_variant_dict_lookup (lookup, "caller-name", "&s", &s));
  g_assert_cmpstr (s, ==, "Anna");
}

static void
test_words (void)
{
  OhHistoryDirection direction;
  OhHistoryDisposition disposition;

  for (OhHistoryDirection d = OH_HISTORY_DIRECTION_INCOMING; d <= OH_HISTORY_DIRECTION_INTERNAL;
       d++)
    {
      g_assert_true (
          oh_history_direction_from_string (oh_history_direction_to_string (d), &direction));
      g_assert_cmpint (direction, ==, d);
    }
  for (OhHistoryDisposition d = OH_HISTORY_DISPOSITION_ANSWERED; d <= OH_HISTORY_DISPOSITION_FAILED;
       d++)
    {
      g_assert_true (
          oh_history_disposition_from_string (oh_history_disposition_to_string (d), &disposition));
      g_assert_cmpint (disposition, ==, d);
    }
  g_assert_false (oh_history_direction_from_string ("Incoming", &direction));
  g_assert_false (oh_history_direction_from_string (NULL, &direction));
  g_assert_false (oh_history_disposition_from_string ("rejected", &disposition));
}

static guint
total_of (OhStore *store, const char *text, const char *direction)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) entries = NULL;
  guint total = 0;

  filter->text = g_strdup (text);
  filter->direction = g_strdup (direction);
  entries = query (store, filter, 0, 1, &total);
  return total;
}

static void
test_delete (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) entries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  g_autoptr (GError) error = NULL;
  guint n_deleted = 99;

  for (int i = 0; i < 10; i++)
    {
      OhHistoryEntry *entry
          = make_entry ("100", i < 5 ? "Anna" : "Ben", "101", "",
                        i % 2 ? OH_HISTORY_DIRECTION_INTERNAL : OH_HISTORY_DIRECTION_OUTGOING,
                        OH_HISTORY_DISPOSITION_ANSWERED, T0 + i);

      add (f->store, entry);
      g_ptr_array_add (entries, entry);
    }
  g_assert_cmpuint (total_of (f->store, "anna", NULL), ==, 5);
  g_assert_cmpuint (total_of (f->store, NULL, "internal"), ==, 5);

  /* A malformed id: nothing deleted. */
  {
    const char *ids[] = { ((OhHistoryEntry *)g_ptr_array_index (entries, 0))->id, "abc", NULL };

    g_assert_false (oh_store_delete_history (f->store, ids, &n_deleted, &error));
    g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "abc"));
    g_clear_error (&error);
    g_assert_cmpuint (n_deleted, ==, 99);
    g_assert_cmpuint (total_of (f->store, NULL, NULL), ==, 10);
  }

  /* Entries 0 (Anna, outgoing) and 1 (Anna, internal), one twice, and an
   * id that does not exist. */
  {
    const char *ids[] = { ((OhHistoryEntry *)g_ptr_array_index (entries, 0))->id,
                          ((OhHistoryEntry *)g_ptr_array_index (entries, 1))->id,
                          ((OhHistoryEntry *)g_ptr_array_index (entries, 1))->id, "12345", NULL };

    g_assert_true (oh_store_delete_history (f->store, ids, &n_deleted, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_deleted, ==, 2);
  }
  g_assert_cmpuint (total_of (f->store, NULL, NULL), ==, 8);
  g_assert_cmpuint (total_of (f->store, NULL, "internal"), ==, 4);
  g_assert_cmpuint (total_of (f->store, NULL, "outgoing"), ==, 4);
  g_assert_cmpuint (total_of (f->store, "anna", NULL), ==, 3);
  g_assert_cmpuint (total_of (f->store, "an", NULL), ==, 3);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  /* Nothing to delete is fine. */
  {
    const char *ids[] = { NULL };

    g_assert_true (oh_store_delete_history (f->store, ids, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_clear (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 20; i++)
    add_new (f->store, make_entry ("100", "Anna", "101", "", i % 3, i % 4, T0 + i));
  g_assert_true (oh_store_clear_history (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total_of (f->store, NULL, NULL), ==, 0);
  g_assert_cmpuint (total_of (f->store, NULL, "internal"), ==, 0);
  g_assert_cmpuint (total_of (f->store, "anna", NULL), ==, 0);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  add_new (f->store, make_entry ("100", "Anna", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                 OH_HISTORY_DISPOSITION_ANSWERED, T0));
  g_assert_cmpuint (total_of (f->store, "anna", "internal"), ==, 1);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  /* Clearing an empty history. */
  g_assert_true (oh_store_clear_history (f->store, &error));
  g_assert_true (oh_store_clear_history (f->store, &error));
  g_assert_no_error (error);
}

static void
test_add_invalid (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryEntry) no_start = make_entry (
      "100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL, OH_HISTORY_DISPOSITION_ANSWERED, 0);
  g_autoptr (OhHistoryEntry) bad_text = make_entry (
      "100", "\xff", "101", "", OH_HISTORY_DIRECTION_INTERNAL, OH_HISTORY_DISPOSITION_ANSWERED, T0);
  g_autoptr (OhHistoryEntry) nulls = oh_history_entry_new ();
  g_autoptr (OhHistoryEntry) good = make_entry ("100", "", "101", "", OH_HISTORY_DIRECTION_INTERNAL,
                                                OH_HISTORY_DISPOSITION_ANSWERED, T0);
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (oh_store_add_history (f->store, no_start, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_null (no_start->id);
  g_clear_error (&error);

  g_assert_false (oh_store_add_history (f->store, bad_text, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* All or nothing. */
  g_ptr_array_add (batch, good);
  g_ptr_array_add (batch, no_start);
  g_assert_false (oh_store_add_history_many (f->store, batch, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (good->id);
  g_assert_cmpuint (total_of (f->store, NULL, NULL), ==, 0);

  /* Missing strings are empty ones. */
  nulls->start_time = T0;
  add (f->store, nulls);
  g_assert_cmpuint (total_of (f->store, NULL, NULL), ==, 1);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

static void
test_entry_copy (void)
{
  g_autoptr (OhHistoryEntry) entry
      = make_entry ("100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INCOMING,
                    OH_HISTORY_DISPOSITION_FAILED, T0);
  g_autoptr (OhHistoryEntry) copy = NULL;

  entry->id = g_strdup ("7");
  copy = oh_history_entry_copy (entry);
  g_assert_true (copy->caller != entry->caller);
  g_assert_cmpstr (copy->id, ==, "7");
  g_assert_cmpstr (copy->callee_name, ==, "Ben");
  g_assert_cmpint (copy->disposition, ==, OH_HISTORY_DISPOSITION_FAILED);
  g_assert_cmpint (copy->end_time, ==, entry->end_time);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add (path, StoreFixture, NULL, setup_pending, func, store_fixture_teardown)
#define ADD_BOTH(path, func)                                                                       \
  G_STMT_START                                                                                     \
  {                                                                                                \
    ADD (path, func);                                                                              \
    g_test_add (path "/indexed", StoreFixture, NULL, setup_indexed, func, store_fixture_teardown); \
  }                                                                                                \
  G_STMT_END

  ADD_BOTH ("/store/history/add-and-read", test_add_and_read);
  ADD_BOTH ("/store/history/order-and-paging", test_order_and_paging);
  ADD_BOTH ("/store/history/same-start-time", test_same_start_time);
  ADD_BOTH ("/store/history/text-is-literal", test_text_is_literal);
  ADD_BOTH ("/store/history/text-case", test_text_case);
  ADD_BOTH ("/store/history/text-lengths", test_text_lengths);
  ADD_BOTH ("/store/history/values-are-opaque", test_values_are_opaque);
  ADD_BOTH ("/store/history/extension-is-exact", test_extension_is_exact);
  ADD ("/store/history/filters-match-reference", test_filters_match_reference);
  ADD ("/store/history/many-matches", test_many_matches);
  ADD_BOTH ("/store/history/since-until-inclusive", test_since_until_inclusive);
  ADD ("/store/history/pending", test_pending);
  ADD ("/store/history/indexed-by-itself", test_indexed_by_itself);
  ADD ("/store/history/validation", test_validation);
  g_test_add_func ("/store/history/filter-from-variant", test_filter_from_variant);
  g_test_add_func ("/store/history/entry-to-variant", test_entry_to_variant);
  g_test_add_func ("/store/history/words", test_words);
  g_test_add_func ("/store/history/entry-copy", test_entry_copy);
  ADD_BOTH ("/store/history/delete", test_delete);
  ADD_BOTH ("/store/history/clear", test_clear);
  ADD_BOTH ("/store/history/add-invalid", test_add_invalid);

  return g_test_run ();
}

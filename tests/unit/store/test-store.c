/* test-store.c: opening, migrating and checking the database; surviving SIGKILL
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store-test-util.h"
#include "store/oh-store-private.h"

static char *
query_text (StoreFixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static guint
count_history (OhStore *store)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  guint total = 0;

  page = oh_store_query_history (store, filter, 0, 1, &total, &error);
  g_assert_no_error (error);
  return total;
}

static void
test_open_creates_private_files (StoreFixture *f, gconstpointer data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autofree char *versions = NULL;
  g_autofree char *mode = NULL;
  struct stat st;

  g_assert_cmpint (oh_store_get_schema_version (f->store), ==, OH_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (oh_store_get_path (f->store), ==, f->path);

  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  versions = query_text (f, "SELECT group_concat(version, ',') FROM "
                            "(SELECT version FROM schema_version ORDER BY version)");
  g_assert_cmpstr (versions, ==, "1,2,3");
  mode = query_text (f, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

static void
test_open_default_path (void)
{
  g_autofree char *path = oh_store_default_path ();
  g_autofree char *expected
      = g_build_filename (g_get_user_data_dir (), "offhook", "offhook.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_reopen_keeps_data (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryEntry) entry
      = make_entry ("100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INTERNAL,
                    OH_HISTORY_DISPOSITION_ANSWERED, 1700000000000000);
  g_autoptr (OhStoredMessage) message
      = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, 1700000000000000, "hello");
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) conversation = NULL;
  g_autoptr (GError) error = NULL;
  OhHistoryEntry *found;
  guint total = 0;

  g_assert_true (oh_store_add_history (f->store, entry, &error));
  g_assert_no_error (error);
  g_assert_true (oh_store_add_message (f->store, message, &error));
  g_assert_no_error (error);

  store_fixture_reopen (f);

  page = oh_store_query_history (f->store, filter, 0, 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpuint (page->len, ==, 1);
  found = g_ptr_array_index (page, 0);
  g_assert_cmpstr (found->id, ==, entry->id);
  g_assert_cmpstr (found->caller_name, ==, "Anna");

  conversation = oh_store_get_conversation (f->store, "101", 0, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversation->len, ==, 1);
  g_assert_cmpstr (((OhStoredMessage *)g_ptr_array_index (conversation, 0))->body, ==, "hello");
}

static void
test_newer_schema_refused (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sql
      = g_strdup_printf ("INSERT INTO schema_version VALUES (%d, 0)", OH_STORE_SCHEMA_VERSION + 1);

  g_clear_object (&f->store);
  store_fixture_exec (f, sql);

  store = oh_store_new (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, f->path));
}

static void
test_not_a_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("offhook-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "offhook.db", NULL);
  g_autoptr (OhStore) store = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "This is not a database, but it is long enough to "
                                      "have a header. This is not a database at all.",
                                      -1, &error));
  store = oh_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  rm_rf (dir);
}

/* The schemas as releases 1 and 2 made them (migrations 1 and 2, frozen),
 * with history written as they wrote it, for the migrations to start from. */
static const char *const old_schema[] = {
  "CREATE TABLE history ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id TEXT NOT NULL,"
  "  caller TEXT NOT NULL,"
  "  caller_name TEXT NOT NULL,"
  "  callee TEXT NOT NULL,"
  "  callee_name TEXT NOT NULL,"
  "  direction INTEGER NOT NULL CHECK (direction BETWEEN 0 AND 2),"
  "  disposition INTEGER NOT NULL CHECK (disposition BETWEEN 0 AND 3),"
  "  start_time INTEGER NOT NULL CHECK (start_time > 0 AND start_time = id >> 10),"
  "  answer_time INTEGER NOT NULL,"
  "  end_time INTEGER NOT NULL,"
  "  talk_seconds INTEGER NOT NULL CHECK (talk_seconds >= 0)"
  ");"
  "CREATE VIEW history_search AS SELECT id,"
  "  char(2) || caller || char(3) AS caller, caller_name,"
  "  char(2) || callee || char(3) AS callee, callee_name,"
  "  char(2) || 'd' || direction || char(2) || 'p' || disposition AS tags"
  "  FROM history;"
  "CREATE VIRTUAL TABLE history_fts USING fts5 ("
  "  caller, caller_name, callee, callee_name, tags,"
  "  content = 'history_search', content_rowid = 'id', tokenize = 'offhook'"
  ");"
  "INSERT INTO history_fts (history_fts, rank) VALUES ('automerge', 8);"
  "CREATE TABLE history_counts ("
  "  direction INTEGER NOT NULL,"
  "  disposition INTEGER NOT NULL,"
  "  n INTEGER NOT NULL CHECK (n >= 0),"
  "  PRIMARY KEY (direction, disposition)"
  ") WITHOUT ROWID;"
  "CREATE TABLE history_days ("
  "  day INTEGER NOT NULL,"
  "  direction INTEGER NOT NULL,"
  "  disposition INTEGER NOT NULL,"
  "  n INTEGER NOT NULL CHECK (n >= 0),"
  "  PRIMARY KEY (day, direction, disposition)"
  ") WITHOUT ROWID;",

  "CREATE TABLE messages ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  peer TEXT NOT NULL,"
  "  sender TEXT NOT NULL,"
  "  sender_name TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  time INTEGER NOT NULL CHECK (time > 0),"
  "  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),"
  "  device TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'received')),"
  "  read INTEGER NOT NULL CHECK (read IN (0, 1))"
  ");"
  "CREATE INDEX messages_conversation ON messages (peer, time, seq);"
  "CREATE INDEX messages_unread ON messages (peer) WHERE read = 0 AND direction = 'incoming';",
};

#define OLD_T0 G_GINT64_CONSTANT (1700000000000000)
#define OLD_ENTRIES 300

static const char *const old_names[] = { "Anna Müller", "Hannah Berg", "Ömer Öztürk", "Ben Koch" };

static void
exec_or_die (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Entry i: caller 100 + i%7 (old_names[i%4]: "anna" is in half of them),
 * callee +4930555<i%10> (no name), direction i%3, disposition i%4, every 2
 * hours from OLD_T0. */
static void
make_old_database (const char *path, int version)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The tokenizer "offhook" of those releases is still registered. */
  g_assert_true (oh_store_register_search (db, &error));
  g_assert_no_error (error);
  exec_or_die (db, "PRAGMA journal_mode = WAL; BEGIN");
  exec_or_die (db, "CREATE TABLE schema_version ("
                   "  version INTEGER PRIMARY KEY,"
                   "  applied INTEGER NOT NULL"
                   ")");
  for (int v = 0; v < version; v++)
    {
      g_autofree char *record
          = g_strdup_printf ("INSERT INTO schema_version VALUES (%d, 1700000000000000)", v + 1);

      exec_or_die (db, old_schema[v]);
      exec_or_die (db, record);
    }
  for (int i = 0; i < OLD_ENTRIES; i++)
    {
      gint64 start = OLD_T0 + i * G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC;
      char *sql = sqlite3_mprintf (
          "INSERT INTO history VALUES (%lld, 's%d', '%d', %Q, '+4930555%d', '', %d, %d, %lld, "
          "0, %lld, 0)",
          (long long)(start << 10), i, 100 + i % 7, old_names[i % 4], i % 10, i % 3, i % 4,
          (long long)start, (long long)start + 1000000);

      exec_or_die (db, sql);
      sqlite3_free (sql);
    }
  exec_or_die (db, "INSERT INTO history_fts (history_fts) VALUES ('rebuild');"
                   "INSERT INTO history_counts SELECT direction, disposition, count(*) "
                   "  FROM history GROUP BY direction, disposition;"
                   "INSERT INTO history_days SELECT (id >> 10) / 86400000000 AS day, direction, "
                   "  disposition, count(*) FROM history GROUP BY day, direction, disposition;"
                   "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static guint
total_of (OhStore *store, const char *text, const char *extension, const char *direction)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GError) error = NULL;
  guint total = 0;

  filter->text = g_strdup (text);
  filter->extension = g_strdup (extension);
  filter->direction = g_strdup (direction);
  page = oh_store_query_history (store, filter, 0, 5, &total, &error);
  g_assert_no_error (error);
  return total;
}

/* Every old entry is there, found by every kind of filter, and the file
 * is sound; then the store works as a new one does. */
static void
check_migrated_history (StoreFixture *f)
{
  g_autoptr (OhHistoryEntry) entry
      = make_entry ("100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INTERNAL,
                    OH_HISTORY_DISPOSITION_MISSED, OLD_T0 + 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *versions = NULL;

  g_assert_cmpint (oh_store_get_schema_version (f->store), ==, 3);
  versions = query_text (f, "SELECT group_concat(version, ',') FROM "
                            "(SELECT version FROM schema_version ORDER BY version)");
  g_assert_cmpstr (versions, ==, "1,2,3");
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_history (f->store), ==, OLD_ENTRIES);
  g_assert_cmpuint (total_of (f->store, "anna", NULL, NULL), ==, OLD_ENTRIES / 2);
  g_assert_cmpuint (total_of (f->store, "Müller", NULL, NULL), ==, OLD_ENTRIES / 4);
  g_assert_cmpuint (total_of (f->store, "öz", NULL, NULL), ==, OLD_ENTRIES / 4);
  g_assert_cmpuint (total_of (f->store, "b", NULL, NULL), ==, OLD_ENTRIES / 2);
  g_assert_cmpuint (total_of (f->store, "5553", NULL, NULL), ==, OLD_ENTRIES / 10);
  g_assert_cmpuint (total_of (f->store, NULL, "103", NULL), ==, 43);
  g_assert_cmpuint (total_of (f->store, NULL, "+49305557", NULL), ==, OLD_ENTRIES / 10);
  g_assert_cmpuint (total_of (f->store, NULL, NULL, "outgoing"), ==, OLD_ENTRIES / 3);
  g_assert_cmpuint (total_of (f->store, "ann", NULL, "internal"), ==, 50);

  g_assert_true (oh_store_add_history (f->store, entry, &error));
  g_assert_no_error (error);
  g_assert_true (oh_store_index_history (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total_of (f->store, "anna", NULL, NULL), ==, OLD_ENTRIES / 2 + 1);
  g_assert_cmpuint (total_of (f->store, "n", NULL, NULL), ==, OLD_ENTRIES * 3 / 4 + 1);
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

/* A database of the first release (schema 1, history only) gets the
 * messages table and the new index, and keeps its history. */
static void
test_migrates_from_v1 (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhStoredMessage) message = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING,
                                                      1700000000000000, "after the upgrade");
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->store);
  g_unlink (f->path);
  make_old_database (f->path, 1);

  store_fixture_reopen (f);
  check_migrated_history (f);
  g_assert_true (oh_store_add_message (f->store, message, &error));
  g_assert_no_error (error);
}

/* Schema 2: history in the old index (trigrams, five columns), counted as
 * it was; the new index and history_grams are built from it. */
static void
test_migrates_from_v2 (StoreFixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_unlink (f->path);
  make_old_database (f->path, 2);

  store_fixture_reopen (f);
  check_migrated_history (f);

  /* And again, as any later start does. */
  store_fixture_reopen (f);
  g_assert_cmpint (oh_store_get_schema_version (f->store), ==, 3);
  g_assert_cmpuint (count_history (f->store), ==, OLD_ENTRIES + 1);
}

static void
test_migrates_from_empty_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("offhook-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "offhook.db", NULL);
  g_autoptr (OhStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  store = oh_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (oh_store_get_schema_version (store), ==, OH_STORE_SCHEMA_VERSION);
  g_clear_object (&store);
  rm_rf (dir);
}

static void
test_integrity_ok (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 50; i++)
    {
      g_autoptr (OhHistoryEntry) entry = make_entry (
          "100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INTERNAL, i % 4, 1700000000000000 + i);

      g_assert_true (oh_store_add_history (f->store, entry, &error));
    }
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

static void
test_integrity_damaged (StoreFixture *f, gconstpointer data)
{
  g_autoptr (OhHistoryEntry) entry
      = make_entry ("100", "Anna", "101", "Ben", OH_HISTORY_DIRECTION_INTERNAL,
                    OH_HISTORY_DISPOSITION_ANSWERED, 1700000000000000);
  g_autoptr (OhHistoryEntry) second
      = make_entry ("102", "Emil", "103", "", OH_HISTORY_DIRECTION_INTERNAL,
                    OH_HISTORY_DISPOSITION_ANSWERED, 1700000000000001);
  g_autoptr (GError) error = NULL;

  g_assert_true (oh_store_add_history (f->store, entry, &error));
  g_assert_true (oh_store_index_history (f->store, &error));
  g_assert_no_error (error);

  /* The totals no longer match the rows. */
  store_fixture_exec (f, "UPDATE history_counts SET n = 7");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  /* Nor do those of short texts. */
  /* Entry 0 is internal (2) and answered (0): group 8. */
  store_fixture_exec (f, "UPDATE history_counts SET n = 1; UPDATE history_grams SET n8 = 2 "
                         "WHERE gram = 'nn'");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);
  store_fixture_exec (f, "UPDATE history_grams SET n8 = 1 WHERE gram = 'nn'; "
                         "UPDATE history_grams SET n8 = 0, n9 = 1 WHERE gram = 'b'");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_clear_error (&error);
  store_fixture_exec (f, "DELETE FROM history_grams WHERE gram = 'b'");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_clear_error (&error);
  store_fixture_exec (f, "INSERT INTO history_grams VALUES ('b', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, "
                         "0)");
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);

  /* An entry pending that is not there, or not as it is. */
  store_fixture_exec (f, "INSERT INTO history_pending VALUES (12345, 2, 0)");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_clear_error (&error);
  store_fixture_exec (f, "DELETE FROM history_pending");
  g_assert_true (oh_store_add_history (f->store, second, &error));
  g_assert_true (oh_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
  store_fixture_exec (f, "UPDATE history_pending SET disposition = 1");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_clear_error (&error);
  store_fixture_exec (f, "UPDATE history_pending SET disposition = 0");

  /* A row deleted behind the search index's back. */
  store_fixture_exec (f, "DELETE FROM history_counts; DELETE FROM history_days; "
                         "DELETE FROM history_grams; DELETE FROM history");
  g_assert_false (oh_store_check_integrity (f->store, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "damaged"));
}

/* The child writes as the daemon does, one commit per call (and now and
 * then a batch, as after a reconnect), and reports each id once its commit
 * has returned. */
G_GNUC_NORETURN static void
crash_child (const char *path, int round, int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OhStore) store = oh_store_new (path, &error);
  gint64 t0 = 1700000000000000 + round * G_GINT64_CONSTANT (1000000000000);

  if (store == NULL)
    _exit (2);
  for (gint64 i = 0;; i++)
    {
      g_autoptr (GPtrArray) batch
          = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
      g_autoptr (OhStoredMessage) message
          = make_message ("101", "100", OH_STORED_MESSAGE_INCOMING, t0 + i, "ping");
      g_autoptr (GString) lines = g_string_new (NULL);

      for (guint k = 0; k < (i % 10 == 0 ? 5 : 1); k++)
        g_ptr_array_add (batch, make_entry ("100", "Anna", "+4930123456", "",
                                            OH_HISTORY_DIRECTION_OUTGOING, i % 4,
                                            t0 + i * G_USEC_PER_SEC + k));
      if (!oh_store_add_history_many (store, batch, NULL)
          || !oh_store_add_message (store, message, NULL))
        _exit (3);
      for (guint k = 0; k < batch->len; k++)
        g_string_append_printf (lines, "h %s\n",
                                ((OhHistoryEntry *)g_ptr_array_index (batch, k))->id);
      g_string_append_printf (lines, "m %s\n", message->id);
      if (write (fd, lines->str, lines->len) != (ssize_t)lines->len)
        _exit (4);
    }
}

static void
read_lines (int fd, GString *buffer, gboolean until_eof, guint min_lines)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char chunk[4096];
      ssize_t n;
      guint lines = 0;

      for (const char *p = buffer->str; (p = strchr (p, '\n')) != NULL; p++)
        lines++;
      if (!until_eof && lines >= min_lines)
        return;

      /* Generous: under valgrind the child is slow. */
      g_assert_cmpint (poll (&pfd, 1, 120000), ==, 1);
      n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        {
          g_assert_true (until_eof);
          return;
        }
      g_string_append_len (buffer, chunk, n);
    }
}

static GHashTable *
stored_history_ids (OhStore *store)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;

  for (guint page = 0;; page++)
    {
      g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
      g_autoptr (GPtrArray) entries
          = oh_store_query_history (store, filter, page, 1000, NULL, &error);

      g_assert_no_error (error);
      if (entries->len == 0)
        return ids;
      for (guint i = 0; i < entries->len; i++)
        g_hash_table_add (ids, g_strdup (((OhHistoryEntry *)g_ptr_array_index (entries, i))->id));
    }
}

static GHashTable *
stored_message_ids (OhStore *store)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before_id = NULL;
  gint64 before = 0;

  for (;;)
    {
      g_autoptr (GPtrArray) messages
          = oh_store_get_conversation (store, "101", before, before_id, 1000, &error);
      OhStoredMessage *oldest;

      g_assert_no_error (error);
      if (messages->len == 0)
        return ids;
      for (guint i = 0; i < messages->len; i++)
        g_hash_table_add (ids, g_strdup (((OhStoredMessage *)g_ptr_array_index (messages, i))->id));
      oldest = g_ptr_array_index (messages, messages->len - 1);
      before = oldest->time;
      g_free (before_id);
      before_id = g_strdup (oldest->id);
    }
}

/* Killed three times while writing: after each restart every reported
 * commit is there and the file is sound. */
static void
test_crash_sigkill (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GString) output = g_string_new (NULL);

  for (int round = 0; round < 3; round++)
    {
      g_autoptr (GHashTable) history_ids = NULL;
      g_autoptr (GHashTable) message_ids = NULL;
      g_autoptr (GError) error = NULL;
      g_auto (GStrv) lines = NULL;
      guint reported = 0;
      int status = 0;
      int fds[2];
      pid_t pid;

      /* No connection crosses the fork. */
      g_clear_object (&f->store);
      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          crash_child (f->path, round, fds[1]);
        }
      close (fds[1]);

      read_lines (fds[0], output, FALSE, 300 * (round + 1));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      /* Everything written before the kill. */
      read_lines (fds[0], output, TRUE, 0);
      close (fds[0]);

      store_fixture_reopen (f);
      g_assert_true (oh_store_check_integrity (f->store, &error));
      g_assert_no_error (error);

      history_ids = stored_history_ids (f->store);
      message_ids = stored_message_ids (f->store);
      lines = g_strsplit (output->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (lines[i][0] == '\0')
            continue;
          g_assert_true (g_str_has_prefix (lines[i], "h ") || g_str_has_prefix (lines[i], "m "));
          if (lines[i][0] == 'h')
            g_assert_true (g_hash_table_contains (history_ids, lines[i] + 2));
          else
            g_assert_true (g_hash_table_contains (message_ids, lines[i] + 2));
          reported++;
        }
      g_assert_cmpuint (reported, >=, 300 * (round + 1));
      g_test_message ("round %d: %u commits reported in all; %u history entries, %u messages on "
                      "disk",
                      round, reported, g_hash_table_size (history_ids),
                      g_hash_table_size (message_ids));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/open/creates-private-files", test_open_creates_private_files);
  g_test_add_func ("/store/open/default-path", test_open_default_path);
  ADD ("/store/open/reopen-keeps-data", test_reopen_keeps_data);
  ADD ("/store/open/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/open/not-a-database", test_not_a_database);
  ADD ("/store/migrate/from-v1", test_migrates_from_v1);
  ADD ("/store/migrate/from-v2", test_migrates_from_v2);
  g_test_add_func ("/store/migrate/from-empty-file", test_migrates_from_empty_file);
  ADD ("/store/integrity/ok", test_integrity_ok);
  ADD ("/store/integrity/damaged", test_integrity_damaged);
  ADD ("/store/crash/sigkill", test_crash_sigkill);

  return g_test_run ();
}

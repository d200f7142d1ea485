/* oh-store.c: the SQLite database of call history and chat
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One connection, used from the main loop only. Statements are prepared once
 * and kept (see oh_store_prepare()); schema changes go through numbered
 * migrations, each in its own transaction.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "oh-error.h"
#include "oh-store-private.h"

/* Long enough to ride over a checkpoint or a sqlite3 shell reading the
 * file; short enough not to freeze the daemon's main loop for long. */
#define BUSY_TIMEOUT_MS 2000

struct _OhStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GHashTable *statements; /* SQL text → sqlite3_stmt */
  int schema_version;
};

static void oh_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OhStore,
                               oh_store,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      oh_store_initable_iface_init))

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Migration N (1-based) takes the schema from version N-1 to N. Never edit
 * one that has shipped: add the next.
 *
 * history.id is the start time in µs shifted left by 10 bits, plus a
 * counter for calls that started in the same microsecond. So the rowid
 * order *is* the API order (start_time DESC, id DESC): the search index's
 * doclists are already sorted the way a page is read, a page query stops
 * after its rows, and since/until is a rowid range.
 *
 * direction is 0 incoming, 1 outgoing, 2 internal; disposition 0 answered,
 * 1 missed, 2 busy, 3 failed (OhHistoryDirection, OhHistoryDisposition).
 *
 * Since schema 3, an entry is committed as a row of history and its id (with
 * its direction and disposition, for queries by those alone) in
 * history_pending: two small B-tree inserts, what the daemon pays when a
 * call ends. Everything derived from the entries (the search index
 * history_fts, the totals history_counts, history_days and history_grams)
 * covers exactly the entries of history that are not pending; once
 * PENDING_MAX entries are pending they are indexed and counted in one
 * transaction (oh-store-history.c), which is where batches are cheap:
 * FTS5 writes a new segment, and later merges it, for each transaction
 * that touches the index. A query adds the pending entries that match,
 * read row by row (oh-store-history-query.c).
 *
 * Every filter but since/until, and a text of one or two characters, is
 * answered by the full-text index history_fts over the view
 * history_search: one column, the entry's search document (see
 * oh-store-search.c for it and its tokenizer, "offhook_ngram": whole
 * numbers, the trigrams and 4-grams of numbers and names, and tags for
 * direction and disposition). A query is one FTS expression, read newest
 * first, stopping after the page; combinations are intersections inside
 * the index. (B-tree indexes on numbers, random keys, cost more per insert
 * than the whole index does.) The view leaves pending entries out, so
 * FTS5's integrity check compares the index with what it should hold.
 *
 * history_counts keeps the totals per direction and disposition, and
 * history_days the same per day (UTC, of the start time), so a Query
 * filtered by nothing but since/until, direction and disposition counts at
 * most two days of rows; history_grams keeps, for each folded text of one
 * or two characters, how many entries of each direction and disposition
 * have it (column n<direction * 4 + disposition>), the total of such a
 * text filter (too short for a trigram), alone or with a direction or a
 * disposition. No triggers: Clear can then truncate
 * instead of deleting row by row, and the counts of a batch are added once
 * per group.
 *
 * automerge 8 (FTS5's default is 4), 16 since schema 3: merging is most
 * of the cost of indexing (the segments written for each batch of pending
 * entries are merged again and again as they grow); with 16 segments to a
 * level before a merge, each entry is rewritten half as often as with 4,
 * for more segments to read per query, which costs little (a text's
 * doclists are read at the same speed from one segment or many).
 * crisismerge (16 by default) must stay above it: a level that reaches it
 * is merged whole, in one transaction, instead of a little per insert.
 * pgsz 4000 (1000 by default): a leaf of the index fills a database page,
 * so reading a long doclist fetches a quarter as many records. */
typedef struct
{
  const char *sql;
  /* Then, in the same transaction, what SQL alone cannot do. */
  gboolean (*finish) (OhStore *self, GError **error);
} Migration;

static const Migration migrations[] = {
  /* 1: call history */
  { "CREATE TABLE history ("
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
    NULL },

  /* 2: instant messages. seq is the insertion order, the tie-break between
   * messages of the same time; AUTOINCREMENT so an id is never reused. */
  { "CREATE TABLE messages ("
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
    NULL },

  /* 3: entries pending their index and totals; history_grams; the index
   * with one column, 4-grams and no column sizes (nothing ranks); 'rebuild'
   * reads every entry through the new view (FTS5 needs the old
   * tokenizer, "offhook", to drop the old index). */
  { "CREATE TABLE history_pending ("
    "  id INTEGER PRIMARY KEY,"
    "  direction INTEGER NOT NULL,"
    "  disposition INTEGER NOT NULL"
    ");"
    "CREATE TABLE history_grams ("
    "  gram TEXT PRIMARY KEY,"
    "  n0 INTEGER NOT NULL, n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,"
    "  n4 INTEGER NOT NULL, n5 INTEGER NOT NULL, n6 INTEGER NOT NULL, n7 INTEGER NOT NULL,"
    "  n8 INTEGER NOT NULL, n9 INTEGER NOT NULL, n10 INTEGER NOT NULL, n11 INTEGER NOT NULL,"
    "  CHECK (min(n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11) >= 0)"
    ") WITHOUT ROWID;"
    "DROP TABLE history_fts;"
    "DROP VIEW history_search;"
    "CREATE VIEW history_search AS SELECT id,"
    "  oh_history_doc(caller, caller_name, callee, callee_name, direction, disposition) AS doc"
    "  FROM history h WHERE NOT EXISTS (SELECT 1 FROM history_pending p WHERE p.id = h.id);"
    "CREATE VIRTUAL TABLE history_fts USING fts5 ("
    "  doc, content = 'history_search', content_rowid = 'id', columnsize = 0,"
    "  tokenize = 'offhook_ngram'"
    ");"
    "INSERT INTO history_fts (history_fts, rank) VALUES ('automerge', 16);"
    "INSERT INTO history_fts (history_fts, rank) VALUES ('crisismerge', 64);"
    "INSERT INTO history_fts (history_fts, rank) VALUES ('pgsz', 4000);"
    "INSERT INTO history_fts (history_fts) VALUES ('rebuild');",
    oh_store_count_all_grams },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == OH_STORE_SCHEMA_VERSION);

/**
 * oh_store_fail:
 * @what: a translated phrase for what failed, e.g. "Could not read the call history"
 *
 * Sets @error from the connection's last SQLite error.
 *
 * Returns: %FALSE, to be returned by the caller.
 */
gboolean
oh_store_fail (OhStore *self, GError **error, const char *what)
{
  int code = sqlite3_errcode (self->db) & 0xff;
  const char *message = sqlite3_errmsg (self->db);

  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, OH_ERROR, OH_ERROR_BUSY,
                 _ ("%s: the database %s is locked by another program"), what, self->path);
  else
    g_set_error (error, OH_ERROR, OH_ERROR_FAILED, "%s: %s (%s)", what, message, self->path);
  return FALSE;
}

sqlite3 *
oh_store_get_db (OhStore *self)
{
  return self->db;
}

/**
 * oh_store_prepare:
 * @sql: a statement; generated SQL is fine, each distinct text is kept once
 *
 * Returns: (transfer none): the cached prepared statement, to be declared
 *   `g_autoptr(OhStoreStmt)` so it goes back to the cache reset.
 */
OhStoreStmt *
oh_store_prepare (OhStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_debug ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      oh_store_fail (self, error, _ ("Could not use the database"));
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

void
oh_store_stmt_release (OhStoreStmt *stmt)
{
  /* reset() repeats the error of the last step, which was already reported. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/**
 * oh_store_step_done:
 *
 * Runs a statement that returns no rows.
 */
gboolean
oh_store_step_done (OhStore *self, OhStoreStmt *stmt, GError **error, const char *what)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return oh_store_fail (self, error, what);
  return TRUE;
}

/* Binds a named parameter, if the (possibly generated) statement has it. */
void
oh_store_bind_text (OhStoreStmt *stmt, const char *name, const char *value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_text (stmt, i, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
}

void
oh_store_bind_int64 (OhStoreStmt *stmt, const char *name, gint64 value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_int64 (stmt, i, value);
}

char *
oh_store_column_dup (OhStoreStmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

struct _OhStoreTxn
{
  OhStore *store;
  gboolean done;
};

/**
 * oh_store_txn_begin:
 *
 * Starts a write transaction. IMMEDIATE takes the write lock now, so a
 * transaction never fails half-way for want of it.
 */
OhStoreTxn *
oh_store_txn_begin (OhStore *self, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;
  OhStoreTxn *txn;

  g_return_val_if_fail (sqlite3_get_autocommit (self->db), NULL);

  stmt = oh_store_prepare (self, "BEGIN IMMEDIATE", error);
  if (stmt == NULL
      || !oh_store_step_done (self, stmt, error, _ ("Could not write to the database")))
    return NULL;
  txn = g_new0 (OhStoreTxn, 1);
  txn->store = g_object_ref (self);
  return txn;
}

gboolean
oh_store_txn_commit (OhStoreTxn *txn, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;

  g_return_val_if_fail (!txn->done, FALSE);

  stmt = oh_store_prepare (txn->store, "COMMIT", error);
  if (stmt == NULL
      || !oh_store_step_done (txn->store, stmt, error, _ ("Could not write to the database")))
    return FALSE;
  txn->done = TRUE;
  return TRUE;
}

void
oh_store_txn_free (OhStoreTxn *txn)
{
  if (txn == NULL)
    return;
  /* A failed COMMIT may leave the transaction open; an I/O error may have
   * rolled it back already. */
  if (!txn->done && !sqlite3_get_autocommit (txn->store->db))
    {
      if (sqlite3_exec (txn->store->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
        g_warning ("Could not roll back: %s", sqlite3_errmsg (txn->store->db));
    }
  g_object_unref (txn->store);
  g_free (txn);
}

static gboolean
exec (OhStore *self, const char *sql, GError **error)
{
  g_autofree char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not use the database %s: %s"),
                   self->path, message != NULL ? message : sqlite3_errmsg (self->db));
      sqlite3_free (g_steal_pointer (&message));
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (OhStore *self, const char *sql, gint64 *value, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not read the database"));
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
migrate (OhStore *self, GError **error)
{
  for (;;)
    {
      g_autoptr (OhStoreTxn) txn = NULL;
      g_autofree char *record = NULL;
      gint64 version = 0;

      txn = oh_store_txn_begin (self, error);
      if (txn == NULL)
        return FALSE;
      /* Read inside the write lock: two daemons starting together must not
       * both run the same migration. */
      if (!exec (self,
                 "CREATE TABLE IF NOT EXISTS schema_version ("
                 "  version INTEGER PRIMARY KEY,"
                 "  applied INTEGER NOT NULL"
                 ")",
                 error)
          || !query_int (self, "SELECT coalesce(max(version), 0) FROM schema_version", &version,
                         error))
        return FALSE;

      if (version > OH_STORE_SCHEMA_VERSION)
        {
          g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                       _ ("The database %s was written by a newer version of Offhook (schema "
                          "version %" G_GINT64_FORMAT ", this version knows up to %d): update "
                          "Offhook, or move the file away to start with an empty history"),
                       self->path, version, OH_STORE_SCHEMA_VERSION);
          return FALSE;
        }
      if (version == OH_STORE_SCHEMA_VERSION)
        {
          self->schema_version = (int)version;
          return oh_store_txn_commit (txn, error);
        }

      g_debug ("Migrating %s from schema version %" G_GINT64_FORMAT, self->path, version);
      record = g_strdup_printf ("INSERT INTO schema_version (version, applied) "
                                "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                                version + 1, g_get_real_time ());
      if (!exec (self, migrations[version].sql, error)
          || (migrations[version].finish != NULL && !migrations[version].finish (self, error))
          || !exec (self, record, error) || !oh_store_txn_commit (txn, error))
        return FALSE;
    }
}

/* The file holds calls and messages: only the user may read it. SQLite gives
 * the -wal and -shm files the mode of the database file. */
static gboolean
create_private_file (const char *path, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not create the folder %s: %s"),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not open the database %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

static gboolean
oh_store_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  OhStore *self = OH_STORE (initable);
  g_autoptr (OhStoreStmt) stmt = NULL;
  const char *mode;

  if (self->path == NULL || self->path[0] == '\0')
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("No database path given"));
      return FALSE;
    }
  if (!create_private_file (self->path, error))
    return FALSE;

  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not open the database %s: %s"),
                   self->path, self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!oh_store_register_search (self->db, error))
    return FALSE;

  /* WAL with synchronous=NORMAL: a commit is in the WAL file (in the kernel)
   * when COMMIT returns, so it survives the process being killed; only a
   * power loss can take the last commits, never the file's integrity. */
  stmt = oh_store_prepare (self, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not open the database"));
  mode = (const char *)sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    g_warning ("The database %s cannot use a write-ahead log (journal mode “%s”); writes will "
               "be slower",
               self->path, mode);
  g_clear_pointer (&stmt, oh_store_stmt_release);

  /* journal_size_limit: a big transaction (a migration that rebuilds the
   * index writes the whole index to the log) must not leave a log file of
   * that size behind for as long as the daemon runs. */
  if (!exec (self,
             "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
             "PRAGMA journal_size_limit = 16777216;",
             error))
    return FALSE;
  return migrate (self, error);
}

static void
oh_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = oh_store_initable_init;
}

static void
oh_store_finalize (GObject *object)
{
  OhStore *self = OH_STORE (object);

  /* Statements first: sqlite3_close() refuses a connection with live ones. */
  g_hash_table_unref (self->statements);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Could not close the database %s: %s", self->path, sqlite3_errmsg (self->db));
  g_free (self->path);

  G_OBJECT_CLASS (oh_store_parent_class)->finalize (object);
}

static void
oh_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OhStore *self = OH_STORE (object);

  switch (prop_id)
    {
      case PROP_PATH:
        g_value_set_string (value, self->path);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  OhStore *self = OH_STORE (object);

  switch (prop_id)
    {
      case PROP_PATH:
        self->path = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oh_store_class_init (OhStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = oh_store_finalize;
  object_class->get_property = oh_store_get_property;
  object_class->set_property = oh_store_set_property;

  props[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
oh_store_init (OhStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

/**
 * oh_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/offhook/offhook.db`.
 */
char *
oh_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "offhook", "offhook.db", NULL);
}

/**
 * oh_store_new:
 * @path: the database file; its folder is created (mode 0700) if missing
 * @error: %OH_ERROR_NOT_SUPPORTED if the file is from a newer Offhook,
 *   %OH_ERROR_FAILED if it cannot be opened or is not a database
 *
 * Opens or creates the database and brings its schema up to date.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
OhStore *
oh_store_new (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_initable_new (OH_TYPE_STORE, NULL, error, "path", path, NULL);
}

const char *
oh_store_get_path (OhStore *self)
{
  g_return_val_if_fail (OH_IS_STORE (self), NULL);
  return self->path;
}

/**
 * oh_store_get_schema_version:
 *
 * Returns: the schema version of the open database (%OH_STORE_SCHEMA_VERSION).
 */
int
oh_store_get_schema_version (OhStore *self)
{
  g_return_val_if_fail (OH_IS_STORE (self), 0);
  return self->schema_version;
}

/**
 * oh_store_check_integrity:
 *
 * Runs SQLite's `PRAGMA integrity_check`, the search index's own check
 * (against the entries that are not pending), and a check of the history
 * totals and of the pending list. Reads the whole file: some 15 seconds on
 * a million entries.
 *
 * Returns: %TRUE if the database is sound; else %FALSE with @error saying
 *   what is damaged.
 */
gboolean
oh_store_check_integrity (OhStore *self, GError **error)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);

  /* Not cached: run rarely, and its result rows are the report. */
  if (sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    return oh_store_fail (self, error, _ ("Could not check the database"));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not check the database"));
  if (problems->len > 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("The database %s is damaged: %s"),
                   self->path, problems->str);
      return FALSE;
    }

  /* rank = 1: also compare the index with the rows of history. */
  if (sqlite3_exec (self->db,
                    "INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)",
                    NULL, NULL, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _ ("The database %s is damaged: the history search index: %s"), self->path,
                   sqlite3_errmsg (self->db));
      return FALSE;
    }
  return oh_store_check_history (self, error);
}

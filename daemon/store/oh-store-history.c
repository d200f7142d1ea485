/* oh-store-history.c: writing, and checking, the call history of OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each entry is committed to history and history_pending; the index
 * history_fts and the totals history_counts, history_days and
 * history_grams take in the pending entries %OH_STORE_PENDING_MAX at a
 * time (see the migrations in oh-store.c); oh-store-history-query.c reads
 * them.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

static gboolean
check_entry (const OhHistoryEntry *entry, GError **error)
{
  const char *strings[]
      = { entry->session_id, entry->caller, entry->caller_name, entry->callee, entry->callee_name };

  if (entry->start_time <= 0 || entry->start_time > MAX_START_TIME)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("A history entry needs a start time, not %" G_GINT64_FORMAT),
                   entry->start_time);
      return FALSE;
    }
  if ((guint)entry->direction > OH_HISTORY_DIRECTION_INTERNAL
      || (guint)entry->disposition > OH_HISTORY_DISPOSITION_FAILED)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("A history entry has an unknown direction or disposition"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i] != NULL && !g_utf8_validate (strings[i], -1, NULL))
      {
        g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                     _ ("A history entry has text that is not valid UTF-8"));
        return FALSE;
      }
  return TRUE;
}

/* The first free id at the entry's start time. */
static gboolean
next_id (OhStore *self, gint64 start_time, gint64 *id, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;
  gint64 lo = start_time << ID_SHIFT;
  int rc;

  stmt = oh_store_prepare (self,
                           "SELECT id FROM history WHERE id BETWEEN :lo AND :hi "
                           "ORDER BY id DESC LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  oh_store_bind_int64 (stmt, ":lo", lo);
  oh_store_bind_int64 (stmt, ":hi", lo | ID_SAME_TIME_MAX);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *id = lo;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not write the call history"));
  *id = sqlite3_column_int64 (stmt, 0) + 1;
  if ((*id & ID_SAME_TIME_MAX) == 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _ ("Too many history entries start at the same microsecond"));
      return FALSE;
    }
  return TRUE;
}

/* Adds delta to the totals of a group and of its day. */
static gboolean
count_entries (
    OhStore *self, gint64 day, int direction, int disposition, gint64 delta, GError **error)
{
  static const char *const add[] = {
    "INSERT INTO history_counts (direction, disposition, n) "
    "VALUES (:direction, :disposition, :n) "
    "ON CONFLICT (direction, disposition) DO UPDATE SET n = n + :n",
    "INSERT INTO history_days (day, direction, disposition, n) "
    "VALUES (:day, :direction, :disposition, :n) "
    "ON CONFLICT (day, direction, disposition) DO UPDATE SET n = n + :n",
  };
  /* Not an upsert of a negative n: SQLite checks n >= 0 on the row to
   * insert first. */
  static const char *const subtract[] = {
    "UPDATE history_counts SET n = n + :n "
    "WHERE direction = :direction AND disposition = :disposition",
    "UPDATE history_days SET n = n + :n "
    "WHERE day = :day AND direction = :direction AND disposition = :disposition",
  };
  const char *const *statements = delta < 0 ? subtract : add;

  for (guint i = 0; i < G_N_ELEMENTS (add); i++)
    {
      g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      oh_store_bind_int64 (stmt, ":day", day);
      oh_store_bind_int64 (stmt, ":direction", direction);
      oh_store_bind_int64 (stmt, ":disposition", disposition);
      oh_store_bind_int64 (stmt, ":n", delta);
      if (!oh_store_step_done (self, stmt, error, _ ("Could not write the call history")))
        return FALSE;
    }
  return TRUE;
}

/**
 * oh_store_write_gram_counts:
 * @counts: what oh_store_count_grams() gathered
 *
 * Adds the changes in @counts to history_grams.
 */
gboolean
oh_store_write_gram_counts (OhStore *self, GHashTable *counts, GError **error)
{
  /* Not an upsert when a count goes down: SQLite checks the row to insert
   * (with its negative counts) first. */
  static const char *const add
      = "INSERT INTO history_grams (gram, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11) "
        "VALUES (:gram, :n0, :n1, :n2, :n3, :n4, :n5, :n6, :n7, :n8, :n9, :n10, :n11) "
        "ON CONFLICT (gram) DO UPDATE SET n0 = n0 + :n0, n1 = n1 + :n1, n2 = n2 + :n2, "
        "n3 = n3 + :n3, n4 = n4 + :n4, n5 = n5 + :n5, n6 = n6 + :n6, n7 = n7 + :n7, "
        "n8 = n8 + :n8, n9 = n9 + :n9, n10 = n10 + :n10, n11 = n11 + :n11";
  static const char *const subtract
      = "UPDATE history_grams SET n0 = n0 + :n0, n1 = n1 + :n1, n2 = n2 + :n2, "
        "n3 = n3 + :n3, n4 = n4 + :n4, n5 = n5 + :n5, n6 = n6 + :n6, n7 = n7 + :n7, "
        "n8 = n8 + :n8, n9 = n9 + :n9, n10 = n10 + :n10, n11 = n11 + :n11 WHERE gram = :gram";
  GHashTableIter iter;
  OhStoreGramCount *count;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&count))
    {
      g_autoptr (OhStoreStmt) stmt = NULL;
      gboolean down = FALSE;
      char gram[16];

      for (int g = 0; g < OH_STORE_GROUPS; g++)
        down = down || count->n[g] < 0;
      stmt = oh_store_prepare (self, down ? subtract : add, error);
      if (stmt == NULL)
        return FALSE;
      oh_store_gram_text (count->key, gram);
      oh_store_bind_text (stmt, ":gram", gram);
      for (int g = 0; g < OH_STORE_GROUPS; g++)
        {
          char name[8];

          g_snprintf (name, sizeof name, ":n%d", g);
          oh_store_bind_int64 (stmt, name, count->n[g]);
        }
      if (!oh_store_step_done (self, stmt, error, _ ("Could not write the call history")))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_entry (OhStore *self, const OhHistoryEntry *entry, gint64 *id, GError **error)
{
  g_autoptr (OhStoreStmt) insert = NULL;
  g_autoptr (OhStoreStmt) pending = NULL;
  const char *what = _ ("Could not write the call history");

  if (!check_entry (entry, error) || !next_id (self, entry->start_time, id, error))
    return FALSE;

  insert = oh_store_prepare (self,
                             "INSERT INTO history (id, session_id, caller, caller_name, callee, "
                             "callee_name, direction, disposition, start_time, answer_time, "
                             "end_time, talk_seconds) VALUES (:id, :session_id, :caller, "
                             ":caller_name, :callee, :callee_name, :direction, :disposition, "
                             ":start_time, :answer_time, :end_time, :talk_seconds)",
                             error);
  if (insert == NULL)
    return FALSE;
  oh_store_bind_int64 (insert, ":id", *id);
  oh_store_bind_text (insert, ":session_id", entry->session_id);
  oh_store_bind_text (insert, ":caller", entry->caller);
  oh_store_bind_text (insert, ":caller_name", entry->caller_name);
  oh_store_bind_text (insert, ":callee", entry->callee);
  oh_store_bind_text (insert, ":callee_name", entry->callee_name);
  oh_store_bind_int64 (insert, ":direction", entry->direction);
  oh_store_bind_int64 (insert, ":disposition", entry->disposition);
  oh_store_bind_int64 (insert, ":start_time", entry->start_time);
  oh_store_bind_int64 (insert, ":answer_time", entry->answer_time);
  oh_store_bind_int64 (insert, ":end_time", entry->end_time);
  oh_store_bind_int64 (insert, ":talk_seconds", oh_history_entry_talk_seconds (entry));
  if (!oh_store_step_done (self, insert, error, what))
    return FALSE;

  pending = oh_store_prepare (self,
                              "INSERT INTO history_pending (id, direction, disposition) "
                              "VALUES (:id, :direction, :disposition)",
                              error);
  if (pending == NULL)
    return FALSE;
  oh_store_bind_int64 (pending, ":id", *id);
  oh_store_bind_int64 (pending, ":direction", entry->direction);
  oh_store_bind_int64 (pending, ":disposition", entry->disposition);
  return oh_store_step_done (self, pending, error, what);
}

/**
 * oh_store_pending_history:
 * @n_pending: (out): how many entries are not indexed and counted yet
 */
gboolean
oh_store_pending_history (OhStore *self, gint64 *n_pending, GError **error)
{
  g_autoptr (OhStoreStmt) stmt
      = oh_store_prepare (self, "SELECT count(*) FROM history_pending", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not read the call history"));
  *n_pending = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* A group of history_days: day, direction and disposition in one key. */
#define DAY_GROUP(day, direction, disposition)                                                     \
  (((guint64)(day) << 4) | ((guint64)(direction) << 2) | (guint64)(disposition))

/**
 * oh_store_index_history:
 *
 * Indexes and counts the pending entries now, in one transaction (the
 * store does it by itself once %OH_STORE_PENDING_MAX are pending). Queries
 * find pending entries too, a little slower: a daemon may call this when
 * it is idle, or before it quits, but need not.
 */
gboolean
oh_store_index_history (OhStore *self, GError **error)
{
  const char *what = _ ("Could not write the call history");
  g_autoptr (OhStoreTxn) txn = NULL;
  g_autoptr (OhStoreStmt) rows = NULL;
  g_autoptr (OhStoreStmt) clear = NULL;
  g_autoptr (GHashTable) grams = oh_store_gram_counts_new ();
  g_autoptr (GHashTable) days = oh_store_counters_new ();
  GHashTableIter iter;
  OhStoreCounter *counter;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);

  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  rows = oh_store_prepare (self,
                           "SELECT h.id, h.caller, h.caller_name, h.callee, h.callee_name, "
                           "h.direction, h.disposition FROM history_pending p "
                           "CROSS JOIN history h ON h.id = p.id ORDER BY p.id",
                           error);
  if (rows == NULL)
    return FALSE;
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autoptr (OhStoreStmt) index = NULL;
      g_autofree char *doc = NULL;
      gint64 id = sqlite3_column_int64 (rows, 0);
      int direction = sqlite3_column_int (rows, 5);
      int disposition = sqlite3_column_int (rows, 6);
      const char *values[4];

      for (int i = 0; i < 4; i++)
        values[i] = (const char *)sqlite3_column_text (rows, i + 1);
      /* The values are read for the grams anyway; the view gives the
       * index's integrity check the same document through oh_history_doc(). */
      doc = oh_store_search_doc (values, direction, disposition);
      index = oh_store_prepare (self, "INSERT INTO history_fts (rowid, doc) VALUES (:id, :doc)",
                                error);
      if (index == NULL)
        return FALSE;
      oh_store_bind_int64 (index, ":id", id);
      oh_store_bind_text (index, ":doc", doc);
      if (!oh_store_step_done (self, index, error, what))
        return FALSE;

      oh_store_count_grams (grams, values, direction, disposition, 1);
      oh_store_counters_add (days, DAY_GROUP ((id >> ID_SHIFT) / DAY, direction, disposition), 1);
    }
  if (rc != SQLITE_DONE)
    return oh_store_fail (self, error, what);

  /* history_counts per group, summed from the days. */
  g_hash_table_iter_init (&iter, days);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&counter))
    if (!count_entries (self, counter->key >> 4, (counter->key >> 2) & 3, counter->key & 3,
                        counter->n, error))
      return FALSE;

  clear = oh_store_prepare (self, "DELETE FROM history_pending", error);
  if (clear == NULL || !oh_store_write_gram_counts (self, grams, error)
      || !oh_store_step_done (self, clear, error, what))
    return FALSE;
  return oh_store_txn_commit (txn, error);
}

/**
 * oh_store_add_history_many:
 * @entries: (element-type OhHistoryEntry): the entries
 *
 * Adds all @entries in one transaction, or none of them. On success each
 * entry's id and talk_seconds are filled in.
 *
 * When several calls end in the same main-loop turn, adding them with one
 * call is one commit instead of one each.
 */
gboolean
oh_store_add_history_many (OhStore *self, GPtrArray *entries, GError **error)
{
  g_autoptr (OhStoreTxn) txn = NULL;
  g_autoptr (GError) index_error = NULL;
  g_autofree gint64 *ids = NULL;
  gint64 n_pending = 0;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);

  ids = g_new (gint64, MAX (entries->len, 1));
  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!insert_entry (self, g_ptr_array_index (entries, i), &ids[i], error))
      return FALSE;
  if (!oh_store_pending_history (self, &n_pending, error) || !oh_store_txn_commit (txn, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      OhHistoryEntry *entry = g_ptr_array_index (entries, i);

      g_free (entry->id);
      entry->id = g_strdup_printf ("%" G_GINT64_FORMAT, ids[i]);
      entry->talk_seconds = oh_history_entry_talk_seconds (entry);
    }

  /* In a transaction of its own: the entries are stored whatever happens
   * to it, and they stay pending until it succeeds. */
  if (n_pending >= OH_STORE_PENDING_MAX && !oh_store_index_history (self, &index_error))
    g_warning ("Could not index the call history: %s", index_error->message);
  return TRUE;
}

/**
 * oh_store_add_history:
 * @entry: the entry; its id and talk_seconds are filled in
 * @error: %OH_ERROR_INVALID_ARGUMENT for an entry without a start time or
 *   with invalid text, %OH_ERROR_FAILED if the database cannot be written
 *
 * Adds @entry in its own transaction: when this returns %TRUE the entry is
 * on disk and survives the daemon being killed.
 */
gboolean
oh_store_add_history (OhStore *self, OhHistoryEntry *entry, GError **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new ();

  g_return_val_if_fail (entry != NULL, FALSE);

  g_ptr_array_add (entries, entry);
  return oh_store_add_history_many (self, entries, error);
}

static gboolean
delete_entry (OhStore *self, gint64 id, GHashTable *grams, guint *n_deleted, GError **error)
{
  g_autoptr (OhStoreStmt) delete = NULL;
  g_autoptr (OhStoreStmt) unpend = NULL;
  g_autoptr (OhStoreStmt) unindex = NULL;
  g_autofree char *doc = NULL;
  const char *what = _ ("Could not delete from the call history");
  const char *values[4];
  int direction, disposition;
  int rc;

  delete = oh_store_prepare (self,
                             "DELETE FROM history WHERE id = :id RETURNING caller, caller_name, "
                             "callee, callee_name, direction, disposition",
                             error);
  unpend = oh_store_prepare (self, "DELETE FROM history_pending WHERE id = :id", error);
  unindex = oh_store_prepare (self,
                              "INSERT INTO history_fts (history_fts, rowid, doc) "
                              "VALUES ('delete', :id, :doc)",
                              error);
  if (delete == NULL || unpend == NULL || unindex == NULL)
    return FALSE;

  oh_store_bind_int64 (delete, ":id", id);
  rc = sqlite3_step (delete);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, what);

  /* A pending entry is in nothing else yet. */
  oh_store_bind_int64 (unpend, ":id", id);
  if (!oh_store_step_done (self, unpend, error, what))
    return FALSE;
  if (sqlite3_changes (oh_store_get_db (self)) > 0)
    {
      (*n_deleted)++;
      return oh_store_step_done (self, delete, error, what);
    }

  /* The index must be told exactly the document it indexed. */
  direction = sqlite3_column_int (delete, 4);
  disposition = sqlite3_column_int (delete, 5);
  for (int i = 0; i < 4; i++)
    values[i] = (const char *)sqlite3_column_text (delete, i);
  doc = oh_store_search_doc (values, direction, disposition);
  oh_store_count_grams (grams, values, direction, disposition, -1);
  oh_store_bind_int64 (unindex, ":id", id);
  oh_store_bind_text (unindex, ":doc", doc);
  if (!oh_store_step_done (self, unindex, error, what)
      || !count_entries (self, (id >> ID_SHIFT) / DAY, direction, disposition, -1, error)
      || !oh_store_step_done (self, delete, error, what))
    return FALSE;
  (*n_deleted)++;
  return TRUE;
}

/**
 * oh_store_delete_history:
 * @ids: (array zero-terminated=1): ids of entries
 * @n_deleted: (out) (optional): how many entries were deleted
 * @error: %OH_ERROR_INVALID_ARGUMENT if an id is not one the store gives
 *   out (then nothing is deleted)
 *
 * Deletes the entries with @ids in one transaction; ids of entries that do
 * not exist (any more) are ignored.
 */
gboolean
oh_store_delete_history (OhStore *self, const char *const *ids, guint *n_deleted, GError **error)
{
  g_autoptr (OhStoreTxn) txn = NULL;
  g_autoptr (GArray) numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GHashTable) grams = oh_store_gram_counts_new ();
  guint deleted = 0;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint64 number;

      if (!g_ascii_string_to_unsigned (ids[i], 10, 1, G_MAXINT64, &number, NULL))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not the id of a history entry"), ids[i]);
          return FALSE;
        }
      g_array_append_val (numbers, number);
    }

  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  for (guint i = 0; i < numbers->len; i++)
    if (!delete_entry (self, g_array_index (numbers, gint64, i), grams, &deleted, error))
      return FALSE;
  if (!oh_store_write_gram_counts (self, grams, error) || !oh_store_txn_commit (txn, error))
    return FALSE;

  if (n_deleted != NULL)
    *n_deleted = deleted;
  return TRUE;
}

/**
 * oh_store_clear_history:
 *
 * Deletes every history entry.
 */
gboolean
oh_store_clear_history (OhStore *self, GError **error)
{
  static const char *const statements[] = {
    /* No trigger and no WHERE: SQLite drops the pages instead of deleting
     * a million rows one by one. */
    "DELETE FROM history",        "INSERT INTO history_fts (history_fts) VALUES ('delete-all')",
    "DELETE FROM history_counts", "DELETE FROM history_days",
    "DELETE FROM history_grams",  "DELETE FROM history_pending",
  };
  g_autoptr (OhStoreTxn) txn = NULL;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);

  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, statements[i], error);

      if (stmt == NULL
          || !oh_store_step_done (self, stmt, error, _ ("Could not clear the call history")))
        return FALSE;
    }
  return oh_store_txn_commit (txn, error);
}

/* Adds the grams of every entry that is not pending to history_grams. */
static gboolean
count_grams_of_history (OhStore *self, GHashTable *counts, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;
  int rc;

  stmt = oh_store_prepare (self,
                           "SELECT caller, caller_name, callee, callee_name, direction, "
                           "disposition FROM history h "
                           "WHERE NOT EXISTS (SELECT 1 FROM history_pending p WHERE p.id = h.id)",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[4];

      for (int i = 0; i < 4; i++)
        values[i] = (const char *)sqlite3_column_text (stmt, i);
      oh_store_count_grams (counts, values, sqlite3_column_int (stmt, 4),
                            sqlite3_column_int (stmt, 5), 1);
    }
  if (rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not read the call history"));
  return TRUE;
}

/**
 * oh_store_count_all_grams:
 *
 * Fills history_grams from the entries (migration 3).
 */
gboolean
oh_store_count_all_grams (OhStore *self, GError **error)
{
  g_autoptr (GHashTable) counts = oh_store_gram_counts_new ();

  return count_grams_of_history (self, counts, error)
         && oh_store_write_gram_counts (self, counts, error);
}

/* history_grams against the entries, both ways. */
static gboolean
check_history_grams (OhStore *self, GError **error)
{
  g_autoptr (GHashTable) counts = oh_store_gram_counts_new ();
  g_autoptr (GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (OhStoreStmt) stmt = NULL;
  GHashTableIter iter;
  OhStoreGramCount *count;
  gboolean sound = TRUE;
  int rc = SQLITE_DONE;

  if (!count_grams_of_history (self, counts, error))
    return FALSE;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&count))
    {
      char *text = g_malloc (16);

      oh_store_gram_text (count->key, text);
      g_ptr_array_add (texts, text);
      g_hash_table_insert (expected, text, count);
    }

  /* Rows of nothing but zeros stay behind deleted entries. */
  stmt = oh_store_prepare (self,
                           "SELECT gram, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11 "
                           "FROM history_grams WHERE max(n0, n1, n2, n3, n4, n5, n6, n7, n8, "
                           "n9, n10, n11) > 0",
                           error);
  if (stmt == NULL)
    return FALSE;
  while (sound && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *gram = (const char *)sqlite3_column_text (stmt, 0);

      count = g_hash_table_lookup (expected, gram);
      sound = count != NULL;
      for (int g = 0; sound && g < OH_STORE_GROUPS; g++)
        sound = count->n[g] == sqlite3_column_int64 (stmt, g + 1);
      g_hash_table_remove (expected, gram);
    }
  if (sound && rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not check the database"));
  if (!sound || g_hash_table_size (expected) > 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _ ("The database %s is damaged: the call history totals do not match"),
                   oh_store_get_path (self));
      return FALSE;
    }
  return TRUE;
}

/**
 * oh_store_check_history:
 *
 * The part of oh_store_check_integrity() that SQLite and FTS5 cannot do:
 * the totals against the entries, both ways, and the pending list.
 */
gboolean
oh_store_check_history (OhStore *self, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;
  int rc;

  /* Both ways: a total for a group without rows is as wrong as one missing. */
  stmt = oh_store_prepare (self,
                           "WITH counted AS (SELECT * FROM history h WHERE NOT EXISTS"
                           "  (SELECT 1 FROM history_pending p WHERE p.id = h.id)),"
                           "real_counts AS ("
                           "  SELECT direction, disposition, count(*) AS n FROM counted"
                           "  GROUP BY direction, disposition),"
                           "real_days AS ("
                           "  SELECT (id >> 10) / 86400000000 AS day, direction, disposition,"
                           "  count(*) AS n FROM counted GROUP BY day, direction, disposition)"
                           "SELECT (SELECT count(*) FROM (SELECT * FROM real_counts EXCEPT"
                           "  SELECT * FROM history_counts WHERE n > 0))"
                           "+ (SELECT count(*) FROM (SELECT * FROM history_counts WHERE n > 0"
                           "  EXCEPT SELECT * FROM real_counts))"
                           "+ (SELECT count(*) FROM (SELECT * FROM real_days EXCEPT"
                           "  SELECT * FROM history_days WHERE n > 0))"
                           "+ (SELECT count(*) FROM (SELECT * FROM history_days WHERE n > 0"
                           "  EXCEPT SELECT * FROM real_days))"
                           "+ (SELECT count(*) FROM history_pending p WHERE NOT EXISTS"
                           "  (SELECT 1 FROM history h WHERE h.id = p.id AND h.direction ="
                           "  p.direction AND h.disposition = p.disposition))",
                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not check the database"));
  if (sqlite3_column_int64 (stmt, 0) != 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _ ("The database %s is damaged: the call history totals do not match"),
                   oh_store_get_path (self));
      return FALSE;
    }
  return check_history_grams (self, error);
}

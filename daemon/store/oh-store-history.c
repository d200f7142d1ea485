/* oh-store-history.c: writing the call history of OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each entry is written to history, to the index history_fts and to the
 * totals history_counts and history_days, in one transaction (see the
 * migration in oh-store.c); oh-store-history-query.c reads them.
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

/* The row as history_search shows it to the index: numbers between STX and
 * ETX, and the direction and disposition as tags. Must match the view. */
typedef struct
{
  char *caller;
  char *callee;
  char *tags;
} SearchValues;

static void
search_values_clear (SearchValues *values)
{
  g_free (values->caller);
  g_free (values->callee);
  g_free (values->tags);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchValues, search_values_clear)

static void
search_values_init (
    SearchValues *values, const char *caller, const char *callee, int direction, int disposition)
{
  values->caller = g_strconcat ("\002", caller != NULL ? caller : "", "\003", NULL);
  values->callee = g_strconcat ("\002", callee != NULL ? callee : "", "\003", NULL);
  values->tags = g_strdup_printf ("\002d%d\002p%d", direction, disposition);
}

/* Counts an entry in (or, with remove, out of) the totals of its group and
 * of its day. */
static gboolean
count_entry (OhStore *self,
             gint64 start_time,
             int direction,
             int disposition,
             gboolean remove,
             GError **error)
{
  static const char *const add[] = {
    "INSERT INTO history_counts (direction, disposition, n) "
    "VALUES (:direction, :disposition, 1) "
    "ON CONFLICT (direction, disposition) DO UPDATE SET n = n + 1",
    "INSERT INTO history_days (day, direction, disposition, n) "
    "VALUES (:day, :direction, :disposition, 1) "
    "ON CONFLICT (day, direction, disposition) DO UPDATE SET n = n + 1",
  };
  /* Not an upsert of -1: SQLite checks n >= 0 on the row to insert first. */
  static const char *const subtract[] = {
    "UPDATE history_counts SET n = n - 1 "
    "WHERE direction = :direction AND disposition = :disposition",
    "UPDATE history_days SET n = n - 1 "
    "WHERE day = :day AND direction = :direction AND disposition = :disposition",
  };
  const char *const *statements = remove ? subtract : add;

  for (guint i = 0; i < G_N_ELEMENTS (add); i++)
    {
      g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      oh_store_bind_int64 (stmt, ":day", start_time / DAY);
      oh_store_bind_int64 (stmt, ":direction", direction);
      oh_store_bind_int64 (stmt, ":disposition", disposition);
      if (!oh_store_step_done (self, stmt, error, _ ("Could not write the call history")))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_entry (OhStore *self, const OhHistoryEntry *entry, gint64 *id, GError **error)
{
  g_autoptr (OhStoreStmt) insert = NULL;
  g_autoptr (OhStoreStmt) index = NULL;
  g_auto (SearchValues) search = { 0 };
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

  /* Values bound from C: INSERT … SELECT from the view costs a third of
   * the insert rate. */
  search_values_init (&search, entry->caller, entry->callee, entry->direction, entry->disposition);
  index = oh_store_prepare (self,
                            "INSERT INTO history_fts (rowid, caller, caller_name, callee, "
                            "callee_name, tags) VALUES (:id, :caller, :caller_name, :callee, "
                            ":callee_name, :tags)",
                            error);
  if (index == NULL)
    return FALSE;
  oh_store_bind_int64 (index, ":id", *id);
  oh_store_bind_text (index, ":caller", search.caller);
  oh_store_bind_text (index, ":caller_name", entry->caller_name);
  oh_store_bind_text (index, ":callee", search.callee);
  oh_store_bind_text (index, ":callee_name", entry->callee_name);
  oh_store_bind_text (index, ":tags", search.tags);
  if (!oh_store_step_done (self, index, error, what))
    return FALSE;

  return count_entry (self, entry->start_time, entry->direction, entry->disposition, FALSE, error);
}

/**
 * oh_store_add_history_many:
 * @entries: (element-type OhHistoryEntry): the entries
 *
 * Adds all @entries in one transaction, or none of them. On success each
 * entry's id and talk_seconds are filled in.
 */
gboolean
oh_store_add_history_many (OhStore *self, GPtrArray *entries, GError **error)
{
  g_autoptr (OhStoreTxn) txn = NULL;
  g_autofree gint64 *ids = NULL;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);

  ids = g_new (gint64, entries->len);
  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!insert_entry (self, g_ptr_array_index (entries, i), &ids[i], error))
      return FALSE;
  if (!oh_store_txn_commit (txn, error))
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      OhHistoryEntry *entry = g_ptr_array_index (entries, i);

      g_free (entry->id);
      entry->id = g_strdup_printf ("%" G_GINT64_FORMAT, ids[i]);
      entry->talk_seconds = oh_history_entry_talk_seconds (entry);
    }
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
delete_entry (OhStore *self, gint64 id, guint *n_deleted, GError **error)
{
  g_autoptr (OhStoreStmt) delete = NULL;
  g_autoptr (OhStoreStmt) unindex = NULL;
  g_auto (SearchValues) search = { 0 };
  const char *what = _ ("Could not delete from the call history");
  int direction, disposition;
  int rc;

  delete = oh_store_prepare (self,
                             "DELETE FROM history WHERE id = :id RETURNING caller, caller_name, "
                             "callee, callee_name, direction, disposition",
                             error);
  unindex = oh_store_prepare (self,
                              "INSERT INTO history_fts (history_fts, rowid, caller, caller_name, "
                              "callee, callee_name, tags) VALUES ('delete', :id, :caller, "
                              ":caller_name, :callee, :callee_name, :tags)",
                              error);
  if (delete == NULL || unindex == NULL)
    return FALSE;

  oh_store_bind_int64 (delete, ":id", id);
  rc = sqlite3_step (delete);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, what);

  /* The index must be told exactly the values it indexed. */
  direction = sqlite3_column_int (delete, 4);
  disposition = sqlite3_column_int (delete, 5);
  search_values_init (&search, (const char *)sqlite3_column_text (delete, 0),
                      (const char *)sqlite3_column_text (delete, 2), direction, disposition);
  oh_store_bind_int64 (unindex, ":id", id);
  oh_store_bind_text (unindex, ":caller", search.caller);
  oh_store_bind_text (unindex, ":caller_name", (const char *)sqlite3_column_text (delete, 1));
  oh_store_bind_text (unindex, ":callee", search.callee);
  oh_store_bind_text (unindex, ":callee_name", (const char *)sqlite3_column_text (delete, 3));
  oh_store_bind_text (unindex, ":tags", search.tags);
  if (!oh_store_step_done (self, unindex, error, what)
      || !count_entry (self, id >> ID_SHIFT, direction, disposition, TRUE, error)
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
    if (!delete_entry (self, g_array_index (numbers, gint64, i), &deleted, error))
      return FALSE;
  if (!oh_store_txn_commit (txn, error))
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
    "DELETE FROM history",
    "INSERT INTO history_fts (history_fts) VALUES ('delete-all')",
    "DELETE FROM history_counts",
    "DELETE FROM history_days",
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

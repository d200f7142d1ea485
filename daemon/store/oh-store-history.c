/* oh-store-history.c: the call history part of OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An entry's id is its start time in µs shifted left by ID_SHIFT bits, plus
 * a counter for entries that started in the same microsecond (see the
 * migration in oh-store.c). Reading in rowid order is reading newest first.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

#define ID_SHIFT 10
#define ID_SAME_TIME_MAX ((G_GINT64_CONSTANT (1) << ID_SHIFT) - 1)
#define MAX_START_TIME (G_MAXINT64 >> ID_SHIFT)

/* The trigram index needs a needle of at least three characters. */
#define FTS_MIN_CHARS 3

#define HISTORY_COLUMNS                                                                            \
  "h.id, h.session_id, h.caller, h.caller_name, h.callee, h.callee_name, h.direction, "            \
  "h.disposition, h.start_time, h.answer_time, h.end_time, h.talk_seconds"

static gboolean
check_entry (const OhHistoryEntry  *entry,
             GError               **error)
{
  const char *strings[] = { entry->session_id, entry->caller,      entry->caller_name,
                            entry->callee,     entry->callee_name };

  if (entry->start_time <= 0 || entry->start_time > MAX_START_TIME)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("A history entry needs a start time, not %" G_GINT64_FORMAT),
                   entry->start_time);
      return FALSE;
    }
  if ((guint) entry->direction > OH_HISTORY_DIRECTION_INTERNAL
      || (guint) entry->disposition > OH_HISTORY_DISPOSITION_FAILED)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("A history entry has an unknown direction or disposition"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i] != NULL && !g_utf8_validate (strings[i], -1, NULL))
      {
        g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                     _("A history entry has text that is not valid UTF-8"));
        return FALSE;
      }
  return TRUE;
}

/* The first free id at the entry's start time. */
static gboolean
next_id (OhStore  *self,
         gint64    start_time,
         gint64   *id,
         GError  **error)
{
  g_autoptr(OhStoreStmt) stmt = NULL;
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
    return oh_store_fail (self, error, _("Could not write the call history"));
  *id = sqlite3_column_int64 (stmt, 0) + 1;
  if ((*id & ID_SAME_TIME_MAX) == 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _("Too many history entries start at the same microsecond"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_entry (OhStore              *self,
              const OhHistoryEntry *entry,
              gint64               *id,
              GError              **error)
{
  g_autoptr(OhStoreStmt) insert = NULL;
  g_autoptr(OhStoreStmt) index = NULL;
  g_autoptr(OhStoreStmt) count = NULL;
  const char *direction = oh_history_direction_to_string (entry->direction);
  const char *disposition = oh_history_disposition_to_string (entry->disposition);
  const char *what = _("Could not write the call history");

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
  oh_store_bind_text (insert, ":direction", direction);
  oh_store_bind_text (insert, ":disposition", disposition);
  oh_store_bind_int64 (insert, ":start_time", entry->start_time);
  oh_store_bind_int64 (insert, ":answer_time", entry->answer_time);
  oh_store_bind_int64 (insert, ":end_time", entry->end_time);
  oh_store_bind_int64 (insert, ":talk_seconds", oh_history_entry_talk_seconds (entry));
  if (!oh_store_step_done (self, insert, error, what))
    return FALSE;

  index = oh_store_prepare (self,
                            "INSERT INTO history_fts (rowid, caller, caller_name, callee, "
                            "callee_name) VALUES (:id, :caller, :caller_name, :callee, "
                            ":callee_name)",
                            error);
  if (index == NULL)
    return FALSE;
  oh_store_bind_int64 (index, ":id", *id);
  oh_store_bind_text (index, ":caller", entry->caller);
  oh_store_bind_text (index, ":caller_name", entry->caller_name);
  oh_store_bind_text (index, ":callee", entry->callee);
  oh_store_bind_text (index, ":callee_name", entry->callee_name);
  if (!oh_store_step_done (self, index, error, what))
    return FALSE;

  count = oh_store_prepare (self,
                            "INSERT INTO history_counts (direction, disposition, n) "
                            "VALUES (:direction, :disposition, 1) "
                            "ON CONFLICT (direction, disposition) DO UPDATE SET n = n + 1",
                            error);
  if (count == NULL)
    return FALSE;
  oh_store_bind_text (count, ":direction", direction);
  oh_store_bind_text (count, ":disposition", disposition);
  return oh_store_step_done (self, count, error, what);
}

/**
 * oh_store_add_history_many:
 * @entries: (element-type OhHistoryEntry): the entries
 *
 * Adds all @entries in one transaction, or none of them. On success each
 * entry's id and talk_seconds are filled in.
 */
gboolean
oh_store_add_history_many (OhStore    *self,
                           GPtrArray  *entries,
                           GError    **error)
{
  g_autoptr(OhStoreTxn) txn = NULL;
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
oh_store_add_history (OhStore         *self,
                      OhHistoryEntry  *entry,
                      GError         **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  g_return_val_if_fail (entry != NULL, FALSE);

  g_ptr_array_add (entries, entry);
  return oh_store_add_history_many (self, entries, error);
}

/* How a filter is read: which index drives the page, and the SQL for the
 * page and for the total. */
typedef enum {
  DRIVE_SCAN,        /* the table in rowid order (with since/until: a range) */
  DRIVE_FTS,         /* the trigram index, whose doclists are in rowid order */
  DRIVE_EXTENSION,   /* history_caller ∪ history_callee */
  DRIVE_DIRECTION,   /* history_direction (direction, rowid) */
  DRIVE_DISPOSITION, /* history_disposition (disposition, rowid) */
} Drive;

typedef struct {
  Drive drive;
  const char *extension;
  const char *direction;
  const char *disposition;
  char *match;  /* the FTS phrase for DRIVE_FTS */
  char *folded; /* the needle for oh_contains() otherwise */
  gboolean range;
  gint64 lo;
  gint64 hi;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_free (plan->match);
  g_free (plan->folded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static const char *
nonempty (const char *s)
{
  return s != NULL && s[0] != '\0' ? s : NULL;
}

static char *
fts_phrase (const char *text)
{
  g_autoptr(GString) phrase = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

/* The planner has no statistics to tell a 2,000-row extension from a
 * 500,000-row direction, so the plan is chosen here, from what we know of
 * calls: an extension is rare, a substring of three or more characters is
 * found by its index, a disposition other than answered is rarer than any
 * direction. The other conditions are written `+column` so SQLite does not
 * pick their index instead. */
static void
plan_init (Plan                  *plan,
           const OhHistoryFilter *filter)
{
  const char *text = nonempty (filter->text);

  plan->extension = nonempty (filter->extension);
  plan->direction = nonempty (filter->direction);
  plan->disposition = nonempty (filter->disposition);

  if (plan->extension != NULL)
    plan->drive = DRIVE_EXTENSION;
  else if (text != NULL && g_utf8_strlen (text, -1) >= FTS_MIN_CHARS)
    plan->drive = DRIVE_FTS;
  else if (plan->disposition != NULL && !g_str_equal (plan->disposition, "answered"))
    plan->drive = DRIVE_DISPOSITION;
  else if (plan->direction != NULL)
    plan->drive = DRIVE_DIRECTION;
  else if (plan->disposition != NULL)
    plan->drive = DRIVE_DISPOSITION;
  else
    plan->drive = DRIVE_SCAN;

  if (text != NULL && plan->drive == DRIVE_FTS)
    plan->match = fts_phrase (text);
  else if (text != NULL)
    plan->folded = oh_store_fold (text);

  plan->range = filter->since > 0 || filter->until > 0;
  plan->lo = MIN (filter->since, MAX_START_TIME) << ID_SHIFT;
  plan->hi = filter->until > 0 ? (MIN (filter->until, MAX_START_TIME) << ID_SHIFT) | ID_SAME_TIME_MAX
                               : G_MAXINT64;
}

static void
append_conditions (GString    *sql,
                   const Plan *plan,
                   gboolean    with_history)
{
  if (plan->drive == DRIVE_FTS)
    {
      g_string_append (sql, " WHERE history_fts MATCH :match");
      if (plan->range)
        g_string_append (sql, " AND f.rowid BETWEEN :lo AND :hi");
      if (!with_history)
        return;
    }
  else
    {
      g_string_append (sql, " WHERE 1");
      if (plan->range)
        g_string_append (sql, " AND h.id BETWEEN :lo AND :hi");
    }

  if (plan->extension != NULL)
    g_string_append (sql, " AND (h.caller = :extension OR h.callee = :extension)");
  if (plan->direction != NULL)
    g_string_append_printf (sql, " AND %sh.direction = :direction",
                            plan->drive == DRIVE_DIRECTION ? "" : "+");
  if (plan->disposition != NULL)
    g_string_append_printf (sql, " AND %sh.disposition = :disposition",
                            plan->drive == DRIVE_DISPOSITION ? "" : "+");
  if (plan->folded != NULL)
    g_string_append (sql, " AND (oh_contains(h.caller, :folded) OR oh_contains(h.caller_name, "
                          ":folded) OR oh_contains(h.callee, :folded) OR "
                          "oh_contains(h.callee_name, :folded))");
}

static char *
page_sql (const Plan *plan)
{
  GString *sql = g_string_new ("SELECT " HISTORY_COLUMNS);

  if (plan->drive == DRIVE_FTS)
    /* CROSS JOIN keeps the FTS table outside: its rowid order is the page order. */
    g_string_append (sql, " FROM history_fts f CROSS JOIN history h ON h.id = f.rowid");
  else
    g_string_append (sql, " FROM history h");
  append_conditions (sql, plan, TRUE);
  g_string_append_printf (sql, " ORDER BY %s DESC LIMIT :limit OFFSET :offset",
                          plan->drive == DRIVE_FTS ? "f.rowid" : "h.id");
  return g_string_free (sql, FALSE);
}

static char *
count_sql (const Plan *plan)
{
  GString *sql;
  gboolean words_only = plan->drive != DRIVE_FTS && plan->extension == NULL
                        && plan->folded == NULL && !plan->range;

  if (words_only)
    {
      sql = g_string_new ("SELECT coalesce(sum(n), 0) FROM history_counts WHERE 1");
      if (plan->direction != NULL)
        g_string_append (sql, " AND direction = :direction");
      if (plan->disposition != NULL)
        g_string_append (sql, " AND disposition = :disposition");
      return g_string_free (sql, FALSE);
    }

  if (plan->drive == DRIVE_FTS)
    {
      /* The index alone counts a substring; rows are read only to check
       * direction or disposition. */
      gboolean with_history = plan->direction != NULL || plan->disposition != NULL;

      sql = g_string_new ("SELECT count(*) FROM history_fts f");
      if (with_history)
        g_string_append (sql, " CROSS JOIN history h ON h.id = f.rowid");
      append_conditions (sql, plan, with_history);
      return g_string_free (sql, FALSE);
    }

  sql = g_string_new ("SELECT count(*) FROM history h");
  append_conditions (sql, plan, TRUE);
  return g_string_free (sql, FALSE);
}

static void
bind_plan (OhStoreStmt *stmt,
           const Plan  *plan)
{
  oh_store_bind_text (stmt, ":match", plan->match);
  oh_store_bind_text (stmt, ":folded", plan->folded);
  oh_store_bind_text (stmt, ":extension", plan->extension);
  oh_store_bind_text (stmt, ":direction", plan->direction);
  oh_store_bind_text (stmt, ":disposition", plan->disposition);
  oh_store_bind_int64 (stmt, ":lo", plan->lo);
  oh_store_bind_int64 (stmt, ":hi", plan->hi);
}

static OhHistoryEntry *
read_entry (OhStoreStmt *stmt)
{
  OhHistoryEntry *entry = oh_history_entry_new ();

  entry->id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
  entry->session_id = oh_store_column_dup (stmt, 1);
  entry->caller = oh_store_column_dup (stmt, 2);
  entry->caller_name = oh_store_column_dup (stmt, 3);
  entry->callee = oh_store_column_dup (stmt, 4);
  entry->callee_name = oh_store_column_dup (stmt, 5);
  oh_history_direction_from_string ((const char *) sqlite3_column_text (stmt, 6),
                                    &entry->direction);
  oh_history_disposition_from_string ((const char *) sqlite3_column_text (stmt, 7),
                                      &entry->disposition);
  entry->start_time = sqlite3_column_int64 (stmt, 8);
  entry->answer_time = sqlite3_column_int64 (stmt, 9);
  entry->end_time = sqlite3_column_int64 (stmt, 10);
  entry->talk_seconds = (guint) CLAMP (sqlite3_column_int64 (stmt, 11), 0, G_MAXUINT);
  return entry;
}

static gboolean
count_history (OhStore     *self,
               const Plan  *plan,
               guint       *total,
               GError     **error)
{
  g_autofree char *sql = count_sql (plan);
  g_autoptr(OhStoreStmt) stmt = oh_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_plan (stmt, plan);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return oh_store_fail (self, error, _("Could not read the call history"));
  *total = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  return TRUE;
}

/**
 * oh_store_query_history:
 * @filter: what to match; checked with oh_history_filter_validate()
 * @page: the page, counting from 0
 * @rows: entries per page, 1 to %OH_HISTORY_MAX_ROWS
 * @total: (out) (optional): the number of entries matching @filter, or
 *   %NULL not to count them (counting is most of the cost of a query that
 *   matches many entries)
 * @error: %OH_ERROR_INVALID_ARGUMENT for a bad filter or page size
 *
 * Entries are newest first: start_time descending, then id descending.
 * `text` matches a case-insensitive (simple Unicode lower case) literal
 * substring of the caller's or callee's number or name: `%`, `_` and `\`
 * are plain characters.
 *
 * Returns: (transfer full) (element-type OhHistoryEntry): the page, or
 *   %NULL with @error set.
 */
GPtrArray *
oh_store_query_history (OhStore               *self,
                        const OhHistoryFilter *filter,
                        guint                  page,
                        guint                  rows,
                        guint                 *total,
                        GError               **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(OhStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_auto(Plan) plan = { 0 };
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!oh_history_filter_validate (filter, rows, error))
    return NULL;
  plan_init (&plan, filter);

  sql = page_sql (&plan);
  stmt = oh_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_plan (stmt, &plan);
  oh_store_bind_int64 (stmt, ":limit", rows);
  oh_store_bind_int64 (stmt, ":offset", (gint64) page * rows);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_history_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  if (rc != SQLITE_DONE)
    {
      oh_store_fail (self, error, _("Could not read the call history"));
      return NULL;
    }

  if (total != NULL && !count_history (self, &plan, total, error))
    return NULL;
  return g_steal_pointer (&entries);
}

static gboolean
delete_entry (OhStore  *self,
              gint64    id,
              guint    *n_deleted,
              GError  **error)
{
  g_autoptr(OhStoreStmt) delete = NULL;
  g_autoptr(OhStoreStmt) unindex = NULL;
  g_autoptr(OhStoreStmt) uncount = NULL;
  const char *what = _("Could not delete from the call history");
  int rc;

  delete = oh_store_prepare (self,
                             "DELETE FROM history WHERE id = :id RETURNING caller, caller_name, "
                             "callee, callee_name, direction, disposition",
                             error);
  unindex = oh_store_prepare (self,
                              "INSERT INTO history_fts (history_fts, rowid, caller, caller_name, "
                              "callee, callee_name) VALUES ('delete', ?1, ?2, ?3, ?4, ?5)",
                              error);
  uncount = oh_store_prepare (self,
                              "UPDATE history_counts SET n = n - 1 "
                              "WHERE direction = ?1 AND disposition = ?2",
                              error);
  if (delete == NULL || unindex == NULL || uncount == NULL)
    return FALSE;

  oh_store_bind_int64 (delete, ":id", id);
  rc = sqlite3_step (delete);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return oh_store_fail (self, error, what);

  /* The external-content index must be told the deleted values. */
  sqlite3_bind_int64 (unindex, 1, id);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_value (unindex, i + 2, sqlite3_column_value (delete, i));
  for (int i = 0; i < 2; i++)
    sqlite3_bind_value (uncount, i + 1, sqlite3_column_value (delete, i + 4));
  if (!oh_store_step_done (self, unindex, error, what)
      || !oh_store_step_done (self, uncount, error, what)
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
oh_store_delete_history (OhStore            *self,
                         const char * const *ids,
                         guint              *n_deleted,
                         GError            **error)
{
  g_autoptr(OhStoreTxn) txn = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint deleted = 0;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint64 number;

      if (!g_ascii_string_to_unsigned (ids[i], 10, 1, G_MAXINT64, &number, NULL))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not the id of a history entry"), ids[i]);
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
oh_store_clear_history (OhStore     *self,
                        GError     **error)
{
  static const char *const statements[] = {
    /* No trigger and no WHERE: SQLite drops the pages instead of deleting
     * a million rows one by one. */
    "DELETE FROM history",
    "INSERT INTO history_fts (history_fts) VALUES ('delete-all')",
    "DELETE FROM history_counts",
  };
  g_autoptr(OhStoreTxn) txn = NULL;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);

  txn = oh_store_txn_begin (self, error);
  if (txn == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(OhStoreStmt) stmt = oh_store_prepare (self, statements[i], error);

      if (stmt == NULL
          || !oh_store_step_done (self, stmt, error, _("Could not clear the call history")))
        return FALSE;
    }
  return oh_store_txn_commit (txn, error);
}

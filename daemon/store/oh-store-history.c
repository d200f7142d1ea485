/* oh-store-history.c: the call history part of OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An entry's id is its start time in µs shifted left by ID_SHIFT bits, plus
 * a counter for entries that started in the same microsecond; every filter
 * but since/until is an expression over the full-text index history_fts (see
 * the migration in oh-store.c). Reading in rowid order is reading newest
 * first, so a page stops after its rows.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

#define ID_SHIFT 10
#define ID_SAME_TIME_MAX ((G_GINT64_CONSTANT (1) << ID_SHIFT) - 1)
#define MAX_START_TIME (G_MAXINT64 >> ID_SHIFT)
#define DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

/* The trigram index needs a needle of at least three characters. */
#define FTS_MIN_CHARS 3

#define HISTORY_COLUMNS                                                                            \
  "h.id, h.session_id, h.caller, h.caller_name, h.callee, h.callee_name, h.direction, "            \
  "h.disposition, h.start_time, h.answer_time, h.end_time, h.talk_seconds"

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
  values->tags = g_strdup_printf ("\002"
                                  "d%d"
                                  "\002"
                                  "p%d",
                                  direction, disposition);
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

/* How a filter is read. */
typedef enum
{
  DRIVE_SCAN, /* the table, newest first (a rowid range with since/until) */
  DRIVE_FTS,  /* the full-text index, whose doclists are newest first too */
} Drive;

typedef struct
{
  Drive drive;
  GString *match;     /* the FTS expression; empty for none */
  gboolean selective; /* it has a text or an extension term */
  int direction;      /* -1 for any */
  int disposition;    /* -1 for any */
  char *folded;       /* a text too short for trigrams, for oh_contains() */
  gboolean range;
  gint64 lo;
  gint64 hi;
  /* For counting a range by days: the days after since's and before
   * until's, and the rows of those two days. */
  gint64 day_lo;
  gint64 day_hi;
  gint64 lo_day_end;
  gint64 hi_day_start;
} Plan;

static void
plan_clear (Plan *plan)
{
  if (plan->match != NULL)
    g_string_free (plan->match, TRUE);
  g_free (plan->folded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static const char *
nonempty (const char *s)
{
  return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Appends `AND {columns} : "prefix text suffix"` with the FTS5 string
 * quoting (a quote is doubled); nothing else in a string is syntax. */
static void
append_term (
    GString *match, const char *columns, const char *prefix, const char *text, const char *suffix)
{
  if (match->len > 0)
    g_string_append (match, " AND ");
  g_string_append_printf (match, "{%s} : \"%s", columns, prefix);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_printf (match, "%s\"", suffix);
}

static void
plan_init (Plan *plan, const OhHistoryFilter *filter)
{
  const char *text = nonempty (filter->text);
  const char *extension = nonempty (filter->extension);
  OhHistoryDirection direction;
  OhHistoryDisposition disposition;

  plan->match = g_string_new (NULL);
  plan->direction
      = oh_history_direction_from_string (filter->direction, &direction) ? (int)direction : -1;
  plan->disposition = oh_history_disposition_from_string (filter->disposition, &disposition)
                          ? (int)disposition
                          : -1;

  if (text != NULL && g_utf8_strlen (text, -1) >= FTS_MIN_CHARS)
    {
      append_term (plan->match, "caller caller_name callee callee_name", "", text, "");
      plan->selective = TRUE;
    }
  else if (text != NULL)
    plan->folded = oh_store_fold (text);
  if (extension != NULL)
    {
      append_term (plan->match, "caller callee", "\002", extension, "\003");
      plan->selective = TRUE;
    }
  if (plan->direction >= 0)
    {
      g_autofree char *tag = g_strdup_printf ("%d", plan->direction);

      append_term (plan->match, "tags",
                   "\002"
                   "d",
                   tag, "");
    }
  if (plan->disposition >= 0)
    {
      g_autofree char *tag = g_strdup_printf ("%d", plan->disposition);

      append_term (plan->match, "tags",
                   "\002"
                   "p",
                   tag, "");
    }

  /* A short text is checked row by row; then direction and disposition
   * are cheaper as columns of those rows than as a second index walk. */
  plan->drive
      = plan->match->len > 0 && (plan->selective || plan->folded == NULL) ? DRIVE_FTS : DRIVE_SCAN;

  plan->range = filter->since > 0 || filter->until > 0;
  plan->lo = MIN (filter->since, MAX_START_TIME) << ID_SHIFT;
  plan->hi = filter->until > 0
                 ? (MIN (filter->until, MAX_START_TIME) << ID_SHIFT) | ID_SAME_TIME_MAX
                 : G_MAXINT64;
  plan->day_lo = (plan->lo >> ID_SHIFT) / DAY;
  plan->day_hi = (plan->hi >> ID_SHIFT) / DAY;
  plan->lo_day_end = MIN (((plan->day_lo + 1) * DAY) << ID_SHIFT, plan->hi + 1) - 1;
  plan->hi_day_start = MAX ((plan->day_hi * DAY) << ID_SHIFT, plan->lo);
}

static void
append_row_conditions (GString *sql, const Plan *plan)
{
  if (plan->drive == DRIVE_SCAN && plan->direction >= 0)
    g_string_append (sql, " AND h.direction = :direction");
  if (plan->drive == DRIVE_SCAN && plan->disposition >= 0)
    g_string_append (sql, " AND h.disposition = :disposition");
  if (plan->folded != NULL)
    g_string_append (sql, " AND (oh_contains(h.caller, :folded) OR oh_contains(h.caller_name, "
                          ":folded) OR oh_contains(h.callee, :folded) OR "
                          "oh_contains(h.callee_name, :folded))");
}

static char *
page_sql (const Plan *plan)
{
  GString *sql = g_string_new ("SELECT " HISTORY_COLUMNS " FROM ");

  if (plan->drive == DRIVE_SCAN)
    {
      g_string_append (sql, "history h WHERE 1");
      if (plan->range)
        g_string_append (sql, " AND h.id BETWEEN :lo AND :hi");
      append_row_conditions (sql, plan);
      g_string_append (sql, " ORDER BY h.id DESC LIMIT :limit OFFSET :offset");
    }
  else
    {
      /* CROSS JOIN keeps the index outside: its order is the page order. */
      g_string_append (sql, "history_fts f CROSS JOIN history h ON h.id = f.rowid "
                            "WHERE history_fts MATCH :match");
      if (plan->range)
        g_string_append (sql, " AND f.rowid BETWEEN :lo AND :hi");
      append_row_conditions (sql, plan);
      g_string_append (sql, " ORDER BY f.rowid DESC LIMIT :limit OFFSET :offset");
    }
  return g_string_free (sql, FALSE);
}

/* Whether the total comes from history_counts or history_days, without
 * reading the matching entries. */
static gboolean
plan_counts_by_totals (const Plan *plan)
{
  return !plan->selective && plan->folded == NULL
         && (!plan->range || plan->day_hi - plan->day_lo >= 2);
}

static char *
count_sql (const Plan *plan)
{
  GString *sql;

  if (!plan->selective && plan->folded == NULL && !plan->range)
    {
      sql = g_string_new ("SELECT coalesce(sum(n), 0) FROM history_counts WHERE 1");
      if (plan->direction >= 0)
        g_string_append (sql, " AND direction = :direction");
      if (plan->disposition >= 0)
        g_string_append (sql, " AND disposition = :disposition");
      return g_string_free (sql, FALSE);
    }

  if (!plan->selective && plan->folded == NULL && plan->day_hi - plan->day_lo >= 2)
    {
      /* The whole days from history_days, the two partial ones row by row. */
      g_autoptr (GString) groups = g_string_new (NULL);

      if (plan->direction >= 0)
        g_string_append (groups, " AND direction = :direction");
      if (plan->disposition >= 0)
        g_string_append (groups, " AND disposition = :disposition");
      sql = g_string_new (NULL);
      g_string_append_printf (sql,
                              "SELECT (SELECT coalesce(sum(n), 0) FROM history_days "
                              "WHERE day > :day_lo AND day < :day_hi%s) "
                              "+ (SELECT count(*) FROM history WHERE id BETWEEN :lo AND "
                              ":lo_day_end%s) "
                              "+ (SELECT count(*) FROM history WHERE id BETWEEN :hi_day_start "
                              "AND :hi%s)",
                              groups->str, groups->str, groups->str);
      return g_string_free (sql, FALSE);
    }

  if (plan->drive == DRIVE_SCAN)
    {
      sql = g_string_new ("SELECT count(*) FROM history h WHERE 1");
      if (plan->range)
        g_string_append (sql, " AND h.id BETWEEN :lo AND :hi");
    }
  else if (plan->folded == NULL)
    {
      sql = g_string_new ("SELECT count(*) FROM history_fts WHERE history_fts MATCH :match");
      if (plan->range)
        g_string_append (sql, " AND rowid BETWEEN :lo AND :hi");
    }
  else
    {
      sql = g_string_new ("SELECT count(*) FROM history_fts f CROSS JOIN history h "
                          "ON h.id = f.rowid WHERE history_fts MATCH :match");
      if (plan->range)
        g_string_append (sql, " AND f.rowid BETWEEN :lo AND :hi");
    }
  append_row_conditions (sql, plan);
  return g_string_free (sql, FALSE);
}

static void
bind_plan (OhStoreStmt *stmt, const Plan *plan)
{
  oh_store_bind_text (stmt, ":match", plan->match->str);
  oh_store_bind_text (stmt, ":folded", plan->folded);
  oh_store_bind_int64 (stmt, ":direction", plan->direction);
  oh_store_bind_int64 (stmt, ":disposition", plan->disposition);
  oh_store_bind_int64 (stmt, ":lo", plan->lo);
  oh_store_bind_int64 (stmt, ":hi", plan->hi);
  oh_store_bind_int64 (stmt, ":day_lo", plan->day_lo);
  oh_store_bind_int64 (stmt, ":day_hi", plan->day_hi);
  oh_store_bind_int64 (stmt, ":lo_day_end", plan->lo_day_end);
  oh_store_bind_int64 (stmt, ":hi_day_start", plan->hi_day_start);
}

static OhHistoryEntry *
read_entry (OhStoreStmt *stmt)
{
  OhHistoryEntry *entry = oh_history_entry_new ();

  entry->id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));
  entry->session_id = oh_store_column_dup (stmt, 1);
  entry->caller = oh_store_column_dup (stmt, 2);
  entry->caller_name = oh_store_column_dup (stmt, 3);
  entry->callee = oh_store_column_dup (stmt, 4);
  entry->callee_name = oh_store_column_dup (stmt, 5);
  /* The table's CHECK constraints keep these in range. */
  entry->direction = (OhHistoryDirection)sqlite3_column_int (stmt, 6);
  entry->disposition = (OhHistoryDisposition)sqlite3_column_int (stmt, 7);
  entry->start_time = sqlite3_column_int64 (stmt, 8);
  entry->answer_time = sqlite3_column_int64 (stmt, 9);
  entry->end_time = sqlite3_column_int64 (stmt, 10);
  entry->talk_seconds = (guint)CLAMP (sqlite3_column_int64 (stmt, 11), 0, G_MAXUINT);
  return entry;
}

/* Reading ids from the index up to this many to learn the total on the way
 * costs less than a second pass to count them. */
#define STREAM_COUNT_MAX 2000

/* DRIVE_FTS with nothing to check on the rows: the index gives the page's
 * ids, newest first, and (when there are few) the total, in one pass; then
 * only the page's rows are read. */
static gboolean
query_by_index (OhStore *self,
                const Plan *plan,
                guint64 offset,
                guint rows,
                gboolean want_total,
                GPtrArray *entries,
                guint *total,
                gboolean *counted,
                GError **error)
{
  g_autoptr (OhStoreStmt) ids = NULL;
  g_autoptr (GArray) page_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 stop = offset + rows;
  guint64 n = 0;
  int rc;

  if (want_total)
    stop = MAX (stop, STREAM_COUNT_MAX);
  ids = oh_store_prepare (self,
                          plan->range ? "SELECT rowid FROM history_fts WHERE history_fts MATCH "
                                        ":match AND rowid BETWEEN :lo AND :hi ORDER BY rowid DESC"
                                      : "SELECT rowid FROM history_fts WHERE history_fts MATCH "
                                        ":match ORDER BY rowid DESC",
                          error);
  if (ids == NULL)
    return FALSE;
  bind_plan (ids, plan);
  while (n < stop && (rc = sqlite3_step (ids)) == SQLITE_ROW)
    {
      if (n >= offset && n < offset + rows)
        {
          gint64 id = sqlite3_column_int64 (ids, 0);

          g_array_append_val (page_ids, id);
        }
      n++;
    }
  if (n < stop && rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not read the call history"));
  *counted = n < stop;
  *total = (guint)MIN (n, G_MAXUINT);

  for (guint i = 0; i < page_ids->len; i++)
    {
      g_autoptr (OhStoreStmt) row = oh_store_prepare (self,
                                                      "SELECT " HISTORY_COLUMNS " FROM history h "
                                                      "WHERE h.id = :id",
                                                      error);

      if (row == NULL)
        return FALSE;
      oh_store_bind_int64 (row, ":id", g_array_index (page_ids, gint64, i));
      rc = sqlite3_step (row);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (entries, read_entry (row));
      else if (rc != SQLITE_DONE)
        return oh_store_fail (self, error, _ ("Could not read the call history"));
    }
  return TRUE;
}

static gboolean
count_history (OhStore *self, const Plan *plan, guint *total, GError **error)
{
  g_autofree char *sql = count_sql (plan);
  g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_plan (stmt, plan);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not read the call history"));
  *total = (guint)CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
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
 * are plain characters. A text of three or more characters is found with
 * the trigram index; a shorter one is checked row by row, which means
 * reading the whole history to count it. `extension` is an exact match of
 * either number, ignoring ASCII case.
 *
 * Returns: (transfer full) (element-type OhHistoryEntry): the page, or
 *   %NULL with @error set.
 */
GPtrArray *
oh_store_query_history (OhStore *self,
                        const OhHistoryFilter *filter,
                        guint page,
                        guint rows,
                        guint *total,
                        GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (OhStoreStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_auto (Plan) plan = { 0 };
  gboolean counted = FALSE;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!oh_history_filter_validate (filter, rows, error))
    return NULL;
  plan_init (&plan, filter);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  if (plan.drive == DRIVE_FTS && plan.folded == NULL)
    {
      gboolean want_total = total != NULL && !plan_counts_by_totals (&plan);
      guint streamed = 0;

      if (!query_by_index (self, &plan, (guint64)page * rows, rows, want_total, entries, &streamed,
                           &counted, error))
        return NULL;
      /* A stream that ran out counted every match, whatever it was for. */
      if (total != NULL && counted)
        *total = streamed;
    }
  else
    {
      sql = page_sql (&plan);
      stmt = oh_store_prepare (self, sql, error);
      if (stmt == NULL)
        return NULL;
      bind_plan (stmt, &plan);
      oh_store_bind_int64 (stmt, ":limit", rows);
      oh_store_bind_int64 (stmt, ":offset", (gint64)page * rows);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (entries, read_entry (stmt));
      if (rc != SQLITE_DONE)
        {
          oh_store_fail (self, error, _ ("Could not read the call history"));
          return NULL;
        }
    }

  if (total != NULL && !counted && !count_history (self, &plan, total, error))
    return NULL;
  return g_steal_pointer (&entries);
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

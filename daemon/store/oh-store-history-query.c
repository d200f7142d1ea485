/* oh-store-history-query.c: History.Query on OhStore
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

/* The trigram index needs a needle of at least three characters. */
#define FTS_MIN_CHARS 3

#define HISTORY_COLUMNS                                                                            \
  "h.id, h.session_id, h.caller, h.caller_name, h.callee, h.callee_name, h.direction, "            \
  "h.disposition, h.start_time, h.answer_time, h.end_time, h.talk_seconds"

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

/* The smallest id of an entry that starts at time (µs). */
static gint64
first_id (gint64 time)
{
  return CLAMP (time, 0, MAX_START_TIME) << ID_SHIFT;
}

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
      g_autofree char *tag = g_strdup_printf ("\002d%d", plan->direction);

      append_term (plan->match, "tags", tag, "", "");
    }
  if (plan->disposition >= 0)
    {
      g_autofree char *tag = g_strdup_printf ("\002p%d", plan->disposition);

      append_term (plan->match, "tags", tag, "", "");
    }

  /* A short text is checked row by row; then direction and disposition
   * are cheaper as columns of those rows than as a second index walk. */
  plan->drive
      = plan->match->len > 0 && (plan->selective || plan->folded == NULL) ? DRIVE_FTS : DRIVE_SCAN;

  plan->range = filter->since > 0 || filter->until > 0;
  plan->lo = first_id (filter->since);
  plan->hi = filter->until > 0 ? first_id (filter->until) | ID_SAME_TIME_MAX : G_MAXINT64;
  plan->day_lo = (plan->lo >> ID_SHIFT) / DAY;
  plan->day_hi = (plan->hi >> ID_SHIFT) / DAY;
  plan->lo_day_end = MIN (first_id ((plan->day_lo + 1) * DAY) - 1, plan->hi);
  plan->hi_day_start = MAX (first_id (plan->day_hi * DAY), plan->lo);
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

/* oh-store-history-query.c: History.Query on OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An entry's id is its start time in µs shifted left by ID_SHIFT bits, plus
 * a counter for entries that started in the same microsecond; every filter
 * but since/until and a text of one or two characters is an expression over
 * the full-text index history_fts (see the migrations in oh-store.c).
 * Reading in rowid order is reading newest first, so a page stops after its
 * rows. The entries not indexed yet (history_pending, at most
 * OH_STORE_PENDING_MAX) are matched row by row and merged in.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

/* A text this long has a token in the index (its trigram, or the phrase
 * of its 4-grams); a shorter one is checked row by row, its total read
 * from history_grams. */
#define FTS_MIN_CHARS 3

#define HISTORY_COLUMNS                                                                            \
  "h.id, h.session_id, h.caller, h.caller_name, h.callee, h.callee_name, h.direction, "            \
  "h.disposition, h.start_time, h.answer_time, h.end_time, h.talk_seconds"

/* How a filter's page is read. */
typedef enum
{
  DRIVE_SCAN, /* the table, newest first (a rowid range with since/until) */
  DRIVE_FTS,  /* the full-text index, whose doclists are newest first too */
} Drive;

/* How its total is found. Every way but COUNT_ROWS reads what is derived
 * from the entries that are not pending, and adds the pending ones that
 * match, read row by row. */
typedef enum
{
  COUNT_ROWS,   /* count the rows (those of since/until, or every one) */
  COUNT_TOTALS, /* history_counts, or history_days and the rows of two days */
  COUNT_GRAMS,  /* history_grams: a short text's, with direction and disposition */
  COUNT_FTS,    /* count the index's matches */
} Count;

typedef struct
{
  Drive drive;
  Count count;
  GString *match;      /* the FTS expression; empty for none */
  char *folded;        /* the text, folded, for oh_contains() and history_grams */
  gboolean short_text; /* too short for the index */
  char *extension;
  int direction;   /* -1 for any */
  int disposition; /* -1 for any */
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
  g_free (plan->extension);
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

/* Appends `"prefix text suffix"` with the FTS5 string quoting (a quote is
 * doubled); nothing else in a string is syntax. No column filter: the
 * index has one column, and texts, numbers and tags have tokens of their
 * own (see oh-store-search.c). */
static void
append_term (GString *match, const char *prefix, const char *text, const char *suffix)
{
  if (match->len > 0)
    g_string_append (match, " AND ");
  g_string_append_printf (match, "\"%s", prefix);
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
  gboolean selective = FALSE;

  plan->match = g_string_new (NULL);
  plan->direction
      = oh_history_direction_from_string (filter->direction, &direction) ? (int)direction : -1;
  plan->disposition = oh_history_disposition_from_string (filter->disposition, &disposition)
                          ? (int)disposition
                          : -1;
  plan->extension = g_strdup (extension);

  if (text != NULL)
    {
      plan->folded = oh_store_fold (text);
      plan->short_text = g_utf8_strlen (text, -1) < FTS_MIN_CHARS;
    }
  if (text != NULL && !plan->short_text)
    {
      append_term (plan->match, "", text, "");
      selective = TRUE;
    }
  /* With a direction or a disposition, an extension is the OR of its
   * tokens with the groups asked for (one to four). */
  if (extension != NULL && plan->direction < 0 && plan->disposition < 0)
    append_term (plan->match, "\002", extension, "\003");
  else if (extension != NULL)
    {
      g_autoptr (GString) any = g_string_new (NULL);

      for (int d = 0; d <= OH_HISTORY_DIRECTION_INTERNAL; d++)
        for (int p = 0; p <= OH_HISTORY_DISPOSITION_FAILED; p++)
          if ((plan->direction < 0 || plan->direction == d)
              && (plan->disposition < 0 || plan->disposition == p))
            {
              g_autofree char *tags = g_strdup_printf ("\003%d%d", d, p);
              g_autoptr (GString) term = g_string_new (NULL);

              append_term (term, "\002", extension, tags);
              g_string_append_printf (any, "%s%s", any->len > 0 ? " OR " : "", term->str);
            }
      g_string_append_printf (plan->match, "%s(%s)", plan->match->len > 0 ? " AND " : "", any->str);
    }
  selective = selective || extension != NULL;

  /* A short text alone is checked row by row; then direction and
   * disposition are cheaper as columns of those rows than as a second
   * index walk. */
  plan->drive = selective || (!plan->short_text && (plan->direction >= 0 || plan->disposition >= 0))
                    ? DRIVE_FTS
                    : DRIVE_SCAN;
  if (plan->drive == DRIVE_FTS && extension == NULL && plan->direction >= 0)
    {
      g_autofree char *tag = g_strdup_printf ("\002d%d", plan->direction);

      append_term (plan->match, tag, "", "");
    }
  if (plan->drive == DRIVE_FTS && extension == NULL && plan->disposition >= 0)
    {
      g_autofree char *tag = g_strdup_printf ("\002p%d", plan->disposition);

      append_term (plan->match, tag, "", "");
    }

  plan->range = filter->since > 0 || filter->until > 0;
  plan->lo = first_id (filter->since);
  plan->hi = filter->until > 0 ? first_id (filter->until) | ID_SAME_TIME_MAX : G_MAXINT64;
  plan->day_lo = (plan->lo >> ID_SHIFT) / DAY;
  plan->day_hi = (plan->hi >> ID_SHIFT) / DAY;
  plan->lo_day_end = MIN (first_id ((plan->day_lo + 1) * DAY) - 1, plan->hi);
  plan->hi_day_start = MAX (first_id (plan->day_hi * DAY), plan->lo);

  if (selective)
    plan->count = COUNT_FTS;
  else if (plan->folded != NULL)
    plan->count = !plan->range ? COUNT_GRAMS : COUNT_ROWS;
  else
    plan->count = !plan->range || plan->day_hi - plan->day_lo >= 2 ? COUNT_TOTALS : COUNT_ROWS;
}

/* The conditions on a row of history h that the filter puts, but those
 * the index answers when it drives (with_index). */
static void
append_row_conditions (GString *sql, const Plan *plan, gboolean with_index)
{
  if (!with_index && plan->direction >= 0)
    g_string_append (sql, " AND h.direction = :direction");
  if (!with_index && plan->disposition >= 0)
    g_string_append (sql, " AND h.disposition = :disposition");
  if (!with_index && plan->extension != NULL)
    g_string_append (sql, " AND (h.caller = :extension COLLATE NOCASE OR h.callee = :extension "
                          "COLLATE NOCASE)");
  if (plan->folded != NULL && (!with_index || plan->short_text))
    g_string_append (sql, " AND (oh_contains(h.caller, :folded) OR oh_contains(h.caller_name, "
                          ":folded) OR oh_contains(h.callee, :folded) OR "
                          "oh_contains(h.callee_name, :folded))");
}

/* The pending entries that match; with whole_days, only those of the days
 * between since's and until's (see count_sql()). history_pending has the
 * direction and disposition: history is only read for a text or an
 * extension. */
static char *
pending_sql (const Plan *plan, const char *what, gboolean whole_days)
{
  gboolean join = plan->extension != NULL || plan->folded != NULL;
  GString *sql = g_string_new (NULL);

  /* CROSS JOIN: without statistics SQLite may well read all of history
   * and look each row up in history_pending. */
  g_string_append_printf (sql, "SELECT %s FROM history_pending p%s WHERE 1", what,
                          join ? " CROSS JOIN history h ON h.id = p.id" : "");
  if (whole_days)
    g_string_append (sql, " AND p.id > :lo_day_end AND p.id < :hi_day_start");
  else if (plan->range)
    g_string_append (sql, " AND p.id BETWEEN :lo AND :hi");
  if (plan->direction >= 0)
    g_string_append (sql, " AND p.direction = :direction");
  if (plan->disposition >= 0)
    g_string_append (sql, " AND p.disposition = :disposition");
  if (plan->extension != NULL)
    g_string_append (sql, " AND (h.caller = :extension COLLATE NOCASE OR h.callee = :extension "
                          "COLLATE NOCASE)");
  if (plan->folded != NULL)
    g_string_append (sql, " AND (oh_contains(h.caller, :folded) OR oh_contains(h.caller_name, "
                          ":folded) OR oh_contains(h.callee, :folded) OR "
                          "oh_contains(h.callee_name, :folded))");
  return g_string_free (sql, FALSE);
}

static char *
scan_sql (const Plan *plan)
{
  GString *sql = g_string_new ("SELECT " HISTORY_COLUMNS " FROM history h WHERE 1");

  if (plan->range)
    g_string_append (sql, " AND h.id BETWEEN :lo AND :hi");
  append_row_conditions (sql, plan, FALSE);
  g_string_append (sql, " ORDER BY h.id DESC LIMIT :limit OFFSET :offset");
  return g_string_free (sql, FALSE);
}

typedef enum
{
  INDEX_COUNT,
  INDEX_NEWEST_FIRST,
  INDEX_OLDEST_FIRST,
} IndexRead;

/* The ids the index matches, or their number. */
static char *
index_sql (const Plan *plan, IndexRead read)
{
  GString *sql = g_string_new (read == INDEX_COUNT ? "SELECT count(*)" : "SELECT f.rowid");

  if (plan->short_text)
    /* CROSS JOIN keeps the index outside: its order is the page order. */
    g_string_append (sql, " FROM history_fts f CROSS JOIN history h ON h.id = f.rowid");
  else
    g_string_append (sql, " FROM history_fts f");
  g_string_append (sql, " WHERE history_fts MATCH :match");
  if (plan->range)
    g_string_append (sql, " AND f.rowid BETWEEN :lo AND :hi");
  if (plan->short_text)
    append_row_conditions (sql, plan, TRUE);
  if (read == INDEX_NEWEST_FIRST)
    g_string_append (sql, " ORDER BY f.rowid DESC");
  else if (read == INDEX_OLDEST_FIRST)
    g_string_append (sql, " ORDER BY f.rowid");
  return g_string_free (sql, FALSE);
}

static char *
count_sql (const Plan *plan)
{
  g_autoptr (GString) groups = g_string_new (NULL);
  g_autofree char *pending = NULL;
  GString *sql = g_string_new (NULL);

  if (plan->direction >= 0)
    g_string_append (groups, " AND direction = :direction");
  if (plan->disposition >= 0)
    g_string_append (groups, " AND disposition = :disposition");

  switch (plan->count)
    {
      case COUNT_ROWS:
        /* Pending or not, all rows are in history. */
        g_string_append (sql, "SELECT count(*) FROM history h WHERE 1");
        if (plan->range)
          g_string_append (sql, " AND h.id BETWEEN :lo AND :hi");
        append_row_conditions (sql, plan, FALSE);
        return g_string_free (sql, FALSE);

      case COUNT_TOTALS:
        if (!plan->range)
          {
            pending = pending_sql (plan, "count(*)", FALSE);
            g_string_append_printf (sql,
                                    "SELECT (SELECT coalesce(sum(n), 0) FROM history_counts "
                                    "WHERE 1%s) + (%s)",
                                    groups->str, pending);
            return g_string_free (sql, FALSE);
          }
        /* The whole days from history_days, and their pending entries;
         * the two partial ones row by row, pending or not. */
        pending = pending_sql (plan, "count(*)", TRUE);
        g_string_append_printf (sql,
                                "SELECT (SELECT coalesce(sum(n), 0) FROM history_days "
                                "WHERE day > :day_lo AND day < :day_hi%s) "
                                "+ (SELECT count(*) FROM history WHERE id BETWEEN :lo AND "
                                ":lo_day_end%s) "
                                "+ (SELECT count(*) FROM history WHERE id BETWEEN :hi_day_start "
                                "AND :hi%s) + (%s)",
                                groups->str, groups->str, groups->str, pending);
        return g_string_free (sql, FALSE);

      case COUNT_GRAMS:
        {
          /* The columns of the groups asked for. */
          g_autoptr (GString) groups_sum = g_string_new (NULL);

          for (int d = 0; d <= OH_HISTORY_DIRECTION_INTERNAL; d++)
            for (int p = 0; p <= OH_HISTORY_DISPOSITION_FAILED; p++)
              if ((plan->direction < 0 || plan->direction == d)
                  && (plan->disposition < 0 || plan->disposition == p))
                g_string_append_printf (groups_sum, "%sn%d", groups_sum->len > 0 ? " + " : "",
                                        OH_STORE_GROUP (d, p));
          pending = pending_sql (plan, "count(*)", FALSE);
          g_string_append_printf (sql,
                                  "SELECT coalesce((SELECT %s FROM history_grams WHERE gram = "
                                  ":folded), 0) + (%s)",
                                  groups_sum->str, pending);
          return g_string_free (sql, FALSE);
        }

      case COUNT_FTS:
      default:
        /* The pending ones were counted with the page. */
        g_string_free (sql, TRUE);
        return index_sql (plan, INDEX_COUNT);
    }
}

static void
bind_plan (OhStoreStmt *stmt, const Plan *plan)
{
  oh_store_bind_text (stmt, ":match", plan->match->str);
  oh_store_bind_text (stmt, ":folded", plan->folded);
  oh_store_bind_text (stmt, ":extension", plan->extension);
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

static gboolean
read_ids (OhStore *self, const char *sql, const Plan *plan, GArray *ids, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_plan (stmt, plan);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not read the call history"));
  return TRUE;
}

/* A page deeper than this is not kept while counting in one pass. */
#define KEEP_MAX 10000

/* The newest keep ids the index matches, newest first, into ids. Unless
 * counting, it stops one past them: *all says whether they were all, and
 * then *n_indexed is their number. Counting, it reads every match oldest
 * first, keeping the last keep: in one pass, which costs little more than
 * count(*) alone, where count(*) and then a page newest first (which FTS5
 * reads twice as slowly) cost both. */
static gboolean
read_index_ids (OhStore *self,
                const Plan *plan,
                guint64 keep,
                gboolean count,
                GArray *ids,
                gboolean *all,
                guint64 *n_indexed,
                GError **error)
{
  g_autofree char *sql = index_sql (plan, count ? INDEX_OLDEST_FIRST : INDEX_NEWEST_FIRST);
  g_autoptr (OhStoreStmt) stmt = oh_store_prepare (self, sql, error);
  g_autoptr (GArray) ring = NULL;
  guint64 n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_plan (stmt, plan);
  if (count)
    ring = g_array_sized_new (FALSE, FALSE, sizeof (gint64), MIN (keep, 1024));
  while ((count || n <= keep) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!count)
        g_array_append_val (ids, id);
      else if (ring->len < keep)
        g_array_append_val (ring, id);
      else if (keep > 0)
        g_array_index (ring, gint64, n % keep) = id;
      n++;
    }
  if ((count || n <= keep) && rc != SQLITE_DONE)
    return oh_store_fail (self, error, _ ("Could not read the call history"));

  *all = count || n <= keep;
  *n_indexed = n;
  if (!count)
    g_array_set_size (ids, MIN (ids->len, keep));
  /* The ring, newest first: the last written back to the oldest kept. */
  for (guint64 k = 0; count && k < ring->len; k++)
    {
      gint64 id = g_array_index (ring, gint64, (n - 1 - k) % keep);

      g_array_append_val (ids, id);
    }
  return TRUE;
}

/* DRIVE_FTS: the index gives the page's ids, newest first, merged with
 * those of the pending entries that match; then only the page's rows are
 * read. With a total asked for, it is counted in the same pass; without,
 * the index is read one past the page, and if it runs out, that was every
 * match, counted too. */
static gboolean
query_by_index (OhStore *self,
                const Plan *plan,
                guint64 offset,
                guint rows,
                gboolean want_total,
                GPtrArray *entries,
                guint *total,
                gboolean *counted,
                guint *n_pending,
                GError **error)
{
  g_autoptr (GArray) page_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) indexed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *pending_ids_sql = pending_sql (plan, "p.id", FALSE);
  g_autofree char *pending_ids_sorted = g_strconcat (pending_ids_sql, " ORDER BY p.id DESC", NULL);
  guint64 keep = offset + rows;
  guint64 n_indexed = 0;
  guint next_indexed = 0, next_pending = 0;
  gboolean all = FALSE;
  int rc;

  if (!read_ids (self, pending_ids_sorted, plan, pending, error)
      || !read_index_ids (self, plan, keep, want_total && keep <= KEEP_MAX, indexed, &all,
                          &n_indexed, error))
    return FALSE;
  *n_pending = pending->len;

  /* The index and the pending entries never share an id. */
  for (guint64 n = 0; n < keep && (next_indexed < indexed->len || next_pending < pending->len); n++)
    {
      gint64 id;

      if (next_indexed < indexed->len
          && (next_pending >= pending->len
              || g_array_index (indexed, gint64, next_indexed)
                     > g_array_index (pending, gint64, next_pending)))
        id = g_array_index (indexed, gint64, next_indexed++);
      else
        id = g_array_index (pending, gint64, next_pending++);
      if (n >= offset)
        g_array_append_val (page_ids, id);
    }
  *counted = all;
  *total = (guint)MIN (n_indexed + pending->len, G_MAXUINT);

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

/* With plan->count COUNT_FTS, the pending entries that match are not
 * counted: query_by_index() did. */
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
 * the index; a shorter one is checked row by row (its total comes from
 * history_grams, but with since/until it means reading the rows of that
 * time to count them). `extension` is an exact match of either number,
 * ignoring ASCII case.
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
  guint64 offset = (guint64)page * rows;
  gboolean counted = FALSE;
  guint n_pending = 0;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!oh_history_filter_validate (filter, rows, error))
    return NULL;
  plan_init (&plan, filter);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);
  if (plan.drive == DRIVE_FTS)
    {
      guint streamed = 0;

      if (!query_by_index (self, &plan, offset, rows, total != NULL && plan.count == COUNT_FTS,
                           entries, &streamed, &counted, &n_pending, error))
        return NULL;
      /* A stream that ran out counted every match, whatever it was for. */
      if (total != NULL && counted)
        *total = streamed;
    }
  else
    {
      /* A short text's total comes first: if no page is left, or nothing
       * matches at all, the scan (of every row, for a rare text) is not
       * needed. */
      if (total != NULL && plan.count == COUNT_GRAMS)
        {
          if (!count_history (self, &plan, total, error))
            return NULL;
          counted = TRUE;
          if (offset >= *total)
            return g_steal_pointer (&entries);
        }
      sql = scan_sql (&plan);
      stmt = oh_store_prepare (self, sql, error);
      if (stmt == NULL)
        return NULL;
      bind_plan (stmt, &plan);
      oh_store_bind_int64 (stmt, ":limit", rows);
      oh_store_bind_int64 (stmt, ":offset", (gint64)MIN (offset, G_MAXINT64));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (entries, read_entry (stmt));
      if (rc != SQLITE_DONE)
        {
          oh_store_fail (self, error, _ ("Could not read the call history"));
          return NULL;
        }
    }

  if (total != NULL && !counted)
    {
      if (!count_history (self, &plan, total, error))
        return NULL;
      if (plan.count == COUNT_FTS)
        *total = (guint)MIN ((guint64)*total + n_pending, G_MAXUINT);
    }
  return g_steal_pointer (&entries);
}

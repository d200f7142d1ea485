/* bench-history.c: the call history store at the size of a big company PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Builds a database of a million calls (a year of a 1,000-extension PBX),
 * measures the insert rate one commit per call (what the daemon does when a
 * call ends: oh_store_add_history(), which now and then also indexes the
 * entries pending since the last time, so its rate and its slowest commits
 * are both shown) and in batches (what a resync does), then times
 * History.Query pages for every filter. Prints a Markdown table; asserts
 * nothing.
 *
 *   bench-history [--entries N] [--queries N] [--db PATH]
 *
 * With --db the database is kept (and reused if it already holds entries).
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "store/oh-store.h"

#define DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define T_BEGIN G_GINT64_CONSTANT (1704067200000000) /* 2024-01-01 */
#define SPAN (365 * DAY)
#define N_EXTENSIONS 1000
#define BATCH 1000
#define SINGLE_COMMITS 50000
#define ROWS 50
#define PAGES 10

static const char *const first_names[] = {
  "Anna",   "Ben",    "Clara",   "David",  "Emma",   "Felix",   "Greta",  "Hans",   "Ida",
  "Jonas",  "Karl",   "Lena",    "Max",    "Nora",   "Otto",    "Paula",  "Quirin", "Rita",
  "Sven",   "Tina",   "Uwe",     "Vera",   "Willi",  "Xaver",   "Yvonne", "Zoe",    "Johann",
  "Hannah", "Marie",  "Lukas",   "Sophie", "Leon",   "Mia",     "Elias",  "Lea",    "Noah",
  "Ömer",   "José",   "Émile",   "Chiara", "Aylin",  "Mateusz", "Fatima", "Ivan",   "Kenji",
  "Priya",  "Olga",   "Sean",    "Ingrid", "Pierre", "Lars",    "Nina",   "Tobias", "Julia",
  "Stefan", "Monika", "Andreas", "Sabine", "Thomas", "Petra",
};

static const char *const last_names[] = {
  "Müller",     "Schmidt",  "Schneider", "Fischer",  "Weber",  "Meyer",    "Wagner",  "Becker",
  "Schulz",     "Hoffmann", "Koch",      "Richter",  "Klein",  "Wolf",     "Neumann", "Schwarz",
  "Zimmermann", "Braun",    "Krüger",    "Hartmann", "Lange",  "Werner",   "Krause",  "Lehmann",
  "Köhler",     "Maier",    "Huber",     "Kaiser",   "Fuchs",  "Peters",   "Öztürk",  "Yılmaz",
  "Kowalski",   "Nowak",    "Rossi",     "García",   "Dubois", "Jansen",   "Novák",   "Horváth",
  "Popescu",    "Ivanov",   "Smith",     "O'Brien",  "Larsen", "Virtanen", "Tanaka",  "Kim",
  "Nguyen",     "Singh",
};

typedef struct
{
  char *number;
  char *name;
} Party;

typedef struct
{
  GRand *rand;
  Party extensions[N_EXTENSIONS];
  GPtrArray *rare_numbers; /* external numbers that occur, to search for */
  gint64 next;
} Generator;

static void
generator_init (Generator *gen)
{
  gen->rand = g_rand_new_with_seed (20240101);
  for (guint i = 0; i < N_EXTENSIONS; i++)
    {
      gen->extensions[i].number = g_strdup_printf ("%u", 100 + i);
      gen->extensions[i].name = g_strdup_printf (
          "%s %s", first_names[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (first_names))],
          last_names[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (last_names))]);
    }
  gen->rare_numbers = g_ptr_array_new_with_free_func (g_free);
}

static void
generator_clear (Generator *gen)
{
  for (guint i = 0; i < N_EXTENSIONS; i++)
    {
      g_free (gen->extensions[i].number);
      g_free (gen->extensions[i].name);
    }
  g_ptr_array_unref (gen->rare_numbers);
  g_rand_free (gen->rand);
}

/* A call of the i-th of n: start times rise through the year with a
 * minute of jitter, as calls are recorded when they end. */
static OhHistoryEntry *
generator_next (Generator *gen, guint64 i, guint64 n)
{
  OhHistoryEntry *entry = oh_history_entry_new ();
  const Party *a = &gen->extensions[g_rand_int_range (gen->rand, 0, N_EXTENSIONS)];
  const Party *b = &gen->extensions[g_rand_int_range (gen->rand, 0, N_EXTENSIONS)];
  double kind = g_rand_double (gen->rand);
  double how = g_rand_double (gen->rand);
  g_autofree char *external = g_strdup_printf ("+49%u%07u", g_rand_int_range (gen->rand, 30, 990),
                                               g_rand_int_range (gen->rand, 0, 10000000));
  gint64 duration = g_rand_int_range (gen->rand, 5, 900) * G_USEC_PER_SEC;

  entry->session_id
      = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GUINT64_FORMAT, T_BEGIN / G_USEC_PER_SEC, i);
  if (kind < 0.5)
    {
      entry->direction = OH_HISTORY_DIRECTION_INTERNAL;
      entry->caller = g_strdup (a->number);
      entry->caller_name = g_strdup (a->name);
      entry->callee = g_strdup (b->number);
      entry->callee_name = g_strdup (b->name);
    }
  else if (kind < 0.75)
    {
      entry->direction = OH_HISTORY_DIRECTION_INCOMING;
      entry->caller = g_strdup (external);
      entry->caller_name = g_strdup ("");
      entry->callee = g_strdup (a->number);
      entry->callee_name = g_strdup (a->name);
    }
  else
    {
      entry->direction = OH_HISTORY_DIRECTION_OUTGOING;
      entry->caller = g_strdup (a->number);
      entry->caller_name = g_strdup (a->name);
      entry->callee = g_strdup (external);
      entry->callee_name = g_strdup ("");
    }
  if (kind >= 0.5 && gen->rare_numbers->len < 1000 && g_rand_int_range (gen->rand, 0, 500) == 0)
    g_ptr_array_add (gen->rare_numbers, g_strdup (external + 5));

  entry->disposition = how < 0.70   ? OH_HISTORY_DISPOSITION_ANSWERED
                       : how < 0.90 ? OH_HISTORY_DISPOSITION_MISSED
                       : how < 0.95 ? OH_HISTORY_DISPOSITION_BUSY
                                    : OH_HISTORY_DISPOSITION_FAILED;
  entry->start_time = T_BEGIN + (gint64)(SPAN * (double)i / (double)n)
                      + g_rand_int_range (gen->rand, 0, 60) * G_USEC_PER_SEC;
  if (entry->disposition == OH_HISTORY_DISPOSITION_ANSWERED)
    entry->answer_time = entry->start_time + g_rand_int_range (gen->rand, 2, 20) * G_USEC_PER_SEC;
  entry->end_time = entry->start_time + duration;
  return entry;
}

/* User + system CPU seconds of this process: on a shared machine the wall
 * clock also counts time spent waiting for a CPU. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
         + usage.ru_stime.tv_usec / 1e6;
}

typedef struct
{
  double wall;
  double cpu;
  GArray *commit_ms; /* (double) wall-clock time of each commit, for insert_single() */
} Rate;

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *samples, double p)
{
  guint i;

  g_array_sort (samples, compare_double);
  i = (guint)(p * samples->len + 0.999999);
  i = CLAMP (i, 1, samples->len) - 1;
  return g_array_index (samples, double, i);
}

typedef enum
{
  F_NONE,
  F_TEXT_COMMON,
  F_TEXT_RARE,
  F_TEXT_SHORT,
  F_EXTENSION,
  F_DIRECTION,
  F_DISPOSITION,
  F_SINCE_UNTIL,
  F_SINCE_UNTIL_YEAR,
  F_TEXT_DIRECTION_30D,
  F_EXTENSION_MISSED,
  F_EXTENSION_TEXT,
  N_FILTERS
} FilterKind;

static const char *const filter_labels[] = {
  [F_NONE] = "none",
  [F_TEXT_COMMON] = "text, common (a first name: `Anna`, `Lukas`, …)",
  [F_TEXT_RARE] = "text, rare (7 digits of an external number)",
  [F_TEXT_SHORT] = "text, 1–2 characters (`a`, `10`, …: no trigram)",
  [F_EXTENSION] = "extension",
  [F_DIRECTION] = "direction",
  [F_DISPOSITION] = "disposition",
  [F_SINCE_UNTIL] = "since/until (7 days)",
  [F_SINCE_UNTIL_YEAR] = "since/until (the whole year)",
  [F_TEXT_DIRECTION_30D] = "combined: text common + direction + 30 days",
  [F_EXTENSION_MISSED] = "combined: extension + disposition missed",
  [F_EXTENSION_TEXT] = "combined: extension + text common",
};

static const char *const short_needles[] = { "a", "e", "10", "er", "5", "an" };

static OhHistoryFilter *
make_filter (FilterKind kind, Generator *gen, GRand *rand)
{
  static const char *const directions[] = { "incoming", "outgoing", "internal" };
  static const char *const dispositions[] = { "answered", "missed", "busy", "failed" };
  OhHistoryFilter *filter = oh_history_filter_new ();
  const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
  const char *extension = gen->extensions[g_rand_int_range (rand, 0, N_EXTENSIONS)].number;
  gint64 window_start = T_BEGIN + g_rand_int_range (rand, 0, 330) * DAY;

  switch (kind)
    {
      case F_NONE:
        break;
      case F_TEXT_COMMON:
        filter->text = g_strdup (first);
        break;
      case F_TEXT_RARE:
        filter->text = g_strdup (g_ptr_array_index (
            gen->rare_numbers, g_rand_int_range (rand, 0, gen->rare_numbers->len)));
        break;
      case F_TEXT_SHORT:
        filter->text
            = g_strdup (short_needles[g_rand_int_range (rand, 0, G_N_ELEMENTS (short_needles))]);
        break;
      case F_EXTENSION:
        filter->extension = g_strdup (extension);
        break;
      case F_DIRECTION:
        filter->direction = g_strdup (directions[g_rand_int_range (rand, 0, 3)]);
        break;
      case F_DISPOSITION:
        filter->disposition = g_strdup (dispositions[g_rand_int_range (rand, 0, 4)]);
        break;
      case F_SINCE_UNTIL:
        filter->since = window_start;
        filter->until = window_start + 7 * DAY;
        break;
      case F_SINCE_UNTIL_YEAR:
        filter->since = T_BEGIN - g_rand_int_range (rand, 0, 30) * DAY;
        filter->until = T_BEGIN + SPAN + g_rand_int_range (rand, 1, 30) * DAY;
        break;
      case F_TEXT_DIRECTION_30D:
        filter->text = g_strdup (first);
        filter->direction = g_strdup (directions[g_rand_int_range (rand, 0, 3)]);
        filter->since = window_start;
        filter->until = window_start + 30 * DAY;
        break;
      case F_EXTENSION_MISSED:
        filter->extension = g_strdup (extension);
        filter->disposition = g_strdup ("missed");
        break;
      case F_EXTENSION_TEXT:
        filter->extension = g_strdup (extension);
        filter->text = g_strdup (first);
        break;
      case N_FILTERS:
      default:
        g_assert_not_reached ();
    }
  return filter;
}

static void
run_query (OhStore *store, OhHistoryFilter *filter, guint page, guint *total)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = oh_store_query_history (store, filter, page, ROWS, total, &error);

  if (entries == NULL)
    g_error ("Query failed: %s", error->message);
}

static void
bench_filter (OhStore *store, Generator *gen, FilterKind kind, guint n_queries, gboolean print)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (kind);
  g_autoptr (GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) query_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) totals = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n_queries; i++)
    {
      g_autoptr (OhHistoryFilter) filter = make_filter (kind, gen, rand);
      guint page = g_rand_int_range (rand, 0, PAGES);
      guint total = 0;
      double ms, cpu, total_d;
      gint64 start;

      start = g_get_monotonic_time ();
      cpu = thread_cpu_ms ();
      run_query (store, filter, page, &total);
      cpu = thread_cpu_ms () - cpu;
      ms = ms_since (start);
      g_array_append_val (query_ms, ms);
      g_array_append_val (query_cpu_ms, cpu);
      total_d = total;
      g_array_append_val (totals, total_d);

      start = g_get_monotonic_time ();
      run_query (store, filter, page, NULL);
      ms = ms_since (start);
      g_array_append_val (page_ms, ms);
    }

  if (print)
    printf ("| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", filter_labels[kind],
            percentile (totals, 0.5), percentile (query_ms, 0.5), percentile (query_ms, 0.99),
            percentile (query_cpu_ms, 0.5), percentile (query_cpu_ms, 0.99),
            percentile (page_ms, 0.5), percentile (page_ms, 0.99));
}

/* What the same searches cost without the trigram index: LIKE over the
 * four columns, on the same file, through a plain connection. */
static void
bench_like_reference (const char *path, Generator *gen, FilterKind kind, guint n_queries)
{
  static const char *const where = "caller LIKE ?1 OR caller_name LIKE ?1 OR callee LIKE ?1 "
                                   "OR callee_name LIKE ?1";
  g_autofree char *page_sql = g_strdup_printf ("SELECT * FROM history WHERE %s ORDER BY id DESC "
                                               "LIMIT %d OFFSET ?2",
                                               where, ROWS);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM history WHERE %s", where);
  g_autoptr (GRand) rand = g_rand_new_with_seed (kind);
  g_autoptr (GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) totals = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3 *db = NULL;
  sqlite3_stmt *page_stmt = NULL;
  sqlite3_stmt *count_stmt = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, page_sql, -1, &page_stmt, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, count_sql, -1, &count_stmt, NULL) != SQLITE_OK)
    g_error ("LIKE reference: %s", sqlite3_errmsg (db));

  for (guint i = 0; i < n_queries; i++)
    {
      g_autoptr (OhHistoryFilter) filter = make_filter (kind, gen, rand);
      g_autofree char *pattern = g_strdup_printf ("%%%s%%", filter->text);
      guint page = g_rand_int_range (rand, 0, PAGES);
      double page_time, count_time, total;
      gint64 start;

      start = g_get_monotonic_time ();
      sqlite3_bind_text (page_stmt, 1, pattern, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (page_stmt, 2, page * ROWS);
      while (sqlite3_step (page_stmt) == SQLITE_ROW)
        ;
      sqlite3_reset (page_stmt);
      page_time = ms_since (start);

      start = g_get_monotonic_time ();
      sqlite3_bind_text (count_stmt, 1, pattern, -1, SQLITE_TRANSIENT);
      sqlite3_step (count_stmt);
      total = sqlite3_column_int64 (count_stmt, 0);
      sqlite3_reset (count_stmt);
      count_time = ms_since (start);

      g_array_append_val (page_ms, page_time);
      count_time += page_time;
      g_array_append_val (query_ms, count_time);
      g_array_append_val (totals, total);
    }
  printf ("| *reference, no index:* %s, with LIKE | %.0f | %.2f | %.2f | | | %.2f | %.2f |\n",
          filter_labels[kind], percentile (totals, 0.5), percentile (query_ms, 0.5),
          percentile (query_ms, 0.99), percentile (page_ms, 0.5), percentile (page_ms, 0.99));

  sqlite3_finalize (page_stmt);
  sqlite3_finalize (count_stmt);
  sqlite3_close (db);
}

static guint64
count_entries (OhStore *store)
{
  g_autoptr (OhHistoryFilter) filter = oh_history_filter_new ();
  guint total = 0;

  run_query (store, filter, 0, &total);
  return total;
}

static Rate
insert_batched (OhStore *store, Generator *gen, guint64 from, guint64 to, guint64 n)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_seconds ();

  for (guint64 i = from; i < to; i += BATCH)
    {
      g_autoptr (GPtrArray) batch
          = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_history_entry_free);

      for (guint64 k = i; k < MIN (i + BATCH, to); k++)
        g_ptr_array_add (batch, generator_next (gen, k, n));
      if (!oh_store_add_history_many (store, batch, &error))
        g_error ("Insert failed: %s", error->message);
      if ((i / BATCH) % 100 == 0)
        g_printerr ("\r%" G_GUINT64_FORMAT " entries", i);
    }
  g_printerr ("\r");
  return (Rate){ (to - from) / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC),
                 (to - from) / (cpu_seconds () - cpu_start) };
}

/* As the daemon does when a call ends: one oh_store_add_history() each.
 * Only the store's call is timed per commit; the rate counts everything. */
static Rate
insert_single (OhStore *store, Generator *gen, guint64 from, guint64 to, guint64 n)
{
  g_autoptr (GError) error = NULL;
  GArray *commit_ms = g_array_sized_new (FALSE, FALSE, sizeof (double), to - from);
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_seconds ();

  for (guint64 i = from; i < to; i++)
    {
      g_autoptr (OhHistoryEntry) entry = generator_next (gen, i, n);
      gint64 commit_start = g_get_monotonic_time ();
      double ms;

      if (!oh_store_add_history (store, entry, &error))
        g_error ("Insert failed: %s", error->message);
      ms = ms_since (commit_start);
      g_array_append_val (commit_ms, ms);
    }
  return (Rate){ (to - from) / ((g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC),
                 (to - from) / (cpu_seconds () - cpu_start), commit_ms };
}

static char *
read_proc_field (const char *file, const char *field)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return g_strdup ("?");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field))
      {
        const char *value = strchr (lines[i], ':');

        return g_strstrip (g_strdup (value != NULL ? value + 1 : ""));
      }
  return g_strdup ("?");
}

static void
rm_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64)st.st_size : 0;
}

/* What the history takes in the file, by part, from SQLite's dbstat table
 * (if this SQLite has it): the entries, the search index, and the rest
 * (totals and pending entries), in MB. */
static char *
history_sizes (const char *path)
{
  static const char *const sql
      = "SELECT sum(CASE WHEN name = 'history' THEN pgsize ELSE 0 END), "
        "sum(CASE WHEN name LIKE 'history_fts%' THEN pgsize ELSE 0 END), "
        "sum(CASE WHEN name LIKE 'history_%' AND name NOT LIKE 'history_fts%' "
        "THEN pgsize ELSE 0 END), sum(CASE WHEN name = 'history' OR name LIKE 'history_%' "
        "THEN 0 ELSE pgsize END) FROM dbstat";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *sizes = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    sizes = g_strdup_printf (
        "entries %.0f MB, search index %.0f MB, totals and pending "
        "entries %.1f MB, other tables %.0f MB",
        sqlite3_column_int64 (stmt, 0) / 1e6, sqlite3_column_int64 (stmt, 1) / 1e6,
        sqlite3_column_int64 (stmt, 2) / 1e6, sqlite3_column_int64 (stmt, 3) / 1e6);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return sizes;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OhStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *rss = NULL;
  g_autofree char *hwm = NULL;
  g_autofree char *wal_path = NULL;
  g_autofree char *sizes = NULL;
  gint64 n_entries = 1000000;
  int n_queries = 200;
  Rate batched_rate = { 0 }, single_rate = { 0 };
  double clear_ms;
  gboolean keep;
  Generator gen;
  guint64 existing;
  gint64 start;
  GOptionEntry entries[] = {
    { "entries", 'n', 0, G_OPTION_ARG_INT64, &n_entries, "Entries to create", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &n_queries, "Queries per filter", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Keep the database at PATH (and reuse it)",
      "PATH" },
    { NULL },
  };

  context = g_option_context_new ("— benchmark the call history store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_entries < SINGLE_COMMITS * 2 || n_queries < 1)
    {
      g_printerr ("--entries must be at least %d and --queries at least 1\n", SINGLE_COMMITS * 2);
      return 2;
    }

  keep = db_path != NULL;
  if (!keep)
    {
      dir = g_dir_make_tmp ("bench-history-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
      db_path = g_build_filename (dir, "offhook.db", NULL);
    }
  store = oh_store_new (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  generator_init (&gen);
  existing = count_entries (store);
  if (existing == 0)
    {
      batched_rate = insert_batched (store, &gen, 0, n_entries - SINGLE_COMMITS, n_entries);
      single_rate = insert_single (store, &gen, n_entries - SINGLE_COMMITS, n_entries, n_entries);
    }
  else
    {
      /* Same seed: replay the generator for the search terms only. */
      for (gint64 i = 0; i < n_entries; i++)
        oh_history_entry_free (generator_next (&gen, i, n_entries));
      n_entries = existing;
    }

  cpu = read_proc_field ("/proc/cpuinfo", "model name");
  wal_path = g_strconcat (db_path, "-wal", NULL);
  printf ("## History store, %" G_GINT64_FORMAT " entries\n\n", n_entries);
  sizes = history_sizes (db_path);
  printf ("Machine: %s, %d CPUs; SQLite %s; database %.0f MB (+ WAL %.0f MB)%s%s.\n\n", cpu,
          g_get_num_processors (), sqlite3_libversion (), file_size (db_path) / 1e6,
          file_size (wal_path) / 1e6, sizes != NULL ? ": " : "", sizes != NULL ? sizes : "");
  if (existing == 0)
    {
      printf ("| insert | entries/s (wall clock) | entries per CPU-second |\n"
              "| --- | ---: | ---: |\n"
              "| one commit per entry (oh_store_add_history(), what the daemon does when a call "
              "ends), the last %d of the %" G_GINT64_FORMAT " | %.0f | %.0f |\n"
              "| batches of %d entries per transaction, the first %" G_GINT64_FORMAT
              " | %.0f | %.0f |\n\n",
              SINGLE_COMMITS, n_entries, single_rate.wall, single_rate.cpu, BATCH,
              n_entries - SINGLE_COMMITS, batched_rate.wall, batched_rate.cpu);
      printf ("One commit per entry, each oh_store_add_history() in ms: p50 %.3f, p99 %.3f, "
              "p99.9 %.2f, max %.1f (one in %d also indexes and counts the %d entries pending "
              "since the last one).\n\n",
              percentile (single_rate.commit_ms, 0.5), percentile (single_rate.commit_ms, 0.99),
              percentile (single_rate.commit_ms, 0.999), percentile (single_rate.commit_ms, 1.0),
              OH_STORE_PENDING_MAX, OH_STORE_PENDING_MAX);
      g_array_unref (single_rate.commit_ms);
    }

  /* One unmeasured pass, so every filter starts from the same (warm) cache. */
  for (int kind = 0; kind < N_FILTERS; kind++)
    bench_filter (store, &gen, kind, 1, FALSE);
  printf ("\n%d queries per filter, random page 0–%d of %d rows, warm cache; times in ms. "
          "*Query* is what History.Query does (page + total), in wall-clock time and in CPU "
          "time of the thread (which a busy machine does not inflate); *page only* skips the "
          "total.\n\n",
          n_queries, PAGES - 1, ROWS);
  printf ("| filter | matches (median) | Query p50 | Query p99 | Query CPU p50 | Query CPU p99 "
          "| page only p50 | page only p99 |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  fflush (stdout);
  for (int kind = 0; kind < N_FILTERS; kind++)
    {
      bench_filter (store, &gen, kind, n_queries, TRUE);
      fflush (stdout);
    }
  bench_like_reference (db_path, &gen, F_TEXT_COMMON, MIN (n_queries, 20));
  bench_like_reference (db_path, &gen, F_TEXT_RARE, MIN (n_queries, 20));

  rss = read_proc_field ("/proc/self/status", "VmRSS");
  hwm = read_proc_field ("/proc/self/status", "VmHWM");
  printf ("\nProcess RSS after the queries: %s (peak %s).\n", rss, hwm);

  if (!keep)
    {
      start = g_get_monotonic_time ();
      if (!oh_store_clear_history (store, &error))
        g_error ("%s", error->message);
      clear_ms = ms_since (start);
      printf ("Clear of all entries: %.0f ms.\n", clear_ms);
      g_clear_object (&store);
      rm_files (dir);
    }
  generator_clear (&gen);
  return 0;
}

/* oh-store-private.h: what the parts of OhStore share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "oh-store.h"

G_BEGIN_DECLS

/* A history id: the start time in µs shifted left by ID_SHIFT bits, plus a
 * counter for entries that started in the same microsecond. */
#define ID_SHIFT 10
#define ID_SAME_TIME_MAX ((G_GINT64_CONSTANT (1) << ID_SHIFT) - 1)
#define MAX_START_TIME (G_MAXINT64 >> ID_SHIFT)
/* history_days counts days of UTC. */
#define DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

/* A statement from the store's cache. Declared with g_autoptr it is reset
 * and unbound, never finalized, when it leaves scope. */
typedef sqlite3_stmt OhStoreStmt;

OhStoreStmt *oh_store_prepare (OhStore *self, const char *sql, GError **error);
void oh_store_stmt_release (OhStoreStmt *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhStoreStmt, oh_store_stmt_release)

/* A write transaction (BEGIN IMMEDIATE); rolled back when it leaves scope
 * without oh_store_txn_commit(). */
typedef struct _OhStoreTxn OhStoreTxn;

OhStoreTxn *oh_store_txn_begin (OhStore *self, GError **error);
gboolean oh_store_txn_commit (OhStoreTxn *txn, GError **error);
void oh_store_txn_free (OhStoreTxn *txn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhStoreTxn, oh_store_txn_free)

gboolean oh_store_fail (OhStore *self, GError **error, const char *what);
gboolean oh_store_step_done (OhStore *self, OhStoreStmt *stmt, GError **error, const char *what);
sqlite3 *oh_store_get_db (OhStore *self);
char *oh_store_fold (const char *text);

gboolean oh_store_register_search (sqlite3 *db, GError **error);
char *oh_store_search_doc (const char *const values[4], int direction, int disposition);

/* A count by a 64-bit key, in a table from oh_store_counters_new(). */
typedef struct
{
  guint64 key;
  gint64 n;
} OhStoreCounter;

GHashTable *oh_store_counters_new (void);
void oh_store_counters_add (GHashTable *counters, guint64 key, int delta);

/* The entries with a gram, for each direction and disposition: history_grams'
 * columns n0 to n11, n<direction * 4 + disposition>. */
#define OH_STORE_GROUPS 12
#define OH_STORE_GROUP(direction, disposition) ((direction)*4 + (disposition))

typedef struct
{
  guint64 key;
  gint64 n[OH_STORE_GROUPS];
  guint64 last_counted; /* the entry it was last counted for */
} OhStoreGramCount;

GHashTable *oh_store_gram_counts_new (void);
void oh_store_count_grams (
    GHashTable *counts, const char *const values[4], int direction, int disposition, int delta);
void oh_store_gram_text (guint64 key, char *text);
gboolean oh_store_write_gram_counts (OhStore *self, GHashTable *counts, GError **error);
gboolean oh_store_count_all_grams (OhStore *self, GError **error);
gboolean oh_store_check_history (OhStore *self, GError **error);
gboolean oh_store_pending_history (OhStore *self, gint64 *n_pending, GError **error);

void oh_store_bind_text (OhStoreStmt *stmt, const char *name, const char *value);
void oh_store_bind_int64 (OhStoreStmt *stmt, const char *name, gint64 value);
char *oh_store_column_dup (OhStoreStmt *stmt, int column);

G_END_DECLS

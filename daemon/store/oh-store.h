/* oh-store.h: the SQLite database of call history and chat
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "oh-history-entry.h"
#include "oh-stored-message.h"

G_BEGIN_DECLS

/* The newest schema this build knows. */
#define OH_STORE_SCHEMA_VERSION 3

/* History entries committed but not yet indexed and counted, at most. The
 * more, the cheaper each entry is to index (FTS5 writes, and later merges,
 * one segment per batch), but each query reads them row by row (0.1–0.3 ms
 * at 512), and the commit that indexes them (one in this many) takes some
 * 10 ms instead of 10 µs. */
#define OH_STORE_PENDING_MAX 512

#define OH_TYPE_STORE (oh_store_get_type ())
G_DECLARE_FINAL_TYPE (OhStore, oh_store, OH, STORE, GObject)

char *oh_store_default_path (void);

OhStore *oh_store_new (const char *path, GError **error);
const char *oh_store_get_path (OhStore *self);
int oh_store_get_schema_version (OhStore *self);
gboolean oh_store_check_integrity (OhStore *self, GError **error);

/* History */
gboolean oh_store_add_history (OhStore *self, OhHistoryEntry *entry, GError **error);
gboolean oh_store_add_history_many (OhStore *self, GPtrArray *entries, GError **error);
gboolean oh_store_index_history (OhStore *self, GError **error);
GPtrArray *oh_store_query_history (OhStore *self,
                                   const OhHistoryFilter *filter,
                                   guint page,
                                   guint rows,
                                   guint *total,
                                   GError **error);
gboolean
oh_store_delete_history (OhStore *self, const char *const *ids, guint *n_deleted, GError **error);
gboolean oh_store_clear_history (OhStore *self, GError **error);

/* Chat */
gboolean oh_store_add_message (OhStore *self, OhStoredMessage *message, GError **error);
GPtrArray *oh_store_get_conversation (OhStore *self,
                                      const char *peer,
                                      gint64 before,
                                      const char *before_id,
                                      guint limit,
                                      GError **error);
GHashTable *oh_store_get_unread_counts (OhStore *self, GError **error);
gboolean oh_store_mark_read (OhStore *self, const char *peer, guint *n_marked, GError **error);

G_END_DECLS

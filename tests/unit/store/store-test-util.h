/* store-test-util.h: a store in a temporary folder, for the store tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "oh-error.h"
#include "store/oh-store.h"

typedef struct
{
  char *dir;
  char *path;
  OhStore *store;
} StoreFixture;

static inline void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline void
store_fixture_setup (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("offhook-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* Two missing levels, as under a fresh $XDG_DATA_HOME. */
  f->path = g_build_filename (f->dir, "data", "offhook", "offhook.db", NULL);
  f->store = oh_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static inline void
store_fixture_teardown (StoreFixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static inline void
store_fixture_reopen (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->store);
  f->store = oh_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

/* Runs SQL on the file behind the store's back, as a person with the
 * sqlite3 shell would. */
static inline void
store_fixture_exec (StoreFixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static inline OhHistoryEntry *
make_entry (const char *caller,
            const char *caller_name,
            const char *callee,
            const char *callee_name,
            OhHistoryDirection direction,
            OhHistoryDisposition disposition,
            gint64 start_time)
{
  OhHistoryEntry *entry = oh_history_entry_new ();

  entry->session_id = g_strdup_printf ("session-%" G_GINT64_FORMAT, start_time);
  entry->caller = g_strdup (caller);
  entry->caller_name = g_strdup (caller_name);
  entry->callee = g_strdup (callee);
  entry->callee_name = g_strdup (callee_name);
  entry->direction = direction;
  entry->disposition = disposition;
  entry->start_time = start_time;
  if (disposition == OH_HISTORY_DISPOSITION_ANSWERED)
    entry->answer_time = start_time + 5 * G_USEC_PER_SEC;
  entry->end_time = start_time + 65 * G_USEC_PER_SEC + 400000;
  return entry;
}

static inline OhStoredMessage *
make_message (const char *from,
              const char *to,
              OhStoredMessageDirection direction,
              gint64 time,
              const char *body)
{
  OhStoredMessage *message = oh_stored_message_new ();

  message->from = g_strdup (from);
  message->from_name = g_strdup_printf ("User %s", from);
  message->to = g_strdup (to);
  message->body = g_strdup (body);
  message->time = time;
  message->direction = direction;
  message->device = g_strdup ("PJSIP/100-phone");
  message->status = direction == OH_STORED_MESSAGE_INCOMING ? OH_STORED_MESSAGE_RECEIVED
                                                            : OH_STORED_MESSAGE_SENT;
  return message;
}

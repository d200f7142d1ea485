/* gen-history.c: fills a database with N generated calls (or, with a
 * third argument PEER, N messages exchanged with PEER), through the
 * daemon's own store code, for the tests that need a big history.
 *
 * Message i: incoming when i is even, body "message <i>", time BASE + (i / 4)
 * seconds, so that four messages share each time stamp.
 *
 * Entry i: caller 101 + i%4 (names[i%4]), callee 200 + i%7 ("Callee i%7"),
 * direction i%3 (incoming, outgoing, internal), disposition i%4 (answered,
 * missed, busy, failed), start BASE + i minutes, session id "s<i>".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "store/oh-store.h"

#define BASE G_GINT64_CONSTANT (1700000000000000)

int
main (int    argc,
      char **argv)
{
  static const char *const names[] = { "Bob Brown", "Carol Chen", "Dave Diaz", "Erin Evans" };
  g_autoptr(GError) error = NULL;
  g_autoptr(OhStore) store = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) oh_history_entry_free);
  guint n;

  if (argc != 3 && argc != 4)
    {
      g_printerr ("usage: %s DATABASE N [PEER]\n", argv[0]);
      return 2;
    }
  n = (guint) strtoul (argv[2], NULL, 10);
  store = oh_store_new (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; argc == 4 && i < n; i++)
    {
      g_autoptr(OhStoredMessage) message = oh_stored_message_new ();
      gboolean incoming = i % 2 == 0;

      message->peer = g_strdup (argv[3]);
      message->from = g_strdup (incoming ? argv[3] : "100");
      message->from_name = g_strdup (incoming ? "Peer" : "Alice Anders");
      message->to = g_strdup (incoming ? "100" : argv[3]);
      message->body = g_strdup_printf ("message %u", i);
      message->time = BASE + (gint64) (i / 4) * G_USEC_PER_SEC;
      message->direction = incoming ? OH_STORED_MESSAGE_INCOMING : OH_STORED_MESSAGE_OUTGOING;
      message->status = incoming ? OH_STORED_MESSAGE_RECEIVED : OH_STORED_MESSAGE_SENT;
      message->read = TRUE;
      message->device = g_strdup ("PJSIP/101");
      if (!oh_store_add_message (store, message, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  for (guint i = 0; argc == 3 && i < n; i++)
    {
      OhHistoryEntry *entry = oh_history_entry_new ();

      entry->session_id = g_strdup_printf ("s%u", i);
      entry->caller = g_strdup_printf ("%u", 101 + i % 4);
      entry->caller_name = g_strdup (names[i % 4]);
      entry->callee = g_strdup_printf ("%u", 200 + i % 7);
      entry->callee_name = g_strdup_printf ("Callee %u", i % 7);
      entry->direction = (OhHistoryDirection[]) { OH_HISTORY_DIRECTION_INCOMING,
                                                  OH_HISTORY_DIRECTION_OUTGOING,
                                                  OH_HISTORY_DIRECTION_INTERNAL }[i % 3];
      entry->disposition = (OhHistoryDisposition) (i % 4);
      entry->start_time = BASE + (gint64) i * 60 * G_USEC_PER_SEC;
      entry->end_time = entry->start_time + 30 * G_USEC_PER_SEC;
      if (entry->disposition == OH_HISTORY_DISPOSITION_ANSWERED)
        entry->answer_time = entry->start_time + 5 * G_USEC_PER_SEC;
      entry->talk_seconds = oh_history_entry_talk_seconds (entry);
      g_ptr_array_add (batch, entry);

      if (batch->len == 5000 || i + 1 == n)
        {
          if (!oh_store_add_history_many (store, batch, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          g_ptr_array_set_size (batch, 0);
        }
    }
  return 0;
}

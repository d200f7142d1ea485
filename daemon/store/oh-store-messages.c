/* oh-store-messages.c: the chat part of OhStore
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A conversation is read newest first, by (time, seq) descending: seq, the
 * insertion order, orders messages of the same time, so a page boundary
 * inside a run of equal times is still exact when paging with (time, id).
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

#define MESSAGE_COLUMNS                                                                            \
  "seq, peer, sender, sender_name, recipient, body, time, direction, device, status, read"

static gboolean
check_message (const OhStoredMessage *message, GError **error)
{
  const char *strings[] = { message->peer, message->from, message->from_name,
                            message->to,   message->body, message->device };

  if (message->time <= 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("A message needs a time, not %" G_GINT64_FORMAT), message->time);
      return FALSE;
    }
  if ((guint)message->direction > OH_STORED_MESSAGE_OUTGOING
      || (guint)message->status > OH_STORED_MESSAGE_RECEIVED)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("A message has an unknown direction or status"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i] != NULL && !g_utf8_validate (strings[i], -1, NULL))
      {
        g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                     _ ("A message has text that is not valid UTF-8"));
        return FALSE;
      }
  return TRUE;
}

static const char *
message_peer (const OhStoredMessage *message)
{
  if (message->peer != NULL && message->peer[0] != '\0')
    return message->peer;
  return message->direction == OH_STORED_MESSAGE_INCOMING ? message->from : message->to;
}

/**
 * oh_store_add_message:
 * @message: the message; its id is filled in, and so are its peer (if
 *   %NULL) and read flag (always set for outgoing messages)
 * @error: %OH_ERROR_INVALID_ARGUMENT for a message without time or peer,
 *   %OH_ERROR_FAILED if the database cannot be written
 *
 * Stores @message; when this returns %TRUE it is on disk.
 */
gboolean
oh_store_add_message (OhStore *self, OhStoredMessage *message, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;
  const char *peer;
  gboolean read;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!check_message (message, error))
    return FALSE;
  peer = message_peer (message);
  if (peer == NULL || peer[0] == '\0')
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("A message needs the extension of the other party"));
      return FALSE;
    }
  read = message->read || message->direction == OH_STORED_MESSAGE_OUTGOING;

  stmt = oh_store_prepare (self,
                           "INSERT INTO messages (peer, sender, sender_name, recipient, body, "
                           "time, direction, device, status, read) VALUES (:peer, :sender, "
                           ":sender_name, :recipient, :body, :time, :direction, :device, "
                           ":status, :read) RETURNING seq",
                           error);
  if (stmt == NULL)
    return FALSE;
  oh_store_bind_text (stmt, ":peer", peer);
  oh_store_bind_text (stmt, ":sender", message->from);
  oh_store_bind_text (stmt, ":sender_name", message->from_name);
  oh_store_bind_text (stmt, ":recipient", message->to);
  oh_store_bind_text (stmt, ":body", message->body);
  oh_store_bind_int64 (stmt, ":time", message->time);
  oh_store_bind_text (stmt, ":direction",
                      oh_stored_message_direction_to_string (message->direction));
  oh_store_bind_text (stmt, ":device", message->device);
  oh_store_bind_text (stmt, ":status", oh_stored_message_status_to_string (message->status));
  oh_store_bind_int64 (stmt, ":read", read);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return oh_store_fail (self, error, _ ("Could not store the message"));

  g_free (message->id);
  message->id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));
  /* Run the INSERT to its end: it commits when the statement is done. */
  if (!oh_store_step_done (self, stmt, error, _ ("Could not store the message")))
    {
      g_clear_pointer (&message->id, g_free);
      return FALSE;
    }
  if (message->peer != peer)
    {
      g_free (message->peer);
      message->peer = g_strdup (peer);
    }
  message->read = read;
  return TRUE;
}

static OhStoredMessage *
read_message (OhStoreStmt *stmt)
{
  OhStoredMessage *message = oh_stored_message_new ();
  const char *direction = (const char *)sqlite3_column_text (stmt, 7);
  const char *status = (const char *)sqlite3_column_text (stmt, 9);

  message->id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));
  message->peer = oh_store_column_dup (stmt, 1);
  message->from = oh_store_column_dup (stmt, 2);
  message->from_name = oh_store_column_dup (stmt, 3);
  message->to = oh_store_column_dup (stmt, 4);
  message->body = oh_store_column_dup (stmt, 5);
  message->time = sqlite3_column_int64 (stmt, 6);
  message->direction = g_strcmp0 (direction, "outgoing") == 0 ? OH_STORED_MESSAGE_OUTGOING
                                                              : OH_STORED_MESSAGE_INCOMING;
  message->device = oh_store_column_dup (stmt, 8);
  if (g_strcmp0 (status, "sent") == 0)
    message->status = OH_STORED_MESSAGE_SENT;
  else if (g_strcmp0 (status, "received") == 0)
    message->status = OH_STORED_MESSAGE_RECEIVED;
  else
    message->status = OH_STORED_MESSAGE_FAILED;
  message->read = sqlite3_column_int (stmt, 10) != 0;
  return message;
}

/**
 * oh_store_get_conversation:
 * @peer: the other party's extension
 * @before: only messages older than this time (µs), or 0 for the newest
 * @before_id: (nullable): with @before, the id of the oldest message of the
 *   previous page, whose time is @before: the page then continues right
 *   after that message, also among messages of the very same time
 * @limit: at most this many messages, 1 to %OH_CONVERSATION_MAX_LIMIT
 * @error: %OH_ERROR_INVALID_ARGUMENT for an empty peer, a bad limit, or a
 *   @before_id that is not a message id or comes without @before
 *
 * Pages backwards through a conversation, newest first: time descending,
 * then the order they were stored in, descending. Paging with @before
 * alone (the oldest time of the previous page) skips the messages that
 * share that time and did not fit on the previous page; pass @before_id
 * too for exact paging.
 *
 * Returns: (transfer full) (element-type OhStoredMessage): the messages,
 *   or %NULL with @error set.
 */
GPtrArray *
oh_store_get_conversation (OhStore *self,
                           const char *peer,
                           gint64 before,
                           const char *before_id,
                           guint limit,
                           GError **error)
{
  g_autoptr (GPtrArray) messages = NULL;
  g_autoptr (OhStoreStmt) stmt = NULL;
  const char *sql;
  guint64 seq = 0;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), NULL);

  if (peer == NULL || peer[0] == '\0')
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, _ ("No peer given"));
      return NULL;
    }
  if (limit < 1 || limit > OH_CONVERSATION_MAX_LIMIT)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The option “limit” must be between 1 and %d, not %u"),
                   OH_CONVERSATION_MAX_LIMIT, limit);
      return NULL;
    }
  if (before < 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The option “before” must not be negative"));
      return NULL;
    }
  if (before_id != NULL && before_id[0] != '\0')
    {
      if (!g_ascii_string_to_unsigned (before_id, 10, 1, G_MAXINT64, &seq, NULL))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not the id of a message"), before_id);
          return NULL;
        }
      if (before == 0)
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("The option “before-id” needs “before”, the time of that message"));
          return NULL;
        }
    }

  if (seq > 0)
    sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE peer = :peer "
          "AND (time, seq) < (:before, :seq) ORDER BY time DESC, seq DESC LIMIT :limit";
  else if (before > 0)
    sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE peer = :peer "
          "AND time < :before ORDER BY time DESC, seq DESC LIMIT :limit";
  else
    sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE peer = :peer "
          "ORDER BY time DESC, seq DESC LIMIT :limit";
  stmt = oh_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  oh_store_bind_text (stmt, ":peer", peer);
  oh_store_bind_int64 (stmt, ":before", before);
  oh_store_bind_int64 (stmt, ":seq", (gint64)seq);
  oh_store_bind_int64 (stmt, ":limit", limit);

  messages = g_ptr_array_new_with_free_func ((GDestroyNotify)oh_stored_message_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (messages, read_message (stmt));
  if (rc != SQLITE_DONE)
    {
      oh_store_fail (self, error, _ ("Could not read the conversation"));
      return NULL;
    }
  return g_steal_pointer (&messages);
}

/**
 * oh_store_get_unread_counts:
 *
 * Returns: (transfer full) (element-type utf8 guint): the unread incoming
 *   messages per peer (values are `GUINT_TO_POINTER`); peers without unread
 *   messages are absent. %NULL with @error set on failure.
 */
GHashTable *
oh_store_get_unread_counts (OhStore *self, GError **error)
{
  g_autoptr (GHashTable) counts = NULL;
  g_autoptr (OhStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OH_IS_STORE (self), NULL);

  stmt = oh_store_prepare (self,
                           "SELECT peer, count(*) FROM messages "
                           "WHERE read = 0 AND direction = 'incoming' GROUP BY peer",
                           error);
  if (stmt == NULL)
    return NULL;
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, oh_store_column_dup (stmt, 0),
                         GUINT_TO_POINTER ((guint)sqlite3_column_int64 (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      oh_store_fail (self, error, _ ("Could not read the unread messages"));
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/**
 * oh_store_mark_read:
 * @peer: the other party's extension
 * @n_marked: (out) (optional): how many messages were unread
 *
 * Marks every incoming message from @peer as read.
 */
gboolean
oh_store_mark_read (OhStore *self, const char *peer, guint *n_marked, GError **error)
{
  g_autoptr (OhStoreStmt) stmt = NULL;

  g_return_val_if_fail (OH_IS_STORE (self), FALSE);

  if (peer == NULL || peer[0] == '\0')
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, _ ("No peer given"));
      return FALSE;
    }
  stmt = oh_store_prepare (self,
                           "UPDATE messages SET read = 1 "
                           "WHERE peer = :peer AND read = 0 AND direction = 'incoming'",
                           error);
  if (stmt == NULL)
    return FALSE;
  oh_store_bind_text (stmt, ":peer", peer);
  if (!oh_store_step_done (self, stmt, error, _ ("Could not mark the messages as read")))
    return FALSE;
  if (n_marked != NULL)
    *n_marked = (guint)sqlite3_changes (oh_store_get_db (self));
  return TRUE;
}

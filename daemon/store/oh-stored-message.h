/* oh-stored-message.h: one instant message as the store keeps it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OH_STORED_MESSAGE_INCOMING,
  OH_STORED_MESSAGE_OUTGOING,
} OhStoredMessageDirection;

typedef enum
{
  OH_STORED_MESSAGE_SENT,
  OH_STORED_MESSAGE_FAILED,
  OH_STORED_MESSAGE_RECEIVED,
} OhStoredMessageStatus;

const char *oh_stored_message_direction_to_string (OhStoredMessageDirection direction);
const char *oh_stored_message_status_to_string (OhStoredMessageStatus status);

/**
 * OhStoredMessage:
 * @id: the store's id, %NULL until it is added
 * @peer: the other party's extension: the conversation it belongs to. If
 *   %NULL when added, the store takes @from for incoming and @to for outgoing
 *   messages
 * @from: the sender's extension
 * @from_name: the sender's name, or ""
 * @to: the recipient's extension
 * @body: the text, UTF-8
 * @time: when it was sent or received, µs since the epoch; more than 0
 * @direction: incoming or outgoing
 * @device: the device it came from or went to, or ""
 * @status: sent, failed (outgoing) or received (incoming)
 * @read: whether the user has seen it; outgoing messages are always read
 *
 * A plain struct: the strings belong to the message and are freed with it.
 */
typedef struct
{
  char *id;
  char *peer;
  char *from;
  char *from_name;
  char *to;
  char *body;
  gint64 time;
  OhStoredMessageDirection direction;
  char *device;
  OhStoredMessageStatus status;
  gboolean read;
} OhStoredMessage;

OhStoredMessage *oh_stored_message_new (void);
OhStoredMessage *oh_stored_message_copy (const OhStoredMessage *message);
void oh_stored_message_free (OhStoredMessage *message);
GVariant *oh_stored_message_to_variant (const OhStoredMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhStoredMessage, oh_stored_message_free)

/* The most messages one Conversation call may return, and its default. */
#define OH_CONVERSATION_MAX_LIMIT 1000
#define OH_CONVERSATION_DEFAULT_LIMIT 50

gboolean oh_conversation_options_from_variant (
    GVariant *options, gint64 *before, char **before_id, guint *limit, GError **error);

G_END_DECLS

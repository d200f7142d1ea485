/* oh-stored-message.c: one instant message as the store keeps it
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-stored-message.h"

static const char *const direction_names[] = {
  [OH_STORED_MESSAGE_INCOMING] = "incoming",
  [OH_STORED_MESSAGE_OUTGOING] = "outgoing",
};

static const char *const status_names[] = {
  [OH_STORED_MESSAGE_SENT] = "sent",
  [OH_STORED_MESSAGE_FAILED] = "failed",
  [OH_STORED_MESSAGE_RECEIVED] = "received",
};

/**
 * oh_stored_message_direction_to_string:
 *
 * Returns: the direction as the D-Bus API spells it.
 */
const char *
oh_stored_message_direction_to_string (OhStoredMessageDirection direction)
{
  g_return_val_if_fail ((guint)direction < G_N_ELEMENTS (direction_names), "incoming");
  return direction_names[direction];
}

/**
 * oh_stored_message_status_to_string:
 *
 * Returns: the status as the database spells it.
 */
const char *
oh_stored_message_status_to_string (OhStoredMessageStatus status)
{
  g_return_val_if_fail ((guint)status < G_N_ELEMENTS (status_names), "failed");
  return status_names[status];
}

/**
 * oh_stored_message_new:
 *
 * Returns: (transfer full): an empty incoming, unread message.
 */
OhStoredMessage *
oh_stored_message_new (void)
{
  return g_new0 (OhStoredMessage, 1);
}

/**
 * oh_stored_message_copy:
 *
 * Returns: (transfer full): a deep copy of @message.
 */
OhStoredMessage *
oh_stored_message_copy (const OhStoredMessage *message)
{
  OhStoredMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_memdup2 (message, sizeof *message);
  copy->id = g_strdup (message->id);
  copy->peer = g_strdup (message->peer);
  copy->from = g_strdup (message->from);
  copy->from_name = g_strdup (message->from_name);
  copy->to = g_strdup (message->to);
  copy->body = g_strdup (message->body);
  copy->device = g_strdup (message->device);
  return copy;
}

void
oh_stored_message_free (OhStoredMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->id);
  g_free (message->peer);
  g_free (message->from);
  g_free (message->from_name);
  g_free (message->to);
  g_free (message->body);
  g_free (message->device);
  g_free (message);
}

static GVariant *
variant_string (const char *s)
{
  if (s == NULL)
    return g_variant_new_string ("");
  if (!g_utf8_validate (s, -1, NULL))
    return g_variant_new_take_string (g_utf8_make_valid (s, -1));
  return g_variant_new_string (s);
}

/**
 * oh_stored_message_to_variant:
 *
 * Returns: (transfer floating): the message as the `a{sv}` of the Chat
 *   interface, every key present.
 */
GVariant *
oh_stored_message_to_variant (const OhStoredMessage *message)
{
  GVariantBuilder builder;

  g_return_val_if_fail (message != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", variant_string (message->id));
  g_variant_builder_add (&builder, "{sv}", "from", variant_string (message->from));
  g_variant_builder_add (&builder, "{sv}", "from-name", variant_string (message->from_name));
  g_variant_builder_add (&builder, "{sv}", "to", variant_string (message->to));
  g_variant_builder_add (&builder, "{sv}", "body", variant_string (message->body));
  g_variant_builder_add (&builder, "{sv}", "time", g_variant_new_int64 (message->time));
  g_variant_builder_add (
      &builder, "{sv}", "direction",
      g_variant_new_string (oh_stored_message_direction_to_string (message->direction)));
  g_variant_builder_add (&builder, "{sv}", "device", variant_string (message->device));
  /* Beyond the design's keys: whether it was delivered, and read. */
  g_variant_builder_add (
      &builder, "{sv}", "status",
      g_variant_new_string (oh_stored_message_status_to_string (message->status)));
  g_variant_builder_add (&builder, "{sv}", "read", g_variant_new_boolean (message->read));
  return g_variant_builder_end (&builder);
}

/**
 * oh_conversation_options_from_variant:
 * @options: the `a{sv}` options of Chat.Conversation; a floating reference is taken
 * @before: (out): `before` (x), or 0
 * @before_id: (out) (transfer full): `before-id` (s), or %NULL
 * @limit: (out): `limit` (u), or %OH_CONVERSATION_DEFAULT_LIMIT
 * @error: set to %OH_ERROR_INVALID_ARGUMENT naming the key that is unknown,
 *   of the wrong type or out of range
 *
 * `before-id` is the id of the oldest message of the previous page, given
 * together with its time as `before`: the next page then starts right after
 * that message even when several messages share its time.
 */
gboolean
oh_conversation_options_from_variant (
    GVariant *options, gint64 *before, char **before_id, guint *limit, GError **error)
{
  g_autoptr (GVariant) owned_options = NULL;
  g_autofree char *id = NULL;
  gint64 time = 0;
  guint n = OH_CONVERSATION_DEFAULT_LIMIT;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (options, G_VARIANT_TYPE_VARDICT), FALSE);

  owned_options = g_variant_ref_sink (options);
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;
      const char *type;

      if (g_str_equal (key, "before"))
        type = "x";
      else if (g_str_equal (key, "before-id"))
        type = "s";
      else if (g_str_equal (key, "limit"))
        type = "u";
      else
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown option “%s”: use before, before-id or limit"), key);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("The option “%s” must be of type “%s”, not “%s”"), key, type,
                       g_variant_get_type_string (value));
          return FALSE;
        }
      if (g_str_equal (key, "before"))
        time = g_variant_get_int64 (value);
      else if (g_str_equal (key, "before-id"))
        {
          g_free (id);
          id = g_variant_dup_string (value, NULL);
        }
      else
        n = g_variant_get_uint32 (value);
    }

  if (time < 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The option “before” must not be negative"));
      return FALSE;
    }
  if (n < 1 || n > OH_CONVERSATION_MAX_LIMIT)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The option “limit” must be between 1 and %d, not %u"),
                   OH_CONVERSATION_MAX_LIMIT, n);
      return FALSE;
    }

  *before = time;
  *before_id = g_steal_pointer (&id);
  *limit = n;
  return TRUE;
}

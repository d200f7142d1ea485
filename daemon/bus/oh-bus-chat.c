/* oh-bus-chat.c: the Chat interface and User.SendMessage()
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-bus"

#include "oh-bus-private.h"
#include "oh-error.h"

static OhChat *
chat (OhBus *self)
{
  return oh_service_get_chat (oh_bus_get_service (self));
}

static void
update_unread (OhBus *self)
{
  OhDBusChat *iface = g_object_get_data (G_OBJECT (self), "oh-chat");
  g_autoptr(GHashTable) unread = oh_chat_dup_unread (chat (self));
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer peer, count;
  guint total = 0;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{su}"));
  g_hash_table_iter_init (&iter, unread);
  while (g_hash_table_iter_next (&iter, &peer, &count))
    {
      g_variant_builder_add (&builder, "{su}", (const char *) peer, GPOINTER_TO_UINT (count));
      total += GPOINTER_TO_UINT (count);
    }
  oh_dbus_chat_set_unread (iface, g_variant_builder_end (&builder));
  oh_dbus_chat_set_unread_total (iface, total);
}

static void
on_unread_changed (OhChat *chat,
                   OhBus  *self)
{
  update_unread (self);
}

static void
on_message_received (OhChat          *chat,
                     OhStoredMessage *message,
                     OhBus           *self)
{
  OhDBusChat *iface = g_object_get_data (G_OBJECT (self), "oh-chat");

  oh_dbus_chat_emit_message_received (iface, oh_stored_message_to_variant (message));
}

static void
on_message_sent (OhChat          *chat,
                 OhStoredMessage *message,
                 OhBus           *self)
{
  OhDBusChat *iface = g_object_get_data (G_OBJECT (self), "oh-chat");

  oh_dbus_chat_emit_message_sent (iface, oh_stored_message_to_variant (message));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autofree char *id = oh_chat_send_finish (OH_CHAT (source), result, &error);

  if (id == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", id));
}

static gboolean
on_handle_send (OhDBusChat            *iface,
                GDBusMethodInvocation *invocation,
                const char            *to,
                const char            *body,
                OhBus                 *self)
{
  oh_chat_send_async (chat (self), to, body, NULL, on_sent, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_conversation (OhDBusChat            *iface,
                        GDBusMethodInvocation *invocation,
                        const char            *peer,
                        GVariant              *options,
                        OhBus                 *self)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) messages = oh_chat_conversation (chat (self), peer, options, &error);
  GVariantBuilder builder;

  if (messages == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < messages->len; i++)
    g_variant_builder_add_value (&builder,
                                 oh_stored_message_to_variant (g_ptr_array_index (messages, i)));
  oh_dbus_chat_complete_conversation (iface, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_mark_read (OhDBusChat            *iface,
                     GDBusMethodInvocation *invocation,
                     const char            *peer,
                     OhBus                 *self)
{
  GError *error = NULL;

  if (oh_chat_mark_read (chat (self), peer, &error))
    oh_dbus_chat_complete_mark_read (iface, invocation);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * oh_bus_chat_setup:
 *
 * Returns: (transfer full): the Chat interface for the root object.
 */
OhDBusChat *
oh_bus_chat_setup (OhBus *self)
{
  OhDBusChat *iface = oh_dbus_chat_skeleton_new ();

  g_object_set_data (G_OBJECT (self), "oh-chat", iface);
  g_signal_connect_object (iface, "handle-send", G_CALLBACK (on_handle_send), self, 0);
  g_signal_connect_object (iface, "handle-conversation", G_CALLBACK (on_handle_conversation),
                           self, 0);
  g_signal_connect_object (iface, "handle-mark-read", G_CALLBACK (on_handle_mark_read), self, 0);
  g_signal_connect_object (chat (self), "message-received", G_CALLBACK (on_message_received),
                           self, 0);
  g_signal_connect_object (chat (self), "message-sent", G_CALLBACK (on_message_sent), self, 0);
  g_signal_connect_object (chat (self), "unread-changed", G_CALLBACK (on_unread_changed), self, 0);
  update_unread (self);
  return iface;
}

/* User.SendMessage() */
void
oh_bus_chat_send_to_user (OhBus                 *self,
                          OhUser                *user,
                          const char            *body,
                          GDBusMethodInvocation *invocation)
{
  oh_chat_send_async (chat (self), oh_user_get_extension (user), body, NULL, on_sent,
                      g_object_ref (invocation));
}

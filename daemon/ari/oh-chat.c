/* oh-chat.c: instant messages between the user and the devices of others
 *
 * As the recorded Asterisk shows: with subscribeAll, every MESSAGE on the
 * PBX becomes a TextMessageReceived whose `endpoint` is the sender and
 * whose `message.to` names the recipient; only those to the user's own
 * extension are the user's. Sending is sendMessage to the recipient's
 * endpoint, always with `from` (without it phones see "(null)"); 404 means
 * no device of that user is registered.
 *
 * Every message is stored before it is announced; a failed delivery is an
 * error to the sender and is stored as failed, never silently lost.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <glib/gi18n.h>

#include "oh-chat.h"
#include "oh-dial.h"
#include "oh-error.h"

struct _OhChat
{
  GObject parent_instance;

  OhPbx      *pbx;
  OhAccount  *account;
  OhUserList *users;
  OhStore    *store;
};

G_DEFINE_FINAL_TYPE (OhChat, oh_chat, G_TYPE_OBJECT)

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_MESSAGE_SENT,
  SIGNAL_UNREAD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
oh_chat_validate_body (const char  *body,
                       GError     **error)
{
  gsize length = body ? strlen (body) : 0;

  if (length == 0)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, _("The message is empty"));
      return FALSE;
    }
  if (length > OH_CHAT_MAX_BODY)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("The message is longer than %d bytes"), OH_CHAT_MAX_BODY);
      return FALSE;
    }
  if (!g_utf8_validate (body, length, NULL))
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The message is not valid UTF-8 text"));
      return FALSE;
    }
  for (const char *p = body; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0))
        {
          g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                               _("The message contains control characters"));
          return FALSE;
        }
    }
  return TRUE;
}

/* "pjsip:100@127.0.0.1", "sip:100@host:5060", "<sip:100@host>" → "100" */
static char *
uri_user (const char *uri)
{
  const char *start, *end;

  if (uri == NULL)
    return NULL;
  start = strchr (uri, ':');
  start = start ? start + 1 : uri;
  end = start + strcspn (start, "@>;");
  return end > start ? g_strndup (start, end - start) : NULL;
}

/* "\"Bob Brown\" <sip:101@host>" → "Bob Brown" */
static char *
display_name (const char *from)
{
  const char *open = from ? strchr (from, '"') : NULL;
  const char *close = open ? strchr (open + 1, '"') : NULL;

  return close ? g_strndup (open + 1, close - open - 1) : NULL;
}

static OhUser *
resolve_peer (OhChat      *self,
              const char  *peer,
              GError     **error)
{
  OhUser *user = NULL;

  if (oh_dial_validate_number (peer, NULL, NULL))
    user = oh_user_list_lookup_extension (self->users, peer);
  if (user == NULL && oh_dial_validate_name (peer, NULL))
    {
      user = oh_user_list_lookup (self->users, peer);
      if (user == NULL)
        user = oh_user_list_lookup_name (self->users, peer);
    }
  if (user == NULL)
    g_set_error (error, OH_ERROR, OH_ERROR_NOT_FOUND, _("“%s” is not a user of the PBX"),
                 g_utf8_validate (peer, -1, NULL) && strlen (peer) < 80 ? peer : "…");
  return user;
}

/* The extension a conversation is filed under: the user's, or, for a
 * former user, the extension as given. */
static char *
conversation_key (OhChat      *self,
                  const char  *peer,
                  GError     **error)
{
  g_autofree char *number = NULL;
  OhUser *user = resolve_peer (self, peer, NULL);

  if (user)
    return g_strdup (oh_user_get_extension (user));
  if (oh_dial_validate_number (peer, &number, NULL))
    return g_steal_pointer (&number);
  g_set_error (error, OH_ERROR, OH_ERROR_NOT_FOUND, _("“%s” is not a user of the PBX"),
               g_utf8_validate (peer, -1, NULL) && strlen (peer) < 80 ? peer : "…");
  return NULL;
}

static gboolean
require_store (OhChat  *self,
               GError **error)
{
  if (self->store)
    return TRUE;
  g_set_error_literal (error, OH_ERROR, OH_ERROR_FAILED,
                       _("The message database could not be opened; see the daemon's log"));
  return FALSE;
}

/* --- receiving ------------------------------------------------------- */

static void
on_pbx_event (OhPbx      *pbx,
              OhAriEvent *event,
              OhChat     *self)
{
  g_autoptr(OhStoredMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *sender_name = NULL;
  g_autofree char *sender = NULL;
  const char *own = oh_account_get_extension (self->account);
  OhUser *user;

  if (event->type != OH_ARI_EVENT_TEXT_MESSAGE_RECEIVED || *own == '\0')
    return;
  recipient = uri_user (event->message_to);
  if (g_strcmp0 (recipient, own) != 0)
    return;   /* somebody else's message, seen through subscribeAll */

  /* The endpoint is the sender; From can be anything a phone puts there. */
  if (event->endpoint && *event->endpoint->resource)
    {
      user = oh_user_list_lookup (self->users, event->endpoint->resource);
      sender = g_strdup (user ? oh_user_get_extension (user) : event->endpoint->resource);
    }
  else
    {
      g_autofree char *from_user = uri_user (strchr (event->message_from, '<')
                                               ? strchr (event->message_from, '<')
                                               : event->message_from);

      user = oh_user_list_lookup_extension (self->users, from_user);
      if (user)
        sender = g_strdup (oh_user_get_extension (user));
      else if (from_user && oh_dial_validate_number (from_user, NULL, NULL))
        sender = g_steal_pointer (&from_user);
    }
  if (sender == NULL)
    {
      g_message ("Dropped a message whose sender is unknown");
      return;
    }
  if (!oh_chat_validate_body (event->message_body, &error))
    {
      g_message ("Dropped a message from %s: %s", sender, error->message);
      return;
    }

  sender_name = user && *oh_user_get_full_name (user) ? g_strdup (oh_user_get_full_name (user))
                                                      : display_name (event->message_from);
  message = oh_stored_message_new ();
  message->peer = g_strdup (sender);
  message->from = g_strdup (sender);
  message->from_name = g_strdup (sender_name ? sender_name : "");
  message->to = g_strdup (own);
  message->body = g_strdup (event->message_body);
  /* Our clock, not the PBX's: a conversation mixes messages in both
   * directions, and their order must not depend on the two clocks agreeing. */
  message->time = g_get_real_time ();
  message->direction = OH_STORED_MESSAGE_INCOMING;
  message->status = OH_STORED_MESSAGE_RECEIVED;
  message->device = event->endpoint ? g_strdup_printf ("%s/%s", event->endpoint->technology,
                                                       event->endpoint->resource)
                                    : g_strdup ("");

  if (!require_store (self, &error) || !oh_store_add_message (self->store, message, &error))
    {
      g_warning ("A message from %s could not be stored: %s", sender, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message);
  g_signal_emit (self, signals[SIGNAL_UNREAD_CHANGED], 0);
}

/* --- sending --------------------------------------------------------- */

static OhStoredMessage *
store_outgoing (OhChat                *self,
                OhUser                *user,
                const char            *body,
                gint64                 time,
                OhStoredMessageStatus  status,
                GError               **error)
{
  g_autoptr(OhStoredMessage) message = oh_stored_message_new ();
  OhUser *me = oh_user_list_lookup_extension (self->users, oh_account_get_extension (self->account));

  message->peer = g_strdup (oh_user_get_extension (user));
  message->from = g_strdup (oh_account_get_extension (self->account));
  message->from_name = g_strdup (me ? oh_user_get_full_name (me) : "");
  message->to = g_strdup (oh_user_get_extension (user));
  message->body = g_strdup (body);
  message->time = time;
  message->direction = OH_STORED_MESSAGE_OUTGOING;
  message->status = status;
  message->read = TRUE;
  message->device = g_strdup_printf ("%s/%s", oh_user_get_technology (user),
                                     oh_user_get_resource (user));
  if (!oh_store_add_message (self->store, message, error))
    return NULL;
  return g_steal_pointer (&message);
}

typedef struct {
  OhUser *user;
  char   *body;
  gint64  time;   /* when the user sent it, not when the PBX took it */
} SendData;

static void
send_data_free (SendData *data)
{
  g_object_unref (data->user);
  g_free (data->body);
  g_free (data);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhChat *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(OhStoredMessage) message = NULL;
  gboolean sent = oh_ari_client_send_message_finish (OH_ARI_CLIENT (source), result, &error);
  const char *who = *oh_user_get_full_name (data->user) ? oh_user_get_full_name (data->user)
                                                        : oh_user_get_extension (data->user);

  message = store_outgoing (self, data->user, data->body, data->time,
                            sent ? OH_STORED_MESSAGE_SENT : OH_STORED_MESSAGE_FAILED, &store_error);
  if (message == NULL)
    g_warning ("A message to %s could not be stored: %s", who, store_error->message);
  else if (sent)
    g_signal_emit (self, signals[SIGNAL_MESSAGE_SENT], 0, message);

  if (!sent)
    {
      if (g_error_matches (error, OH_ARI_ERROR, OH_ARI_ERROR_NOT_FOUND))
        g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_FOUND,
                                 _("No device of %s is online"), who);
      else
        g_task_return_new_error (task, OH_ERROR, OH_ERROR_FAILED,
                                 _("The message to %s could not be delivered: %s"), who,
                                 error->message);
      return;
    }
  if (message == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_FAILED,
                               _("The message was sent but could not be stored: %s"),
                               store_error->message);
      return;
    }
  g_task_return_pointer (task, g_strdup (message->id), g_free);
}

void
oh_chat_send_async (OhChat              *self,
                    const char          *to,
                    const char          *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autofree char *uuid = NULL;
  OhAriClient *ari = oh_pbx_get_client (self->pbx);
  const char *own = oh_account_get_extension (self->account);
  SendData *data;
  OhUser *user;

  if (!oh_chat_validate_body (body, &error) ||
      (user = resolve_peer (self, to, &error)) == NULL || !require_store (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (*own == '\0')
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_SUPPORTED, "%s",
                               _("Messages need the account's own extension (the extension option of Login)"));
      return;
    }
  if (ari == NULL)
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_CONNECTED, "%s",
                               _("Not connected to the PBX"));
      return;
    }
  if (!oh_dial_is_safe_resource (oh_user_get_resource (user)) ||
      !oh_dial_is_safe_resource (oh_user_get_technology (user)))
    {
      g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_SUPPORTED, "%s",
                               _("Messages cannot be sent to that user"));
      return;
    }

  data = g_new0 (SendData, 1);
  data->user = g_object_ref (user);
  data->body = g_strdup (body);
  data->time = g_get_real_time ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  /* The phone sees the user's extension as the sender; one message id per
   * send lets a phone or a log tell repeats apart. */
  uuid = g_uuid_string_random ();
  variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (variables, (gpointer) "X-Offhook-Msg-Id", uuid);
  oh_ari_client_send_message_async (ari, oh_user_get_technology (user),
                                    oh_user_get_resource (user), own, body, variables,
                                    cancellable, on_sent, g_steal_pointer (&task));
}

char *
oh_chat_send_finish (OhChat        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- reading --------------------------------------------------------- */

GPtrArray *
oh_chat_conversation (OhChat      *self,
                      const char  *peer,
                      GVariant    *options,
                      GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *before_id = NULL;
  gint64 before = 0;
  guint limit = 0;

  if (!require_store (self, error) ||
      !oh_conversation_options_from_variant (options, &before, &before_id, &limit, error) ||
      (key = conversation_key (self, peer, error)) == NULL)
    return NULL;
  return oh_store_get_conversation (self->store, key, before, before_id, limit, error);
}

gboolean
oh_chat_mark_read (OhChat      *self,
                   const char  *peer,
                   GError     **error)
{
  g_autofree char *key = NULL;
  guint marked = 0;

  if (!require_store (self, error) || (key = conversation_key (self, peer, error)) == NULL ||
      !oh_store_mark_read (self->store, key, &marked, error))
    return FALSE;
  if (marked > 0)
    g_signal_emit (self, signals[SIGNAL_UNREAD_CHANGED], 0);
  return TRUE;
}

GHashTable *
oh_chat_dup_unread (OhChat *self)
{
  g_autoptr(GError) error = NULL;
  GHashTable *unread = NULL;

  if (self->store)
    unread = oh_store_get_unread_counts (self->store, &error);
  if (unread == NULL)
    {
      if (error)
        g_warning ("Cannot count unread messages: %s", error->message);
      unread = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  return unread;
}

/* --- object ---------------------------------------------------------- */

void
oh_chat_set_store (OhChat  *self,
                   OhStore *store)
{
  g_set_object (&self->store, store);
  g_signal_emit (self, signals[SIGNAL_UNREAD_CHANGED], 0);
}

static void
oh_chat_dispose (GObject *object)
{
  OhChat *self = OH_CHAT (object);

  if (self->pbx)
    g_signal_handlers_disconnect_by_data (self->pbx, self);
  g_clear_object (&self->pbx);
  g_clear_object (&self->account);
  g_clear_object (&self->users);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (oh_chat_parent_class)->dispose (object);
}

static void
oh_chat_class_init (OhChatClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_chat_dispose;

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_MESSAGE_SENT] =
    g_signal_new ("message-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_UNREAD_CHANGED] =
    g_signal_new ("unread-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
oh_chat_init (OhChat *self)
{
}

OhChat *
oh_chat_new (OhPbx      *pbx,
             OhAccount  *account,
             OhUserList *users)
{
  OhChat *self = g_object_new (OH_TYPE_CHAT, NULL);

  self->pbx = g_object_ref (pbx);
  self->account = g_object_ref (account);
  self->users = g_object_ref (users);
  g_signal_connect (pbx, "event", G_CALLBACK (on_pbx_event), self);
  return self;
}

/* oh-notifications.c: a client of org.freedesktop.Notifications
 *
 * Speaks only the standard API (Desktop Notifications Specification 1.2)
 * plus KDE's inline replies, so it works with GNOME Shell, Plasma and the
 * small servers alike. What a server can do is asked with GetCapabilities
 * when it appears (it may be restarted with the session); actions, body
 * markup and inline replies are used only when it has them.
 *
 * The server assigns ids in Notify's reply. Callers get a handle of ours at
 * once instead, so that they can withdraw a notification whose id has not
 * arrived yet (a call answered elsewhere right after it rang).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-notify"

#include <glib/gi18n.h>

#include "oh-notifications.h"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"
#define CALL_TIMEOUT_MSEC 10000

typedef struct {
  guint    handle;
  guint32  id;        /* 0 until Notify answered */
  gboolean withdrawn; /* close as soon as the id is known */
} Entry;

struct _OhNotifications
{
  GObject           parent_instance;

  GDBusConnection  *bus;
  char            **capabilities;
  GHashTable       *entries; /* handle → Entry */
  guint             next_handle;
  guint             watch_id;
  guint             signal_id;
  GCancellable     *cancellable;
};

enum
{
  SIGNAL_ACTION_INVOKED,
  SIGNAL_REPLIED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OhNotifications, oh_notifications, G_TYPE_OBJECT)

static Entry *
lookup_id (OhNotifications *self,
           guint32          id)
{
  GHashTableIter iter;
  Entry *entry;

  if (id == 0)
    return NULL;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->id == id)
      return entry;
  return NULL;
}

/* Forgets an entry and tells the owner of the handle that it is gone. */
static void
drop_entry (OhNotifications *self,
            guint            handle,
            guint            reason)
{
  if (!g_hash_table_remove (self->entries, GUINT_TO_POINTER (handle)))
    return;
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, handle, reason);
}

static void
close_id (OhNotifications *self,
          guint32          id)
{
  g_debug ("Closing notification %u", id);
  g_dbus_connection_call (self->bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
                          "CloseNotification", g_variant_new ("(u)", id), NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MSEC, NULL, NULL, NULL);
}

/* --- capabilities ---------------------------------------------------- */

static void
set_capabilities (OhNotifications *self,
                  GVariant        *reply)
{
  g_autofree char *joined = NULL;

  g_strfreev (self->capabilities);
  g_variant_get (reply, "(^as)", &self->capabilities);
  joined = g_strjoinv (" ", self->capabilities);
  g_debug ("The notification server can do: %s", joined);
}

static void
on_capabilities (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OhNotifications) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The notification server did not tell what it can do: %s", error->message);
      return;
    }
  set_capabilities (self, reply);
}

static void
on_server_appeared (GDBusConnection *bus,
                    const char      *name,
                    const char      *owner,
                    gpointer         user_data)
{
  OhNotifications *self = user_data;

  g_debug ("Notification server %s appeared", owner);
  g_dbus_connection_call (self->bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
                          "GetCapabilities", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MSEC, self->cancellable,
                          on_capabilities, g_object_ref (self));
}

static void
on_server_vanished (GDBusConnection *bus,
                    const char      *name,
                    gpointer         user_data)
{
  OhNotifications *self = user_data;
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  Entry *entry;

  /* The notifications it showed went with it. Those still waiting for
   * their id wait for the server that Notify activates (or fail). The
   * capabilities stay: the next server is most likely the same one. */
  g_debug ("No notification server");
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->id != 0)
      g_array_append_val (gone, entry->handle);
  for (guint i = 0; i < gone->len; i++)
    drop_entry (self, g_array_index (gone, guint, i), 0);
}

/**
 * oh_notifications_load_capabilities:
 * @timeout_msec: how long to wait for the server
 *
 * Asks the server what it can do, starting it when it is D-Bus activated,
 * and waits for the answer. Without one the server is taken to show plain
 * text only. The capabilities are asked again whenever a server appears.
 */
void
oh_notifications_load_capabilities (OhNotifications *self,
                                    int              timeout_msec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_return_if_fail (OH_IS_NOTIFICATIONS (self));

  reply = g_dbus_connection_call_sync (self->bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                                       NOTIFICATIONS_IFACE, "GetCapabilities", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                       timeout_msec, NULL, &error);
  if (reply == NULL)
    g_message ("No notification server answers: %s", error->message);
  else
    set_capabilities (self, reply);
}

gboolean
oh_notifications_has_capability (OhNotifications *self,
                                 const char      *capability)
{
  g_return_val_if_fail (OH_IS_NOTIFICATIONS (self), FALSE);

  return self->capabilities &&
         g_strv_contains ((const char *const *) self->capabilities, capability);
}

/* --- signals from the server ----------------------------------------- */

static void
on_server_signal (GDBusConnection *bus,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *member,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  OhNotifications *self = user_data;
  guint32 id;
  const char *text;
  Entry *entry;

  if (g_str_equal (member, "NotificationClosed") &&
      g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uu)")))
    {
      guint32 reason;

      g_variant_get (parameters, "(uu)", &id, &reason);
      if ((entry = lookup_id (self, id)) != NULL)
        {
          g_debug ("Notification %u closed (reason %u)", id, reason);
          drop_entry (self, entry->handle, reason);
        }
    }
  else if (g_str_equal (member, "ActionInvoked") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(us)")))
    {
      g_variant_get (parameters, "(u&s)", &id, &text);
      if ((entry = lookup_id (self, id)) != NULL && !entry->withdrawn)
        {
          g_debug ("Action “%s” of notification %u", text, id);
          g_signal_emit (self, signals[SIGNAL_ACTION_INVOKED], 0, entry->handle, text);
        }
    }
  else if (g_str_equal (member, "NotificationReplied") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(us)")))
    {
      g_variant_get (parameters, "(u&s)", &id, &text);
      if ((entry = lookup_id (self, id)) != NULL && !entry->withdrawn)
        {
          g_debug ("Reply to notification %u", id);
          g_signal_emit (self, signals[SIGNAL_REPLIED], 0, entry->handle, text);
        }
    }
}

/* --- sending --------------------------------------------------------- */

static GVariant *
build_parameters (OhNotifications      *self,
                  const OhNotification *n)
{
  GVariantBuilder actions;
  GVariantBuilder hints;
  g_autofree char *body = NULL;
  const char *app_name;

  g_variant_builder_init (&actions, G_VARIANT_TYPE ("as"));
  if (n->actions && oh_notifications_has_capability (self, "actions"))
    for (guint i = 0; n->actions[i] && n->actions[i + 1]; i += 2)
      {
        g_variant_builder_add (&actions, "s", n->actions[i]);
        g_variant_builder_add (&actions, "s", n->actions[i + 1]);
      }
  if (n->reply_placeholder && oh_notifications_has_capability (self, "inline-reply"))
    {
      g_variant_builder_add (&actions, "s", OH_NOTIFICATIONS_INLINE_REPLY);
      g_variant_builder_add (&actions, "s", _("Reply"));
    }

  g_variant_builder_init (&hints, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&hints, "{sv}", "urgency", g_variant_new_byte (n->urgency));
  if (n->category)
    g_variant_builder_add (&hints, "{sv}", "category", g_variant_new_string (n->category));
  if (n->sound && oh_notifications_has_capability (self, "sound"))
    g_variant_builder_add (&hints, "{sv}", "sound-name", g_variant_new_string (n->sound));
  if (n->reply_placeholder && oh_notifications_has_capability (self, "inline-reply"))
    g_variant_builder_add (&hints, "{sv}", "x-kde-reply-placeholder-text",
                           g_variant_new_string (n->reply_placeholder));

  /* The summary is never markup; the body is, for servers that say so. */
  if (oh_notifications_has_capability (self, "body-markup"))
    body = g_markup_escape_text (n->body ? n->body : "", -1);
  else
    body = g_strdup (n->body ? n->body : "");

  app_name = g_get_application_name ();
  return g_variant_new ("(susssasa{sv}i)", app_name ? app_name : "Offhook", (guint32) 0,
                        n->icon ? n->icon : "", n->summary, body, &actions, &hints,
                        n->expire_timeout);
}

static void
on_notify_reply (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OhNotifications *self = g_task_get_source_object (task);
  guint handle = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  Entry *entry = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (handle));

  if (reply == NULL)
    {
      g_message ("The notification server did not show a notification: %s", error->message);
      drop_entry (self, handle, 0);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (entry == NULL)
    {
      /* The server went away while we waited. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("The notification server went away"));
      return;
    }
  g_variant_get (reply, "(u)", &entry->id);
  g_debug ("Notification %u shown", entry->id);
  if (entry->withdrawn)
    {
      close_id (self, entry->id);
      g_hash_table_remove (self->entries, GUINT_TO_POINTER (handle));
    }
  g_task_return_int (task, handle);
}

/**
 * oh_notifications_send_async:
 * @notification: what to show
 *
 * Shows a notification and finishes once the server has taken it.
 */
void
oh_notifications_send_async (OhNotifications      *self,
                             const OhNotification *notification,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry;

  g_return_if_fail (OH_IS_NOTIFICATIONS (self));
  g_return_if_fail (notification != NULL && notification->summary != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oh_notifications_send_async);
  entry = g_new0 (Entry, 1);
  entry->handle = ++self->next_handle;
  g_hash_table_insert (self->entries, GUINT_TO_POINTER (entry->handle), entry);
  g_task_set_task_data (task, GUINT_TO_POINTER (entry->handle), NULL);
  g_debug ("Notify: %s", notification->summary);
  /* Auto-start: a server may be D-Bus activated on first use. */
  g_dbus_connection_call (self->bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
                          "Notify", build_parameters (self, notification), G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MSEC, cancellable, on_notify_reply,
                          g_steal_pointer (&task));
}

/**
 * oh_notifications_send_finish:
 *
 * Returns: the notification's handle, or 0 with @error set
 */
guint
oh_notifications_send_finish (OhNotifications  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  gssize handle;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  handle = g_task_propagate_int (G_TASK (result), error);
  return handle > 0 ? (guint) handle : 0;
}

/**
 * oh_notifications_send:
 * @notification: what to show
 *
 * Shows a notification.
 *
 * Returns: a handle for oh_notifications_withdraw() and the signals, valid
 *   until #OhNotifications::closed is emitted for it
 */
guint
oh_notifications_send (OhNotifications      *self,
                       const OhNotification *notification)
{
  g_return_val_if_fail (OH_IS_NOTIFICATIONS (self), 0);

  oh_notifications_send_async (self, notification, NULL, NULL, NULL);
  return self->next_handle;
}

/**
 * oh_notifications_withdraw:
 * @handle: from oh_notifications_send(), or 0
 *
 * Closes a notification, now or as soon as the server has told its id.
 * #OhNotifications::closed is not emitted for it.
 */
void
oh_notifications_withdraw (OhNotifications *self,
                           guint            handle)
{
  Entry *entry;

  g_return_if_fail (OH_IS_NOTIFICATIONS (self));

  entry = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (handle));
  if (entry == NULL || entry->withdrawn)
    return;
  if (entry->id == 0)
    {
      entry->withdrawn = TRUE;
      return;
    }
  close_id (self, entry->id);
  g_hash_table_remove (self->entries, GUINT_TO_POINTER (handle));
}

/* --- object ---------------------------------------------------------- */

static void
oh_notifications_dispose (GObject *object)
{
  OhNotifications *self = OH_NOTIFICATIONS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->signal_id)
    g_dbus_connection_signal_unsubscribe (self->bus, self->signal_id);
  self->signal_id = 0;
  g_clear_object (&self->bus);
  G_OBJECT_CLASS (oh_notifications_parent_class)->dispose (object);
}

static void
oh_notifications_finalize (GObject *object)
{
  OhNotifications *self = OH_NOTIFICATIONS (object);

  g_strfreev (self->capabilities);
  g_hash_table_unref (self->entries);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (oh_notifications_parent_class)->finalize (object);
}

static void
oh_notifications_class_init (OhNotificationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_notifications_dispose;
  object_class->finalize = oh_notifications_finalize;

  /**
   * OhNotifications::action-invoked:
   * @handle: the notification
   * @action: the action's key
   */
  signals[SIGNAL_ACTION_INVOKED] =
    g_signal_new ("action-invoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * OhNotifications::replied:
   * @handle: the notification
   * @text: what the user typed into the inline reply field
   */
  signals[SIGNAL_REPLIED] =
    g_signal_new ("replied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * OhNotifications::closed:
   * @handle: the notification
   * @reason: the specification's reason (1 expired, 2 dismissed, 3 closed
   *   by a call), or 0 when the server went away or refused it
   *
   * The notification is gone; the handle is no longer valid.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
oh_notifications_init (OhNotifications *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->cancellable = g_cancellable_new ();
}

/**
 * oh_notifications_new:
 * @bus: the session bus
 *
 * Returns: (transfer full): a client that follows the notification server
 *   as it comes and goes
 */
OhNotifications *
oh_notifications_new (GDBusConnection *bus)
{
  OhNotifications *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);

  self = g_object_new (OH_TYPE_NOTIFICATIONS, NULL);
  self->bus = g_object_ref (bus);
  self->signal_id = g_dbus_connection_signal_subscribe (bus, NOTIFICATIONS_NAME,
                                                        NOTIFICATIONS_IFACE, NULL,
                                                        NOTIFICATIONS_PATH, NULL,
                                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                                        on_server_signal, self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (bus, NOTIFICATIONS_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_server_appeared, on_server_vanished, self,
                                                   NULL);
  return self;
}

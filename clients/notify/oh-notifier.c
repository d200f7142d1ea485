/* oh-notifier.c: the daemon's calls and messages as desktop notifications
 *
 * Follows the daemon through an object manager (the daemon may stop, crash
 * or be restarted: its objects then go and come back, and so do the
 * notifications of ringing calls) and the root object's Chat interface.
 *
 * - An incoming call that rings gets one notification, with Answer and
 *   Decline when the server has actions. It is withdrawn as soon as the
 *   call stops ringing for any reason: answered here or elsewhere,
 *   declined, ended. Dismissing it does not decline the call: the phone
 *   keeps ringing elsewhere and the caller may still be answered.
 * - An incoming call that rang and ended unanswered (EndReason no-answer)
 *   gets a "Missed call" notification with Call back.
 * - A message gets one with the sender and the first line, and an inline
 *   reply field where the server has "inline-reply" (KDE); the reply goes
 *   back with Chat.Send(). The read state is left alone: the user has not
 *   read the whole message.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-notify"

#include <glib/gi18n.h>

#include "oh-dbus-generated.h"
#include "oh-notifier.h"
#include "oh-notify-text.h"

#define ACTION_ANSWER "answer"
#define ACTION_DECLINE "decline"
#define ACTION_CALL_BACK "call-back"

typedef enum {
  TARGET_INCOMING,
  TARGET_MISSED,
  TARGET_MESSAGE,
} TargetKind;

/* What a notification's actions act on. */
typedef struct {
  TargetKind  kind;
  char       *path;   /* TARGET_INCOMING: the call */
  char       *number; /* TARGET_MISSED: whom to call back */
  char       *peer;   /* TARGET_MESSAGE: whom to reply to */
  char       *name;   /* for error messages */
} Target;

typedef struct {
  OhNotifier *self;
  OhDBusCall *call;
  char       *path;
  gulong      changed_id;
  guint       ringing_handle;
  gboolean    rang;
  gboolean    missed;
} CallWatch;

struct _OhNotifier
{
  GObject             parent_instance;

  GDBusConnection    *bus;
  OhNotifications    *notifications;
  GDBusObjectManager *manager;
  OhDBusPhone        *phone;
  OhDBusChat         *chat;
  GHashTable         *calls; /* path → CallWatch */
  GHashTable         *targets; /* notification handle → Target */
  gboolean            started;
};

G_DEFINE_FINAL_TYPE (OhNotifier, oh_notifier, G_TYPE_OBJECT)

static void
target_free (Target *target)
{
  g_free (target->path);
  g_free (target->number);
  g_free (target->peer);
  g_free (target->name);
  g_free (target);
}

static void
call_watch_free (CallWatch *watch)
{
  g_clear_signal_handler (&watch->changed_id, watch->call);
  g_clear_object (&watch->call);
  g_free (watch->path);
  g_free (watch);
}

/* A name for people: the name when known, else the number. */
static char *
display_name (const char *name,
              const char *number)
{
  g_autofree char *clean_name = oh_notify_text_clean (name, OH_NOTIFY_SUMMARY_MAX / 2);

  if (*clean_name)
    return g_steal_pointer (&clean_name);
  return oh_notify_text_clean (number, OH_NOTIFY_SUMMARY_MAX / 2);
}

static guint
show (OhNotifier           *self,
      const OhNotification *notification,
      Target               *target)
{
  guint handle = oh_notifications_send (self->notifications, notification);

  if (target)
    g_hash_table_insert (self->targets, GUINT_TO_POINTER (handle), target);
  return handle;
}

static void
show_error (OhNotifier   *self,
            const char   *summary,
            const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);
  g_autofree char *body = NULL;
  OhNotification n = {
    .summary = summary,
    .icon = "dialog-error",
    .urgency = OH_NOTIFICATION_URGENCY_NORMAL,
    .expire_timeout = -1,
  };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_dbus_error_strip_remote_error (copy);
  g_message ("%s: %s", summary, copy->message);
  body = oh_notify_text_clean (copy->message, OH_NOTIFY_BODY_MAX);
  n.body = body;
  show (self, &n, NULL);
}

/* --- calls ----------------------------------------------------------- */

static void
show_incoming (OhNotifier *self,
               CallWatch  *watch)
{
  const char *number = oh_dbus_call_get_remote_number (watch->call);
  g_autofree char *name = display_name (oh_dbus_call_get_remote_name (watch->call), number);
  g_autofree char *clean_number = oh_notify_text_clean (number, OH_NOTIFY_SUMMARY_MAX / 2);
  g_autofree char *summary = NULL;
  const char *const actions[] = {
    ACTION_ANSWER, _("Answer"),
    ACTION_DECLINE, _("Decline"),
    NULL
  };
  OhNotification n = {
    .icon = "call-start",
    .category = "call.incoming",
    .sound = "phone-incoming-call",
    .urgency = OH_NOTIFICATION_URGENCY_CRITICAL,
    .expire_timeout = 0,
    .actions = actions,
  };
  Target *target = g_new0 (Target, 1);

  if (*name)
    summary = g_strdup_printf (_("Incoming call from %s"), name);
  else
    summary = g_strdup (_("Incoming call from an unknown number"));
  n.summary = summary;
  /* The number below the name; not twice when there is no name. */
  n.body = g_strcmp0 (name, clean_number) != 0 ? clean_number : "";

  target->kind = TARGET_INCOMING;
  target->path = g_strdup (watch->path);
  target->name = g_strdup (name);
  g_debug ("Call %s rings", watch->path);
  watch->ringing_handle = show (self, &n, target);
}

static void
show_missed (OhNotifier *self,
             CallWatch  *watch)
{
  const char *number = oh_dbus_call_get_remote_number (watch->call);
  g_autofree char *name = display_name (oh_dbus_call_get_remote_name (watch->call), number);
  g_autofree char *clean_number = oh_notify_text_clean (number, OH_NOTIFY_SUMMARY_MAX / 2);
  g_autofree char *summary = NULL;
  const char *const actions[] = { ACTION_CALL_BACK, _("Call back"), NULL };
  OhNotification n = {
    .icon = "call-stop",
    .category = "call.unanswered",
    .urgency = OH_NOTIFICATION_URGENCY_NORMAL,
    /* Where the server keeps no history, keep it on screen. */
    .expire_timeout = oh_notifications_has_capability (self->notifications, "persistence") ? -1 : 0,
  };
  Target *target = NULL;

  if (*name)
    summary = g_strdup_printf (_("Missed call from %s"), name);
  else
    summary = g_strdup (_("Missed call from an unknown number"));
  n.summary = summary;
  n.body = g_strcmp0 (name, clean_number) != 0 ? clean_number : "";
  if (number && *number)
    {
      n.actions = actions;
      target = g_new0 (Target, 1);
      target->kind = TARGET_MISSED;
      target->number = g_strdup (number);
      target->name = g_strdup (name);
    }
  g_debug ("Call %s was missed", watch->path);
  show (self, &n, target);
}

static void
withdraw (OhNotifier *self,
          guint      *handle)
{
  if (*handle == 0)
    return;
  oh_notifications_withdraw (self->notifications, *handle);
  g_hash_table_remove (self->targets, GUINT_TO_POINTER (*handle));
  *handle = 0;
}

static void
update_call (OhNotifier *self,
             CallWatch  *watch)
{
  const char *state = oh_dbus_call_get_state (watch->call);
  gboolean incoming = g_strcmp0 (oh_dbus_call_get_direction (watch->call), "incoming") == 0;

  if (!incoming)
    return;
  if (g_strcmp0 (state, "ringing-in") == 0)
    {
      /* Once per call: not again after the user dismissed it. */
      if (!watch->rang)
        show_incoming (self, watch);
      watch->rang = TRUE;
      return;
    }
  withdraw (self, &watch->ringing_handle);
  if (g_strcmp0 (state, "ended") == 0 && watch->rang && !watch->missed &&
      g_strcmp0 (oh_dbus_call_get_end_reason (watch->call), "no-answer") == 0 &&
      oh_dbus_call_get_answer_time (watch->call) == 0)
    {
      watch->missed = TRUE;
      show_missed (self, watch);
    }
}

static void
on_call_changed (GDBusProxy *proxy,
                 GVariant   *changed,
                 GStrv       invalidated,
                 gpointer    user_data)
{
  CallWatch *watch = user_data;

  update_call (watch->self, watch);
}

static void
add_object (OhNotifier  *self,
            GDBusObject *object)
{
  const char *path = g_dbus_object_get_object_path (object);
  g_autoptr(OhDBusCall) call = oh_dbus_object_get_call (OH_DBUS_OBJECT (object));
  CallWatch *watch;

  if (call == NULL || g_hash_table_contains (self->calls, path))
    return;
  watch = g_new0 (CallWatch, 1);
  watch->self = self;
  watch->call = g_steal_pointer (&call);
  watch->path = g_strdup (path);
  watch->changed_id = g_signal_connect (watch->call, "g-properties-changed",
                                        G_CALLBACK (on_call_changed), watch);
  g_hash_table_insert (self->calls, watch->path, watch);
  update_call (self, watch);
}

static void
remove_object (OhNotifier  *self,
               GDBusObject *object)
{
  const char *path = g_dbus_object_get_object_path (object);
  CallWatch *watch = g_hash_table_lookup (self->calls, path);

  if (watch == NULL)
    return;
  /* Gone (or the daemon with it): no longer ringing anywhere. */
  withdraw (self, &watch->ringing_handle);
  g_hash_table_remove (self->calls, path);
}

static void
on_object_added (GDBusObjectManager *manager,
                 GDBusObject        *object,
                 OhNotifier         *self)
{
  add_object (self, object);
}

static void
on_object_removed (GDBusObjectManager *manager,
                   GDBusObject        *object,
                   OhNotifier         *self)
{
  remove_object (self, object);
}

static void
on_interface_added (GDBusObjectManager *manager,
                    GDBusObject        *object,
                    GDBusInterface     *interface,
                    OhNotifier         *self)
{
  add_object (self, object);
}

static void
on_interface_removed (GDBusObjectManager *manager,
                      GDBusObject        *object,
                      GDBusInterface     *interface,
                      OhNotifier         *self)
{
  if (OH_DBUS_IS_CALL (interface))
    remove_object (self, object);
}

static void
on_name_owner (GObject    *manager,
               GParamSpec *pspec,
               OhNotifier *self)
{
  GDBusObjectManagerClient *client = G_DBUS_OBJECT_MANAGER_CLIENT (manager);
  g_autofree char *owner = g_dbus_object_manager_client_get_name_owner (client);

  if (owner)
    g_debug ("The Offhook daemon is %s", owner);
  else
    g_debug ("The Offhook daemon is not running");
}

/* --- messages -------------------------------------------------------- */

static void
on_message_received (OhDBusChat *chat,
                     GVariant   *message,
                     OhNotifier *self)
{
  const char *from = NULL;
  const char *from_name = NULL;
  const char *body = NULL;
  const char *direction = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *line = NULL;
  g_autofree char *placeholder = NULL;
  OhNotification n = {
    .icon = "mail-message-new",
    .category = "im.received",
    .sound = "message-new-instant",
    .urgency = OH_NOTIFICATION_URGENCY_NORMAL,
    .expire_timeout = -1,
  };
  Target *target = NULL;

  if (!g_variant_lookup (message, "from", "&s", &from) ||
      !g_variant_lookup (message, "body", "&s", &body))
    {
      g_message ("Ignoring a message without sender or text");
      return;
    }
  if (g_variant_lookup (message, "direction", "&s", &direction) &&
      !g_str_equal (direction, "incoming"))
    return;
  g_variant_lookup (message, "from-name", "&s", &from_name);

  summary = display_name (from_name, from);
  n.summary = *summary ? summary : _("Message");
  line = oh_notify_text_first_line (body, OH_NOTIFY_BODY_MAX);
  n.body = line;
  if (*from)
    {
      placeholder = g_strdup_printf (_("Reply to %s"), summary);
      n.reply_placeholder = placeholder;
      target = g_new0 (Target, 1);
      target->kind = TARGET_MESSAGE;
      target->peer = g_strdup (from);
      target->name = g_strdup (summary);
    }
  g_debug ("Message from %s", from);
  show (self, &n, target);
}

/* --- what the user does ---------------------------------------------- */

typedef struct {
  OhNotifier *self;
  char       *summary;
} Reply;

static Reply *
reply_new (OhNotifier *self,
           char       *summary)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->self = g_object_ref (self);
  reply->summary = summary;
  return reply;
}

static void
reply_free (Reply *reply)
{
  g_object_unref (reply->self);
  g_free (reply->summary);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) ret = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (ret == NULL)
    show_error (reply->self, reply->summary, error);
}

static void
on_dialled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!oh_dbus_phone_call_dial_finish (OH_DBUS_PHONE (source), &path, result, &error))
    show_error (reply->self, reply->summary, error);
  else
    g_debug ("Calling back: %s", path);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Reply) reply = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (!oh_dbus_chat_call_send_finish (OH_DBUS_CHAT (source), &id, result, &error))
    show_error (reply->self, reply->summary, error);
}

static void
on_action_invoked (OhNotifications *notifications,
                   guint            handle,
                   const char      *action,
                   OhNotifier      *self)
{
  Target *target = g_hash_table_lookup (self->targets, GUINT_TO_POINTER (handle));
  CallWatch *watch;

  if (target == NULL)
    return;
  switch (target->kind)
    {
    case TARGET_INCOMING:
      watch = g_hash_table_lookup (self->calls, target->path);
      if (watch == NULL)
        return;
      if (g_str_equal (action, ACTION_ANSWER))
        {
          g_debug ("Answering %s", target->path);
          oh_dbus_call_call_accept (watch->call, NULL, on_call_done,
                                    reply_new (self, g_strdup (_("Could not answer the call"))));
        }
      else if (g_str_equal (action, ACTION_DECLINE))
        {
          g_debug ("Declining %s", target->path);
          oh_dbus_call_call_reject (watch->call, NULL, on_call_done,
                                    reply_new (self, g_strdup (_("Could not decline the call"))));
        }
      break;

    case TARGET_MISSED:
      if (g_str_equal (action, ACTION_CALL_BACK))
        {
          g_autofree char *summary = g_strdup_printf (_("Could not call %s"), target->name);

          g_debug ("Calling back %s", target->number);
          oh_dbus_phone_call_dial (self->phone, target->number, g_variant_new ("a{sv}", NULL),
                                   NULL, on_dialled,
                                   reply_new (self, g_steal_pointer (&summary)));
        }
      break;

    case TARGET_MESSAGE:
    default:
      break;
    }
}

static void
on_replied (OhNotifications *notifications,
            guint            handle,
            const char      *text,
            OhNotifier      *self)
{
  Target *target = g_hash_table_lookup (self->targets, GUINT_TO_POINTER (handle));
  g_autofree char *summary = NULL;

  if (target == NULL || target->kind != TARGET_MESSAGE || *text == '\0')
    return;
  g_debug ("Replying to %s", target->peer);
  summary = g_strdup_printf (_("Your reply to %s was not sent"), target->name);
  oh_dbus_chat_call_send (self->chat, target->peer, text, NULL, on_sent,
                          reply_new (self, g_steal_pointer (&summary)));
}

static void
on_closed (OhNotifications *notifications,
           guint            handle,
           guint            reason,
           OhNotifier      *self)
{
  Target *target = g_hash_table_lookup (self->targets, GUINT_TO_POINTER (handle));
  CallWatch *watch;

  if (target == NULL)
    return;
  /* Dismissed: forget it, and leave the call ringing. */
  if (target->kind == TARGET_INCOMING &&
      (watch = g_hash_table_lookup (self->calls, target->path)) != NULL &&
      watch->ringing_handle == handle)
    watch->ringing_handle = 0;
  g_hash_table_remove (self->targets, GUINT_TO_POINTER (handle));
}

/* --- object ---------------------------------------------------------- */

static void
on_daemon_started (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  if (reply == NULL)
    g_message ("Could not start the Offhook daemon: %s", error->message);
}

/**
 * oh_notifier_start:
 *
 * Starts the daemon when it is not running (once: the notifier is started
 * with the session, and without the daemon no call would ring), shows what
 * is going on already (a call ringing when the session starts) and from
 * now on what happens. The daemon is not started again when it stops
 * later: that is its service manager's decision.
 */
void
oh_notifier_start (OhNotifier *self)
{
  g_autolist(GDBusObject) objects = NULL;

  g_return_if_fail (OH_IS_NOTIFIER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  g_signal_connect_object (self->manager, "object-added", G_CALLBACK (on_object_added), self, 0);
  g_signal_connect_object (self->manager, "object-removed", G_CALLBACK (on_object_removed), self,
                           0);
  g_signal_connect_object (self->manager, "interface-added", G_CALLBACK (on_interface_added), self,
                           0);
  g_signal_connect_object (self->manager, "interface-removed", G_CALLBACK (on_interface_removed),
                           self, 0);
  g_signal_connect_object (self->manager, "notify::name-owner", G_CALLBACK (on_name_owner), self,
                           0);
  g_signal_connect_object (self->chat, "message-received", G_CALLBACK (on_message_received), self,
                           0);
  g_signal_connect_object (self->notifications, "action-invoked", G_CALLBACK (on_action_invoked),
                           self, 0);
  g_signal_connect_object (self->notifications, "replied", G_CALLBACK (on_replied), self, 0);
  g_signal_connect_object (self->notifications, "closed", G_CALLBACK (on_closed), self, 0);

  on_name_owner (G_OBJECT (self->manager), NULL, self);
  g_dbus_connection_call (self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "StartServiceByName",
                          g_variant_new ("(su)", OH_BUS_NAME, 0), G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_daemon_started, NULL);
  objects = g_dbus_object_manager_get_objects (self->manager);
  for (GList *l = objects; l; l = l->next)
    add_object (self, l->data);
}

/**
 * oh_notifier_withdraw_ringing:
 *
 * Closes the notifications of ringing calls, whose buttons would do
 * nothing once the notifier is gone.
 */
void
oh_notifier_withdraw_ringing (OhNotifier *self)
{
  GHashTableIter iter;
  CallWatch *watch;

  g_return_if_fail (OH_IS_NOTIFIER (self));

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    withdraw (self, &watch->ringing_handle);
}

static void
oh_notifier_dispose (GObject *object)
{
  OhNotifier *self = OH_NOTIFIER (object);

  if (self->notifications)
    g_signal_handlers_disconnect_by_data (self->notifications, self);
  g_hash_table_remove_all (self->calls);
  g_hash_table_remove_all (self->targets);
  g_clear_object (&self->manager);
  g_clear_object (&self->phone);
  g_clear_object (&self->chat);
  g_clear_object (&self->notifications);
  g_clear_object (&self->bus);
  G_OBJECT_CLASS (oh_notifier_parent_class)->dispose (object);
}

static void
oh_notifier_finalize (GObject *object)
{
  OhNotifier *self = OH_NOTIFIER (object);

  g_hash_table_unref (self->calls);
  g_hash_table_unref (self->targets);
  G_OBJECT_CLASS (oh_notifier_parent_class)->finalize (object);
}

static void
oh_notifier_class_init (OhNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_notifier_dispose;
  object_class->finalize = oh_notifier_finalize;
}

static void
oh_notifier_init (OhNotifier *self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) call_watch_free);
  self->targets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) target_free);
}

/**
 * oh_notifier_new:
 * @bus: the session bus
 * @notifications: the notification server
 *
 * Sets up the proxies; nothing is shown before oh_notifier_start(). They
 * follow the daemon whether it runs already, starts later or restarts.
 *
 * Returns: (transfer full): the notifier, or %NULL with @error set
 */
OhNotifier *
oh_notifier_new (GDBusConnection  *bus,
                 OhNotifications  *notifications,
                 GError          **error)
{
  /* Watchers: the daemon is started once by oh_notifier_start(). */
  GDBusObjectManagerClientFlags manager_flags =
    G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START;
  GDBusProxyFlags proxy_flags = G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
                                G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES;
  g_autoptr(OhNotifier) self = NULL;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);
  g_return_val_if_fail (OH_IS_NOTIFICATIONS (notifications), NULL);

  self = g_object_new (OH_TYPE_NOTIFIER, NULL);

  self->bus = g_object_ref (bus);
  self->notifications = g_object_ref (notifications);
  self->manager = oh_dbus_object_manager_client_new_sync (bus, manager_flags, OH_BUS_NAME,
                                                          OH_OBJECT_PATH, NULL, error);
  if (self->manager == NULL)
    return NULL;
  self->phone = oh_dbus_phone_proxy_new_sync (bus, proxy_flags, OH_BUS_NAME, OH_OBJECT_PATH, NULL,
                                              error);
  if (self->phone == NULL)
    return NULL;
  self->chat = oh_dbus_chat_proxy_new_sync (bus, proxy_flags, OH_BUS_NAME, OH_OBJECT_PATH, NULL,
                                            error);
  if (self->chat == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/* oh-notifications.h: a client of org.freedesktop.Notifications
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The action key of KDE's inline replies ("inline-reply" capability). */
#define OH_NOTIFICATIONS_INLINE_REPLY "inline-reply"

typedef enum {
  OH_NOTIFICATION_URGENCY_LOW = 0,
  OH_NOTIFICATION_URGENCY_NORMAL = 1,
  OH_NOTIFICATION_URGENCY_CRITICAL = 2,
} OhNotificationUrgency;

/* What to show. Texts are plain (not markup) and already cleaned with
 * oh_notify_text_clean(). */
typedef struct {
  const char            *summary;
  const char            *body;
  const char            *icon;
  const char            *category;
  const char            *sound;
  OhNotificationUrgency  urgency;
  /* Milliseconds; -1 for the server's default, 0 for never. */
  int                    expire_timeout;
  /* Pairs of action key and translated label, NULL-terminated; left out
   * when the server has no "actions". */
  const char *const     *actions;
  /* The placeholder of an inline reply field, or NULL for none; used only
   * when the server has "inline-reply". */
  const char            *reply_placeholder;
} OhNotification;

#define OH_TYPE_NOTIFICATIONS (oh_notifications_get_type ())
G_DECLARE_FINAL_TYPE (OhNotifications, oh_notifications, OH, NOTIFICATIONS, GObject)

OhNotifications *oh_notifications_new               (GDBusConnection       *bus);
void             oh_notifications_load_capabilities (OhNotifications       *self,
                                                     int                    timeout_msec);
gboolean         oh_notifications_has_capability    (OhNotifications       *self,
                                                     const char            *capability);
guint            oh_notifications_send              (OhNotifications       *self,
                                                     const OhNotification  *notification);
void             oh_notifications_send_async        (OhNotifications       *self,
                                                     const OhNotification  *notification,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
guint            oh_notifications_send_finish       (OhNotifications       *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);
void             oh_notifications_withdraw          (OhNotifications       *self,
                                                     guint                  handle);

G_END_DECLS

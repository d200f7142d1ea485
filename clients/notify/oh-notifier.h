/* oh-notifier.h: the daemon's calls and messages as desktop notifications
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-notifications.h"

G_BEGIN_DECLS

#define OH_TYPE_NOTIFIER (oh_notifier_get_type ())
G_DECLARE_FINAL_TYPE (OhNotifier, oh_notifier, OH, NOTIFIER, GObject)

OhNotifier *oh_notifier_new              (GDBusConnection  *bus,
                                          OhNotifications  *notifications,
                                          GError          **error);
void        oh_notifier_start            (OhNotifier       *self);
void        oh_notifier_withdraw_ringing (OhNotifier       *self);

G_END_DECLS

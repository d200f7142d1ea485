/* oh-service.h: what the daemon does, independent of how it is exported
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ari/oh-call-manager.h"
#include "ari/oh-chat.h"
#include "model/oh-account.h"
#include "model/oh-session-list.h"
#include "model/oh-user-list.h"
#include "store/oh-store.h"

G_BEGIN_DECLS

#define OH_TYPE_SERVICE (oh_service_get_type ())
G_DECLARE_FINAL_TYPE (OhService, oh_service, OH, SERVICE, GObject)

OhService  *oh_service_new              (void);
OhAccount  *oh_service_get_account      (OhService *self);
OhUserList *oh_service_get_users        (OhService *self);
OhSessionList *oh_service_get_sessions  (OhService *self);
OhStore    *oh_service_get_store        (OhService *self);
OhCallManager *oh_service_get_calls     (OhService *self);
OhChat     *oh_service_get_chat         (OhService *self);

/* Loads stored settings and, when there are some, connects. */
void        oh_service_start            (OhService *self);

void        oh_service_login_async      (OhService           *self,
                                         const char          *server,
                                         const char          *username,
                                         const char          *password,
                                         GVariant            *options,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void        oh_service_connect_async    (OhService           *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void        oh_service_logout_async     (OhService           *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The finish function of login, connect and logout. */
gboolean    oh_service_op_finish        (OhService     *self,
                                         GAsyncResult  *result,
                                         GError       **error);
gboolean    oh_service_disconnect       (OhService  *self,
                                         GError    **error);
guint       oh_service_count_missed_calls      (OhService  *self);
gboolean    oh_service_acknowledge_missed_calls (OhService  *self,
                                                 GError    **error);

G_END_DECLS

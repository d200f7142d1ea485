/* oh-service.h: what the daemon does, independent of how it is exported
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/oh-account.h"

G_BEGIN_DECLS

#define OH_TYPE_SERVICE (oh_service_get_type ())
G_DECLARE_FINAL_TYPE (OhService, oh_service, OH, SERVICE, GObject)

OhService *oh_service_new              (void);
OhAccount *oh_service_get_account      (OhService *self);

gboolean   oh_service_login            (OhService   *self,
                                        const char  *server,
                                        const char  *username,
                                        const char  *password,
                                        GVariant    *options,
                                        GError     **error);
gboolean   oh_service_connect          (OhService   *self,
                                        GError     **error);
gboolean   oh_service_disconnect       (OhService   *self,
                                        GError     **error);
gboolean   oh_service_logout           (OhService   *self,
                                        GError     **error);

G_END_DECLS

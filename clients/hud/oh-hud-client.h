/* oh-hud-client.h: the HUD's view of the daemon, shared by its windows
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-dbus-generated.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_CLIENT (oh_hud_client_get_type ())
G_DECLARE_FINAL_TYPE (OhHudClient, oh_hud_client, OH, HUD_CLIENT, GObject)

OhHudClient   *oh_hud_client_new                 (void);

gboolean       oh_hud_client_get_ready           (OhHudClient *self);
gboolean       oh_hud_client_get_daemon_running  (OhHudClient *self);
const char    *oh_hud_client_get_error           (OhHudClient *self);

OhDBusAccount *oh_hud_client_get_account         (OhHudClient *self);
OhDBusPhone   *oh_hud_client_get_phone           (OhHudClient *self);
OhDBusHistory *oh_hud_client_get_history         (OhHudClient *self);
OhDBusChat    *oh_hud_client_get_chat            (OhHudClient *self);

GListModel    *oh_hud_client_get_users           (OhHudClient *self);
GListModel    *oh_hud_client_get_calls           (OhHudClient *self);
GListModel    *oh_hud_client_get_sessions        (OhHudClient *self);

OhDBusUser    *oh_hud_client_lookup_user         (OhHudClient *self,
                                                  const char  *path);
OhDBusUser    *oh_hud_client_find_user           (OhHudClient *self,
                                                  const char  *extension_or_name);
OhDBusCall    *oh_hud_client_lookup_call         (OhHudClient *self,
                                                  const char  *path);
OhDBusSession *oh_hud_client_lookup_session      (OhHudClient *self,
                                                  const char  *path);
const char    *oh_hud_client_get_own_extension   (OhHudClient *self);

G_END_DECLS

/* oh-hud-user-row.h: one user with presence, sessions and actions
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_USER_ROW (oh_hud_user_row_get_type ())
G_DECLARE_FINAL_TYPE (OhHudUserRow, oh_hud_user_row, OH, HUD_USER_ROW, AdwActionRow)

GtkWidget  *oh_hud_user_row_new      (OhHudClient  *client,
                                      OhDBusUser   *user);
OhDBusUser *oh_hud_user_row_get_user (OhHudUserRow *self);
void        oh_hud_user_row_dump     (OhHudUserRow *self,
                                      JsonBuilder  *builder);

G_END_DECLS

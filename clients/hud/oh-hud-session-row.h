/* oh-hud-session-row.h: one call anywhere on the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_SESSION_ROW (oh_hud_session_row_get_type ())
G_DECLARE_FINAL_TYPE (OhHudSessionRow, oh_hud_session_row, OH, HUD_SESSION_ROW, AdwActionRow)

GtkWidget *oh_hud_session_row_new  (OhHudClient     *client,
                                    OhDBusSession   *session);
void       oh_hud_session_row_dump (OhHudSessionRow *self,
                                    JsonBuilder     *builder);

G_END_DECLS

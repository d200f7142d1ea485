/* oh-hud-call-row.h: one of the user's calls, with its controls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_CALL_ROW (oh_hud_call_row_get_type ())
G_DECLARE_FINAL_TYPE (OhHudCallRow, oh_hud_call_row, OH, HUD_CALL_ROW, GtkListBoxRow)

GtkWidget *oh_hud_call_row_new  (OhHudClient  *client,
                                 OhDBusCall   *call);
void       oh_hud_call_row_dump (OhHudCallRow *self,
                                 JsonBuilder  *builder);

G_END_DECLS

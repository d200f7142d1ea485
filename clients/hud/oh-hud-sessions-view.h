/* oh-hud-sessions-view.h: every call on the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_SESSIONS_VIEW (oh_hud_sessions_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudSessionsView, oh_hud_sessions_view, OH, HUD_SESSIONS_VIEW, GtkBox)

GtkWidget *oh_hud_sessions_view_new  (OhHudClient       *client);
void       oh_hud_sessions_view_dump (OhHudSessionsView *self,
                                      JsonBuilder       *builder);

G_END_DECLS

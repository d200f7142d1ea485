/* oh-hud-users-view.h: the users of the PBX, with presence and search
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_USERS_VIEW (oh_hud_users_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudUsersView, oh_hud_users_view, OH, HUD_USERS_VIEW, GtkBox)

GtkWidget *oh_hud_users_view_new          (OhHudClient    *client);
void       oh_hud_users_view_focus_search (OhHudUsersView *self);
void       oh_hud_users_view_set_search   (OhHudUsersView *self,
                                           const char     *text);
void       oh_hud_users_view_dump         (OhHudUsersView *self,
                                           JsonBuilder    *builder);

G_END_DECLS

/* oh-hud-login-view.h: the account form, when not logged in
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_LOGIN_VIEW (oh_hud_login_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudLoginView, oh_hud_login_view, OH, HUD_LOGIN_VIEW, AdwBin)

GtkWidget *oh_hud_login_view_new   (OhHudClient    *client);
void       oh_hud_login_view_focus (OhHudLoginView *self);
void       oh_hud_login_view_dump  (OhHudLoginView *self,
                                    JsonBuilder    *builder);

G_END_DECLS

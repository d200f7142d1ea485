/* oh-hud-calls-view.h: the dial pad and the user's calls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_CALLS_VIEW (oh_hud_calls_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudCallsView, oh_hud_calls_view, OH, HUD_CALLS_VIEW, GtkBox)

GtkWidget *oh_hud_calls_view_new        (OhHudClient    *client);
void       oh_hud_calls_view_set_number (OhHudCallsView *self,
                                         const char     *number);
void       oh_hud_calls_view_focus      (OhHudCallsView *self);
void       oh_hud_calls_view_dump       (OhHudCallsView *self,
                                         JsonBuilder    *builder);

G_END_DECLS

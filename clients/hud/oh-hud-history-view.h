/* oh-hud-history-view.h: the call history, paged and filtered
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_HISTORY_VIEW (oh_hud_history_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudHistoryView, oh_hud_history_view, OH, HUD_HISTORY_VIEW, GtkBox)

GtkWidget *oh_hud_history_view_new        (OhHudClient      *client);
gboolean   oh_hud_history_view_set_filter (OhHudHistoryView *self,
                                           GVariant         *filter,
                                           GError          **error);
void       oh_hud_history_view_reload     (OhHudHistoryView *self);
void       oh_hud_history_view_dump       (OhHudHistoryView *self,
                                           JsonBuilder      *builder);

G_END_DECLS

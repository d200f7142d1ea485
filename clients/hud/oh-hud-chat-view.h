/* oh-hud-chat-view.h: conversations with the other users
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_CHAT_VIEW (oh_hud_chat_view_get_type ())
G_DECLARE_FINAL_TYPE (OhHudChatView, oh_hud_chat_view, OH, HUD_CHAT_VIEW, GtkBox)

GtkWidget  *oh_hud_chat_view_new      (OhHudClient   *client);
gboolean    oh_hud_chat_view_open     (OhHudChatView *self,
                                       const char    *peer);
const char *oh_hud_chat_view_get_peer (OhHudChatView *self);
void        oh_hud_chat_view_dump     (OhHudChatView *self,
                                       JsonBuilder   *builder);

G_END_DECLS

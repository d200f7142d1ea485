/* oh-hud-window.h: a HUD window
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "oh-hud-client.h"

G_BEGIN_DECLS

#define OH_TYPE_HUD_WINDOW (oh_hud_window_get_type ())
G_DECLARE_FINAL_TYPE (OhHudWindow, oh_hud_window, OH, HUD_WINDOW, AdwApplicationWindow)

OhHudWindow *oh_hud_window_new                (GtkApplication *application,
                                               OhHudClient    *client);
gboolean     oh_hud_window_show_view          (OhHudWindow    *self,
                                               const char     *name);
const char  *oh_hud_window_get_view           (OhHudWindow    *self);
const char  *oh_hud_window_get_page           (OhHudWindow    *self);
gboolean     oh_hud_window_open_chat          (OhHudWindow    *self,
                                               const char     *peer);
void         oh_hud_window_set_number         (OhHudWindow    *self,
                                               const char     *number);
gboolean     oh_hud_window_set_history_filter (OhHudWindow    *self,
                                               GVariant       *filter,
                                               GError        **error);
void         oh_hud_window_set_user_search    (OhHudWindow    *self,
                                               const char     *text);
void         oh_hud_window_focus_search       (OhHudWindow    *self);
void         oh_hud_window_toast              (OhHudWindow    *self,
                                               const char     *message);
void         oh_hud_window_dump               (OhHudWindow    *self,
                                               JsonBuilder    *builder);

G_END_DECLS

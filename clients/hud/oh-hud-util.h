/* oh-hud-util.h: small widgets and helpers the views share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *oh_hud_icon_button          (const char   *icon_name,
                                        const char   *label);
void       oh_hud_set_tooltip_label    (GtkWidget    *widget,
                                        const char   *label);
GtkWidget *oh_hud_presence_dot_new     (void);
void       oh_hud_presence_dot_set     (GtkWidget    *dot,
                                        const char   *presence);
void       oh_hud_set_css_state        (GtkWidget    *widget,
                                        const char   *prefix,
                                        const char   *state);
void       oh_hud_clear_list_box       (GtkListBox   *box);

char      *oh_hud_error_message        (const GError *error);
void       oh_hud_report_error         (const GError *error);
void       oh_hud_report_message       (const char   *message);
void       oh_hud_on_call_done         (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      data);

G_END_DECLS

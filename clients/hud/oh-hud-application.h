/* oh-hud-application.h: the HUD application and its actions
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OH_TYPE_HUD_APPLICATION (oh_hud_application_get_type ())
G_DECLARE_FINAL_TYPE (OhHudApplication, oh_hud_application, OH, HUD_APPLICATION, AdwApplication)

OhHudApplication *oh_hud_application_new (void);

G_END_DECLS

/* oh-hud-screenshot.h: a window as a PNG, without a screenshot tool
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     oh_hud_screenshot_async  (GtkWidget            *widget,
                                   const char           *path,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean oh_hud_screenshot_finish (GtkWidget            *widget,
                                   GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS

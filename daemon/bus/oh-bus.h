/* oh-bus.h: exports the daemon's model on the session bus
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-service.h"

G_BEGIN_DECLS

#define OH_TYPE_BUS (oh_bus_get_type ())
G_DECLARE_FINAL_TYPE (OhBus, oh_bus, OH, BUS, GObject)

OhBus   *oh_bus_new      (OhService       *service);
gboolean oh_bus_export   (OhBus            *self,
                          GDBusConnection  *connection,
                          GError          **error);
void     oh_bus_unexport (OhBus           *self);

char    *oh_bus_escape_path_element (const char *id);

G_END_DECLS

/* oh-bus-private.h: shared by the files of the bus layer
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-bus.h"
#include "oh-dbus-generated.h"

G_BEGIN_DECLS

#define USER_PATH_PREFIX OH_OBJECT_PATH "/User/"
#define SESSION_PATH_PREFIX OH_OBJECT_PATH "/Session/"
#define CALL_PATH_PREFIX OH_OBJECT_PATH "/Call/"

typedef void (*OhBusMirrorFunc) (GObject *model, GObject *skeleton, const char *name);

char  *oh_bus_make_path         (const char        *prefix,
                                 const char        *id);
char **oh_bus_make_paths        (const char        *prefix,
                                 const char *const *ids);
void   oh_bus_copy_property     (GObject    *model,
                                 GObject    *skeleton,
                                 const char *name);
void   oh_bus_mirror_properties (GObject        *model,
                                 GObject        *skeleton,
                                 OhBusMirrorFunc mirror);
void   oh_bus_forget_model      (GObject *model);
void   oh_bus_unexport_object   (GDBusObjectManagerServer *manager,
                                 const char               *path,
                                 const char               *iface_name);

GDBusObjectManagerServer *oh_bus_get_manager (OhBus *self);
OhService                *oh_bus_get_service (OhBus *self);

/* oh-bus-calls.c: the Phone interface and the Call objects */
OhDBusPhone *oh_bus_calls_setup        (OhBus      *self);
void         oh_bus_calls_connect_user (OhBus      *self,
                                        OhDBusUser *iface,
                                        OhUser     *user);

/* oh-bus-chat.c: the Chat interface */
OhDBusChat  *oh_bus_chat_setup         (OhBus      *self);
void         oh_bus_chat_connect_user  (OhBus      *self,
                                        OhDBusUser *iface,
                                        OhUser     *user);

G_END_DECLS

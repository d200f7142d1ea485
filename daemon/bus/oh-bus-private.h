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

/* oh-bus-objects.c: the ObjectManager; users and sessions served from the model */
typedef struct _OhBusObjects OhBusObjects;

typedef struct
{
  const char *name;        /* on D-Bus */
  const char *model_name;  /* the model's GObject property it follows */
  GVariant *(*get) (GObject *model);
} OhBusProperty;

typedef void (*OhBusMethodFunc) (OhBus                 *bus,
                                 GObject               *model,
                                 const char            *method,
                                 GVariant              *parameters,
                                 GDBusMethodInvocation *invocation);

typedef struct
{
  const char          *root;            /* where the subtree is registered */
  const char          *prefix;          /* root + "/": the objects' paths are prefix<id> */
  const char          *interface_name;
  GDBusInterfaceInfo *(*info) (void);
  const OhBusProperty *properties;      /* at most 32 */
  guint                n_properties;
  OhBusMethodFunc      method_call;     /* NULL: no methods */
  void               (*set_observer) (GObject *model, OhModelObserver observer, gpointer data);
} OhBusKind;

OhBusObjects *oh_bus_objects_new             (OhBus                  *bus,
                                              const OhBusKind *const *kinds);
void          oh_bus_objects_close           (OhBusObjects     *self);
void          oh_bus_objects_unref           (OhBusObjects     *self);
gboolean      oh_bus_objects_set_connection  (OhBusObjects     *self,
                                              GDBusConnection  *connection,
                                              GError          **error);
void          oh_bus_objects_add             (OhBusObjects    *self,
                                              const OhBusKind *kind,
                                              const char      *id,
                                              GObject         *model);
void          oh_bus_objects_remove          (OhBusObjects    *self,
                                              const OhBusKind *kind,
                                              const char      *id);
void          oh_bus_objects_add_skeleton    (OhBusObjects           *self,
                                              const char             *path,
                                              GDBusInterfaceSkeleton *iface);
void          oh_bus_objects_remove_skeleton (OhBusObjects *self,
                                              const char   *path);

GVariant     *oh_bus_variant_paths           (const char        *prefix,
                                              const char *const *ids);

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

OhBusObjects *oh_bus_get_objects (OhBus *self);
OhService    *oh_bus_get_service (OhBus *self);

/* oh-bus-calls.c: the Phone interface and the Call objects */
OhDBusPhone *oh_bus_calls_setup       (OhBus                 *self);
void         oh_bus_calls_call_user   (OhBus                 *self,
                                       OhUser                *user,
                                       gboolean               mobile,
                                       GDBusMethodInvocation *invocation);

/* oh-bus-chat.c: the Chat interface */
OhDBusChat  *oh_bus_chat_setup        (OhBus                 *self);
void         oh_bus_chat_send_to_user (OhBus                 *self,
                                       OhUser                *user,
                                       const char            *body,
                                       GDBusMethodInvocation *invocation);

G_END_DECLS

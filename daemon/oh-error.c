/* oh-error.c: the OH_ERROR domain, registered with GDBus
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gio/gio.h>

#include "oh-error.h"

static const GDBusErrorEntry oh_error_entries[] = {
  { OH_ERROR_NOT_CONNECTED, "org.offhook.Offhook1.Error.NotConnected" },
  { OH_ERROR_ACCESS_DENIED, "org.offhook.Offhook1.Error.AccessDenied" },
  { OH_ERROR_INVALID_ARGUMENT, "org.offhook.Offhook1.Error.InvalidArgument" },
  { OH_ERROR_NOT_FOUND, "org.offhook.Offhook1.Error.NotFound" },
  { OH_ERROR_NOT_SUPPORTED, "org.offhook.Offhook1.Error.NotSupported" },
  { OH_ERROR_BUSY, "org.offhook.Offhook1.Error.Busy" },
  { OH_ERROR_FAILED, "org.offhook.Offhook1.Error.Failed" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (oh_error_entries) == OH_ERROR_FAILED + 1);

GQuark
oh_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("oh-error-quark", &quark,
                                      oh_error_entries,
                                      G_N_ELEMENTS (oh_error_entries));
  return (GQuark) quark;
}

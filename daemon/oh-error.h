/* oh-error.h: the errors Offhook reports to clients
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OhError:
 * @OH_ERROR_NOT_CONNECTED: the daemon is not connected to the PBX
 * @OH_ERROR_ACCESS_DENIED: the PBX refused the credentials
 * @OH_ERROR_INVALID_ARGUMENT: a client sent something invalid
 * @OH_ERROR_NOT_FOUND: no such object, account or peer
 * @OH_ERROR_NOT_SUPPORTED: not possible (yet, or in this state of the PBX)
 * @OH_ERROR_BUSY: the operation conflicts with one in progress
 * @OH_ERROR_FAILED: anything else; the message says what
 *
 * Mapped one to one onto `org.offhook.Offhook1.Error.*` on the bus.
 */
typedef enum {
  OH_ERROR_NOT_CONNECTED,
  OH_ERROR_ACCESS_DENIED,
  OH_ERROR_INVALID_ARGUMENT,
  OH_ERROR_NOT_FOUND,
  OH_ERROR_NOT_SUPPORTED,
  OH_ERROR_BUSY,
  OH_ERROR_FAILED,
} OhError;

#define OH_ERROR (oh_error_quark ())
GQuark oh_error_quark (void);

G_END_DECLS

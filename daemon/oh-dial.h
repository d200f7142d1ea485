/* oh-dial.h: what may be dialled, before anything reaches the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest number, in digits. */
#define OH_DIAL_MAX_DIGITS 32

/* Checks a number: digits, "*", "#", an optional leading "+", and the
 * separators " ", "-" and "." (removed). Everything else — "&", ",", "/",
 * "(", letters, control characters — is refused.
 * Returns: TRUE and the number without separators in @normalized. */
gboolean oh_dial_validate_number (const char  *number,
                                  char       **normalized,
                                  GError     **error);

/* Checks something that names a user: letters, digits, ".", "_", "-" and
 * inner spaces, up to 64 bytes of UTF-8 without control characters. */
gboolean oh_dial_validate_name   (const char  *name,
                                  GError     **error);

/* Checks DTMF digits: 0-9 * # A-D, 1 to 64 of them. */
gboolean oh_dial_validate_dtmf   (const char  *digits,
                                  GError     **error);

/* Checks an endpoint resource before it is put into "TECH/RESOURCE". */
gboolean oh_dial_is_safe_resource (const char *resource);

G_END_DECLS

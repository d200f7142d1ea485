/* oh-dial-uri.h: tel:, sip:, sips: and callto: links to something Dial takes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest link accepted, in bytes. */
#define OH_DIAL_URI_MAX_LENGTH 256
/* The most digits in a number or an extension; the daemon's Dial() has the
 * same limit for numbers. */
#define OH_DIAL_URI_MAX_DIGITS 32

#define OH_DIAL_URI_ERROR (oh_dial_uri_error_quark ())

typedef enum {
  OH_DIAL_URI_ERROR_EMPTY,        /* nothing to parse */
  OH_DIAL_URI_ERROR_TOO_LONG,     /* longer than OH_DIAL_URI_MAX_LENGTH */
  OH_DIAL_URI_ERROR_CHARACTERS,   /* control characters, bad UTF-8, bad %-escapes */
  OH_DIAL_URI_ERROR_SCHEME,       /* not tel, sip, sips or callto */
  OH_DIAL_URI_ERROR_SYNTAX,       /* the scheme's own syntax is broken */
  OH_DIAL_URI_ERROR_NOT_DIALABLE, /* well formed, but nothing Dial() takes */
} OhDialUriError;

typedef struct {
  /* What to pass to Phone.Dial(): a number of digits, "*", "#" and an
   * optional leading "+" (separators removed), or a user name. */
  char *target;
  /* The digits of RFC 3966's ";ext=" (to send as DTMF once the call is
   * answered), or NULL. */
  char *extension;
} OhDialUri;

GQuark     oh_dial_uri_error_quark (void);

OhDialUri *oh_dial_uri_parse       (const char  *uri,
                                    GError     **error);
void       oh_dial_uri_free        (OhDialUri   *parsed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhDialUri, oh_dial_uri_free)

G_END_DECLS

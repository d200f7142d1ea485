/* oh-ari-decode.h: JSON from ARI → the typed structs of oh-ari-types.h
 *
 * Every field is checked: a missing or wrongly typed field the daemon needs
 * is an OH_ARI_ERROR_PROTOCOL error naming it, never a half-filled struct.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "oh-ari-types.h"

G_BEGIN_DECLS

#define OH_ARI_ERROR (oh_ari_error_quark ())
GQuark oh_ari_error_quark (void);

typedef enum {
  OH_ARI_ERROR_PROTOCOL,      /* malformed, truncated, wrongly typed data */
  OH_ARI_ERROR_UNAUTHORIZED,  /* HTTP 401 */
  OH_ARI_ERROR_NOT_FOUND,     /* HTTP 404 */
  OH_ARI_ERROR_CONFLICT,      /* HTTP 409/422: not in a state for that */
  OH_ARI_ERROR_BAD_REQUEST,   /* HTTP 400 */
  OH_ARI_ERROR_SERVER,        /* HTTP 5xx */
  OH_ARI_ERROR_NETWORK,       /* cannot reach the server, connection lost */
  OH_ARI_ERROR_TLS,           /* certificate or handshake failure */
  OH_ARI_ERROR_TIMEOUT,
  OH_ARI_ERROR_CLOSED,        /* the client was disconnected meanwhile */
} OhAriErrorCode;

/* Largest event or response body accepted; larger ones are a protocol error. */
#define OH_ARI_MAX_MESSAGE_SIZE (4 * 1024 * 1024)

OhAriEvent    *oh_ari_event_decode         (const char *data,
                                            gsize       length,
                                            GError    **error);
OhAriChannel  *oh_ari_channel_decode       (const char *data,
                                            gsize       length,
                                            GError    **error);
GPtrArray     *oh_ari_channel_list_decode  (const char *data,
                                            gsize       length,
                                            GError    **error);
OhAriBridge   *oh_ari_bridge_decode        (const char *data,
                                            gsize       length,
                                            GError    **error);
GPtrArray     *oh_ari_bridge_list_decode   (const char *data,
                                            gsize       length,
                                            GError    **error);
OhAriEndpoint *oh_ari_endpoint_decode      (const char *data,
                                            gsize       length,
                                            GError    **error);
GPtrArray     *oh_ari_endpoint_list_decode (const char *data,
                                            gsize       length,
                                            GError    **error);
OhAriInfo     *oh_ari_info_decode          (const char *data,
                                            gsize       length,
                                            GError    **error);
/* GET /asterisk/config/dynamic/...: returns attribute → value. */
GHashTable    *oh_ari_config_decode        (const char *data,
                                            gsize       length,
                                            GError    **error);
/* GET /channels/{id}/variable: {"value": ...} → the value. */
char          *oh_ari_variable_decode      (const char *data,
                                            gsize       length,
                                            GError    **error);
/* The checks run before the media socket's JSON control messages reach
 * json-glib. (ARI's own messages are read by oh-ari-json.c, which checks
 * all of this and more as it goes.) */
gboolean       oh_ari_json_precheck        (const char *data,
                                            gsize       length,
                                            GError    **error);
/* An error body: {"message": ...} or {"error": ...}; NULL if neither. */
char          *oh_ari_error_message_decode (const char *data,
                                            gsize       length);

/* "Carol Chen" <102>  →  name "Carol Chen", number "102" (callerid attr). */
gboolean       oh_ari_parse_callerid       (const char *callerid,
                                            char      **name,
                                            char      **number);
/* Asterisk's "2026-11-27T02:05:21.022+0000" → µs since the epoch, or -1. */
gint64         oh_ari_parse_time           (const char *text);

G_END_DECLS

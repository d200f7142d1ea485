/* oh-hud-format.h: words and numbers the HUD shows
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a dial pad entry holds, judged like the daemon's Phone.Dial(). */
typedef enum {
  OH_HUD_NUMBER_EMPTY,
  OH_HUD_NUMBER_PHONE,   /* digits, "*", "#", a leading "+" */
  OH_HUD_NUMBER_NAME,    /* could be a user's name */
  OH_HUD_NUMBER_INVALID,
} OhHudNumberKind;

#define OH_HUD_MAX_DIGITS 32

OhHudNumberKind oh_hud_check_number       (const char  *text,
                                           char       **normalized,
                                           char       **problem);
gboolean        oh_hud_is_dtmf_digit      (const char  *digit);

const char     *oh_hud_presence_label     (const char  *presence);
const char     *oh_hud_presence_class     (const char  *presence);
const char     *oh_hud_call_state_label   (const char  *state);
const char     *oh_hud_end_reason_label   (const char  *reason);
const char     *oh_hud_session_state_label (const char *state);
const char     *oh_hud_account_state_label (const char *state);
const char     *oh_hud_disposition_label  (const char  *disposition);
const char     *oh_hud_direction_label    (const char  *direction);

char           *oh_hud_format_duration    (gint64       seconds);
char           *oh_hud_format_elapsed     (gint64       since_usec,
                                           gint64       now_usec);
char           *oh_hud_format_time        (gint64       usec,
                                           GDateTime   *now);
char           *oh_hud_party              (const char  *name,
                                           const char  *number);
char           *oh_hud_search_key         (const char  *text);
gboolean        oh_hud_matches            (const char  *needle_key,
                                           const char  *const *fields);

G_END_DECLS

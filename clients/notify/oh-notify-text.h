/* oh-notify-text.h: text from the bus made fit for a notification
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest summary and body line, in characters. */
#define OH_NOTIFY_SUMMARY_MAX 80
#define OH_NOTIFY_BODY_MAX 200

char *oh_notify_text_clean      (const char *text,
                                 gsize       max_chars);
char *oh_notify_text_first_line (const char *text,
                                 gsize       max_chars);

G_END_DECLS

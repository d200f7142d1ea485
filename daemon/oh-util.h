/* oh-util.h: small helpers shared by every layer of the daemon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Like g_set_str() of GLib 2.76, which Debian 12 does not have yet:
 * replaces *str_pointer with a copy of new_str and says whether it changed. */
static inline gboolean
oh_set_str (char       **str_pointer,
            const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;
  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;
  return TRUE;
}

G_END_DECLS

G_BEGIN_DECLS

/* A GPtrArray of strings kept NULL-terminated, so that ->pdata is a strv
 * (what GObject string-array properties hand out). Set semantics. */
GPtrArray *oh_strv_array_new      (void);
gboolean   oh_strv_array_contains (GPtrArray  *array,
                                   const char *value);
gboolean   oh_strv_array_add      (GPtrArray  *array,
                                   const char *value);
gboolean   oh_strv_array_remove   (GPtrArray  *array,
                                   const char *value);

G_END_DECLS

/* oh-util.c: small helpers shared by every layer of the daemon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "oh-util.h"

GPtrArray *
oh_strv_array_new (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (array, NULL);
  return array;
}

gboolean
oh_strv_array_contains (GPtrArray  *array,
                        const char *value)
{
  for (guint i = 0; i + 1 < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return TRUE;
  return FALSE;
}

/**
 * oh_strv_array_add:
 *
 * Returns: %FALSE when @value was there already.
 */
gboolean
oh_strv_array_add (GPtrArray  *array,
                   const char *value)
{
  if (oh_strv_array_contains (array, value))
    return FALSE;
  g_ptr_array_insert (array, array->len - 1, g_strdup (value));
  return TRUE;
}

/**
 * oh_strv_array_remove:
 *
 * Returns: %FALSE when @value was not there.
 */
gboolean
oh_strv_array_remove (GPtrArray  *array,
                      const char *value)
{
  for (guint i = 0; i + 1 < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      {
        g_ptr_array_remove_index (array, i);
        return TRUE;
      }
  return FALSE;
}

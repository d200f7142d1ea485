/* oh-dial.c: what may be dialled, before anything reaches the PBX
 *
 * Asterisk dial strings and dial plan locations give meaning to "&" (more
 * channels), "," (options), "/" (technology), "(" and ")" (arguments), "@"
 * (context) and more. Nothing a client sends becomes part of one unless it
 * passed an allow-list here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib/gi18n.h>

#include "oh-dial.h"
#include "oh-error.h"

gboolean
oh_dial_validate_number (const char  *number,
                         char       **normalized,
                         GError     **error)
{
  g_autoptr(GString) out = NULL;
  guint digits = 0;

  if (number == NULL || *number == '\0')
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT, _("The number is empty"));
      return FALSE;
    }

  out = g_string_new (NULL);
  for (const char *p = number; *p; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        {
          if (++digits > OH_DIAL_MAX_DIGITS)
            {
              g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The number is longer than %d digits"), OH_DIAL_MAX_DIGITS);
              return FALSE;
            }
          g_string_append_c (out, *p);
        }
      else if (*p == '+' && out->len == 0 && digits == 0)
        g_string_append_c (out, '+');
      else if ((*p == ' ' || *p == '-' || *p == '.') && out->len > 0 && p[1] != '\0')
        continue;
      else
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a phone number: only digits, “*”, “#” and a leading “+” may be dialled"),
                       g_utf8_validate (number, -1, NULL) && strlen (number) <= 64 ? number : "…");
          return FALSE;
        }
    }
  if (digits == 0)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The number has no digits"));
      return FALSE;
    }
  if (normalized)
    *normalized = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

static gboolean
is_valid_name (const char *name)
{
  gsize length = name ? strlen (name) : 0;

  if (length == 0 || length > 64 || !g_utf8_validate (name, -1, NULL) ||
      name[0] == ' ' || name[length - 1] == ' ')
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '.' && c != '_' && c != '-' && c != ' ')
        return FALSE;
    }
  return TRUE;
}

gboolean
oh_dial_validate_name (const char  *name,
                       GError     **error)
{
  if (is_valid_name (name))
    return TRUE;
  g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("That is neither a phone number nor the name of a user"));
  return FALSE;
}

gboolean
oh_dial_validate_dtmf (const char  *digits,
                       GError     **error)
{
  gsize length = digits ? strlen (digits) : 0;

  if (length == 0 || length > 64 ||
      strspn (digits, "0123456789*#ABCD") != length)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("DTMF digits are 0–9, *, # and A–D, 1 to 64 of them"));
      return FALSE;
    }
  return TRUE;
}

gboolean
oh_dial_is_safe_resource (const char *resource)
{
  gsize length = resource ? strlen (resource) : 0;

  return length > 0 && length <= 64 &&
         strspn (resource, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+") == length;
}

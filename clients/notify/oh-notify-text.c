/* oh-notify-text.c: text from the bus made fit for a notification
 *
 * Names and messages come from other people's phones. Before they are
 * shown they become one line of valid UTF-8, without control characters or
 * the invisible characters that reorder text (which could make a number
 * look like another), and no longer than a notification can show. Markup
 * is escaped later, by OhNotifications, only for servers that read it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "oh-notify-text.h"

static gboolean
is_hidden (gunichar c)
{
  /* C0 and C1 controls, DEL, and the bidirectional embeddings, overrides
   * and isolates. */
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
}

/* Shortens @line (already clean) to @max_chars, the "…" included; with
 * @more it ends with "…" anyway. */
static char *
shorten (char     *line,
         gsize     max_chars,
         gboolean  more)
{
  glong length = g_utf8_strlen (line, -1);

  if (!more && (gsize) length <= max_chars)
    return line;
  if ((gsize) length > max_chars - 1)
    *g_utf8_offset_to_pointer (line, max_chars - 1) = '\0';
  return g_strconcat (g_strchomp (line), "…", NULL);
}

static char *
clean (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        space = out->len > 0;
      else if (!is_hidden (c))
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * oh_notify_text_clean:
 * @text: (nullable): text from the bus
 * @max_chars: the most characters to keep (at least 2), counting the "…"
 *   that ends a shortened text
 *
 * Makes one line of @text: invalid UTF-8 is replaced, white space (line
 * breaks and tabs too) becomes one space, other control and reordering
 * characters are dropped, and the result is shortened to @max_chars.
 *
 * Returns: (transfer full): the line, maybe empty
 */
char *
oh_notify_text_clean (const char *text,
                      gsize       max_chars)
{
  char *line = clean (text);
  char *out;

  g_return_val_if_fail (max_chars >= 2, line);
  out = shorten (line, max_chars, FALSE);
  if (out != line)
    g_free (line);
  return out;
}

/**
 * oh_notify_text_first_line:
 * @text: (nullable): a message
 * @max_chars: as for oh_notify_text_clean()
 *
 * The first line of @text that is not blank, cleaned and shortened; it
 * ends with "…" when more lines follow.
 *
 * Returns: (transfer full): the line, maybe empty
 */
char *
oh_notify_text_first_line (const char *text,
                           gsize       max_chars)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  g_return_val_if_fail (max_chars >= 2, g_strdup (""));

  for (guint i = 0; lines[i]; i++)
    {
      char *line = clean (lines[i]);
      gboolean more = FALSE;
      char *out;

      if (*line == '\0')
        {
          g_free (line);
          continue;
        }
      for (guint j = i + 1; lines[j] && !more; j++)
        {
          g_autofree char *rest = clean (lines[j]);

          more = *rest != '\0';
        }
      out = shorten (line, max_chars, more);
      if (out != line)
        g_free (line);
      return out;
    }
  return g_strdup ("");
}

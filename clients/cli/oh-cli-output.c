/* oh-cli-output.c: what the offhook commands print, and how
 *
 * One line of JSON per document or event; for people, tables whose columns
 * are measured in terminal cells, states in the user's language and (on a
 * terminal, without NO_COLOR) in colour, times in the user's time zone and
 * locale, and text from the PBX with its control characters defused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "oh-cli-common.h"

/* --- output ---------------------------------------------------------- */

/**
 * oh_cli_print_json:
 *
 * Prints @node as one line of JSON and flushes, so that a reader of a pipe
 * sees each line as it happens.
 */
void
oh_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_print ("%s\n", text);
  fflush (stdout);
}

/**
 * oh_cli_print_line:
 *
 * Prints one line (the format has no newline) and flushes.
 */
void
oh_cli_print_line (const char *format,
                   ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s\n", line);
  fflush (stdout);
}

/**
 * oh_cli_sanitize:
 *
 * Returns: (transfer full): @text with control characters (which could
 * move the cursor or change colours, coming from the PBX) made visible as
 * U+FFFD; newlines and tabs become spaces.
 */
char *
oh_cli_sanitize (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        g_string_append_c (out, ' ');
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * oh_cli_text_width:
 *
 * Returns: how many terminal cells @text (valid UTF-8, no escapes) takes
 */
gsize
oh_cli_text_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

#define COLOR_GREEN   "32"
#define COLOR_YELLOW  "33"
#define COLOR_RED     "1;31"
#define COLOR_BLUE    "34"
#define COLOR_CYAN    "36"
#define COLOR_DIM     "2"

/* The states of the D-Bus API, for people: translated and coloured. The
 * JSON output always has the API's own words. */
static const struct {
  const char *state;
  const char *label;
  const char *color;
} states[] = {
  /* presence */
  { "available", NC_("state", "available"), COLOR_GREEN },
  { "ringing", NC_("state", "ringing"), COLOR_YELLOW },
  { "busy", NC_("state", "busy"), COLOR_RED },
  { "on-hold", NC_("state", "on hold"), COLOR_BLUE },
  { "offline", NC_("state", "offline"), COLOR_DIM },
  { "unknown", NC_("state", "unknown"), NULL },
  /* account */
  { "disconnected", NC_("state", "disconnected"), COLOR_DIM },
  { "connecting", NC_("state", "connecting"), COLOR_YELLOW },
  { "connected", NC_("state", "connected"), COLOR_GREEN },
  { "access-denied", NC_("state", "access denied"), COLOR_RED },
  { "failed", NC_("state", "failed"), COLOR_RED },
  /* calls */
  { "dialing", NC_("state", "dialing"), COLOR_CYAN },
  { "ringing-out", NC_("state", "ringing out"), COLOR_YELLOW },
  { "ringing-in", NC_("state", "ringing in"), COLOR_YELLOW },
  { "active", NC_("state", "active"), COLOR_GREEN },
  { "held", NC_("state", "held"), COLOR_BLUE },
  { "ended", NC_("state", "ended"), COLOR_DIM },
  /* sessions */
  { "setup", NC_("state", "setup"), COLOR_CYAN },
  { "in-call", NC_("state", "in call"), COLOR_GREEN },
  { "completed", NC_("state", "completed"), COLOR_DIM },
  /* history */
  { "answered", NC_("state", "answered"), COLOR_GREEN },
  { "missed", NC_("state", "missed"), COLOR_RED },
  { "incoming", NC_("state", "incoming"), NULL },
  { "outgoing", NC_("state", "outgoing"), NULL },
  { "internal", NC_("state", "internal"), NULL },
  /* end reasons */
  { "local-hangup", NC_("state", "hung up"), NULL },
  { "remote-hangup", NC_("state", "hung up by the other side"), NULL },
  { "rejected", NC_("state", "rejected"), NULL },
  { "no-answer", NC_("state", "no answer"), NULL },
  { "transferred", NC_("state", "transferred"), NULL },
  /* audio */
  { "none", NC_("state", "none"), NULL },
  { "flowing", NC_("state", "flowing"), COLOR_GREEN },
  { "stalled", NC_("state", "stalled"), COLOR_RED },
};

/**
 * oh_cli_state_label:
 *
 * Returns: (transfer none): a state of the API in the user's language
 */
const char *
oh_cli_state_label (const char *state)
{
  for (guint i = 0; state && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (state, states[i].state))
      return g_dpgettext2 (GETTEXT_PACKAGE, "state", states[i].label);
  return state ? state : "";
}

static const char *
state_color (const char *state)
{
  for (guint i = 0; state && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (state, states[i].state))
      return states[i].color;
  return NULL;
}

/**
 * oh_cli_paint:
 * @color: (nullable): an SGR code such as "32"
 *
 * Returns: (transfer full): @text in @color when colour is on
 */
char *
oh_cli_paint (OhCli      *cli,
              const char *text,
              const char *color)
{
  if (!cli->color || color == NULL)
    return g_strdup (text);
  return g_strdup_printf ("\033[%sm%s\033[0m", color, text);
}

/**
 * oh_cli_state_text:
 *
 * Returns: (transfer full): a state, translated, in its colour when colour
 * is on
 */
char *
oh_cli_state_text (OhCli      *cli,
                   const char *state)
{
  g_autofree char *label = oh_cli_sanitize (oh_cli_state_label (state));

  return oh_cli_paint (cli, label, state_color (state));
}

/**
 * oh_cli_format_time:
 * @usec: microseconds since the Unix epoch, 0 for none
 *
 * Returns: (transfer full): the time in the user's time zone and locale:
 * only the time of day for today, the date and time otherwise
 */
char *
oh_cli_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (usec <= 0)
    return g_strdup ("-");
  dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  if (dt == NULL)
    return g_strdup ("-");
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (dt) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (now))
    return g_date_time_format (dt, "%X");
  return g_date_time_format (dt, "%c");
}

/**
 * oh_cli_format_clock:
 *
 * Returns: (transfer full): the time of day now, in the user's locale
 */
char *
oh_cli_format_clock (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%X");
}

/**
 * oh_cli_format_duration:
 *
 * Returns: (transfer full): @seconds as H:MM:SS
 */
char *
oh_cli_format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                          (int) (seconds / 60 % 60), (int) (seconds % 60));
}

/**
 * oh_cli_talk_seconds:
 * @answer_time: when the call was answered, or 0
 * @end_time: when it ended, or 0 while it goes on
 *
 * Returns: how long the parties have talked, in whole seconds
 */
gint64
oh_cli_talk_seconds (gint64 answer_time,
                     gint64 end_time)
{
  gint64 end;

  if (answer_time <= 0)
    return 0;
  end = end_time > 0 ? end_time : g_get_real_time ();
  return MAX (end - answer_time, 0) / G_USEC_PER_SEC;
}

/**
 * oh_cli_party:
 *
 * Returns: (transfer full): "101 Bob Brown", or whichever of the two is known
 */
char *
oh_cli_party (const char *number,
              const char *name)
{
  gboolean has_number = number && *number;
  gboolean has_name = name && *name && g_strcmp0 (name, number) != 0;

  if (has_number && has_name)
    return g_strdup_printf ("%s %s", number, name);
  if (has_name)
    return g_strdup (name);
  return g_strdup (has_number ? number : "-");
}

void
oh_cli_json_add_string (JsonBuilder *builder,
                        const char  *key,
                        const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value ? value : "");
}

void
oh_cli_json_add_int (JsonBuilder *builder,
                     const char  *key,
                     gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

void
oh_cli_json_add_strv (JsonBuilder       *builder,
                      const char        *key,
                      const char *const *values)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; values && values[i]; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* --- tables ---------------------------------------------------------- */

typedef struct {
  char *text;
  char *color;
} Cell;

static void
cell_free (Cell *cell)
{
  g_free (cell->text);
  g_free (cell->color);
  g_free (cell);
}

struct _OhCliTable {
  OhCli     *cli;
  GPtrArray *headers;
  GArray    *right;
  GPtrArray *rows;
  GPtrArray *row;
};

/**
 * oh_cli_table_new:
 * @first_header: the first column's heading, then the others, then %NULL
 *
 * Returns: (transfer full): an empty table; add cells row by row
 */
OhCliTable *
oh_cli_table_new (OhCli      *cli,
                  const char *first_header,
                  ...)
{
  OhCliTable *table = g_new0 (OhCliTable, 1);
  va_list args;

  table->cli = cli;
  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->right = g_array_new (FALSE, TRUE, sizeof (gboolean));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  va_start (args, first_header);
  for (const char *h = first_header; h; h = va_arg (args, const char *))
    {
      gboolean right = FALSE;

      g_ptr_array_add (table->headers, g_strdup (h));
      g_array_append_val (table->right, right);
    }
  va_end (args);
  return table;
}

void
oh_cli_table_align_right (OhCliTable *table,
                          guint       column)
{
  g_return_if_fail (column < table->right->len);
  g_array_index (table->right, gboolean, column) = TRUE;
}

/**
 * oh_cli_table_add:
 * @color: (nullable): its colour (used only when colour is on)
 *
 * Adds the next cell; after the last column, the next cell starts a row.
 */
void
oh_cli_table_add (OhCliTable *table,
                  const char *text,
                  const char *color)
{
  Cell *cell = g_new0 (Cell, 1);

  if (table->row == NULL || table->row->len == table->headers->len)
    {
      table->row = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
      g_ptr_array_add (table->rows, table->row);
    }
  cell->text = oh_cli_sanitize (text);
  cell->color = g_strdup (color);
  g_ptr_array_add (table->row, cell);
}

void
oh_cli_table_add_state (OhCliTable *table,
                        const char *state)
{
  oh_cli_table_add (table, oh_cli_state_label (state), state_color (state));
}

static void
append_cell (OhCliTable *table,
             GString    *line,
             const char *text,
             const char *color,
             gsize       width,
             gboolean    right,
             gboolean    last)
{
  gsize pad = width - MIN (width, oh_cli_text_width (text));
  g_autofree char *painted = oh_cli_paint (table->cli, text, color);

  if (right)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, painted);
  if (!right && !last)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  if (!last)
    g_string_append (line, "  ");
}

/**
 * oh_cli_table_print:
 *
 * Prints the headings and the rows, each column as wide as its widest
 * cell in terminal cells, without trailing blanks.
 */
void
oh_cli_table_print (OhCliTable *table)
{
  guint ncols = table->headers->len;
  g_autofree gsize *widths = g_new0 (gsize, ncols);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < ncols; c++)
    widths[c] = oh_cli_text_width (table->headers->pdata[c]);
  for (guint r = 0; r < table->rows->len; r++)
    {
      GPtrArray *row = table->rows->pdata[r];

      for (guint c = 0; c < row->len; c++)
        widths[c] = MAX (widths[c], oh_cli_text_width (((Cell *) row->pdata[c])->text));
    }

  for (guint c = 0; c < ncols; c++)
    append_cell (table, line, table->headers->pdata[c], "1", widths[c],
                 g_array_index (table->right, gboolean, c), c + 1 == ncols);
  g_print ("%s\n", line->str);
  for (guint r = 0; r < table->rows->len; r++)
    {
      GPtrArray *row = table->rows->pdata[r];

      g_string_truncate (line, 0);
      for (guint c = 0; c < ncols; c++)
        {
          Cell *cell = c < row->len ? row->pdata[c] : NULL;

          append_cell (table, line, cell ? cell->text : "", cell ? cell->color : NULL,
                       widths[c], g_array_index (table->right, gboolean, c), c + 1 == ncols);
        }
      g_print ("%s\n", line->str);
    }
  fflush (stdout);
}

void
oh_cli_table_free (OhCliTable *table)
{
  g_ptr_array_unref (table->headers);
  g_array_unref (table->right);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

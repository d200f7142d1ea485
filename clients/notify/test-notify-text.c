/* test-notify-text.c: names and messages made fit for a notification
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>

#include "oh-notify-text.h"

static void
test_clean (void)
{
  const struct
  {
    const char *in;
    gsize max;
    const char *out;
  } cases[] = {
    { NULL, 10, "" },
    { "", 10, "" },
    { "Bob Brown", 10, "Bob Brown" },
    { "  Bob \t\n Brown  ", 20, "Bob Brown" },
    { "Bob\x1b[31mBrown", 20, "Bob[31mBrown" },
    { "a\x7f"
      "b\xc2\x85"
      "c",
      20, "abc" },
    /* Right-to-left override: would show "101" as "101" reversed. */
    { "\xe2\x80\xae"
      "1234",
      20, "1234" },
    { "\xe2\x81\xa6"
      "x"
      "\xe2\x81\xa9",
      20, "x" },
    { "bad \xff utf8", 20, "bad \xef\xbf\xbd utf8" },
    { "0123456789", 10, "0123456789" },
    { "0123456789a", 10, "012345678…" },
    { "ééééééééééé", 5, "éééé…" },
    { "abc def", 5, "abc…" },
    { "<b>&amp;</b>", 20, "<b>&amp;</b>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = oh_notify_text_clean (cases[i].in, cases[i].max);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpuint (g_utf8_strlen (out, -1), <=, cases[i].max);
    }
}

static void
test_first_line (void)
{
  const struct
  {
    const char *in;
    gsize max;
    const char *out;
  } cases[] = {
    { NULL, 10, "" },
    { "\n\n", 10, "" },
    { "hi", 10, "hi" },
    { "hi\n", 10, "hi" },
    { "\n \nhi\n\n", 10, "hi" },
    { "hi\nthere", 10, "hi…" },
    { "0123456789\nmore", 10, "012345678…" },
    { "01234567890123\n", 10, "012345678…" },
    { "Hello Alice ✓\r\nsecond", 40, "Hello Alice ✓…" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = oh_notify_text_first_line (cases[i].in, cases[i].max);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/notify-text/clean", test_clean);
  g_test_add_func ("/notify-text/first-line", test_first_line);
  return g_test_run ();
}

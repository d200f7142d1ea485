/* test-hud-format.c: what the HUD says about numbers, states and times
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "oh-hud-format.h"

static void
test_numbers (void)
{
  static const struct {
    const char      *text;
    OhHudNumberKind  kind;
    const char      *normalized;
  } cases[] = {
    { "", OH_HUD_NUMBER_EMPTY, NULL },
    { "101", OH_HUD_NUMBER_PHONE, "101" },
    { "+49 30 1234-5678", OH_HUD_NUMBER_PHONE, "+493012345678" },
    { "*97#", OH_HUD_NUMBER_PHONE, "*97#" },
    { "Bob Brown", OH_HUD_NUMBER_NAME, NULL },
    { "bob.brown_2", OH_HUD_NUMBER_NAME, NULL },
    { "Zoë", OH_HUD_NUMBER_NAME, NULL },
    /* What would reach a dial string: never dialled. */
    { "101&102", OH_HUD_NUMBER_INVALID, NULL },
    { "PJSIP/101", OH_HUD_NUMBER_INVALID, NULL },
    { "101,tT", OH_HUD_NUMBER_INVALID, NULL },
    { "Local/1(x)", OH_HUD_NUMBER_INVALID, NULL },
    { "sip:101@pbx", OH_HUD_NUMBER_INVALID, NULL },
    { " Bob", OH_HUD_NUMBER_INVALID, NULL },
    { "Bob ", OH_HUD_NUMBER_INVALID, NULL },
    { "+", OH_HUD_NUMBER_INVALID, NULL },
    { "1+2", OH_HUD_NUMBER_INVALID, NULL },
    { "101 ", OH_HUD_NUMBER_INVALID, NULL },
    { "bell\a", OH_HUD_NUMBER_INVALID, NULL },
    { "123456789012345678901234567890123", OH_HUD_NUMBER_INVALID, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = NULL;
      g_autofree char *problem = NULL;
      OhHudNumberKind kind = oh_hud_check_number (cases[i].text, &normalized, &problem);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (kind, ==, cases[i].kind);
      if (kind == OH_HUD_NUMBER_INVALID)
        g_assert_nonnull (problem);
      else
        g_assert_null (problem);
      if (kind == OH_HUD_NUMBER_PHONE && cases[i].normalized)
        g_assert_nonnull (normalized);
    }
  {
    g_autofree char *normalized = NULL;

    g_assert_cmpint (oh_hud_check_number ("+49 30-12.34", &normalized, NULL), ==,
                     OH_HUD_NUMBER_PHONE);
    g_assert_cmpstr (normalized, ==, "+49301234");
  }
  /* 32 digits are fine; 33 are not. */
  g_assert_cmpint (oh_hud_check_number ("12345678901234567890123456789012", NULL, NULL), ==,
                   OH_HUD_NUMBER_PHONE);
  g_assert_cmpint (oh_hud_check_number (NULL, NULL, NULL), ==, OH_HUD_NUMBER_EMPTY);
}

static void
test_dtmf (void)
{
  g_assert_true (oh_hud_is_dtmf_digit ("5"));
  g_assert_true (oh_hud_is_dtmf_digit ("#"));
  g_assert_true (oh_hud_is_dtmf_digit ("D"));
  g_assert_false (oh_hud_is_dtmf_digit ("12"));
  g_assert_false (oh_hud_is_dtmf_digit ("x"));
  g_assert_false (oh_hud_is_dtmf_digit (""));
  g_assert_false (oh_hud_is_dtmf_digit (NULL));
}

static void
test_labels (void)
{
  g_assert_cmpstr (oh_hud_presence_label ("available"), ==, "Available");
  g_assert_cmpstr (oh_hud_presence_label ("on-hold"), ==, "On hold");
  g_assert_cmpstr (oh_hud_presence_label ("something-new"), ==, "Unknown");
  g_assert_cmpstr (oh_hud_presence_label (NULL), ==, "Unknown");
  g_assert_cmpstr (oh_hud_presence_class ("busy"), ==, "presence-busy");
  /* A class is never made from what the daemon sends. */
  g_assert_cmpstr (oh_hud_presence_class ("x { color: red }"), ==, "presence-unknown");
  g_assert_cmpstr (oh_hud_call_state_label ("ringing-in"), ==, "Incoming call");
  g_assert_cmpstr (oh_hud_call_state_label ("held"), ==, "On hold");
  g_assert_cmpstr (oh_hud_end_reason_label ("remote-hangup"), ==, "The other side hung up");
  g_assert_cmpstr (oh_hud_end_reason_label (""), ==, "");
  g_assert_cmpstr (oh_hud_session_state_label ("in-call"), ==, "In call");
  g_assert_cmpstr (oh_hud_account_state_label ("failed"), ==, "Connection failed");
  g_assert_cmpstr (oh_hud_account_state_label (NULL), ==, "Service not running");
  g_assert_cmpstr (oh_hud_disposition_label ("missed"), ==, "Missed");
  g_assert_cmpstr (oh_hud_direction_label ("internal"), ==, "Internal");
}

static void
test_durations (void)
{
  static const struct {
    gint64      seconds;
    const char *text;
  } cases[] = {
    { 0, "0:00" }, { 7, "0:07" }, { 59, "0:59" }, { 60, "1:00" }, { 754, "12:34" },
    { 3599, "59:59" }, { 3600, "1:00:00" }, { 3723, "1:02:03" }, { 360000, "100:00:00" },
    { -5, "0:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = oh_hud_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_elapsed (void)
{
  gint64 answered = G_GINT64_CONSTANT (1700000000000000);
  g_autofree char *none = oh_hud_format_elapsed (0, answered);
  g_autofree char *later = oh_hud_format_elapsed (answered, answered + 83 * G_USEC_PER_SEC + 999);
  g_autofree char *skew = oh_hud_format_elapsed (answered, answered - G_USEC_PER_SEC);

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (later, ==, "1:23");
  /* The daemon's clock a little ahead of ours is not a negative time. */
  g_assert_cmpstr (skew, ==, "0:00");
}

static void
test_times (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 3, 12, 15, 30, 0);
  const gint64 hour = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  gint64 today = g_date_time_to_unix (now) * G_USEC_PER_SEC - 3 * hour / 2;
  gint64 yesterday = today - 24 * hour;
  gint64 last_week = today - 3 * 24 * hour;
  gint64 long_ago = today - 400 * 24 * hour;
  g_autofree char *t1 = oh_hud_format_time (today, now);
  g_autofree char *t2 = oh_hud_format_time (yesterday, now);
  g_autofree char *t3 = oh_hud_format_time (last_week, now);
  g_autofree char *t4 = oh_hud_format_time (long_ago, now);
  g_autofree char *t5 = oh_hud_format_time (0, now);
  g_autoptr(GDateTime) new_year = g_date_time_new (utc, 2025, 1, 1, 8, 0, 0);
  g_autofree char *t6 = oh_hud_format_time (
    (g_date_time_to_unix (new_year) - 12 * 3600) * G_USEC_PER_SEC, new_year);

  g_assert_cmpstr (t1, ==, "14:00");
  g_assert_cmpstr (t2, ==, "Yesterday 14:00");
  g_assert_cmpstr (t3, ==, "Mon 14:00");
  g_assert_cmpstr (t4, ==, "05 Feb 2025 14:00");
  g_assert_cmpstr (t5, ==, "");
  /* Across the turn of a (leap) year. */
  g_assert_cmpstr (t6, ==, "Yesterday 20:00");
}

static void
test_party (void)
{
  g_autofree char *both = oh_hud_party ("Bob Brown", "101");
  g_autofree char *name = oh_hud_party ("Bob Brown", "");
  g_autofree char *number = oh_hud_party ("", "+15550101");
  g_autofree char *same = oh_hud_party ("101", "101");
  g_autofree char *none = oh_hud_party (NULL, NULL);

  g_assert_cmpstr (both, ==, "Bob Brown (101)");
  g_assert_cmpstr (name, ==, "Bob Brown");
  g_assert_cmpstr (number, ==, "+15550101");
  g_assert_cmpstr (same, ==, "101");
  g_assert_cmpstr (none, ==, "Unknown");
}

static void
test_search (void)
{
  const char *fields[] = { "Zoë Zimmermann", "115", NULL };
  g_autofree char *empty = oh_hud_search_key ("");
  g_autofree char *zoe = oh_hud_search_key ("ZOË");
  g_autofree char *ext = oh_hud_search_key ("11");
  g_autofree char *other = oh_hud_search_key ("bob");
  g_autofree char *bad = oh_hud_search_key ("\xff\xfe");

  g_assert_true (oh_hud_matches (empty, fields));
  g_assert_true (oh_hud_matches (NULL, fields));
  g_assert_true (oh_hud_matches (zoe, fields));
  g_assert_true (oh_hud_matches (ext, fields));
  g_assert_false (oh_hud_matches (other, fields));
  g_assert_cmpstr (bad, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hud/format/numbers", test_numbers);
  g_test_add_func ("/hud/format/dtmf", test_dtmf);
  g_test_add_func ("/hud/format/labels", test_labels);
  g_test_add_func ("/hud/format/durations", test_durations);
  g_test_add_func ("/hud/format/elapsed", test_elapsed);
  g_test_add_func ("/hud/format/times", test_times);
  g_test_add_func ("/hud/format/party", test_party);
  g_test_add_func ("/hud/format/search", test_search);
  return g_test_run ();
}

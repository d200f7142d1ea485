/* test-dial-uri.c: which links offhook-open-uri dials, and which it refuses
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "oh-dial-uri.h"

typedef struct {
  const char *uri;
  const char *target;
  const char *extension;
} Good;

static const Good good[] = {
  /* tel: (RFC 3966) */
  { "tel:101", "101", NULL },
  { "TEL:101", "101", NULL },
  { "tel:+1-555-0100", "+15550100", NULL },
  { "tel:+1-555-0100;ext=12", "+15550100", "12" },
  { "tel:+1.555.0100;EXT=1-2", "+15550100", "12" },
  { "tel:+1(555)0100", "+15550100", NULL },
  { "tel:+1%20555%200100", "+15550100", NULL },
  { "tel:+49-30-1234567;isub=1411;ext=99", "+49301234567", "99" },
  { "tel:7042;phone-context=example.com", "7042", NULL },
  { "tel:863-1234;phone-context=+1-914-555", "8631234", NULL },
  { "tel:*21%23", "*21#", NULL },
  { "tel:*21#", "*21#", NULL },
  { "tel:%31%30%31", "101", NULL },
  { "tel:101;foo=bar;x-y", "101", NULL },
  { "tel:12345678901234567890123456789012", "12345678901234567890123456789012", NULL },
  /* sip: and sips: (RFC 3261) */
  { "sip:101@pbx.example.com", "101", NULL },
  { "SIP:101@PBX.example.com", "101", NULL },
  { "sips:101@pbx.example.com", "101", NULL },
  { "sip:101@pbx.example.com:5061;transport=tls", "101", NULL },
  { "sip:101@192.0.2.1", "101", NULL },
  { "sip:101@[2001:db8::1]:5060", "101", NULL },
  { "sip:alice@pbx.example.com", "alice", NULL },
  { "sip:alice.smith@pbx.example.com", "alice.smith", NULL },
  { "sip:Bob%20Brown@pbx.example.com", "Bob Brown", NULL },
  { "sip:J%C3%BCrgen@pbx.example.com", "Jürgen", NULL },
  { "sip:+15550100;ext=7@gw.example.com;user=phone", "+15550100", "7" },
  { "sip:101@pbx.example.com?subject=hello", "101", NULL },
  { "sip:101", "101", NULL },
  { "sip:x@y;transport=tcp", "x", NULL },
  /* callto: */
  { "callto:101", "101", NULL },
  { "callto://101", "101", NULL },
  { "callto://101/", "101", NULL },
  { "callto:+1-555-0100", "+15550100", NULL },
  { "callto://alice?call", "alice", NULL },
};

typedef struct {
  const char     *uri;
  OhDialUriError  code;
} Bad;

static const Bad bad[] = {
  { "", OH_DIAL_URI_ERROR_EMPTY },
  { "101", OH_DIAL_URI_ERROR_SCHEME },
  { ":101", OH_DIAL_URI_ERROR_SCHEME },
  { "1tel:101", OH_DIAL_URI_ERROR_SCHEME },
  { "http://example.com/", OH_DIAL_URI_ERROR_SCHEME },
  { "mailto:alice@example.com", OH_DIAL_URI_ERROR_SCHEME },
  { "javascript:alert(1)", OH_DIAL_URI_ERROR_SCHEME },
  { "file:///etc/passwd", OH_DIAL_URI_ERROR_SCHEME },
  { "tel:", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:+", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:--", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:;ext=1", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101&PJSIP/1", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101,w5", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101@internal", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:1+01", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:alice", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:12AB", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101%26PJSIP%2F1", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101%3Bext=1", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:123456789012345678901234567890123", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "tel:101;ext=", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;ext=abc", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;ext=1&2", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;ext=*9", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;ext=1;ext=2", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;;ext=1", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;=x", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;isub=", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101;a b=1", OH_DIAL_URI_ERROR_SYNTAX },
  { "tel:101%", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101%4", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101%zz", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101%00", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101%0A", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101%7F", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:%FF", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101\n", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:10\x1b[31m1", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:101\x7f", OH_DIAL_URI_ERROR_CHARACTERS },
  { "tel:\xff\xfe", OH_DIAL_URI_ERROR_CHARACTERS },
  { "sip:x@y;trans port=tcp", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:a&b@y;transport=tcp", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:101/1@pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:al(ice)@pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:%20alice@pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:101%40other@pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:@pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:pbx.example.com", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "sip:101@", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:101@host@other", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:101@ho st", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:101@host;", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:101:secret@pbx.example.com", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:alice;ext=1@pbx.example.com", OH_DIAL_URI_ERROR_SYNTAX },
  { "sip:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@h",
    OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "callto:", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "callto://", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "callto://101/x", OH_DIAL_URI_ERROR_SYNTAX },
  { "callto:101;ext=1", OH_DIAL_URI_ERROR_SYNTAX },
  { "callto:live:alice", OH_DIAL_URI_ERROR_NOT_DIALABLE },
  { "callto:101&PJSIP/1", OH_DIAL_URI_ERROR_SYNTAX },
  { "callto:101&102", OH_DIAL_URI_ERROR_NOT_DIALABLE },
};

static void
test_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OhDialUri) parsed = oh_dial_uri_parse (good[i].uri, &error);

      g_test_message ("%s", good[i].uri);
      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      g_assert_cmpstr (parsed->target, ==, good[i].target);
      g_assert_cmpstr (parsed->extension, ==, good[i].extension);
    }
}

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OhDialUri) parsed = oh_dial_uri_parse (bad[i].uri, &error);
      g_autofree char *shown = g_strescape (bad[i].uri, NULL);

      g_test_message ("%s", shown);
      g_assert_null (parsed);
      g_assert_error (error, OH_DIAL_URI_ERROR, (int) bad[i].code);
      /* The message is for a person: one line of valid UTF-8. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strchr (error->message, '\n'));
    }
  g_assert_null (oh_dial_uri_parse (NULL, NULL));
}

static void
test_length (void)
{
  g_autoptr(GString) uri = g_string_new ("sip:101@");
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDialUri) parsed = NULL;

  while (uri->len < OH_DIAL_URI_MAX_LENGTH - 4)
    g_string_append (uri, "a.");
  while (uri->len < OH_DIAL_URI_MAX_LENGTH)
    g_string_append_c (uri, 'b');
  parsed = oh_dial_uri_parse (uri->str, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->target, ==, "101");

  g_string_append_c (uri, 'b');
  g_clear_pointer (&parsed, oh_dial_uri_free);
  parsed = oh_dial_uri_parse (uri->str, &error);
  g_assert_null (parsed);
  g_assert_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_TOO_LONG);
}

/* The user name rule is the daemon's: 64 bytes at most. */
static void
test_name_length (void)
{
  g_autofree char *name = g_strnfill (64, 'a');
  g_autofree char *uri = g_strdup_printf ("callto:%s", name);
  g_autoptr(OhDialUri) parsed = oh_dial_uri_parse (uri, NULL);

  g_assert_nonnull (parsed);
  g_assert_cmpstr (parsed->target, ==, name);
}

/* Every byte value in every position of a short link: no crash, and what
 * is accepted is only ever something Dial takes. */
static void
test_every_byte (void)
{
  const char *templates[] = { "tel:1?1", "sip:1?1@h", "callto:?1", "sip:a@h?" };

  for (guint t = 0; t < G_N_ELEMENTS (templates); t++)
    for (guint c = 1; c < 256; c++)
      {
        g_autofree char *uri = g_strdup (templates[t]);
        g_autoptr(OhDialUri) parsed = NULL;

        *strchr (uri, '?') = (char) c;
        parsed = oh_dial_uri_parse (uri, NULL);
        if (parsed == NULL)
          continue;
        for (const char *p = parsed->target; *p; p++)
          g_assert_true (g_ascii_isalnum (*p) || strchr ("+*#._- ", *p));
      }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dial-uri/good", test_good);
  g_test_add_func ("/dial-uri/bad", test_bad);
  g_test_add_func ("/dial-uri/length", test_length);
  g_test_add_func ("/dial-uri/name-length", test_name_length);
  g_test_add_func ("/dial-uri/every-byte", test_every_byte);
  return g_test_run ();
}

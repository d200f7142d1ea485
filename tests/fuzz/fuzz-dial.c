/* fuzz-dial.c: what may be dialled (daemon/oh-dial.h), and chat text
 *
 * The input, up to its first NUL, is given to every check of oh-dial.h and
 * to oh_chat_validate_body().
 * What they accept ends up in Asterisk dial strings ("TECH/RESOURCE",
 * "Local/NUMBER@CONTEXT"), originate and continue requests and DTMF, where
 * "&", ",", "/", "(", ")", "@", "$" and friends have meaning: whatever is
 * accepted must be made of the allowed characters only, and normalizing a
 * number twice must change nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oh-chat.h"
#include "oh-dial.h"
#include "oh-error.h"
#include "oh-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  oh_fuzz_init ();
  return 0;
}

static void
check_number (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again_error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;
  gsize length, digits;

  if (!oh_dial_validate_number (text, &normalized, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      if (normalized != NULL)
        OH_FUZZ_FAIL ("number refused but normalized set");
      return;
    }
  if (normalized == NULL)
    OH_FUZZ_FAIL ("number accepted without a normalized form");

  /* The input itself: digits, * # + and the separators only. */
  if (strspn (text, "0123456789*#+ -.") != strlen (text))
    OH_FUZZ_FAIL ("number \"%s\" accepted with other characters", text);

  /* The normalized form: an optional leading +, then 1 to 32 of 0-9 * #. */
  length = strlen (normalized);
  digits = strspn (normalized[0] == '+' ? normalized + 1 : normalized, "0123456789*#");
  if (digits == 0 || digits > OH_DIAL_MAX_DIGITS || digits + (normalized[0] == '+') != length)
    OH_FUZZ_FAIL ("number \"%s\" normalized to \"%s\"", text, normalized);

  if (!oh_dial_validate_number (normalized, &again, &again_error))
    OH_FUZZ_FAIL ("normalized number \"%s\" refused: %s", normalized, again_error->message);
  if (strcmp (again, normalized) != 0)
    OH_FUZZ_FAIL ("normalizing \"%s\" again gives \"%s\"", normalized, again);

  /* Without an out parameter the answer is the same. */
  if (!oh_dial_validate_number (text, NULL, NULL))
    OH_FUZZ_FAIL ("number \"%s\" accepted only with normalized", text);
}

static void
check_name (const char *text)
{
  g_autoptr (GError) error = NULL;
  gsize length = strlen (text);

  if (!oh_dial_validate_name (text, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  oh_fuzz_check_utf8 ("name", text);
  if (length == 0 || length > 64 || text[0] == ' ' || text[length - 1] == ' ')
    OH_FUZZ_FAIL ("name of %zu bytes accepted", length);
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f || strchr ("&,/()@$;{}[]<>:|\"'\\!?=%~`^*#", *p) != NULL)
      OH_FUZZ_FAIL ("name accepted with character 0x%02x", (guchar)*p);
}

static void
check_dtmf (const char *text)
{
  g_autoptr (GError) error = NULL;
  gsize length = strlen (text);

  if (!oh_dial_validate_dtmf (text, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  if (length == 0 || length > 64 || strspn (text, "0123456789*#ABCD") != length)
    OH_FUZZ_FAIL ("DTMF \"%s\" accepted", text);
}

static void
check_resource (const char *text)
{
  gsize length = strlen (text);

  if (!oh_dial_is_safe_resource (text))
    return;
  if (length == 0 || length > 64)
    OH_FUZZ_FAIL ("resource of %zu bytes accepted", length);
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._-+", *p) == NULL)
      OH_FUZZ_FAIL ("resource accepted with character 0x%02x", (guchar)*p);
}

/* A message body goes into a JSON body and a SIP MESSAGE: UTF-8, bounded,
 * no control characters but newline and tab (C0, DEL and C1). */
static void
check_chat_body (const char *text)
{
  g_autoptr (GError) error = NULL;
  gsize length = strlen (text);

  if (!oh_chat_validate_body (text, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  oh_fuzz_check_utf8 ("chat body", text);
  if (length == 0 || length > OH_CHAT_MAX_BODY)
    OH_FUZZ_FAIL ("chat body of %zu bytes accepted", length);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0))
        OH_FUZZ_FAIL ("chat body accepted with U+%04X", c);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size)
{
  g_autofree char *text = g_strndup ((const char *)bytes, size);

  check_number (text);
  check_name (text);
  check_dtmf (text);
  check_resource (text);
  check_chat_body (text);
  return 0;
}

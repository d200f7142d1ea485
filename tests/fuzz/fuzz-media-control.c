/* fuzz-media-control.c: the media socket's control messages
 *
 * The input is one text frame from chan_websocket, plain text
 * ("MEDIA_START connection_id:... format:slin16 ...") or JSON, for
 * oh_ari_media_control_parse(). What it keeps must be safe to log and to
 * hand on: tokens where tokens are expected, UTF-8 everywhere, numbers in
 * range. The connection id in the message is the call's audio credential:
 * it must not reappear in the error message, which is logged. (A field the
 * PBX itself fills with it is the PBX's business.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oh-ari-decode.h"
#include "oh-ari-media.h"
#include "oh-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  oh_fuzz_init ();
  return 0;
}

static void
check_token (const char *what, const char *value, gsize max)
{
  gsize length;

  if (value == NULL)
    return;
  length = strlen (value);
  if (length == 0 || length > max)
    OH_FUZZ_FAIL ("%s of %zu bytes kept", what, length);
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-./", *p) == NULL)
      OH_FUZZ_FAIL ("%s kept with character 0x%02x", what, (guchar)*p);
}

/* The value of connection_id in the message, if it has one long enough to
 * be told apart from ordinary words: text form "connection_id:X" or JSON
 * "connection_id":"X". */
static char *
find_connection_id (const char *text)
{
  const char *p = strstr (text, "connection_id");
  gsize n;

  if (p == NULL)
    return NULL;
  p += strlen ("connection_id");
  while (*p == '"' || *p == ':' || *p == ' ')
    p++;
  n = strspn (p, "0123456789abcdefABCDEF-");
  return n >= 16 ? g_strndup (p, n) : NULL;
}

static void
check_not_leaked (const char *what, const char *value, const char *secret)
{
  if (secret != NULL && value != NULL && strstr (value, secret) != NULL)
    OH_FUZZ_FAIL ("%s contains the connection id", what);
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size)
{
  const char *data = (const char *)bytes;
  g_autofree char *text = g_strndup (data, size);
  g_autofree char *secret = find_connection_id (text);
  g_autoptr (GError) error = NULL;
  OhAriMediaControl control;

  if (!oh_ari_media_control_parse (data, size, &control, &error))
    {
      oh_fuzz_check_error (error, OH_ARI_ERROR);
      check_not_leaked ("the error", error->message, secret);
      oh_ari_media_control_clear (&control);
      return 0;
    }
  if (error != NULL)
    OH_FUZZ_FAIL ("parsed, and an error");

  check_token ("event name", control.event_name, 64);
  if (control.event_name == NULL)
    OH_FUZZ_FAIL ("no event name");
  if (control.event > OH_ARI_MEDIA_EVENT_QUEUE_DRAINED)
    OH_FUZZ_FAIL ("event %d out of range", control.event);
  check_token ("format", control.format, 16);
  check_token ("channel_id", control.channel_id, 128);
  if (control.digit != NULL
      && (strlen (control.digit) != 1 || strchr ("0123456789*#ABCD", control.digit[0]) == NULL))
    OH_FUZZ_FAIL ("digit \"%s\" kept", control.digit);
  oh_fuzz_check_utf8 ("error_text", control.error_text);
  if (control.optimal_frame_size > 65536)
    OH_FUZZ_FAIL ("frame size %u kept", control.optimal_frame_size);
  if (control.ptime > 1000)
    OH_FUZZ_FAIL ("ptime %u kept", control.ptime);

  oh_ari_media_control_clear (&control);
  /* Clearing twice is what on_message() may do on its error path. */
  oh_ari_media_control_clear (&control);
  return 0;
}

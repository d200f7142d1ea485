/* fuzz-directory.c: the company directory parser (vCard and CSV)
 *
 * The directory is a file or download the user points the daemon at; its
 * fields become User properties on the bus (Mobile, Email). After a parse,
 * every entry found by a lookup must be clean: valid UTF-8, no control
 * characters, not empty.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oh-directory.h"
#include "oh-error.h"
#include "oh-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  oh_fuzz_init ();
  return 0;
}

static void
check_field (const char *what, const char *value)
{
  if (value == NULL)
    return;
  oh_fuzz_check_utf8 (what, value);
  if (*value == '\0')
    OH_FUZZ_FAIL ("%s is empty instead of absent", what);
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar)*p < 0x20)
      OH_FUZZ_FAIL ("%s holds control character 0x%02x", what, (guchar)*p);
}

static void
check_entry (const OhDirectoryEntry *entry)
{
  if (entry == NULL)
    return;
  if (entry->extension == NULL && entry->name == NULL)
    OH_FUZZ_FAIL ("an entry with neither extension nor name");
  check_field ("extension", entry->extension);
  check_field ("name", entry->name);
  check_field ("mobile", entry->mobile);
  check_field ("email", entry->email);
}

/* Looks up with the words of the input itself, so that entries the input
 * defines are actually found and checked. */
static void
look_up_words (OhDirectory *directory, const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, ",:;\r\n\"", 64);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (!g_utf8_validate (words[i], -1, NULL))
        continue;
      check_entry (oh_directory_lookup (directory, words[i], NULL));
      check_entry (oh_directory_lookup (directory, NULL, words[i]));
      check_entry (oh_directory_lookup (directory, "100", words[i]));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size)
{
  const char *data = (const char *)bytes;
  g_autoptr (GError) error = NULL;
  g_autoptr (OhDirectory) directory = oh_directory_parse (data, size, &error);
  g_autofree char *text = NULL;

  if (directory == NULL)
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return 0;
    }
  if (error != NULL)
    OH_FUZZ_FAIL ("a directory and an error");

  text = g_strndup (data, size);
  look_up_words (directory, text);
  check_entry (oh_directory_lookup (directory, "", ""));
  check_entry (oh_directory_lookup (directory, NULL, NULL));
  if (oh_directory_lookup (NULL, "100", "x") != NULL)
    OH_FUZZ_FAIL ("lookup in no directory found something");
  (void)oh_directory_get_size (directory);
  return 0;
}

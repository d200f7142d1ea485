/* oh-fuzz.h: what the libFuzzer targets share
 *
 * A target is one LLVMFuzzerTestOneInput() over one input format. Besides
 * the sanitizers, each checks the promises the rest of the daemon relies on
 * (non-NULL fields, UTF-8 that can go on D-Bus) and aborts when one is
 * broken, so that libFuzzer reports it like a crash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Makes every warning and critical fatal: in these code paths a critical
 * is a broken precondition, i.e. a bug the fuzzer found. */
static inline void
oh_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

#define OH_FUZZ_FAIL(...)                                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    fprintf (stderr, "%s:%d: ", __FILE__, __LINE__);                                               \
    fprintf (stderr, __VA_ARGS__);                                                                 \
    fputc ('\n', stderr);                                                                          \
    abort ();                                                                                      \
  }                                                                                                \
  G_STMT_END

/* A string that may end up in a D-Bus property, signal or error message:
 * it must be valid UTF-8, or GVariant refuses it. */
#define oh_fuzz_check_utf8(what, s)                                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *_s = (s);                                                                          \
    if (_s != NULL && !g_utf8_validate (_s, -1, NULL))                                             \
      OH_FUZZ_FAIL ("%s is not valid UTF-8", (what));                                              \
  }                                                                                                \
  G_STMT_END

/* As above, and it must be there. */
#define oh_fuzz_check_string(what, s)                                                              \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *_t = (s);                                                                          \
    if (_t == NULL)                                                                                \
      OH_FUZZ_FAIL ("%s is NULL", (what));                                                         \
    oh_fuzz_check_utf8 ((what), _t);                                                               \
  }                                                                                                \
  G_STMT_END

/* A failed decode must say why, in a message that can be shown. */
#define oh_fuzz_check_error(error, expected_domain)                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const GError *_e = (error);                                                                    \
    if (_e == NULL)                                                                                \
      OH_FUZZ_FAIL ("failed without an error");                                                    \
    if (_e->domain != (expected_domain))                                                           \
      OH_FUZZ_FAIL ("error in domain %s", g_quark_to_string (_e->domain));                         \
    oh_fuzz_check_string ("error message", _e->message);                                           \
  }                                                                                                \
  G_STMT_END

/* oh-store-search.c: how the history is searched: the "offhook" FTS5
 * tokenizer and the oh_contains() SQL function
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * FTS5's trigram tokenizer finds any substring of three or more characters,
 * but an exact number is then a phrase of trigrams like "100" and "00" that
 * every other number shares: slow to intersect. This tokenizer wraps
 * trigram and adds whole-value tokens for text marked with STX (U+0002):
 *
 *   "\2" 100 "\3"   a number: the token "\2" 100 "\3" (ASCII case folded)
 *                   and, in documents, the trigrams of 100 for substrings
 *   "\2" d2 "\2" p0 tags: the tokens "\2d2" and "\2p0", nothing else
 *
 * Anything not starting with STX is trigram's. Clients cannot send control
 * characters in a filter, so only the store writes marked text.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

#define STX '\002'
#define ETX '\003'

typedef struct
{
  fts5_tokenizer trigram;
  void *trigram_data;
} TokenizerModule;

typedef struct
{
  TokenizerModule *module;
  Fts5Tokenizer *trigram;
} Tokenizer;

/* Trigram offsets are relative to the text it was given; ours to the
 * whole value (they only matter to highlight() and snippet()). */
typedef struct
{
  void *context;
  int (*token) (void *, int, const char *, int, int, int);
  int offset;
} Shifted;

static int
shifted_token (void *data, int flags, const char *token, int n_token, int start, int end)
{
  Shifted *shifted = data;

  return shifted->token (shifted->context, flags, token, n_token, start + shifted->offset,
                         end + shifted->offset);
}

static int
tokenizer_create (void *data, const char **args, int n_args, Fts5Tokenizer **out)
{
  TokenizerModule *module = data;
  Tokenizer *tokenizer = g_new0 (Tokenizer, 1);
  int rc;

  tokenizer->module = module;
  rc = module->trigram.xCreate (module->trigram_data, args, n_args, &tokenizer->trigram);
  if (rc != SQLITE_OK)
    {
      g_free (tokenizer);
      return rc;
    }
  *out = (Fts5Tokenizer *)tokenizer;
  return SQLITE_OK;
}

static void
tokenizer_delete (Fts5Tokenizer *data)
{
  Tokenizer *tokenizer = (Tokenizer *)data;

  tokenizer->module->trigram.xDelete (tokenizer->trigram);
  g_free (tokenizer);
}

static int
tokenizer_tokenize (Fts5Tokenizer *data,
                    void *context,
                    int flags,
                    const char *text,
                    int n_text,
                    int (*token) (void *, int, const char *, int, int, int))
{
  Tokenizer *tokenizer = (Tokenizer *)data;
  gboolean document = (flags & FTS5_TOKENIZE_QUERY) == 0;
  int i = 0;

  if (n_text == 0 || text[0] != STX)
    return tokenizer->module->trigram.xTokenize (tokenizer->trigram, context, flags, text, n_text,
                                                 token);

  while (i < n_text && text[i] == STX)
    {
      int start = i + 1;
      int end = start;
      gboolean number;
      char *whole;
      int rc;

      while (end < n_text && text[end] != STX && text[end] != ETX)
        end++;
      number = end < n_text && text[end] == ETX;

      /* STX, the value folded, and ETX if it was there. */
      whole = g_malloc (end - i + 2);
      whole[0] = STX;
      for (int k = start; k < end; k++)
        whole[k - i] = g_ascii_tolower (text[k]);
      if (number)
        whole[end - i] = ETX;
      rc = token (context, 0, whole, end - i + (number ? 1 : 0), i, number ? end + 1 : end);
      g_free (whole);
      if (rc != SQLITE_OK)
        return rc;

      if (number && document && end > start)
        {
          Shifted shifted = { context, token, start };

          rc = tokenizer->module->trigram.xTokenize (tokenizer->trigram, &shifted, flags,
                                                     text + start, end - start, shifted_token);
          if (rc != SQLITE_OK)
            return rc;
        }
      i = number ? end + 1 : end;
    }
  return SQLITE_OK;
}

static fts5_api *
fts5_api_of (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api;
}

/* Case-insensitive literal substring: both sides lowered character by
 * character (simple Unicode lower case, no locale), as the trigram index
 * folds them, so a search finds the same rows whichever plan runs it. */
static void
fold_into (GString *out, const char *text)
{
  g_string_truncate (out, 0);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((guchar)*p < 0x80)
        g_string_append_c (out, g_ascii_tolower (*p));
      else
        g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (p)));
    }
}

static void
sql_contains (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *haystack = (const char *)sqlite3_value_text (argv[0]);
  const char *needle = (const char *)sqlite3_value_text (argv[1]);
  GString *folded = sqlite3_user_data (context);
  gboolean ascii = TRUE;

  if (haystack == NULL || needle == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  /* Most numbers and many names are ASCII: compare folding on the fly. A
   * non-ASCII needle byte never equals a folded ASCII one, as it should. */
  for (const char *h = haystack; *h != '\0'; h++)
    {
      const char *n = needle;

      if ((guchar)*h >= 0x80)
        {
          ascii = FALSE;
          break;
        }
      while (*n != '\0' && h[n - needle] != '\0' && g_ascii_tolower (h[n - needle]) == *n)
        n++;
      if (*n == '\0')
        {
          sqlite3_result_int (context, 1);
          return;
        }
    }
  if (ascii)
    {
      sqlite3_result_int (context, needle[0] == '\0');
      return;
    }

  if (!g_utf8_validate (haystack, -1, NULL))
    {
      sqlite3_result_int (context, 0);
      return;
    }
  fold_into (folded, haystack);
  sqlite3_result_int (context, strstr (folded->str, needle) != NULL);
}

static void
free_gstring (void *data)
{
  g_string_free (data, TRUE);
}

/**
 * oh_store_fold:
 *
 * Returns: (transfer full): @text folded as oh_contains() folds it.
 */
char *
oh_store_fold (const char *text)
{
  GString *out = g_string_new (NULL);

  fold_into (out, text);
  return g_string_free (out, FALSE);
}

/**
 * oh_store_register_search:
 *
 * Makes the "offhook" tokenizer and oh_contains() known to @db; needed
 * before history_fts is created or used.
 */
gboolean
oh_store_register_search (sqlite3 *db, GError **error)
{
  fts5_tokenizer offhook = { tokenizer_create, tokenizer_delete, tokenizer_tokenize };
  g_autofree TokenizerModule *module = g_new0 (TokenizerModule, 1);
  fts5_api *api = fts5_api_of (db);

  if (api == NULL
      || api->xFindTokenizer (api, "trigram", &module->trigram_data, &module->trigram) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                   _ ("This SQLite has no full-text search (FTS5 with the trigram tokenizer)"));
      return FALSE;
    }
  if (api->xCreateTokenizer (api, "offhook", module, &offhook, g_free) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not set up the history search: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  g_steal_pointer (&module);

  /* oh_contains(haystack, folded_needle); the needle is folded once, in C. */
  if (sqlite3_create_function_v2 (db, "oh_contains", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  g_string_sized_new (64), sql_contains, NULL, NULL, free_gstring)
      != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not set up the history search: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* oh-store-search.c: how the history is searched: the FTS5 tokenizers, an
 * entry's search document and short grams, and the oh_contains() SQL function
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every text match compares characters folded one by one to simple Unicode
 * lower case (no locale, no normalisation), whichever path runs it: the
 * index, oh_contains() on rows, or the totals of short grams. So a search
 * finds the same rows whichever plan answers it.
 *
 * The index history_fts (schema 3) has one column (five made every posting
 * carry its column: a sixth of the index), the search document of an
 * entry: its fields, each "<kind><byte length>:<bytes>", so any text in a
 * value is just bytes ("D" the two digits of direction and disposition,
 * "N" a number, "T" a name):
 *
 *   D2:10N3:100T4:AnnaN11:+4930123456T0:
 *
 * The "offhook_ngram" tokenizer turns it into
 *
 *   - the tags "\2d<direction>" and "\2p<disposition>";
 *   - for each number, the token "\2" number "\3" (ASCII case folded): the
 *     extension filter, one short doclist instead of a phrase; and the same
 *     followed by the digits of direction and disposition ("\2" 100 "\3" 10);
 *   - for each number and name, at each character, the trigram starting
 *     there and, at the same position, the 4-gram: a text of three
 *     characters is one trigram token, a longer one the phrase of its
 *     4-grams. 4-grams are far rarer than trigrams ("ann" is in a fifth of
 *     a company's calls, "anna" in a twentieth), and a phrase costs the sum
 *     of its tokens' doclists: 4-grams make a common name 2–4 × faster to
 *     count than trigrams did.
 *
 * A field's grams never continue into the next field's: a phrase of
 * 4-grams needs a 4-gram at each position, and a field's last positions
 * only have trigrams. A gram with a control character is left out: no
 * filter can hold one, and one starting with STX would pass for a tag or a
 * whole number. Texts of one or two characters have no token; their totals
 * come from history_grams (see oh_store_count_grams()).
 *
 * Clients cannot send control characters in a filter, so only the store
 * writes the STX-marked query strings.
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-store-private.h"

#define STX '\002'
#define ETX '\003'

typedef int (*TokenFunc) (void *, int, const char *, int, int, int);

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

/* The "offhook" tokenizer of schemas 1 and 2: FTS5's trigram plus whole
 * tokens for "\2" number "\3" and tags "\2d2\2p0". Only kept so that
 * migration 3 can drop the index it made (FTS5 needs a table's tokenizer
 * to drop the table). */

typedef struct
{
  fts5_tokenizer trigram;
  void *trigram_data;
} LegacyModule;

typedef struct
{
  LegacyModule *module;
  Fts5Tokenizer *trigram;
} LegacyTokenizer;

/* Trigram offsets are relative to the text it was given; ours to the
 * whole value (they only matter to highlight() and snippet()). */
typedef struct
{
  void *context;
  TokenFunc token;
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
legacy_create (void *data, const char **args, int n_args, Fts5Tokenizer **out)
{
  LegacyModule *module = data;
  LegacyTokenizer *tokenizer = g_new0 (LegacyTokenizer, 1);
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
legacy_delete (Fts5Tokenizer *data)
{
  LegacyTokenizer *tokenizer = (LegacyTokenizer *)data;

  tokenizer->module->trigram.xDelete (tokenizer->trigram);
  g_free (tokenizer);
}

static int
legacy_tokenize (
    Fts5Tokenizer *data, void *context, int flags, const char *text, int n_text, TokenFunc token)
{
  LegacyTokenizer *tokenizer = (LegacyTokenizer *)data;
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

/* The "offhook_ngram" tokenizer (schema 3 on). */

typedef struct
{
  GString *folded;  /* the characters of a field, folded */
  GArray *starts;   /* (int) byte offset in folded of each character, then of the end */
  GArray *origins;  /* (int) byte offset in the tokenized text of each, then of the end */
  GString *scratch; /* a whole-number token */
} NgramTokenizer;

static int
ngram_create (void *data, const char **args, int n_args, Fts5Tokenizer **out)
{
  NgramTokenizer *tokenizer = g_new0 (NgramTokenizer, 1);

  tokenizer->folded = g_string_sized_new (64);
  tokenizer->starts = g_array_sized_new (FALSE, FALSE, sizeof (int), 64);
  tokenizer->origins = g_array_sized_new (FALSE, FALSE, sizeof (int), 64);
  tokenizer->scratch = g_string_sized_new (64);
  *out = (Fts5Tokenizer *)tokenizer;
  return SQLITE_OK;
}

static void
ngram_delete (Fts5Tokenizer *data)
{
  NgramTokenizer *tokenizer = (NgramTokenizer *)data;

  g_string_free (tokenizer->folded, TRUE);
  g_array_unref (tokenizer->starts);
  g_array_unref (tokenizer->origins);
  g_string_free (tokenizer->scratch, TRUE);
  g_free (tokenizer);
}

/* The next character of text, folded as oh_contains() folds it; a byte
 * that is not UTF-8 (the store only writes UTF-8) is taken as itself. */
static gunichar
next_folded (const char *p, const char *end, const char **next)
{
  gunichar c;

  if ((guchar)*p < 0x80)
    {
      *next = p + 1;
      return g_ascii_tolower (*p);
    }
  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar)-1 || c == (gunichar)-2)
    {
      *next = p + 1;
      return (guchar)*p;
    }
  *next = g_utf8_next_char (p);
  return g_unichar_tolower (c);
}

static void
fold_field (NgramTokenizer *tokenizer, const char *text, int n_text, int origin)
{
  const char *p = text;
  const char *end = text + n_text;
  int offset;

  g_string_truncate (tokenizer->folded, 0);
  g_array_set_size (tokenizer->starts, 0);
  g_array_set_size (tokenizer->origins, 0);
  while (p < end)
    {
      const char *next;
      gunichar c = next_folded (p, end, &next);

      offset = (int)tokenizer->folded->len;
      g_array_append_val (tokenizer->starts, offset);
      offset = origin + (int)(p - text);
      g_array_append_val (tokenizer->origins, offset);
      if (c < 0x80)
        g_string_append_c (tokenizer->folded, (char)c);
      else
        g_string_append_unichar (tokenizer->folded, c);
      p = next;
    }
  offset = (int)tokenizer->folded->len;
  g_array_append_val (tokenizer->starts, offset);
  offset = origin + n_text;
  g_array_append_val (tokenizer->origins, offset);
}

static int
emit_gram (NgramTokenizer *tokenizer, void *context, TokenFunc token, int flags, guint at, guint n)
{
  int start = g_array_index (tokenizer->starts, int, at);
  int end = g_array_index (tokenizer->starts, int, at + n);

  return token (context, flags, tokenizer->folded->str + start, end - start,
                g_array_index (tokenizer->origins, int, at),
                g_array_index (tokenizer->origins, int, at + n));
}

/* Filters cannot hold control characters (oh_history_filter_validate()). */
static inline gboolean
is_control (gunichar c)
{
  return c < 0x20 || c == 0x7f;
}

/* Whether the n characters from at have none: a gram with one can never
 * be searched for, and one starting with STX would pass for a tag or a
 * whole number. */
static gboolean
gram_is_searchable (NgramTokenizer *tokenizer, guint at, guint n)
{
  for (guint k = at; k < at + n; k++)
    if (is_control ((guchar)tokenizer->folded->str[g_array_index (tokenizer->starts, int, k)]))
      return FALSE;
  return TRUE;
}

/* In a document: at each character the trigram, and the 4-gram at the
 * same position. A phrase of 4-grams never runs past a control character
 * or the end of a field: there is always a position with a trigram and no
 * 4-gram before it. */
static int
emit_document_grams (NgramTokenizer *tokenizer, void *context, TokenFunc token)
{
  guint n = tokenizer->starts->len - 1;
  int rc = SQLITE_OK;

  for (guint i = 0; i + 3 <= n && rc == SQLITE_OK; i++)
    {
      if (!gram_is_searchable (tokenizer, i, 3))
        continue;
      rc = emit_gram (tokenizer, context, token, 0, i, 3);
      if (rc == SQLITE_OK && i + 4 <= n && gram_is_searchable (tokenizer, i + 3, 1))
        rc = emit_gram (tokenizer, context, token, FTS5_TOKEN_COLOCATED, i, 4);
    }
  return rc;
}

/* In a query: a text of three characters is its trigram, a longer one the
 * phrase of its 4-grams. */
static int
emit_query_grams (NgramTokenizer *tokenizer, void *context, TokenFunc token)
{
  guint n = tokenizer->starts->len - 1;
  int rc = SQLITE_OK;

  if (n == 3)
    return emit_gram (tokenizer, context, token, 0, 0, 3);
  for (guint i = 0; i + 4 <= n && rc == SQLITE_OK; i++)
    rc = emit_gram (tokenizer, context, token, 0, i, 4);
  return rc;
}

/* "\2" number "\3" and then suffix: the number ASCII case folded. */
static int
emit_number (NgramTokenizer *tokenizer,
             void *context,
             TokenFunc token,
             int flags,
             const char *number,
             int n,
             const char *suffix,
             int n_suffix,
             int origin)
{
  g_string_truncate (tokenizer->scratch, 0);
  g_string_append_c (tokenizer->scratch, STX);
  for (int k = 0; k < n; k++)
    g_string_append_c (tokenizer->scratch, g_ascii_tolower (number[k]));
  g_string_append_c (tokenizer->scratch, ETX);
  g_string_append_len (tokenizer->scratch, suffix, n_suffix);
  return token (context, flags, tokenizer->scratch->str, (int)tokenizer->scratch->len, origin,
                origin + n);
}

/* A number's tokens: the number, and at the same position the number
 * followed by the digits of the call's direction and disposition: an
 * extension filter with a direction or a disposition (the missed calls of
 * an extension) is then one to four short doclists, not an intersection
 * with a tag's doclist, which holds a fifth to a half of all entries. */
static int
emit_number_tokens (NgramTokenizer *tokenizer,
                    void *context,
                    TokenFunc token,
                    const char *number,
                    int n,
                    const char *tags,
                    int origin)
{
  int rc;

  if (n == 0)
    return SQLITE_OK;
  rc = emit_number (tokenizer, context, token, 0, number, n, "", 0, origin);
  if (rc == SQLITE_OK && tags != NULL)
    rc = emit_number (tokenizer, context, token, FTS5_TOKEN_COLOCATED, number, n, tags, 2, origin);
  return rc;
}

static int
tokenize_document (
    NgramTokenizer *tokenizer, void *context, const char *text, int n_text, TokenFunc token)
{
  const char *tags = NULL;
  int i = 0;

  while (i < n_text)
    {
      char kind = text[i++];
      gint64 length = 0;
      const char *field;
      int rc = SQLITE_OK;

      while (i < n_text && g_ascii_isdigit (text[i]) && length <= n_text)
        length = length * 10 + (text[i++] - '0');
      if (i >= n_text || text[i] != ':' || length > n_text - i - 1)
        return SQLITE_ERROR;
      field = text + ++i;

      switch (kind)
        {
          case 'N':
            rc = emit_number_tokens (tokenizer, context, token, field, (int)length, tags, i);
            /* A number's grams are searched like a name's. */
            G_GNUC_FALLTHROUGH;
          case 'T':
            if (rc == SQLITE_OK)
              {
                fold_field (tokenizer, field, (int)length, i);
                rc = emit_document_grams (tokenizer, context, token);
              }
            break;
          case 'D':
            if (length != 2)
              return SQLITE_ERROR;
            tags = field;
            rc = token (context, 0, (const char[]){ STX, 'd', tags[0] }, 3, i, i + 1);
            if (rc == SQLITE_OK)
              rc = token (context, 0, (const char[]){ STX, 'p', tags[1] }, 3, i + 1, i + 2);
            break;
          default:
            return SQLITE_ERROR;
        }
      if (rc != SQLITE_OK)
        return rc;
      i += (int)length;
    }
  return SQLITE_OK;
}

/* A query string: "\2" number "\3" (the extension filter), maybe with the
 * digits of direction and disposition after it ("\2" 100 "\3" 10), a tag
 * ("\2d2"), or a text. */
static int
tokenize_query (
    NgramTokenizer *tokenizer, void *context, const char *text, int n_text, TokenFunc token)
{
  if (n_text > 0 && text[0] == STX)
    {
      const char *etx = memchr (text, ETX, n_text);

      if (etx == NULL)
        return token (context, 0, text, n_text, 0, n_text);
      return emit_number (tokenizer, context, token, 0, text + 1, (int)(etx - text - 1), etx + 1,
                          (int)(text + n_text - etx - 1), 0);
    }
  fold_field (tokenizer, text, n_text, 0);
  return emit_query_grams (tokenizer, context, token);
}

static int
ngram_tokenize (
    Fts5Tokenizer *data, void *context, int flags, const char *text, int n_text, TokenFunc token)
{
  NgramTokenizer *tokenizer = (NgramTokenizer *)data;

  if ((flags & FTS5_TOKENIZE_QUERY) != 0)
    return tokenize_query (tokenizer, context, text, n_text, token);
  return tokenize_document (tokenizer, context, text, n_text, token);
}

static void
append_field (GString *doc, char kind, const char *value)
{
  gsize length = value != NULL ? strlen (value) : 0;

  g_string_append_printf (doc, "%c%" G_GSIZE_FORMAT ":", kind, length);
  g_string_append_len (doc, value, length);
}

/**
 * oh_store_search_doc:
 * @values: caller, caller name, callee, callee name (%NULL for "")
 *
 * The text history_fts indexes for an entry (see the top of this file):
 * written from here for new entries, and through the SQL function
 * oh_history_doc() by the view history_search, which FTS5's integrity
 * check reads, so both are the same by construction.
 *
 * Returns: (transfer full): the search document.
 */
char *
oh_store_search_doc (const char *const values[4], int direction, int disposition)
{
  GString *doc = g_string_sized_new (64);

  /* The tags first: the numbers' tokens carry them. */
  g_string_append_printf (doc, "D2:%d%d", CLAMP (direction, 0, 9), CLAMP (disposition, 0, 9));
  append_field (doc, 'N', values[0]);
  append_field (doc, 'T', values[1]);
  append_field (doc, 'N', values[2]);
  append_field (doc, 'T', values[3]);
  return g_string_free (doc, FALSE);
}

static void
sql_history_doc (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *values[4];
  char *doc;

  for (int i = 0; i < 4; i++)
    values[i] = (const char *)sqlite3_value_text (argv[i]);
  doc = oh_store_search_doc (values, sqlite3_value_int (argv[4]), sqlite3_value_int (argv[5]));
  sqlite3_result_text (context, doc, -1, g_free);
}

/* A gram of one or two characters as one number: the first character in
 * the high half, the second plus one (0 for none) in the low half. */
static inline guint64
gram_key (gunichar first, gunichar second, gboolean pair)
{
  return ((guint64)first << 32) | (pair ? (guint64)second + 1 : 0);
}

/**
 * oh_store_counters_new:
 *
 * Returns: (transfer full): an empty table of #OhStoreCounter by key, for
 *   oh_store_counters_add().
 */
GHashTable *
oh_store_counters_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

void
oh_store_counters_add (GHashTable *counters, guint64 key, int delta)
{
  OhStoreCounter *counter = g_hash_table_lookup (counters, &key);

  if (counter == NULL)
    {
      counter = g_new0 (OhStoreCounter, 1);
      counter->key = key;
      g_hash_table_insert (counters, &counter->key, counter);
    }
  counter->n += delta;
}

static void
count_gram (GHashTable *counts, guint64 key, int group, int delta, guint64 serial)
{
  OhStoreGramCount *count = g_hash_table_lookup (counts, &key);

  if (count == NULL)
    {
      count = g_new0 (OhStoreGramCount, 1);
      count->key = key;
      g_hash_table_insert (counts, &count->key, count);
    }
  if (count->last_counted != serial)
    count->n[group] += delta;
  count->last_counted = serial;
}

/**
 * oh_store_gram_counts_new:
 *
 * Returns: (transfer full): an empty table of #OhStoreGramCount by gram key,
 *   for oh_store_count_grams().
 */
GHashTable *
oh_store_gram_counts_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

/**
 * oh_store_count_grams:
 * @counts: from oh_store_gram_counts_new()
 * @values: caller, caller name, callee, callee name (%NULL for "")
 * @delta: +1 for an entry added, -1 for one deleted
 *
 * Adds @delta to the count, in the entry's group (direction and
 * disposition), of each gram of one or two characters that the entry has,
 * once however often it has it: history_grams keeps, for each, how many
 * entries a text of those characters matches, which is the total of a
 * one- or two-character text filter, also with a direction or disposition,
 * without reading any entry.
 */
void
oh_store_count_grams (
    GHashTable *counts, const char *const values[4], int direction, int disposition, int delta)
{
  /* Each call is another entry: a gram already counted for this one is
   * not counted again. */
  static guint64 serial = 0;
  int group = OH_STORE_GROUP (CLAMP (direction, 0, 2), CLAMP (disposition, 0, 3));

  serial++;
  for (guint v = 0; v < 4; v++)
    {
      const char *p = values[v];
      const char *end;
      gboolean have_previous = FALSE;
      gunichar previous = 0;

      if (p == NULL || !g_utf8_validate (p, -1, &end))
        continue;
      while (p < end)
        {
          const char *next;
          gunichar c = next_folded (p, end, &next);

          p = next;
          /* As in the index: no filter can hold it. */
          if (is_control (c))
            {
              have_previous = FALSE;
              continue;
            }
          count_gram (counts, gram_key (c, 0, FALSE), group, delta, serial);
          if (have_previous)
            count_gram (counts, gram_key (previous, c, TRUE), group, delta, serial);
          previous = c;
          have_previous = TRUE;
        }
    }
}

/**
 * oh_store_gram_text:
 * @key: a key of oh_store_count_grams()
 * @text: (out caller-allocates): at least 13 bytes
 *
 * Writes the gram as history_grams stores it, the folded characters.
 */
void
oh_store_gram_text (guint64 key, char *text)
{
  int n = g_unichar_to_utf8 ((gunichar)(key >> 32), text);

  if ((key & G_MAXUINT32) != 0)
    n += g_unichar_to_utf8 ((gunichar)((key & G_MAXUINT32) - 1), text + n);
  text[n] = '\0';
}

/* Case-insensitive literal substring: both sides lowered character by
 * character (simple Unicode lower case, no locale), as the index and
 * history_grams fold them, so a search finds the same rows whichever plan
 * runs it. */
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
 * Makes the tokenizers, oh_contains() and oh_history_doc() known to @db;
 * needed before history_fts or history_search is created or used.
 */
gboolean
oh_store_register_search (sqlite3 *db, GError **error)
{
  fts5_tokenizer legacy = { legacy_create, legacy_delete, legacy_tokenize };
  fts5_tokenizer ngram = { ngram_create, ngram_delete, ngram_tokenize };
  g_autofree LegacyModule *module = g_new0 (LegacyModule, 1);
  fts5_api *api = fts5_api_of (db);

  if (api == NULL
      || api->xFindTokenizer (api, "trigram", &module->trigram_data, &module->trigram) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                   _ ("This SQLite has no full-text search (FTS5 with the trigram tokenizer)"));
      return FALSE;
    }
  if (api->xCreateTokenizer (api, "offhook", module, &legacy, g_free) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not set up the history search: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  g_steal_pointer (&module);
  if (api->xCreateTokenizer (api, "offhook_ngram", NULL, &ngram, NULL) != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not set up the history search: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }

  /* oh_contains(haystack, folded_needle); the needle is folded once, in C.
   * Both functions are used by the schema (a view) and are harmless, so
   * INNOCUOUS. */
  if (sqlite3_create_function_v2 (db, "oh_contains", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  g_string_sized_new (64), sql_contains, NULL, NULL, free_gstring)
          != SQLITE_OK
      || sqlite3_create_function_v2 (db, "oh_history_doc", 6,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     sql_history_doc, NULL, NULL, NULL)
             != SQLITE_OK)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _ ("Could not set up the history search: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

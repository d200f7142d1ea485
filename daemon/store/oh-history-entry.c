/* oh-history-entry.c: one call in the history, and the filters over them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-store"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-history-entry.h"

static const char *const direction_names[] = {
  [OH_HISTORY_DIRECTION_INCOMING] = "incoming",
  [OH_HISTORY_DIRECTION_OUTGOING] = "outgoing",
  [OH_HISTORY_DIRECTION_INTERNAL] = "internal",
};

static const char *const disposition_names[] = {
  [OH_HISTORY_DISPOSITION_ANSWERED] = "answered",
  [OH_HISTORY_DISPOSITION_MISSED] = "missed",
  [OH_HISTORY_DISPOSITION_BUSY] = "busy",
  [OH_HISTORY_DISPOSITION_FAILED] = "failed",
};

static int
word_index (const char *const *words, guint n_words, const char *word)
{
  if (word == NULL)
    return -1;
  for (guint i = 0; i < n_words; i++)
    if (g_str_equal (words[i], word))
      return (int)i;
  return -1;
}

/**
 * oh_history_direction_to_string:
 *
 * Returns: the direction as the D-Bus API spells it.
 */
const char *
oh_history_direction_to_string (OhHistoryDirection direction)
{
  g_return_val_if_fail ((guint)direction < G_N_ELEMENTS (direction_names), "internal");
  return direction_names[direction];
}

/**
 * oh_history_direction_from_string:
 * @word: `incoming`, `outgoing` or `internal`
 * @direction: (out): the direction
 *
 * Returns: %FALSE if @word is none of those.
 */
gboolean
oh_history_direction_from_string (const char *word, OhHistoryDirection *direction)
{
  int i = word_index (direction_names, G_N_ELEMENTS (direction_names), word);

  if (i < 0)
    return FALSE;
  *direction = (OhHistoryDirection)i;
  return TRUE;
}

/**
 * oh_history_disposition_to_string:
 *
 * Returns: the disposition as the D-Bus API spells it.
 */
const char *
oh_history_disposition_to_string (OhHistoryDisposition disposition)
{
  g_return_val_if_fail ((guint)disposition < G_N_ELEMENTS (disposition_names), "failed");
  return disposition_names[disposition];
}

/**
 * oh_history_disposition_from_string:
 * @word: `answered`, `missed`, `busy` or `failed`
 * @disposition: (out): the disposition
 *
 * Returns: %FALSE if @word is none of those.
 */
gboolean
oh_history_disposition_from_string (const char *word, OhHistoryDisposition *disposition)
{
  int i = word_index (disposition_names, G_N_ELEMENTS (disposition_names), word);

  if (i < 0)
    return FALSE;
  *disposition = (OhHistoryDisposition)i;
  return TRUE;
}

/**
 * oh_history_entry_new:
 *
 * Returns: (transfer full): an empty entry, answered, incoming, all strings %NULL.
 */
OhHistoryEntry *
oh_history_entry_new (void)
{
  return g_new0 (OhHistoryEntry, 1);
}

/**
 * oh_history_entry_copy:
 *
 * Returns: (transfer full): a deep copy of @entry.
 */
OhHistoryEntry *
oh_history_entry_copy (const OhHistoryEntry *entry)
{
  OhHistoryEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->id = g_strdup (entry->id);
  copy->session_id = g_strdup (entry->session_id);
  copy->caller = g_strdup (entry->caller);
  copy->caller_name = g_strdup (entry->caller_name);
  copy->callee = g_strdup (entry->callee);
  copy->callee_name = g_strdup (entry->callee_name);
  return copy;
}

void
oh_history_entry_free (OhHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->session_id);
  g_free (entry->caller);
  g_free (entry->caller_name);
  g_free (entry->callee);
  g_free (entry->callee_name);
  g_free (entry);
}

/**
 * oh_history_entry_talk_seconds:
 *
 * Returns: the whole seconds from answer to end of an answered call, else 0.
 */
guint
oh_history_entry_talk_seconds (const OhHistoryEntry *entry)
{
  gint64 seconds;

  g_return_val_if_fail (entry != NULL, 0);

  if (entry->disposition != OH_HISTORY_DISPOSITION_ANSWERED || entry->answer_time <= 0
      || entry->end_time <= entry->answer_time)
    return 0;
  seconds = (entry->end_time - entry->answer_time) / G_USEC_PER_SEC;
  return (guint)MIN (seconds, (gint64)G_MAXUINT);
}

/* GVariant strings must be UTF-8; a hand-edited database must not make the
 * daemon emit criticals. */
static GVariant *
variant_string (const char *s)
{
  if (s == NULL)
    return g_variant_new_string ("");
  if (!g_utf8_validate (s, -1, NULL))
    return g_variant_new_take_string (g_utf8_make_valid (s, -1));
  return g_variant_new_string (s);
}

/**
 * oh_history_entry_to_variant:
 *
 * Returns: (transfer floating): the entry as the `a{sv}` of History.Query and
 *   EntryAdded, every key present.
 */
GVariant *
oh_history_entry_to_variant (const OhHistoryEntry *entry)
{
  GVariantBuilder builder;

  g_return_val_if_fail (entry != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", variant_string (entry->id));
  g_variant_builder_add (&builder, "{sv}", "session-id", variant_string (entry->session_id));
  g_variant_builder_add (&builder, "{sv}", "caller", variant_string (entry->caller));
  g_variant_builder_add (&builder, "{sv}", "caller-name", variant_string (entry->caller_name));
  g_variant_builder_add (&builder, "{sv}", "callee", variant_string (entry->callee));
  g_variant_builder_add (&builder, "{sv}", "callee-name", variant_string (entry->callee_name));
  g_variant_builder_add (&builder, "{sv}", "direction",
                         g_variant_new_string (oh_history_direction_to_string (entry->direction)));
  g_variant_builder_add (
      &builder, "{sv}", "disposition",
      g_variant_new_string (oh_history_disposition_to_string (entry->disposition)));
  g_variant_builder_add (&builder, "{sv}", "start-time", g_variant_new_int64 (entry->start_time));
  g_variant_builder_add (&builder, "{sv}", "answer-time", g_variant_new_int64 (entry->answer_time));
  g_variant_builder_add (&builder, "{sv}", "end-time", g_variant_new_int64 (entry->end_time));
  g_variant_builder_add (&builder, "{sv}", "talk-seconds",
                         g_variant_new_uint32 (entry->talk_seconds));
  return g_variant_builder_end (&builder);
}

/**
 * oh_history_filter_new:
 *
 * Returns: (transfer full): a filter that matches every entry.
 */
OhHistoryFilter *
oh_history_filter_new (void)
{
  return g_new0 (OhHistoryFilter, 1);
}

void
oh_history_filter_free (OhHistoryFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->text);
  g_free (filter->extension);
  g_free (filter->direction);
  g_free (filter->disposition);
  g_free (filter);
}

static gboolean
check_string (const char *key, const char *value, GError **error)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The filter “%s” is not valid UTF-8"), key);
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                     _ ("The filter “%s” must not contain control characters"), key);
        return FALSE;
      }
  if (g_utf8_strlen (value, -1) > OH_HISTORY_MAX_TEXT)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The filter “%s” is longer than %d characters"), key, OH_HISTORY_MAX_TEXT);
      return FALSE;
    }
  return TRUE;
}

/**
 * oh_history_filter_validate:
 * @filter: the filter
 * @rows: the page size asked for with it
 * @error: set to %OH_ERROR_INVALID_ARGUMENT with a message naming the problem
 *
 * Checks what a client may get wrong: the page size (1 to 1000), the words
 * of `direction` and `disposition`, negative times, `since` after `until`,
 * and over-long or invalid text (not UTF-8, or with control characters).
 */
gboolean
oh_history_filter_validate (const OhHistoryFilter *filter, guint rows, GError **error)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  if (rows < 1 || rows > OH_HISTORY_MAX_ROWS)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("Rows per page must be between 1 and %d, not %u"), OH_HISTORY_MAX_ROWS, rows);
      return FALSE;
    }
  if (!check_string ("text", filter->text, error)
      || !check_string ("extension", filter->extension, error))
    return FALSE;
  if (filter->direction != NULL && filter->direction[0] != '\0'
      && word_index (direction_names, G_N_ELEMENTS (direction_names), filter->direction) < 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown direction “%s”: use incoming, outgoing or internal"),
                   filter->direction);
      return FALSE;
    }
  if (filter->disposition != NULL && filter->disposition[0] != '\0'
      && word_index (disposition_names, G_N_ELEMENTS (disposition_names), filter->disposition) < 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown disposition “%s”: use answered, missed, busy or failed"),
                   filter->disposition);
      return FALSE;
    }
  if (filter->since < 0 || filter->until < 0)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The times “since” and “until” must not be negative"));
      return FALSE;
    }
  if (filter->until != 0 && filter->since > filter->until)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _ ("The filter “since” (%" G_GINT64_FORMAT
                      ") is later than “until” (%" G_GINT64_FORMAT ")"),
                   filter->since, filter->until);
      return FALSE;
    }
  return TRUE;
}

typedef enum
{
  KEY_TEXT,
  KEY_EXTENSION,
  KEY_DIRECTION,
  KEY_DISPOSITION,
  KEY_SINCE,
  KEY_UNTIL,
} FilterKey;

static const struct
{
  const char *name;
  const char *type;
} filter_keys[] = {
  [KEY_TEXT] = { "text", "s" },           [KEY_EXTENSION] = { "extension", "s" },
  [KEY_DIRECTION] = { "direction", "s" }, [KEY_DISPOSITION] = { "disposition", "s" },
  [KEY_SINCE] = { "since", "x" },         [KEY_UNTIL] = { "until", "x" },
};

/**
 * oh_history_filter_from_variant:
 * @filter: the `a{sv}` filter of History.Query; a floating reference is taken
 * @error: set to %OH_ERROR_INVALID_ARGUMENT naming the key that is unknown
 *   or of the wrong type
 *
 * Decodes the keys; check the result with oh_history_filter_validate().
 *
 * Returns: (transfer full): the filter, or %NULL with @error set.
 */
OhHistoryFilter *
oh_history_filter_from_variant (GVariant *filter, GError **error)
{
  g_autoptr (OhHistoryFilter) result = oh_history_filter_new ();
  g_autoptr (GVariant) owned_filter = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (filter, G_VARIANT_TYPE_VARDICT), NULL);

  owned_filter = g_variant_ref_sink (filter);
  g_variant_iter_init (&iter, filter);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;
      int k = -1;

      for (guint i = 0; i < G_N_ELEMENTS (filter_keys); i++)
        if (g_str_equal (filter_keys[i].name, key))
          k = (int)i;
      if (k < 0)
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown filter key “%s”: use text, extension, direction, disposition, "
                          "since or until"),
                       key);
          return NULL;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (filter_keys[k].type)))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _ ("The filter key “%s” must be of type “%s”, not “%s”"), key,
                       filter_keys[k].type, g_variant_get_type_string (value));
          return NULL;
        }
      switch ((FilterKey)k)
        {
          case KEY_TEXT:
            g_free (result->text);
            result->text = g_variant_dup_string (value, NULL);
            break;
          case KEY_EXTENSION:
            g_free (result->extension);
            result->extension = g_variant_dup_string (value, NULL);
            break;
          case KEY_DIRECTION:
            g_free (result->direction);
            result->direction = g_variant_dup_string (value, NULL);
            break;
          case KEY_DISPOSITION:
            g_free (result->disposition);
            result->disposition = g_variant_dup_string (value, NULL);
            break;
          case KEY_SINCE:
            result->since = g_variant_get_int64 (value);
            break;
          case KEY_UNTIL:
            result->until = g_variant_get_int64 (value);
            break;
          default:
            g_assert_not_reached ();
        }
    }
  return g_steal_pointer (&result);
}

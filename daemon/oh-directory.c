/* oh-directory.c: the company directory (mobile numbers and e-mail)
 *
 * Two formats, parsed here because no library in Debian 12 parses vCard
 * without pulling in a whole address-book stack:
 *  - vCard 3.0/4.0 (RFC 6350): FN, TEL;TYPE=cell (mobile), EMAIL, and the
 *    extension in X-OFFHOOK-EXTENSION or a TEL with TYPE=x-extension;
 *    folded lines and \-escapes are handled; other properties are ignored.
 *  - CSV (RFC 4180) with a header naming the columns extension, name,
 *    mobile and email (any order, case-insensitive; others ignored).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <string.h>
#include <glib/gi18n.h>

#include "oh-directory.h"
#include "oh-error.h"

#define MAX_DIRECTORY_SIZE (64 * 1024 * 1024)
#define MAX_FIELD 1024

struct _OhDirectory
{
  GPtrArray  *entries;       /* OhDirectoryEntry* */
  GHashTable *by_extension;  /* extension → entry */
  GHashTable *by_name;       /* casefolded name → entry */
};

static void
entry_free (OhDirectoryEntry *entry)
{
  g_free (entry->extension);
  g_free (entry->name);
  g_free (entry->mobile);
  g_free (entry->email);
  g_free (entry);
}

static OhDirectory *
directory_new (void)
{
  OhDirectory *directory = g_new0 (OhDirectory, 1);

  directory->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  directory->by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  directory->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return directory;
}

void
oh_directory_free (OhDirectory *directory)
{
  if (directory == NULL)
    return;
  g_hash_table_unref (directory->by_extension);
  g_hash_table_unref (directory->by_name);
  g_ptr_array_unref (directory->entries);
  g_free (directory);
}

guint
oh_directory_get_size (OhDirectory *directory)
{
  return directory->entries->len;
}

static char *
clean_field (const char *value)
{
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (value));
  if (*stripped == '\0' || strlen (stripped) > MAX_FIELD || !g_utf8_validate (stripped, -1, NULL))
    return NULL;
  for (char *p = stripped; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  return g_steal_pointer (&stripped);
}

static void
directory_add (OhDirectory      *directory,
               OhDirectoryEntry *entry)
{
  if (entry->extension == NULL && entry->name == NULL)
    {
      entry_free (entry);
      return;
    }
  g_ptr_array_add (directory->entries, entry);
  if (entry->extension)
    g_hash_table_insert (directory->by_extension, entry->extension, entry);
  if (entry->name)
    g_hash_table_insert (directory->by_name, g_utf8_casefold (entry->name, -1), entry);
}

const OhDirectoryEntry *
oh_directory_lookup (OhDirectory *directory,
                     const char  *extension,
                     const char  *name)
{
  const OhDirectoryEntry *entry = NULL;

  if (directory == NULL)
    return NULL;
  if (extension && *extension)
    entry = g_hash_table_lookup (directory->by_extension, extension);
  if (entry == NULL && name && *name)
    {
      g_autofree char *key = g_utf8_casefold (name, -1);

      entry = g_hash_table_lookup (directory->by_name, key);
      /* A name match must not steal another extension's entry. */
      if (entry && entry->extension && extension && *extension &&
          !g_str_equal (entry->extension, extension))
        entry = NULL;
    }
  return entry;
}

/* --- vCard ----------------------------------------------------------- */

static char *
vcard_unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    {
      if (*p == '\\' && p[1])
        {
          p++;
          g_string_append_c (out, (*p == 'n' || *p == 'N') ? ' ' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
vcard_param_has_type (const char *params,
                      const char *type)
{
  g_auto(GStrv) parts = g_strsplit (params, ";", -1);

  for (guint i = 0; parts[i]; i++)
    {
      const char *p = parts[i];
      g_auto(GStrv) values = NULL;

      if (g_ascii_strncasecmp (p, "TYPE=", 5) == 0)
        p += 5;
      values = g_strsplit_set (p, ",\"", -1);
      for (guint j = 0; values[j]; j++)
        if (g_ascii_strcasecmp (values[j], type) == 0)
          return TRUE;
    }
  return FALSE;
}

static gboolean
parse_vcard (OhDirectory *directory,
             const char  *data,
             GError     **error)
{
  g_auto(GStrv) raw_lines = g_regex_split_simple ("\r?\n", data, 0, 0);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *current = NULL;
  OhDirectoryEntry *entry = NULL;

  /* Unfold: a line starting with a space or tab continues the previous
   * (appended in place: a long folded value stays linear). */
  for (guint i = 0; raw_lines[i]; i++)
    {
      const char *line = raw_lines[i];

      if ((line[0] == ' ' || line[0] == '\t') && current != NULL)
        g_string_append (current, line + 1);
      else
        {
          if (current)
            g_ptr_array_add (lines, g_string_free (current, FALSE));
          current = g_string_new (line);
        }
    }
  if (current)
    g_ptr_array_add (lines, g_string_free (current, FALSE));

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      const char *colon = strchr (line, ':');
      g_autofree char *head = NULL;
      g_autofree char *value = NULL;
      g_autofree char *name = NULL;
      const char *params;
      char *semi, *dot;

      if (colon == NULL)
        continue;
      head = g_strndup (line, colon - line);
      value = vcard_unescape (colon + 1);
      semi = strchr (head, ';');
      params = semi ? semi + 1 : "";
      name = g_ascii_strup (head, semi ? semi - head : -1);
      /* Drop a group prefix ("item1.TEL"). */
      dot = strrchr (name, '.');
      if (dot)
        memmove (name, dot + 1, strlen (dot));

      if (g_str_equal (name, "BEGIN") && g_ascii_strcasecmp (value, "VCARD") == 0)
        {
          if (entry)
            entry_free (entry);
          entry = g_new0 (OhDirectoryEntry, 1);
        }
      else if (entry == NULL)
        continue;
      else if (g_str_equal (name, "END"))
        {
          directory_add (directory, entry);
          entry = NULL;
        }
      else if (g_str_equal (name, "FN"))
        {
          g_free (entry->name);
          entry->name = clean_field (value);
        }
      else if (g_str_equal (name, "EMAIL") && entry->email == NULL)
        entry->email = clean_field (value);
      else if (g_str_equal (name, "X-OFFHOOK-EXTENSION"))
        {
          g_free (entry->extension);
          entry->extension = clean_field (value);
        }
      else if (g_str_equal (name, "TEL"))
        {
          const char *number = value;

          if (g_str_has_prefix (number, "tel:"))
            number += 4;
          if (vcard_param_has_type (params, "x-extension") && entry->extension == NULL)
            entry->extension = clean_field (number);
          else if (vcard_param_has_type (params, "cell") && entry->mobile == NULL)
            entry->mobile = clean_field (number);
        }
    }

  if (entry)
    {
      entry_free (entry);
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The directory's last vCard has no END:VCARD"));
      return FALSE;
    }
  return TRUE;
}

/* --- CSV ------------------------------------------------------------- */

/* Reads one record; returns NULL at the end. Sets *bad on a broken quote. */
static GPtrArray *
csv_next_record (const char **cursor,
                 gboolean    *bad)
{
  const char *p = *cursor;
  GPtrArray *fields;
  GString *field;

  if (*p == '\0')
    return NULL;

  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  for (;;)
    {
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  *bad = TRUE;
                  break;
                }
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      while (*p && *p != ',' && *p != '\n' && *p != '\r')
        g_string_append_c (field, *p++);

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*p == ',')
        {
          p++;
          field = g_string_new (NULL);
          continue;
        }
      if (*p == '\r')
        p++;
      if (*p == '\n')
        p++;
      break;
    }
  *cursor = p;
  return fields;
}

static gboolean
parse_csv (OhDirectory *directory,
           const char  *data,
           GError     **error)
{
  const char *cursor = data;
  gboolean bad = FALSE;
  g_autoptr(GPtrArray) header = csv_next_record (&cursor, &bad);
  int col_ext = -1, col_name = -1, col_mobile = -1, col_email = -1;
  GPtrArray *record;

  for (guint i = 0; header && i < header->len; i++)
    {
      g_autofree char *h = g_ascii_strdown (g_strstrip ((char *) g_ptr_array_index (header, i)), -1);

      if (g_str_equal (h, "extension"))
        col_ext = i;
      else if (g_str_equal (h, "name") || g_str_equal (h, "full name"))
        col_name = i;
      else if (g_str_equal (h, "mobile"))
        col_mobile = i;
      else if (g_str_equal (h, "email") || g_str_equal (h, "e-mail"))
        col_email = i;
    }
  if (col_ext < 0 && col_name < 0)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The directory's CSV header names neither an “extension” nor a “name” column"));
      return FALSE;
    }

  while (!bad && (record = csv_next_record (&cursor, &bad)) != NULL)
    {
      OhDirectoryEntry *entry = g_new0 (OhDirectoryEntry, 1);

#define FIELD(col) ((col) >= 0 && (guint) (col) < record->len ? clean_field (g_ptr_array_index (record, col)) : NULL)
      entry->extension = FIELD (col_ext);
      entry->name = FIELD (col_name);
      entry->mobile = FIELD (col_mobile);
      entry->email = FIELD (col_email);
#undef FIELD
      g_ptr_array_unref (record);
      directory_add (directory, entry);
    }
  if (bad)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The directory's CSV has an unterminated quoted field"));
      return FALSE;
    }
  return TRUE;
}

/**
 * oh_directory_parse:
 * @data: the file's contents (UTF-8)
 *
 * Returns: (transfer full): the directory, or %NULL with an error.
 */
OhDirectory *
oh_directory_parse (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(OhDirectory) directory = directory_new ();
  g_autofree char *text = NULL;
  const char *start;

  if (length > MAX_DIRECTORY_SIZE || !g_utf8_validate_len (data, length, NULL) ||
      memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The directory is not UTF-8 text or is too large"));
      return NULL;
    }
  text = g_strndup (data, length);
  start = text;
  if (g_str_has_prefix (start, "\xEF\xBB\xBF"))
    start += 3;
  while (g_ascii_isspace (*start))
    start++;

  if (g_ascii_strncasecmp (start, "BEGIN:VCARD", 11) == 0)
    {
      if (!parse_vcard (directory, start, error))
        return NULL;
    }
  else if (!parse_csv (directory, start, error))
    return NULL;

  return g_steal_pointer (&directory);
}

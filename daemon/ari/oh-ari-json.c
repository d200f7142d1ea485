/* oh-ari-json.c: ARI's JSON read where it lies, without building a tree
 *
 * Reading an object checks every byte of it once: strings (UTF-8, escapes,
 * no control characters), numbers, literals, the nesting of what it holds,
 * and records each member's name and where its value lies. Values inside
 * members are checked but not recorded; the decoder indexes the ones it
 * needs when it gets to them (a second pass over those bytes only).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-ari"

#include <string.h>

#include "oh-ari-decode.h"
#include "oh-ari-json.h"

/* What a byte is inside a string. */
enum {
  PLAIN,
  QUOTE,
  BACKSLASH,
  CONTROL,
  HIGH,
};

/* For the bytes of a string that scan_string() does not take eight at a
 * time. */
static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = CONTROL,
  ['"'] = QUOTE,
  ['\\'] = BACKSLASH,
  [0x80 ... 0xff] = HIGH,
};

typedef struct
{
  const OhAriJsonDocument *document;
  const guchar            *p;
  const guchar            *end;
  GError                 **error;
} Scanner;

static gboolean scan_value (Scanner        *s,
                            guint           depth,
                            OhAriJsonValue *value);

/* One comparison for the usual case, a byte that is not space. */
static inline gboolean
is_space (guchar c)
{
  return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}

static inline gboolean
is_digit (guchar c)
{
  return (guint) (c - '0') < 10;
}

static inline gint
hex_value (guchar c)
{
  if (is_digit (c))
    return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static inline void
skip_space (Scanner *s)
{
  while (s->p < s->end && is_space (*s->p))
    s->p++;
}

static gsize
offset (const Scanner *s)
{
  return (const char *) s->p - s->document->start;
}

/* The messages say where, never what: the text is other people's data. */
static gboolean
malformed (Scanner    *s,
           const char *expected)
{
  if (s->p >= s->end)
    g_set_error_literal (s->error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                         "Malformed JSON from ARI: the document ends early");
  else
    g_set_error (s->error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                 "Malformed JSON from ARI at byte %" G_GSIZE_FORMAT ": %s expected", offset (s),
                 expected);
  return FALSE;
}

static gboolean
invalid (Scanner    *s,
         const char *problem)
{
  g_set_error (s->error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
               "Invalid ARI message: %s at byte %" G_GSIZE_FORMAT, problem, offset (s));
  return FALSE;
}

static gboolean
too_deep (Scanner *s)
{
  g_set_error (s->error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
               "Invalid ARI message: nested deeper than %d levels", OH_ARI_JSON_MAX_DEPTH);
  return FALSE;
}

/* The length of the well-formed UTF-8 sequence at @p (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static gsize
utf8_sequence (const guchar *p,
               const guchar *end)
{
  gsize available = end - p;
  guchar lead = p[0];
  guchar low = 0x80, high = 0xBF;

  if (lead >= 0xC2 && lead <= 0xDF)
    return available >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF)
    {
      if (lead == 0xE0)
        low = 0xA0;
      else if (lead == 0xED)
        high = 0x9F;
      return available >= 3 && p[1] >= low && p[1] <= high && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
  if (lead >= 0xF0 && lead <= 0xF4)
    {
      if (lead == 0xF0)
        low = 0x90;
      else if (lead == 0xF4)
        high = 0x8F;
      return available >= 4 && p[1] >= low && p[1] <= high && (p[2] & 0xC0) == 0x80
                 && (p[3] & 0xC0) == 0x80
               ? 4
               : 0;
    }
  return 0;
}

/* Four hex digits at @p, or -1. */
static gint
read_hex4 (const guchar *p,
           const guchar *end)
{
  gint value = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      gint digit = hex_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* At a backslash. A \u escape must be four hex digits, and a surrogate
 * only half of a well-formed pair: what it stands for must be UTF-8. NUL
 * is refused too: no C string can carry it. */
static gboolean
scan_escape (Scanner *s)
{
  const guchar *p = s->p;
  gint code, low;

  if (s->end - p < 2)
    {
      s->p = s->end;
      return malformed (s, "an escape");
    }
  switch (p[1])
    {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      s->p = p + 2;
      return TRUE;

    case 'u':
      code = read_hex4 (p + 2, s->end);
      if (code < 0 || (code >= 0xDC00 && code <= 0xDFFF))
        return invalid (s, "a broken \\u escape");
      if (code == 0)
        return invalid (s, "a \\u0000 escape");
      if (code >= 0xD800 && code <= 0xDBFF)
        {
          if (s->end - p < 12 || p[6] != '\\' || p[7] != 'u')
            return invalid (s, "a broken \\u escape");
          low = read_hex4 (p + 8, s->end);
          if (low < 0xDC00 || low > 0xDFFF)
            return invalid (s, "a broken \\u escape");
          s->p = p + 12;
          return TRUE;
        }
      s->p = p + 6;
      return TRUE;

    default:
      return invalid (s, "an unknown escape");
    }
}

/* The rest of a string from a byte that is not PLAIN (or the end). */
static G_NO_INLINE gboolean
scan_string_rest (Scanner *s,
                  guint8  *flags)
{
  const guchar *p = s->p;
  const guchar *end = s->end;

  for (;;)
    {
      gsize n;

      while (p < end && string_class[*p] == PLAIN)
        p++;
      s->p = p;
      if (G_UNLIKELY (p >= end))
        return malformed (s, "'\"'");

      switch (string_class[*p])
        {
        case QUOTE:
          s->p = p + 1;
          return TRUE;
        case BACKSLASH:
          *flags |= OH_ARI_JSON_ESCAPED;
          if (!scan_escape (s))
            return FALSE;
          p = s->p;
          break;
        case CONTROL:
          return invalid (s, "a control character in a string");
        case HIGH:
        default:
          if ((n = utf8_sequence (p, end)) == 0)
            return invalid (s, "not UTF-8");
          p += n;
          break;
        }
    }
}

/* The bytes of @chunk that are a control character, '"', '\\' or part of
 * a multibyte character, as their high bits (the usual bit tricks: the
 * lowest one marked is always right, those above it need not be). */
static inline guint64
special_bytes (guint64 chunk)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  guint64 quote = chunk ^ (ones * '"');
  guint64 backslash = chunk ^ (ones * '\\');

  return (chunk
          | ((chunk - ones * 0x20) & ~chunk)
          | ((quote - ones) & ~quote)
          | ((backslash - ones) & ~backslash))
         & (ones * 0x80);
}

/* At the opening quote; leaves s->p after the closing one. Most of the
 * text is in strings, mostly short and plain ASCII: eight bytes at a time,
 * and the rest out of line. */
G_ALWAYS_INLINE static inline gboolean
scan_string (Scanner *s,
             guint8  *flags)
{
  const guchar *p = s->p + 1;
  const guchar *end = s->end;

  for (;;)
    {
      guint64 chunk, special;

      if (end - p < 8)
        {
          while (p < end && string_class[*p] == PLAIN)
            p++;
          break;
        }
      memcpy (&chunk, p, sizeof chunk);
      special = special_bytes (chunk);
      if (special == 0)
        {
          p += 8;
          continue;
        }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      /* The first byte in memory is the lowest. */
      p += __builtin_ctzll (special) / 8;
#else
      while (string_class[*p] == PLAIN)
        p++;
#endif
      break;
    }

  if (G_LIKELY (p < end && *p == '"'))
    {
      s->p = p + 1;
      return TRUE;
    }
  s->p = p;
  return scan_string_rest (s, flags);
}

/* RFC 8259's grammar exactly: no leading zeros, no "1." or ".5", no '+',
 * no hex, no NaN. */
static gboolean
scan_number (Scanner *s,
             guint8  *flags)
{
  const guchar *end = s->end;
  gboolean integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < end && *s->p == '0')
    s->p++;
  else if (s->p < end && is_digit (*s->p))
    while (s->p < end && is_digit (*s->p))
      s->p++;
  else
    return malformed (s, "a digit");

  if (s->p < end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (s->p >= end || !is_digit (*s->p))
        return malformed (s, "a digit");
      while (s->p < end && is_digit (*s->p))
        s->p++;
    }
  if (s->p < end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= end || !is_digit (*s->p))
        return malformed (s, "a digit");
      while (s->p < end && is_digit (*s->p))
        s->p++;
    }

  if (integer)
    *flags |= OH_ARI_JSON_INTEGER;
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word,
              gsize       length)
{
  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return malformed (s, "a value");
  s->p += length;
  return TRUE;
}

static OhAriJsonMember *
add_member (OhAriJsonObject *object)
{
  if (object->n_members == object->allocated)
    {
      guint allocated = object->allocated * 2;

      if (object->members == object->inline_members)
        {
          object->members = g_new (OhAriJsonMember, allocated);
          memcpy (object->members, object->inline_members,
                  object->n_members * sizeof (OhAriJsonMember));
        }
      else
        object->members = g_renew (OhAriJsonMember, object->members, allocated);
      object->allocated = allocated;
    }
  return &object->members[object->n_members++];
}

/* At '{' of an object at @depth. With @index, records its members. */
static gboolean
scan_object (Scanner         *s,
             guint            depth,
             OhAriJsonObject *index)
{
  if (depth > OH_ARI_JSON_MAX_DEPTH)
    return too_deep (s);

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      const guchar *name = s->p;
      gsize name_length;
      guint8 name_flags = 0;

      if (s->p >= s->end || *s->p != '"')
        return malformed (s, "a member name");
      if (!scan_string (s, &name_flags))
        return FALSE;
      name_length = s->p - name - 2;
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return malformed (s, "':'");
      s->p++;
      skip_space (s);

      if (index != NULL)
        {
          OhAriJsonMember *member = add_member (index);

          member->name = (const char *) name + 1;
          member->name_length = name_length;
          member->name_escaped = (name_flags & OH_ARI_JSON_ESCAPED) != 0;
          if (!scan_value (s, depth + 1, &member->value))
            return FALSE;
        }
      else if (s->p < s->end && *s->p == '"')
        {
          /* Most of what is skipped is a string: no call, nothing kept. */
          guint8 flags = 0;

          if (!scan_string (s, &flags))
            return FALSE;
        }
      else
        {
          OhAriJsonValue skipped;

          if (!scan_value (s, depth + 1, &skipped))
            return FALSE;
        }

      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return malformed (s, "',' or '}'");
    }
}

/* At '[' of an array at @depth. */
static gboolean
scan_array (Scanner *s,
            guint    depth)
{
  if (depth > OH_ARI_JSON_MAX_DEPTH)
    return too_deep (s);

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      OhAriJsonValue element;

      if (!scan_value (s, depth + 1, &element))
        return FALSE;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return malformed (s, "',' or ']'");
    }
}

/* At the first byte of a value (after any space). */
static gboolean
scan_value (Scanner        *s,
            guint           depth,
            OhAriJsonValue *value)
{
  gboolean ok;

  value->document = s->document;
  value->start = (const char *) s->p;
  value->flags = 0;
  value->depth = depth;

  if (s->p >= s->end)
    return malformed (s, "a value");

  switch (*s->p)
    {
    case '"':
      value->type = OH_ARI_JSON_STRING;
      ok = scan_string (s, &value->flags);
      break;
    case '{':
      value->type = OH_ARI_JSON_OBJECT;
      ok = scan_object (s, depth, NULL);
      break;
    case '[':
      value->type = OH_ARI_JSON_ARRAY;
      ok = scan_array (s, depth);
      break;
    case 't':
      value->type = OH_ARI_JSON_TRUE;
      ok = scan_literal (s, "true", 4);
      break;
    case 'f':
      value->type = OH_ARI_JSON_FALSE;
      ok = scan_literal (s, "false", 5);
      break;
    case 'n':
      value->type = OH_ARI_JSON_NULL;
      ok = scan_literal (s, "null", 4);
      break;
    case '-':
    case '0' ... '9':
      value->type = OH_ARI_JSON_NUMBER;
      ok = scan_number (s, &value->flags);
      break;
    default:
      return malformed (s, "a value");
    }

  value->end = (const char *) s->p;
  return ok;
}

/**
 * oh_ari_json_document_open:
 * @document: (out caller-allocates): the document
 * @data: the text
 * @length: its length in bytes
 * @root: (out caller-allocates): where its value begins
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Finds the value of a document, which must be an object or an array (ARI
 * sends nothing else). Nothing is checked yet: that happens as it is read
 * (oh_ari_json_object_index(), oh_ari_json_array_iter_next()), and then
 * oh_ari_json_document_close() checks that nothing follows it.
 *
 * Returns: %FALSE if the document is neither an object nor an array
 */
gboolean
oh_ari_json_document_open (OhAriJsonDocument *document,
                           const char        *data,
                           gsize              length,
                           OhAriJsonValue    *root,
                           GError           **error)
{
  const char *p = data;

  document->start = data;
  document->end = data + length;
  while (p < document->end && is_space (*p))
    p++;
  if (p == document->end || (*p != '{' && *p != '['))
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: not a JSON object or array");
      return FALSE;
    }

  root->document = document;
  root->start = p;
  root->end = NULL;
  root->type = *p == '{' ? OH_ARI_JSON_OBJECT : OH_ARI_JSON_ARRAY;
  root->flags = 0;
  root->depth = 1;
  return TRUE;
}

/**
 * oh_ari_json_document_close:
 * @document: the document
 * @after_root: one past the last byte of its value, once read
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: %FALSE if anything but spaces follows the value
 */
gboolean
oh_ari_json_document_close (const OhAriJsonDocument *document,
                            const char              *after_root,
                            GError                 **error)
{
  const char *p = after_root;

  while (p < document->end && is_space (*p))
    p++;
  if (p != document->end)
    {
      g_set_error_literal (error, OH_ARI_ERROR, OH_ARI_ERROR_PROTOCOL,
                           "Invalid ARI message: data after the end of the JSON document");
      return FALSE;
    }
  return TRUE;
}

/**
 * oh_ari_json_object_index:
 * @object: where to record the members (its previous ones are dropped)
 * @value: an object
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Reads @value, checking everything in it, and records its members; then
 * `object->end` is one past its closing brace.
 *
 * Returns: %FALSE if the text is not well-formed
 */
gboolean
oh_ari_json_object_index (OhAriJsonObject      *object,
                          const OhAriJsonValue *value,
                          GError              **error)
{
  Scanner s = {
    value->document,
    (const guchar *) value->start,
    (const guchar *) value->document->end,
    error,
  };

  g_return_val_if_fail (value->type == OH_ARI_JSON_OBJECT, FALSE);

  if (object->members == NULL)
    {
      object->members = object->inline_members;
      object->allocated = OH_ARI_JSON_INLINE_MEMBERS;
    }
  object->n_members = 0;
  if (!scan_object (&s, value->depth, object))
    return FALSE;
  object->end = (const char *) s.p;
  return TRUE;
}

/* @member's name, unescaped, is @name. */
static gboolean
escaped_name_equal (const OhAriJsonMember *member,
                    const char            *name,
                    gsize                  length)
{
  OhAriJsonValue value = { NULL, member->name - 1, member->name + member->name_length + 1,
                           OH_ARI_JSON_STRING, OH_ARI_JSON_ESCAPED, 0 };
  OhAriJsonText text;
  gboolean equal;

  oh_ari_json_value_get_text (&value, &text);
  equal = strlen (text.text) == length && memcmp (text.text, name, length) == 0;
  oh_ari_json_text_clear (&text);
  return equal;
}

/**
 * oh_ari_json_object_get:
 * @object: an indexed object
 * @name: a member name
 *
 * When a name comes more than once, the last one counts (as in json-glib).
 *
 * Returns: (nullable): the member's value (a JSON null included), or %NULL
 *   if there is no such member
 */
const OhAriJsonValue *
oh_ari_json_object_get (const OhAriJsonObject *object,
                        const char            *name)
{
  gsize length = strlen (name);

  for (guint i = object->n_members; i-- > 0;)
    {
      const OhAriJsonMember *member = &object->members[i];

      if (G_LIKELY (!member->name_escaped))
        {
          if (member->name_length == length && memcmp (member->name, name, length) == 0)
            return &member->value;
        }
      else if (escaped_name_equal (member, name, length))
        return &member->value;
    }
  return NULL;
}

void
oh_ari_json_object_clear (OhAriJsonObject *object)
{
  if (object->members != object->inline_members)
    g_free (object->members);
  object->members = NULL;
  object->n_members = 0;
  object->allocated = 0;
}

/**
 * oh_ari_json_array_iter_init:
 * @iter: (out caller-allocates): an iterator
 * @array: an array
 *
 * Reads @array one element at a time: each oh_ari_json_array_iter_next()
 * checks the next element and everything in it.
 */
void
oh_ari_json_array_iter_init (OhAriJsonArrayIter   *iter,
                             const OhAriJsonValue *array)
{
  g_return_if_fail (array->type == OH_ARI_JSON_ARRAY);

  iter->document = array->document;
  iter->p = array->start;
  iter->index = 0;
  iter->depth = array->depth;
  iter->done = FALSE;
}

/**
 * oh_ari_json_array_iter_next:
 * @iter: an iterator
 * @element: (out caller-allocates): the next element
 * @error: return location for an %OH_ARI_ERROR_PROTOCOL error
 *
 * Returns: %TRUE with the next element; %FALSE at the end of the array
 *   (with `iter->done` set, and `iter->p` one past the ']') or with @error
 *   set if the text is not well-formed
 */
gboolean
oh_ari_json_array_iter_next (OhAriJsonArrayIter *iter,
                             OhAriJsonValue     *element,
                             GError            **error)
{
  Scanner s = {
    iter->document,
    (const guchar *) iter->p,
    (const guchar *) iter->document->end,
    error,
  };

  if (iter->done)
    return FALSE;

  if (iter->index == 0)
    {
      /* at '[' */
      if (iter->depth > OH_ARI_JSON_MAX_DEPTH)
        return too_deep (&s);
      s.p++;
      skip_space (&s);
      if (s.p < s.end && *s.p == ']')
        {
          iter->p = (const char *) s.p + 1;
          iter->done = TRUE;
          return FALSE;
        }
    }
  else
    {
      skip_space (&s);
      if (s.p < s.end && *s.p == ']')
        {
          iter->p = (const char *) s.p + 1;
          iter->done = TRUE;
          return FALSE;
        }
      if (s.p >= s.end || *s.p != ',')
        return malformed (&s, "',' or ']'");
      s.p++;
      skip_space (&s);
    }

  if (!scan_value (&s, iter->depth + 1, element))
    return FALSE;
  iter->p = (const char *) s.p;
  iter->index++;
  return TRUE;
}

/* Writes the string @in (checked, without its quotes) unescaped to @out,
 * which has room for @length + 1 bytes; returns the length written. */
static gsize
unescape (const char *in,
          gsize       length,
          char       *out)
{
  const char *end = in + length;
  char *o = out;

  while (in < end)
    {
      const char *backslash = memchr (in, '\\', end - in);
      gint code;

      if (backslash == NULL)
        {
          memcpy (o, in, end - in);
          o += end - in;
          break;
        }
      memcpy (o, in, backslash - in);
      o += backslash - in;
      in = backslash;

      switch (in[1])
        {
        case 'b':
          *o++ = '\b';
          break;
        case 'f':
          *o++ = '\f';
          break;
        case 'n':
          *o++ = '\n';
          break;
        case 'r':
          *o++ = '\r';
          break;
        case 't':
          *o++ = '\t';
          break;
        case 'u':
          code = read_hex4 ((const guchar *) in + 2, (const guchar *) end);
          if (code >= 0xD800 && code <= 0xDBFF)
            {
              gint low = read_hex4 ((const guchar *) in + 8, (const guchar *) end);

              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
              in += 6;
            }
          o += g_unichar_to_utf8 (code, o);
          in += 4;
          break;
        default: /* '"', '\\', '/' */
          *o++ = in[1];
          break;
        }
      in += 2;
    }

  *o = '\0';
  return o - out;
}

/**
 * oh_ari_json_value_dup_string:
 * @value: a string
 *
 * Returns: (transfer full): its text, unescaped
 */
char *
oh_ari_json_value_dup_string (const OhAriJsonValue *value)
{
  const char *text = value->start + 1;
  gsize length = value->end - value->start - 2;
  char *copy;

  g_return_val_if_fail (value->type == OH_ARI_JSON_STRING, NULL);

  copy = g_malloc (length + 1);
  if (G_LIKELY (!(value->flags & OH_ARI_JSON_ESCAPED)))
    {
      memcpy (copy, text, length);
      copy[length] = '\0';
    }
  else
    unescape (text, length, copy);
  return copy;
}

/**
 * oh_ari_json_value_get_text:
 * @value: a string
 * @text: (out caller-allocates): where to put it; clear it with
 *   oh_ari_json_text_clear()
 *
 * For strings that are compared or parsed and then dropped, without a copy
 * on the heap when they are short.
 *
 * Returns: its text, unescaped, as `text->text`
 */
const char *
oh_ari_json_value_get_text (const OhAriJsonValue *value,
                            OhAriJsonText        *text)
{
  const char *start = value->start + 1;
  gsize length = value->end - value->start - 2;

  if (length >= sizeof text->inline_text)
    text->text = oh_ari_json_value_dup_string (value);
  else
    {
      text->text = text->inline_text;
      if (G_LIKELY (!(value->flags & OH_ARI_JSON_ESCAPED)))
        {
          memcpy (text->text, start, length);
          text->text[length] = '\0';
        }
      else
        unescape (start, length, text->text);
    }
  return text->text;
}

void
oh_ari_json_text_clear (OhAriJsonText *text)
{
  if (text->text != text->inline_text)
    g_free (text->text);
  text->text = NULL;
}

/**
 * oh_ari_json_value_get_int64:
 * @value: a number with the %OH_ARI_JSON_INTEGER flag
 * @out: (out): its value
 *
 * Returns: %FALSE if it does not fit in 64 bits
 */
gboolean
oh_ari_json_value_get_int64 (const OhAriJsonValue *value,
                             gint64               *out)
{
  const char *p = value->start;
  gboolean negative = FALSE;
  guint64 magnitude = 0;

  g_return_val_if_fail (value->type == OH_ARI_JSON_NUMBER, FALSE);
  g_return_val_if_fail (value->flags & OH_ARI_JSON_INTEGER, FALSE);

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; p < value->end; p++)
    {
      guint digit = *p - '0';

      if (magnitude > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }

  if (negative)
    {
      if (magnitude > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *out = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
    }
  else
    {
      if (magnitude > G_MAXINT64)
        return FALSE;
      *out = (gint64) magnitude;
    }
  return TRUE;
}

/**
 * oh_ari_json_value_get_double:
 * @value: a number
 *
 * Returns: its value, ±infinity if out of range
 */
gdouble
oh_ari_json_value_get_double (const OhAriJsonValue *value)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (value->type == OH_ARI_JSON_NUMBER, 0);

  text = g_strndup (value->start, value->end - value->start);
  return g_ascii_strtod (text, NULL);
}

/**
 * oh_ari_json_member_dup_name:
 * @member: a member of an indexed object
 *
 * Returns: (transfer full): its name, unescaped
 */
char *
oh_ari_json_member_dup_name (const OhAriJsonMember *member)
{
  OhAriJsonValue value = { NULL, member->name - 1, member->name + member->name_length + 1,
                           OH_ARI_JSON_STRING,
                           member->name_escaped ? OH_ARI_JSON_ESCAPED : 0, 0 };

  return oh_ari_json_value_dup_string (&value);
}

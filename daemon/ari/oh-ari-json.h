/* oh-ari-json.h: ARI's JSON read where it lies, without building a tree
 *
 * json-glib builds a node, a hash table and a member list per value of every
 * message and frees them again, which was most of the daemon's CPU time per
 * event. This reader checks a document in one pass and records where each
 * member of an object lies (one level at a time, in a small array on the
 * stack); the decoder looks members up by name and reads only the values it
 * needs, straight from the text into its structs.
 *
 * Strict RFC 8259 JSON, plus what the daemon needs of every message: valid
 * UTF-8 (GVariant refuses anything else), no \u0000 (C strings cannot hold
 * it), nesting at most OH_ARI_JSON_MAX_DEPTH deep (the reader recurses once
 * per level). Errors are OH_ARI_ERROR_PROTOCOL and never quote the text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ARI nests four levels at most (event.message.variables.X). */
#define OH_ARI_JSON_MAX_DEPTH 32

typedef enum {
  OH_ARI_JSON_NULL,
  OH_ARI_JSON_FALSE,
  OH_ARI_JSON_TRUE,
  OH_ARI_JSON_NUMBER,
  OH_ARI_JSON_STRING,
  OH_ARI_JSON_ARRAY,
  OH_ARI_JSON_OBJECT,
} OhAriJsonType;

typedef enum {
  OH_ARI_JSON_ESCAPED = 1 << 0,  /* a string with backslash escapes */
  OH_ARI_JSON_INTEGER = 1 << 1,  /* a number without fraction or exponent */
} OhAriJsonFlags;

typedef struct {
  const char *start;
  const char *end;
} OhAriJsonDocument;

/* A value in the text. Once read (everything in it checked), @end is one
 * past its last byte; the root is only located until it is read. */
typedef struct {
  const OhAriJsonDocument *document;
  const char              *start;
  const char              *end;
  OhAriJsonType            type;
  guint8                   flags;  /* OhAriJsonFlags */
  guint8                   depth;  /* the root is 1 */
} OhAriJsonValue;

typedef struct {
  const char     *name;          /* in the text, without the quotes */
  guint           name_length;
  gboolean        name_escaped;
  OhAriJsonValue  value;
} OhAriJsonMember;

/* ARI's objects have at most a dozen members; more go to the heap. */
#define OH_ARI_JSON_INLINE_MEMBERS 16

/* An object's members in document order. Declare with `= { 0 }`; can be
 * reused for another object. */
typedef struct {
  OhAriJsonMember *members;
  guint            n_members;
  guint            allocated;
  const char      *end;        /* one past the closing brace */
  OhAriJsonMember  inline_members[OH_ARI_JSON_INLINE_MEMBERS];
} OhAriJsonObject;

typedef struct {
  const OhAriJsonDocument *document;
  const char              *p;
  guint                    index;  /* of the next element */
  guint8                   depth;  /* the array's */
  gboolean                 done;   /* the closing ']' was read */
} OhAriJsonArrayIter;

/* A string value as a C string: in @inline_text when it fits. */
typedef struct {
  char *text;
  char  inline_text[64];
} OhAriJsonText;

gboolean    oh_ari_json_document_open     (OhAriJsonDocument       *document,
                                           const char              *data,
                                           gsize                    length,
                                           OhAriJsonValue          *root,
                                           GError                 **error);
gboolean    oh_ari_json_document_close    (const OhAriJsonDocument *document,
                                           const char              *after_root,
                                           GError                 **error);

gboolean    oh_ari_json_object_index      (OhAriJsonObject         *object,
                                           const OhAriJsonValue    *value,
                                           GError                 **error);
const OhAriJsonValue *
            oh_ari_json_object_get        (const OhAriJsonObject   *object,
                                           const char              *name);
void        oh_ari_json_object_clear      (OhAriJsonObject         *object);

void        oh_ari_json_array_iter_init   (OhAriJsonArrayIter      *iter,
                                           const OhAriJsonValue    *array);
gboolean    oh_ari_json_array_iter_next   (OhAriJsonArrayIter      *iter,
                                           OhAriJsonValue          *element,
                                           GError                 **error);

char       *oh_ari_json_value_dup_string  (const OhAriJsonValue    *value);
const char *oh_ari_json_value_get_text    (const OhAriJsonValue    *value,
                                           OhAriJsonText           *text);
gboolean    oh_ari_json_value_get_int64   (const OhAriJsonValue    *value,
                                           gint64                  *out);
gdouble     oh_ari_json_value_get_double  (const OhAriJsonValue    *value);
char       *oh_ari_json_member_dup_name   (const OhAriJsonMember   *member);
void        oh_ari_json_text_clear        (OhAriJsonText           *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OhAriJsonObject, oh_ari_json_object_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OhAriJsonText, oh_ari_json_text_clear)

G_END_DECLS

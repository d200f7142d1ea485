/* oh-history-entry.h: one call in the history, and the filters over them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OH_HISTORY_DIRECTION_INCOMING,
  OH_HISTORY_DIRECTION_OUTGOING,
  OH_HISTORY_DIRECTION_INTERNAL,
} OhHistoryDirection;

typedef enum
{
  OH_HISTORY_DISPOSITION_ANSWERED,
  OH_HISTORY_DISPOSITION_MISSED,
  OH_HISTORY_DISPOSITION_BUSY,
  OH_HISTORY_DISPOSITION_FAILED,
} OhHistoryDisposition;

const char *oh_history_direction_to_string (OhHistoryDirection direction);
gboolean oh_history_direction_from_string (const char *word, OhHistoryDirection *direction);
const char *oh_history_disposition_to_string (OhHistoryDisposition disposition);
gboolean oh_history_disposition_from_string (const char *word, OhHistoryDisposition *disposition);

/**
 * OhHistoryEntry:
 * @id: the store's id of the entry, %NULL until it is added
 * @session_id: the PBX session (call) it records
 * @caller: the calling number
 * @caller_name: the caller's name, or ""
 * @callee: the dialled number
 * @callee_name: the callee's name, or ""
 * @direction: seen from the PBX: from outside, to outside, or between extensions
 * @disposition: how the call ended
 * @start_time: when the call started, µs since the epoch; more than 0
 * @answer_time: when it was answered, µs since the epoch, 0 if never
 * @end_time: when it ended, µs since the epoch
 * @talk_seconds: whole seconds from answer to end; computed by the store
 *
 * A plain struct: the strings belong to the entry and are freed with it.
 */
typedef struct
{
  char *id;
  char *session_id;
  char *caller;
  char *caller_name;
  char *callee;
  char *callee_name;
  OhHistoryDirection direction;
  OhHistoryDisposition disposition;
  gint64 start_time;
  gint64 answer_time;
  gint64 end_time;
  guint talk_seconds;
} OhHistoryEntry;

OhHistoryEntry *oh_history_entry_new (void);
OhHistoryEntry *oh_history_entry_copy (const OhHistoryEntry *entry);
void oh_history_entry_free (OhHistoryEntry *entry);
guint oh_history_entry_talk_seconds (const OhHistoryEntry *entry);
GVariant *oh_history_entry_to_variant (const OhHistoryEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhHistoryEntry, oh_history_entry_free)

/* The most entries one Query may return. */
#define OH_HISTORY_MAX_ROWS 1000
/* The longest text filter, in characters. */
#define OH_HISTORY_MAX_TEXT 256

/**
 * OhHistoryFilter:
 * @text: a case-insensitive substring of the number or name of either
 *   side, or %NULL/"" for any
 * @extension: a number either side must equal (ignoring ASCII case), or
 *   %NULL/"" for any
 * @direction: `incoming`, `outgoing` or `internal`, or %NULL/"" for any
 * @disposition: `answered`, `missed`, `busy` or `failed`, or %NULL/"" for any
 * @since: only entries that started at or after this time (µs); 0 for no bound
 * @until: only entries that started at or before this time (µs); 0 for no bound
 *
 * What a History.Query asks for. Words are kept as the API spells them and
 * checked by oh_history_filter_validate().
 */
typedef struct
{
  char *text;
  char *extension;
  char *direction;
  char *disposition;
  gint64 since;
  gint64 until;
} OhHistoryFilter;

OhHistoryFilter *oh_history_filter_new (void);
void oh_history_filter_free (OhHistoryFilter *filter);
gboolean oh_history_filter_validate (const OhHistoryFilter *filter, guint rows, GError **error);
OhHistoryFilter *oh_history_filter_from_variant (GVariant *filter, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhHistoryFilter, oh_history_filter_free)

G_END_DECLS

/* oh-session-tracker.h: builds sessions (calls anywhere on the PBX) from
 * channel and bridge events
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "model/oh-session-list.h"
#include "model/oh-user-list.h"
#include "oh-ari-types.h"
#include "store/oh-history-entry.h"

G_BEGIN_DECLS

/* How a session ended, handed to ::session-completed. */
typedef struct {
  OhHistoryDirection   direction;
  OhHistoryDisposition disposition;
  gint64               end_time;
} OhSessionOutcome;

#define OH_TYPE_SESSION_TRACKER (oh_session_tracker_get_type ())
G_DECLARE_FINAL_TYPE (OhSessionTracker, oh_session_tracker, OH, SESSION_TRACKER, GObject)

/**
 * OhSessionTracker::session-completed:
 * @session: the session, in state completed, still in the list
 * @outcome: (type gpointer): an #OhSessionOutcome
 *
 * Emitted when a call ended; handlers record it (history). The session
 * leaves the list right after the handlers returned.
 */

OhSessionTracker *oh_session_tracker_new       (OhUserList    *users,
                                                OhSessionList *sessions);
void              oh_session_tracker_handle_event (OhSessionTracker *self,
                                                   OhAriEvent       *event);
/* Reconciles with the PBX's channels and bridges after a (re)connect. */
void              oh_session_tracker_resync    (OhSessionTracker *self,
                                                GPtrArray        *channels,
                                                GPtrArray        *bridges,
                                                gint64            now);
/* Forgets every session without recording it (the connection was closed
 * on purpose; the calls may well go on). */
void              oh_session_tracker_clear     (OhSessionTracker *self);
/* Sets a channel's hold state when the daemon held it through ARI, which
 * emits no ChannelHold. */
void              oh_session_tracker_set_held  (OhSessionTracker *self,
                                                const char       *channel_id,
                                                gboolean          held);
/* Returns: (nullable): the id of the session a channel belongs to. */
const char       *oh_session_tracker_lookup_channel (OhSessionTracker *self,
                                                     const char       *channel_id);

G_END_DECLS

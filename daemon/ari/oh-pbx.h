/* oh-pbx.h: the PBX connection: connect, stay connected, resync the model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/oh-account.h"
#include "model/oh-session-list.h"
#include "model/oh-user-list.h"
#include "oh-ari-client.h"
#include "oh-session-tracker.h"
#include "oh-directory.h"
#include "oh-settings.h"

G_BEGIN_DECLS

#define OH_TYPE_PBX (oh_pbx_get_type ())
G_DECLARE_FINAL_TYPE (OhPbx, oh_pbx, OH, PBX, GObject)

/**
 * OhPbx::event:
 * @event: an #OhAriEvent, after the users were updated from it
 *
 * OhPbx::resynced:
 * @channels: (element-type OhAriChannel): every channel on the PBX
 * @bridges: (element-type OhAriBridge): every bridge on the PBX
 *
 * Emitted after a (re)connection, once the users are reconciled and before
 * the events that arrived during the resync are replayed.
 *
 * OhPbx::connection-lost:
 *
 * Emitted when a working connection broke (before the retry).
 */

OhPbx       *oh_pbx_new            (OhAccount     *account,
                                    OhUserList    *users,
                                    OhSessionList *sessions);
OhSessionTracker *oh_pbx_get_session_tracker (OhPbx *self);
/* Connects with these settings and password (copied; kept in memory for
 * reconnects only). Any previous connection is dropped first. */
void         oh_pbx_connect        (OhPbx            *self,
                                    const OhSettings *settings,
                                    const char       *password);
/* Drops the connection, stops retrying; state becomes disconnected and
 * every user leaves the model. */
void         oh_pbx_disconnect     (OhPbx *self);
/* Puts the account into failed with @message and retries later (for
 * failures before a connection attempt, e.g. an unreadable keyring). */
void         oh_pbx_fail           (OhPbx      *self,
                                    const char *message,
                                    gboolean    retry);
/* Returns: (transfer none) (nullable): the client while connected. */
OhAriClient *oh_pbx_get_client     (OhPbx *self);
void         oh_pbx_set_directory  (OhPbx       *self,
                                    OhDirectory *directory);
/* Applies one event to the users, as if it came from the socket. Used by
 * the conformance tests that replay transcripts. */
void         oh_pbx_handle_event   (OhPbx      *self,
                                    OhAriEvent *event);
/* Reconciles the users with a snapshot (the same as after a reconnect). */
void         oh_pbx_apply_snapshot (OhPbx     *self,
                                    GPtrArray *endpoints,
                                    GPtrArray *channels,
                                    GPtrArray *bridges);

/* "PJSIP/101-00000002" → technology "PJSIP", resource "101"; FALSE for
 * channels that are not an endpoint's (Local/, Message/, WebSocket/...). */
gboolean     oh_pbx_parse_channel_name (const char  *name,
                                        char       **technology,
                                        char       **resource);

G_END_DECLS
